"""A costing run on the demo country as observations: the values are the result's totals, the
source names the scenario and the pack version; recorded, approved and read back."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.costing import CostingRequest, CostingRun, run_costing
from socialcover.data import install_demo, pack_status
from socialcover.errors import InputError, NotFoundError
from socialcover.monitor import (
    KEY,
    OBSERVATION_SCHEMA,
    approve_data_set,
    list_data_sets,
    observations,
    submit_data_set,
)
from socialcover.monitor.feeds import COSTING_INDICATORS, observations_from_costing
from socialcover.monitor.observations import record_observations
from socialcover.store import SystemActor, create_user, session_scope
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")
SCENARIO = {"name": "basic-2030", "country": "XDM", "package": "campaign-basic", "horizon": 2030}


def _run() -> CostingRun:
    install_demo()
    return run_costing(CostingRequest(SCENARIO))


def test_values_are_the_results_totals(sc_home: Path) -> None:
    run = _run()
    frame = observations_from_costing(run)
    assert frame.schema == pl.Schema(OBSERVATION_SCHEMA)
    assert COSTING_INDICATORS == ("costing.cost_pct_gdp", "costing.financing_gap_pct_gdp")
    totals = run.result.totals
    for code, column in zip(
        COSTING_INDICATORS, ("cost_pct_gdp", "financing_gap_pct_gdp"), strict=True
    ):
        rows = frame.filter(pl.col("indicator") == code).sort("year")
        assert rows["area"].to_list() == totals["iso3"].to_list()
        assert rows["year"].to_list() == totals["year"].to_list() == list(range(2025, 2031))
        assert rows["value"].to_list() == totals[column].to_list()
    assert set(frame["nature"]) == {"modelled"} and set(frame["sex"]) == {"both"}
    assert frame["se"].is_null().all()
    version = pack_status().version  # type: ignore[union-attr]
    assert set(frame["source"]) == {
        f"socialcover costing, scenario 'basic-2030', data pack {version}"
    }
    assert set(frame["vintage"]) == {version}
    (footnotes,) = set(frame["footnotes"])
    assert footnotes.startswith("package campaign-basic: universal_pension, child_benefit")
    assert "base year 2025" in footnotes and "real GDP growth" in footnotes
    assert observations_from_costing(run.result).equals(frame)  # a run or its projection


def test_one_indicator_and_wrong_codes(sc_home: Path) -> None:
    run = _run()
    only = observations_from_costing(run, indicators=["costing.financing_gap_pct_gdp"])
    assert set(only["indicator"]) == {"costing.financing_gap_pct_gdp"} and only.height == 6
    with pytest.raises(InputError) as info:
        observations_from_costing(run, indicators=["sdg131.children"])
    assert info.value.code == "monitor.not-a-costing-indicator"
    with pytest.raises(NotFoundError):
        observations_from_costing(run, indicators=["costing.cost"])


def test_recorded_approved_and_read_back(db_url: str) -> None:
    frame = observations_from_costing(_run())
    with session_scope(ADMIN) as s:
        author = create_user(s, ADMIN, "entry@example.org", "long passphrase", "contributor")
        reviewer = create_user(s, ADMIN, "approver@example.org", "long passphrase", "reviewer")
    with session_scope(author) as s:
        report = record_observations(s, author, frame)
    assert report.new == frame.height and len(report.data_sets) == 6  # XDM x 2025-2030
    with session_scope(write=False) as s:
        assert observations(s, None, area="XDM").is_empty()
    for data_set in report.data_sets:
        with session_scope(author) as s:
            submit_data_set(s, author, data_set)
        with session_scope(reviewer) as s:
            approve_data_set(s, reviewer, data_set)
    with session_scope(write=False) as s:
        public = observations(s, None, indicator=list(COSTING_INDICATORS))
    assert_frame_equal(public.sort(KEY), frame.sort(KEY), check_exact=True)


def test_the_command_costs_and_enters_a_scenario(db_url: str, tmp_path: Path) -> None:
    install_demo()
    scenario = tmp_path / "basic.yaml"
    scenario.write_text(yaml.safe_dump(SCENARIO), encoding="utf-8")
    out = CliRunner().invoke(app, ["monitor", "publish-costing", str(scenario), "--url", db_url])
    assert out.exit_code == 0, out.output
    assert "12 new, 0 revised, 0 unchanged value(s) in 6 data set(s)" in out.output
    with session_scope(write=False) as s:
        entered = observations(s, ADMIN, area="XDM", approved_only=False)
        statuses = set(list_data_sets(s, ADMIN, area="XDM")["status"])
    assert_frame_equal(
        entered.sort(KEY), observations_from_costing(_run()).sort(KEY), check_exact=True
    )
    assert statuses == {"entered"}
