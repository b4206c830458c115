"""Issued progress reports keep what they read: a new or revised observation approved later
moves the live progress report but not a report already issued; a report for a past period
leaves out later years; only the team issues; readers see the reports of a published strategy,
never who issued them."""

from __future__ import annotations

import polars as pl
import pytest
from tests.countries.conftest import make_cast

from socialcover import countries
from socialcover.data import install_demo
from socialcover.monitor import (
    approve_data_set,
    observations,
    record_observations,
    submit_data_set,
    unapprove_data_set,
)
from socialcover.store import (
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    ValidationError,
    session_scope,
)
from socialcover.store.models import DataSet, Observation, StrategyProgressReport

ADMIN = SystemActor("test")


@pytest.fixture
def demo(db_url: str) -> int:
    install_demo()
    with session_scope(ADMIN) as s:
        return countries.install_demo_engagement(s).id


def _approve(frame: pl.DataFrame, reopen: int | None = None) -> None:
    with session_scope(ADMIN) as s:
        if reopen is not None:  # a revision: the approved data set goes back to entered first
            unapprove_data_set(s, ADMIN, reopen, "ILOSTAT revised 2023", back_to="entered")
        report = record_observations(s, ADMIN, frame)
        for ds in report.data_sets:
            submit_data_set(s, ADMIN, ds)
            approve_data_set(s, ADMIN, ds)


def _headline_2023() -> pl.DataFrame:
    with session_scope(ADMIN, write=False) as s:
        return observations(s, None, "sdg131.at_least_one_benefit", "XDM").filter(
            pl.col("year") == 2023
        )


def test_the_demo_ships_one_issued_report_citing_the_stores_observations(demo: int) -> None:
    with session_scope(None, write=False) as s:  # an anonymous reader
        (summary,) = countries.progress_reports(s, None, demo)
        report = countries.get_progress_report(s, None, demo, summary["id"])
        live = countries.progress_report(s, None, demo)
        for row in report["rows"]:
            obs = s.get(Observation, row["latest"]["id"])
            assert obs is not None and s.get(DataSet, obs.data_set_id).status == "approved"
            assert (obs.value, obs.year, obs.revision, obs.source, obs.vintage) == (
                row["latest"]["value"],
                row["latest"]["year"],
                row["latest"]["revision"],
                row["latest"]["source"],
                row["latest"]["vintage"],
            )
    assert summary["period"] == "2025" and "issued_by" not in summary  # no name for readers
    assert summary["statuses"]["off track"] == 3 == summary["indicators"]
    # issued from the same store, nothing changed since: the snapshot is the live reading
    for kept, now in zip(report["rows"], live, strict=True):
        assert {k: kept[k] for k in ("latest_value", "latest_year", "status", "pace_pp_year")} == {
            k: now[k] for k in ("latest_value", "latest_year", "status", "pace_pp_year")
        }
    assert report["rows"][0]["latest"]["value"] == 21.3


def test_a_later_revision_and_a_new_year_move_the_live_report_not_the_issued_one(
    demo: int,
) -> None:
    with session_scope(ADMIN, write=False) as s:
        (summary,) = countries.progress_reports(s, ADMIN, demo)
        before = countries.get_progress_report(s, ADMIN, demo, summary["id"])
    headline = _headline_2023()
    with session_scope(ADMIN, write=False) as s:
        data_set = s.get(Observation, before["rows"][0]["latest"]["id"]).data_set_id
    _approve(headline.with_columns(pl.lit(25.0).alias("value")), reopen=data_set)  # 21.3 -> 25.0
    _approve(headline.with_columns(pl.lit(2025).alias("year"), pl.lit(38.0).alias("value")))
    with session_scope(ADMIN, write=False) as s:
        live = countries.progress_report(s, ADMIN, demo)[0]
        after = countries.get_progress_report(s, ADMIN, demo, summary["id"])
        revised = s.get(Observation, live["latest"]["id"])
    assert (live["latest_year"], live["latest_value"], live["status"]) == (2025, 38.0, "on track")
    assert revised is not None and revised.value == 38.0
    assert after["rows"] == before["rows"]
    assert after["rows"][0]["latest"]["value"] == 21.3 and after["rows"][0]["status"] == (
        "off track"
    )
    # a report issued now for 2024 reads the revised 2023 value, not the 2025 one
    with session_scope(ADMIN) as s:
        countries.issue_progress_report(s, ADMIN, demo, {"period": "2024-12-31"})
    with session_scope(ADMIN, write=False) as s:
        newest = countries.progress_reports(s, ADMIN, demo)[0]
        rows = countries.get_progress_report(s, ADMIN, demo, newest["id"])["rows"]
    assert newest["period"] == "2024-12-31" and newest["issued_by"] == "test"
    assert (rows[0]["latest_year"], rows[0]["latest_value"], rows[0]["latest"]["revision"]) == (
        2023,
        25.0,
        2,
    )


