"""The assessment matrix cites the indicator store: an approved observation of the
engagement's country, with its year, source and vintage; anything else is refused and saves
nothing. CODI rounds are written whole and a second round shows what moved."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from sqlalchemy import func, select

from socialcover import countries
from socialcover.data import install_demo
from socialcover.monitor import approve_data_set, record_observations, submit_data_set
from socialcover.store import PermissionDeniedError, SystemActor, ValidationError, session_scope
from socialcover.store.models import AssessmentCell, CodiAssessment

ADMIN = SystemActor("test")


def _observations(area: str, value: float, *, approve: bool) -> int:
    frame = pl.DataFrame(
        {
            "indicator": ["sdg131.children"],
            "area": [area],
            "year": [2023],
            "sex": ["both"],
            "value": [value],
            "se": [None],
            "lower": [None],
            "upper": [None],
            "nature": ["administrative"],
            "source": ["Demoland Ministry of Labour, administrative records"],
            "vintage": ["2024-06"],
            "footnotes": [""],
        },
        schema_overrides={
            "year": pl.Int32,
            "se": pl.Float64,
            "lower": pl.Float64,
            "upper": pl.Float64,
        },
    )
    with session_scope(ADMIN) as s:
        (ds,) = record_observations(s, ADMIN, frame).data_sets
        if approve:
            submit_data_set(s, ADMIN, ds)
            approve_data_set(s, ADMIN, ds, "checked")
        from socialcover.store.models import Observation

        return int(s.scalar(select(func.max(Observation.id))) or 0)


def _cell(observation_id: int | None) -> dict[str, Any]:
    return {
        "guarantee": "children",
        "population_group": "Children aged 0-14",
        "existing_schemes": "Family allowances for formal-sector employees.",
        "legal_coverage": "Formal-sector employees.",
        "coverage_observation_id": observation_id,
        "policy_gaps": "Informal-economy households.",
    }


def test_a_cell_cites_an_approved_observation_with_its_year_and_source(cast: Any) -> None:
    c = cast
    install_demo()
    obs = _observations("XDM", 9.8, approve=True)
    with session_scope(c.member) as s:
        cell = countries.set_cell(s, c.member, c.engagement_id, _cell(obs))
        countries.add_recommendation(
            s, c.member, c.engagement_id, {"text": "A child benefit.", "cell_id": cell.id}
        )
        countries.add_recommendation(s, c.member, c.engagement_id, {"text": "A registry."})
    with session_scope(c.lead, write=False) as s:
        rows = countries.assessment_matrix(s, c.lead, c.engagement_id)
    assert rows[0]["observation"]["value"] == 9.8
    assert rows[0]["observation"]["year"] == 2023
    assert rows[0]["observation"]["source"].startswith("Demoland Ministry")
    assert [r["text"] for r in rows[0]["recommendations"]] == ["A child benefit."]
    assert rows[1]["guarantee"] is None and rows[1]["recommendations"][0]["text"] == "A registry."
    with session_scope(c.member) as s:  # writing the cell again replaces it, no second row
        countries.set_cell(s, c.member, c.engagement_id, {**_cell(obs), "policy_gaps": "Rural."})
    with session_scope(None, write=False) as s:
        assert s.scalar(select(func.count()).select_from(AssessmentCell)) == 1


def test_unapproved_foreign_or_missing_observations_are_refused(cast: Any) -> None:
    c = cast
    install_demo()
    draft = _observations("XDM", 9.8, approve=False)
    for obs, code in (
        (draft, "engagement.unapproved-observation"),
        (999_999, "engagement.unknown-observation"),
    ):
        with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
            countries.set_cell(s, c.lead, c.engagement_id, _cell(obs))
        assert info.value.code == code
        assert str(obs) in info.value.message
    with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
        countries.set_cell(s, c.lead, c.engagement_id, {**_cell(None), "guarantee": "pets"})
    assert "guarantee" in info.value.message
    with session_scope(c.workers_rep) as s, pytest.raises(PermissionDeniedError):
        countries.set_cell(s, c.workers_rep, c.engagement_id, _cell(None))
    with session_scope(None, write=False) as s:
        assert s.scalar(select(func.count()).select_from(AssessmentCell)) == 0


def _scores(inclusiveness: int) -> list[dict[str, Any]]:
    return [
        {
            "module": "policy",
            "key_area": "legal_and_policy_framework",
            "criterion": "inclusiveness",
            "score": inclusiveness,
            "evidence": "Law review.",
            "source": "Legal database",
        },
        {
            "module": "programme_design",
            "key_area": "benefit_design",
            "criterion": "adequacy",
            "score": 2,
            "evidence": "Benefits not indexed.",
            "source": "Budget 2024",
        },
    ]


def test_a_second_codi_round_shows_what_moved(cast: Any) -> None:
    c = cast
    with session_scope(c.lead) as s:
        one = countries.record_codi(
            s, c.lead, c.engagement_id, {"assessed_on": "2024-03-01", "scores": _scores(1)}
        ).id
        two = countries.record_codi(
            s, c.lead, c.engagement_id, {"assessed_on": "2025-03-01", "scores": _scores(3)}
        ).id
    with session_scope(c.lead, write=False) as s:
        moved = countries.compare_codi(s, c.lead, c.engagement_id, one, two)
    assert {(m["criterion"], m["before"], m["after"], m["change"]) for m in moved} == {
        ("inclusiveness", 1, 3, 2),
        ("adequacy", 2, 2, 0),
    }


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"score": 5}, "less than or equal to 4"),
        ({"criterion": "beauty"}, "criterion"),
        ({"module": "programme_design"}, "belongs to module 'policy'"),
        ({"evidence": ""}, "evidence"),
    ],
)
def test_a_bad_codi_score_refuses_the_whole_round(
    cast: Any, change: dict[str, Any], words: str
) -> None:
    c = cast
    scores = _scores(2)
    scores[0] = {**scores[0], **change}
    with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
        countries.record_codi(
            s, c.lead, c.engagement_id, {"assessed_on": "2024-03-01", "scores": scores}
        )
    assert words in info.value.message
    with session_scope(None, write=False) as s:
        assert s.scalar(select(func.count()).select_from(CodiAssessment)) == 0
