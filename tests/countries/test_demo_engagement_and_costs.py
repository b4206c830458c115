"""The Demoland engagement shipped with the demo data, end to end; and the costs of its
recommendations proved by an accounting identity: the two saved scenarios (one benefit each)
sum, year by year, to the costing engine's projection of the whole package."""

from __future__ import annotations

import polars as pl
import pytest

from socialcover import countries
from socialcover.costing import project_costs
from socialcover.data import install_demo
from socialcover.store import SystemActor, ValidationError, session_scope
from socialcover.store.scenarios import save_scenario

ADMIN = SystemActor("test")


@pytest.fixture
def demo(db_url: str) -> int:
    install_demo()
    with session_scope(ADMIN) as s:
        return countries.install_demo_engagement(s).id


def test_the_demo_engagement_is_complete_public_and_installed_once(demo: int) -> None:
    with session_scope(ADMIN) as s:
        assert countries.install_demo_engagement(s).id == demo
    with session_scope(None, write=False) as s:
        e = countries.get_engagement(s, None, demo)
        assert e.status == "published" and countries.current_stage(e) == "strategy"
        matrix = countries.assessment_matrix(s, None, demo)
        endorsements = countries.endorsements_of(s, None, demo)
        rounds = countries.codi_assessments(s, None, demo)
        moved = countries.compare_codi(s, None, demo, rounds[0]["id"], rounds[1]["id"])
    assert [r["guarantee"] for r in matrix] == ["children", "older_persons"]
    assert matrix[0]["observation"]["value"] == 9.8  # the demo pack's 2023 child coverage
    child = matrix[0]["recommendations"][0]
    assert {p["constituent"]: p["stance"] for p in child["positions"]} == {
        "government": "supports_with_reservations",
        "employers": "supports_with_reservations",  # moved from "opposes" at the workshop
        "workers": "supports",
    }
    assert {d["constituent"] for d in endorsements} == {"government", "employers", "workers"}
    assert all(
        d["recommendation_ids"] == [child["id"], matrix[1]["recommendations"][0]["id"]]
        for d in endorsements
    )
    assert sum(1 for m in moved if m["change"]) == 2


def test_the_agreed_set_costs_what_the_whole_package_costs(demo: int) -> None:
    with session_scope(None, write=False) as s:
        total = pl.DataFrame(countries.set_cost(s, None, demo)["years"])
        matrix = countries.assessment_matrix(s, None, demo)
    whole = project_costs({"country": "XDM", "package": "campaign-basic"}).totals.sort("year")
    assert total["year"].to_list() == whole["year"].to_list()
    for column in ("cost_lcu", "cost_pct_gdp", "cost_pct_gov_expenditure", "financing_gap_pct_gdp"):
        assert total[column].to_list() == pytest.approx(whole[column].to_list(), rel=1e-12)
    child = matrix[0]["recommendations"][0]["cost"]
    assert child["scenario"] == "Demoland child benefit@2"
    assert child["first"]["year"] == 2025 and child["last"]["year"] == 2040


def test_a_linked_scenario_stays_at_its_version_until_linked_again(demo: int) -> None:
    with session_scope(None, write=False) as s:
        rec = countries.assessment_matrix(s, None, demo)[0]["recommendations"][0]
    before = rec["cost"]["first"]["cost_pct_gdp"]
    with session_scope(ADMIN) as s:  # the scenario is saved again with a doubled benefit
        saved = countries.scenario_cost(s, rec["scenario_id"], 2, "XDM")
        from socialcover.store.scenarios import get_scenario

        doc = get_scenario(s, ADMIN, rec["scenario_id"]).document
        doc["benefits"][0]["level"]["pct_of_gdp_per_capita"] *= 2
        doc["benefits"][0]["level"]["cap"] = None
        save_scenario(s, ADMIN, "Demoland child benefit", doc)
        assert saved["first"]["cost_pct_gdp"] == before
    with session_scope(None, write=False) as s:
        same = countries.assessment_matrix(s, None, demo)[0]["recommendations"][0]["cost"]
    assert same["first"]["cost_pct_gdp"] == before and same["version"] == 2
    with session_scope(ADMIN) as s:
        countries.update_recommendation(s, ADMIN, rec["id"], {"scenario_id": rec["scenario_id"]})
    with session_scope(None, write=False) as s:
        now = countries.assessment_matrix(s, None, demo)[0]["recommendations"][0]["cost"]
    assert now["version"] == 3 and now["first"]["cost_pct_gdp"] > before


def test_a_scenario_of_another_country_or_none_at_all_is_refused(demo: int) -> None:
    with session_scope(ADMIN) as s:
        other = save_scenario(s, ADMIN, "Kenya pension", {"country": "KEN", "package": "ess58"})
        other_id = other.id
    for sid, code in (
        (other_id, "engagement.scenario-elsewhere"),
        (987654, "engagement.unknown-scenario"),
    ):
        with session_scope(ADMIN) as s, pytest.raises(ValidationError) as info:
            countries.add_recommendation(s, ADMIN, demo, {"text": "More.", "scenario_id": sid})
        assert info.value.code == code
