"""The national strategy of an engagement: measures citing recommendations and their saved
scenarios, financing against the data pack's fiscal space (proved against the agreed set's cost
and the macro series), a logframe read from the indicator store, the progress report (proved
against the monitor's own progress table and a least-squares line fitted here), and who may
write and read it."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from tests.countries.conftest import make_cast

from socialcover import countries
from socialcover.data import install_demo, macro
from socialcover.monitor import Target, observations, progress
from socialcover.store import (
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    ValidationError,
    session_scope,
)
from socialcover.store.models import Strategy

ADMIN = SystemActor("test")


@pytest.fixture
def demo(db_url: str) -> int:
    install_demo()
    with session_scope(ADMIN) as s:
        return countries.install_demo_engagement(s).id


def test_the_demo_strategy_cites_the_agreed_recommendations_and_their_scenarios(demo: int) -> None:
    with session_scope(None, write=False) as s:  # an anonymous reader
        plan = countries.strategy_as_dict(s, None, demo)
        matrix = countries.assessment_matrix(s, None, demo)
    child, pension = (row["recommendations"][0] for row in matrix)
    assert plan["status"] == "published" and not plan["editable"]
    assert [m["recommendation_ids"] for m in plan["measures"]] == [
        [child["id"]],
        [pension["id"]],
        [child["id"], pension["id"]],
    ]
    assert [s["label"] for s in plan["measures"][0]["scenarios"]] == [child["cost"]["scenario"]]
    assert plan["timeline"][-1] == {
        "year": 2030,
        "measure_ids": [m["id"] for m in plan["measures"][:2]],
    }
    assert [r["indicator"] for r in plan["logframe"]] == [
        "sdg131.at_least_one_benefit",
        "sdg131.children",
        "sdg131.older_persons_pension",
    ]
    assert plan["logframe"][1]["baseline"]["value"] == 9.8  # the demo pack's 2023 value


def test_financing_is_the_agreed_sets_cost_against_the_macro_series(demo: int) -> None:
    with session_scope(None, write=False) as s:
        money = countries.strategy_financing(s, None, demo)
        agreed = pl.DataFrame(countries.set_cost(s, None, demo)["years"])
    years = pl.DataFrame(money["years"])
    assert years["year"].to_list() == [2026, 2027, 2028, 2029, 2030]
    # the third measure cites both scenarios again: each counts once
    same = agreed.filter(pl.col("year").is_between(2026, 2030)).sort("year")
    for column in ("cost_lcu", "cost_pct_gdp", "cost_pct_gov_expenditure", "financing_gap_lcu"):
        assert years[column].to_list() == pytest.approx(same[column].to_list(), rel=1e-12)
    fiscal = macro("XDM", range(2026, 2031), ["gov_revenue_pct_gdp", "gov_expenditure_pct_gdp"])
    revenue = fiscal.filter(pl.col("indicator") == "gov_revenue_pct_gdp")["value"].to_list()
    spending = fiscal.filter(pl.col("indicator") == "gov_expenditure_pct_gdp")["value"].to_list()
    assert years["gov_revenue_pct_gdp"].to_list() == revenue
    assert years["cost_pct_gov_revenue"].to_list() == pytest.approx(
        [c / r * 100 for c, r in zip(years["cost_pct_gdp"], revenue, strict=True)], rel=1e-12
    )
    # accounting identity: the engine's % of spending is the same cost over the same series
    assert years["cost_pct_gov_expenditure"].to_list() == pytest.approx(
        [c / g * 100 for c, g in zip(years["cost_pct_gdp"], spending, strict=True)], rel=1e-9
    )
    assert money["measures"][0]["first_cost_pct_gdp"] + money["measures"][1][
        "first_cost_pct_gdp"
    ] == pytest.approx(money["measures"][2]["first_cost_pct_gdp"], rel=1e-12)


def test_the_progress_report_reads_the_store_and_says_on_or_off_track(demo: int) -> None:
    with session_scope(None, write=False) as s:
        report = countries.progress_report(s, None, demo)
        series = observations(s, None, "sdg131.at_least_one_benefit", "XDM")
    headline, children, _ = report
    assert headline["latest_year"] == 2023 and headline["latest_value"] == 21.3
    # an independent line through the last 8 years (2016-2023) of the store's series
    recent = series.filter(pl.col("year") > 2015, pl.col("sex") == "both")
    slope, intercept = np.polyfit(recent["year"].to_numpy(), recent["value"].to_numpy(), 1)
    assert headline["pace_pp_year"] == pytest.approx(slope, rel=1e-9)
    assert headline["projected_value"] == pytest.approx(slope * 2030 + intercept, rel=1e-9)
    assert headline["status"] == ("on track" if slope * 2030 + intercept >= 40 else "off track")
    assert headline["status"] == "off track"
    table = progress(
        series.filter(pl.col("sex") == "both"),
        [Target("sdg131.at_least_one_benefit", "XDM", 40.0, 2030, 2023, 21.3)],
    )
    assert table["status"][0] == headline["status"]
    assert (children["status"], children["reason"]) == (
        "off track",
        "2 points: no residual, so no interval",
    )


def test_a_new_approved_observation_moves_the_report(demo: int) -> None:
    from socialcover.monitor import approve_data_set, record_observations, submit_data_set

    with session_scope(ADMIN) as s:
        frame = observations(s, None, "sdg131.at_least_one_benefit", "XDM").filter(
            pl.col("year") == 2023
        )
        report = record_observations(
            s, ADMIN, frame.with_columns(pl.lit(2025).alias("year"), pl.lit(34.0).alias("value"))
        )
        for ds in report.data_sets:
            submit_data_set(s, ADMIN, ds)
            approve_data_set(s, ADMIN, ds)
    with session_scope(None, write=False) as s:
        headline = countries.progress_report(s, None, demo)[0]
    assert (headline["latest_year"], headline["latest_value"]) == (2025, 34.0)
    assert headline["status"] == "on track"


def _strategy(lead: object, eid: int) -> None:
    with session_scope(lead) as s:
        countries.set_strategy(
            s, lead, eid, {"title": "Test strategy", "start_year": 2025, "end_year": 2029}
        )


def test_only_the_team_edits_and_readers_see_it_once_published(db_url: str) -> None:
    cast = make_cast()
    for who in (cast.outsider, cast.workers_rep, cast.reviewer):
        with session_scope(who) as s, pytest.raises((PermissionDeniedError, RecordNotFoundError)):
            countries.set_strategy(
                s,
                who,
                cast.engagement_id,
                {"title": "Theirs", "start_year": 2025, "end_year": 2029},
            )
    _strategy(cast.member, cast.engagement_id)
    with session_scope(cast.lead) as s:
        countries.publish_engagement(s, cast.lead, cast.engagement_id)
        countries.add_objective(s, cast.lead, cast.engagement_id, {"text": "Cover everyone."})
    with session_scope(None, write=False) as s, pytest.raises(RecordNotFoundError):
        countries.strategy_as_dict(s, None, cast.engagement_id)  # a draft strategy
    with session_scope(cast.workers_rep, write=False) as s:  # a representative sees the draft
        assert countries.strategy_as_dict(s, cast.workers_rep, cast.engagement_id)["objectives"]
    with session_scope(cast.outsider) as s, pytest.raises(PermissionDeniedError):
        countries.publish_strategy(s, cast.outsider, cast.engagement_id)
    with session_scope(cast.lead) as s:
        countries.publish_strategy(s, cast.lead, cast.engagement_id)
    with session_scope(cast.outsider, write=False) as s:
        plan = countries.strategy_as_dict(s, cast.outsider, cast.engagement_id)
    assert plan["status"] == "published" and plan["objectives"][0]["text"] == "Cover everyone."
    with session_scope(cast.lead) as s:
        countries.withdraw_engagement(s, cast.lead, cast.engagement_id)
    with session_scope(None, write=False) as s, pytest.raises(RecordNotFoundError):
        countries.strategy_as_dict(s, None, cast.engagement_id)  # the engagement is a draft again


@pytest.mark.parametrize(
    ("kind", "data", "code"),
    [
        (
            "measure",
            {"text": "Too late", "start_year": 2024, "end_year": 2026},
            "engagement.strategy-years",
        ),
        (
            "measure",
            {
                "text": "Elsewhere",
                "start_year": 2025,
                "end_year": 2026,
                "recommendation_ids": [999],
            },
            "engagement.unknown-recommendation",
        ),
        (
            "measure",
            {"text": "Orphan", "start_year": 2025, "end_year": 2026, "objective_id": 999},
            "engagement.unknown-objective",
        ),
        (
            "logframe",
            {
                "level": "outcome",
                "indicator": "sdg131.children",
                "target_value": 50,
                "target_year": 2030,
                "baseline_observation_id": 999999,
            },
            "engagement.unknown-observation",
        ),
        (
            "logframe",
            {
                "level": "goal",
                "indicator": "sdg131.children",
                "target_value": 50,
                "target_year": 2030,
            },
            "store.invalid",
        ),
    ],
)
def test_bad_items_are_refused_and_change_nothing(
    db_url: str, kind: str, data: dict[str, object], code: str
) -> None:
    cast = make_cast()
    _strategy(cast.lead, cast.engagement_id)
    add = countries.add_measure if kind == "measure" else countries.add_logframe_indicator
    with session_scope(cast.lead) as s, pytest.raises(ValidationError) as err:
        add(s, cast.lead, cast.engagement_id, data)
    assert err.value.code == code
    with session_scope(ADMIN, write=False) as s:
        strategy = s.query(Strategy).one()
        assert strategy.measures == [] and strategy.logframe == []


def test_an_unknown_indicator_names_the_nearest(db_url: str) -> None:
    from socialcover.errors import NotFoundError

    cast = make_cast()
    _strategy(cast.lead, cast.engagement_id)
    with session_scope(cast.lead) as s, pytest.raises(NotFoundError) as err:
        countries.add_logframe_indicator(
            s,
            cast.lead,
            cast.engagement_id,
            {
                "level": "impact",
                "indicator": "sdg131.childrn",
                "target_value": 50,
                "target_year": 2030,
            },
        )
    assert err.value.code == "monitor.unknown-indicator" and "sdg131.children" in str(err.value)


def test_a_baseline_must_be_of_the_rows_indicator(demo: int) -> None:
    with session_scope(ADMIN, write=False) as s:
        plan = countries.strategy_as_dict(s, ADMIN, demo)
    child_obs = plan["logframe"][1]["baseline"]["id"]
    with session_scope(ADMIN) as s, pytest.raises(ValidationError) as err:
        countries.add_logframe_indicator(
            s,
            ADMIN,
            demo,
            {
                "level": "output",
                "indicator": "sdg131.poor_social_assistance",
                "baseline_observation_id": child_obs,
                "target_value": 30,
                "target_year": 2030,
            },
        )
    assert err.value.code == "engagement.baseline-mismatch"


def test_an_item_is_removed_by_the_team(db_url: str) -> None:
    cast = make_cast()
    _strategy(cast.lead, cast.engagement_id)
    with session_scope(cast.lead) as s:
        oid = countries.add_objective(s, cast.lead, cast.engagement_id, {"text": "Gone soon"}).id
        countries.remove_strategy_item(s, cast.lead, cast.engagement_id, "objective", oid)
    with session_scope(cast.lead, write=False) as s:
        assert countries.strategy_as_dict(s, cast.lead, cast.engagement_id)["objectives"] == []
    with session_scope(cast.lead) as s, pytest.raises(RecordNotFoundError):
        countries.remove_strategy_item(s, cast.lead, cast.engagement_id, "objective", oid)
