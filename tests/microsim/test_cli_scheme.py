"""`socialcover scheme run` from the command line: table, csv, json, calibration, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.errors import SocialcoverError

from .populations import random_population

SCHEME = Path(__file__).resolve().parents[2] / "docs/examples/microsim/scheme_own_account.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scheme") / "people.parquet"
    random_population(300, 11).write_parquet(path)
    return path


def test_table_shows_every_variant_with_shares_in_percent(people: Path) -> None:
    res = runner.invoke(app, ["scheme", "run", str(SCHEME), str(people), "--draws", "5"])
    assert res.exit_code == 0, res.output
    for variant in ("as written", "no subsidy", "flat 300", "income-related"):
        assert f"{variant}: estimates" in res.stdout
    assert "%" in res.stdout and "coverage_gained_of_eligible" in res.stdout


def test_csv_equals_json_and_json_carries_the_calibration(people: Path) -> None:
    base = ["scheme", "run", str(SCHEME), str(people), "--draws", "5", "--seed", "3"]
    csv = runner.invoke(app, [*base, "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    table = pl.read_csv(csv.stdout.encode())
    js = runner.invoke(app, [*base, "--format", "json"])
    out = json.loads(js.stdout)
    assert out["calibration"] is None
    assert len(out["rows"]) == table.height
    first = out["rows"][0]
    assert first["estimate"] == pytest.approx(table["estimate"][0], rel=1e-12)
    cal = json.loads(runner.invoke(app, [*base, "--format", "json", "--enrolment", "3000"]).stdout)
    assert cal["calibration"]["parameter"] == "intercept"
    members = next(
        r["estimate"]
        for r in cal["rows"]
        if (r["variant"], r["indicator"], r["group"]) == ("as written", "members", "all")
    )
    assert members == pytest.approx(3000, rel=1e-9)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--format", "xml"], "'xml'"),
        (["--draws", "-1"], "-1"),
        (["--enrolment", "1e12"], "eligible"),
    ],
)
def test_bad_options_are_refused_with_the_value(people: Path, extra: list[str], words: str) -> None:
    res = runner.invoke(app, ["scheme", "run", str(SCHEME), str(people), *extra])
    assert isinstance(res.exception, SocialcoverError)
    assert words in res.exception.message and res.exception.hint


def test_the_command_exits_2_with_what_and_how_to_fix(people: Path) -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    res = subprocess.run(
        [
            sys.executable,
            "-c",
            "from socialcover.cli.app import main; main()",
            "scheme",
            "run",
            str(SCHEME),
            str(people),
            "--enrolment",
            "0",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src), "COLUMNS": "200"},
        timeout=120,
    )
    assert res.returncode == 2
    assert "microsim.bad-enrolment" in res.stderr and "How to fix" in res.stderr
