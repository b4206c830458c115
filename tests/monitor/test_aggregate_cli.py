"""`socialcover monitor aggregate` and `socialcover monitor indicators`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.monitor.registry import INDICATORS

runner = CliRunner()


@pytest.mark.shared_data
def test_aggregate_prints_one_row_per_group_as_json(installed_pack: Path) -> None:
    res = runner.invoke(
        app,
        [
            "monitor",
            "aggregate",
            "sdg131.at_least_one_benefit",
            "--year",
            "2023",
            "--by",
            "ilo-region,income-group,world",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["group"] for r in rows] == [
        "Africa",
        "Americas",
        "Arab States",
        "Asia and the Pacific",
        "Europe and Central Asia",
        "High income",
        "Low income",
        "Lower-middle income",
        "Upper-middle income",
        "World",
    ]
    for row in rows:
        assert {"group", "value", "population_share_observed", "population_share_imputed"} <= set(
            row
        )
        assert row["population_share_observed"] + row["population_share_imputed"] == pytest.approx(
            1.0
        )


@pytest.mark.shared_data
def test_aggregate_as_csv_and_table(installed_pack: Path) -> None:
    res = runner.invoke(
        app,
        ["monitor", "aggregate", "children", "--year", "2020", "--by", "world", "--format", "csv"],
    )
    assert res.exit_code == 0, res.output
    frame = pl.read_csv(io.StringIO(res.stdout))
    assert frame["group"].to_list() == ["World"]
    assert frame["year"].to_list() == [2020]
    table = runner.invoke(
        app,
        ["monitor", "aggregate", "older_persons_pension", "--year", "2020", "--by", "world"],
        env={"COLUMNS": "250"},
    )
    assert table.exit_code == 0, table.output
    assert "World" in table.stdout and "population_share_observed" in table.stdout


def test_indicators_lists_the_whole_registry_with_units_and_weights() -> None:
    res = runner.invoke(app, ["monitor", "indicators", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["code"] for r in rows] == [d.code for d in INDICATORS]
    assert sum(r["code"].startswith("sdg131.") for r in rows) == 9
    by_code = {r["code"]: r for r in rows}
    assert by_code["sdg131.children"]["weight"] == "population 0-14"
    assert by_code["sdg131.mothers_with_newborns"]["weight"] == "births"
    assert by_code["spending.social_protection_pct_gdp"]["unit"] == "percent_of_gdp"
    assert by_code["spending.social_protection_pct_gdp"]["weight"] == "gdp_usd"
    text = runner.invoke(app, ["monitor", "indicators", "--format", "csv"])
    assert text.exit_code == 0, text.output
    assert text.stdout.splitlines()[0] == "code,name,unit,weight"


def test_unknown_indicator_exits_2_with_a_suggestion(sc_home: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from socialcover.cli.app import main; main()",
            "monitor",
            "aggregate",
            "sdg131.childen",
            "--year",
            "2023",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SOCIALCOVER_HOME": str(sc_home)},
    )
    assert proc.returncode == 2
    error = json.loads(proc.stderr)["error"]
    assert error["code"] == "monitor.unknown-indicator"
    assert "Did you mean sdg131.children?" in error["hint"]


def test_unknown_format_is_refused() -> None:
    res = runner.invoke(app, ["monitor", "indicators", "--format", "xml"])
    assert res.exit_code != 0
    assert getattr(res.exception, "code", None) == "monitor.bad-format"