@pytest.mark.parametrize(
    ("period", "code"),
    [
        ("2025", "engagement.progress-duplicate"),
        ("25", "store.invalid"),
        ("2025-Q5", "store.invalid"),
    ],
)
def test_a_bad_or_repeated_period_is_refused_and_saves_nothing(
    demo: int, period: str, code: str
) -> None:
    with session_scope(ADMIN) as s, pytest.raises(ValidationError) as err:
        countries.issue_progress_report(s, ADMIN, demo, {"period": period})
    assert err.value.code == code and err.value.context["fields"] == ["period"]
    with session_scope(ADMIN, write=False) as s:
        assert s.query(StrategyProgressReport).count() == 1


def test_only_the_team_issues_and_readers_see_reports_of_a_published_strategy(
    db_url: str,
) -> None:
    cast = make_cast()
    with session_scope(cast.lead) as s:
        countries.set_strategy(
            s,
            cast.lead,
            cast.engagement_id,
            {"title": "Test plan", "start_year": 2025, "end_year": 2029},
        )
    with session_scope(cast.lead) as s, pytest.raises(ValidationError) as err:
        countries.issue_progress_report(s, cast.lead, cast.engagement_id, {"period": "2025"})
    assert err.value.code == "engagement.empty-logframe"
    with session_scope(cast.lead) as s:
        countries.add_logframe_indicator(
            s,
            cast.lead,
            cast.engagement_id,
            {
                "level": "impact",
                "indicator": "sdg131.children",
                "target_value": 50,
                "target_year": 2030,
            },
        )
    for who in (cast.outsider, cast.workers_rep, cast.reviewer):
        with session_scope(who) as s, pytest.raises((PermissionDeniedError, RecordNotFoundError)):
            countries.issue_progress_report(s, who, cast.engagement_id, {"period": "2025"})
    with session_scope(cast.member) as s:
        rid = countries.issue_progress_report(
            s, cast.member, cast.engagement_id, {"period": "2025-H1", "note": "=cmd|' /C calc'!A0"}
        ).id
    with session_scope(cast.lead, write=False) as s:
        seen = countries.get_progress_report(s, cast.lead, cast.engagement_id, rid)
    assert seen["issued_by"] == "member@example.org"
    assert seen["rows"][0]["status"] == "no data" and seen["rows"][0]["latest"] is None
    table = countries.progress_report_table(seen)
    assert table[0]["indicator"] == "sdg131.children" and table[0]["latest_observation_id"] is None
    with session_scope(cast.lead) as s:
        countries.publish_engagement(s, cast.lead, cast.engagement_id)
    with session_scope(None, write=False) as s, pytest.raises(RecordNotFoundError):
        countries.progress_reports(s, None, cast.engagement_id)  # the strategy is a draft
    with session_scope(cast.lead) as s:
        countries.publish_strategy(s, cast.lead, cast.engagement_id)
    with session_scope(None, write=False) as s:
        (summary,) = countries.progress_reports(s, None, cast.engagement_id)
        with pytest.raises(RecordNotFoundError):
            countries.get_progress_report(s, None, cast.engagement_id, rid + 1000)
    assert summary["period"] == "2025-H1" and "issued_by" not in summary
