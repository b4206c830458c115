"""What the CLI prints for people: every number and code whole at 80 columns, units shown.

`survey estimate` reports proportions in percent, as `survey indicators` does, with a `unit`
column; the Python API keeps R's 0-1 scale.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from rich.console import Console
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.cli.tables import print_table
from socialcover.survey import Design, Sample

runner = CliRunner()
MAIN = "from socialcover.cli.app import main; main()"
ESTIMATE = ["--weights", "weight", "--strata", "strata", "--psu", "psu", "--lonely-psu", "adjust"]


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "s.parquet"
    result = runner.invoke(
        app, ["survey", "generate", str(out), "--persons", "6000", "--seed", "11"]
    )
    assert result.exit_code == 0, result.output
    return out


def _printed(width: int, *args: object, **kwargs: object) -> list[str]:
    out = io.StringIO()
    print_table(Console(file=out, width=width), *args, **kwargs)  # type: ignore[arg-type]
    return out.getvalue().splitlines()


def _whole(cell: str, lines: list[str]) -> bool:
    return any(re.search(rf"(^|\s){re.escape(cell)}(\s|$)", line) for line in lines)


@pytest.mark.parametrize("width", [80, 50, 30])
def test_numbers_and_codes_are_never_split(width: int) -> None:
    headers = ("dataset", "rows", "estimate", "licence")
    rows = [
        ("wpp_population_total", "44,847", "2,450,996,446", "CC BY 3.0 IGO"),
        ("ilo_sdg131_country", "3,569", "0.09967", "ILOSTAT terms (reuse with attribution)"),
    ]
    lines = _printed(width, headers, rows, numeric=("rows", "estimate"), wrap=("licence",))
    assert all(len(line) <= width for line in lines)
    for row in rows:
        for cell in row[:3]:
            assert _whole(cell, lines), (cell, lines)


def test_a_table_that_fits_stays_a_table() -> None:
    lines = _printed(80, ("code", "value"), [("coverage.children", "3.2")], numeric=("value",))
    assert any("coverage.children" in line and "3.2" in line for line in lines)
    assert not any(line.startswith("row 1") for line in lines)


def test_proportions_are_percent_with_their_unit(parquet: Path) -> None:
    result = runner.invoke(
        app,
        [
            *("survey", "estimate", str(parquet), *ESTIMATE),
            *("--proportion", "receives_old_age", "--where", "age >= 65", "--format", "json"),
        ],
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    design = Design(weights="weight", strata="strata", psu="psu", lonely_psu="adjust")
    api = Sample(pl.read_parquet(parquet), design).proportion("receives_old_age", where="age >= 65")
    assert row["unit"] == "percent"
    assert row["estimate"] == pytest.approx(api.estimate[0] * 100, rel=1e-12)
    assert row["se"] == pytest.approx(api.se[0] * 100, rel=1e-12)
    assert 0 <= row["ci_low"] <= row["estimate"] <= row["ci_high"] <= 100


def test_a_mean_says_what_it_is_measured_in(parquet: Path) -> None:
    result = runner.invoke(
        app, ["survey", "estimate", str(parquet), *ESTIMATE, "--mean", "welfare", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert pl.read_csv(result.stdout.encode())["unit"].to_list() == ["units of welfare"]


def test_estimate_table_at_80_columns_keeps_numbers_whole(parquet: Path) -> None:
    # A real process with an 80-column terminal (the test session's consoles are 200 wide).
    args = [str(parquet), *ESTIMATE, "--total", "amount_old_age", "--by", "urban"]
    done = subprocess.run(
        [sys.executable, "-c", MAIN, "survey", "estimate", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        check=True,
    )
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    csv = runner.invoke(app, ["survey", "estimate", *args, "--format", "csv"])
    for value in pl.read_csv(csv.stdout.encode())["estimate"]:
        assert _whole(f"{value:,.0f}", lines)
    assert "sum of amount_old_age" in done.stdout
