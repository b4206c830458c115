"""Aggregates exported as SDMX-CSV read back to the same values, with their population shares in
the footnotes (command line, from the data pack)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.monitor import read_sdmx_csv

pytestmark = pytest.mark.shared_data

CODE = "sdg131.at_least_one_benefit"


def test_the_aggregate_command_writes_sdmx_csv_that_reads_back(installed_pack: Path) -> None:
    runner = CliRunner()
    args = ["monitor", "aggregate", CODE, "--year", "2023", "--by", "ilo-region,world"]
    as_json = runner.invoke(app, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    table = {r["group"]: r for r in json.loads(as_json.output)}
    as_sdmx = runner.invoke(app, [*args, "--format", "sdmx"])
    assert as_sdmx.exit_code == 0, as_sdmx.output
    assert as_sdmx.output.splitlines()[0].startswith("DATAFLOW,FREQ,INDICATOR,REF_AREA")
    back = read_sdmx_csv(as_sdmx.output.encode(), vintage="t")
    assert set(back["area"]) == set(table) and len(table) == 6
    for row in back.iter_rows(named=True):
        expected = table[row["area"]]
        assert row["value"] == pytest.approx(expected["value"], abs=1e-9)
        assert row["nature"] == "modelled" and row["year"] == 2023
        observed = round(expected["population_share_observed"] * 100)
        assert row["footnotes"].startswith(f"{observed}% of the population on observed values")
