"""`socialcover simulate` and `socialcover test` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from socialcover.cli.app import app

from .populations import random_population

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "microsim"
runner = CliRunner()


def test_simulate_json_has_every_estimate_with_se(tmp_path: Path) -> None:
    data = tmp_path / "people.parquet"
    random_population(120, 5).write_parquet(data)
    reform = tmp_path / "reform.yaml"
    reform.write_text("parameters:\n  transfer.withdrawal_rate: 0.25\n")
    out = tmp_path / "summary.json"
    res = runner.invoke(
        app,
        [
            "simulate",
            str(EXAMPLES / "means_tested_transfer.yaml"),
            str(data),
            "--reform",
            str(reform),
            "--format",
            "json",
            "--line",
            "low=900",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert json.loads(out.read_text()) == summary
    assert summary["lines"] == ["national", "low"]
    for scenario in ("baseline", "reform", "change"):
        block = summary["total"][scenario]
        for key in ("cost", "beneficiaries", "poverty_headcount", "poverty_gap", "gini"):
            assert set(block[key]) == {"estimate", "se"}
        for prog in ("cash_transfer", "child_grant"):
            assert set(summary["programmes"][prog][scenario]["cost"]) == {"estimate", "se"}
    assert summary["total"]["change"]["cost"]["estimate"] > 0


def test_simulate_table_and_csv(tmp_path: Path) -> None:
    data = tmp_path / "people.csv"
    random_population(60, 6).write_csv(data)
    out = tmp_path / "all.csv"
    res = runner.invoke(
        app, ["simulate", str(EXAMPLES / "social_pension.yaml"), str(data), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "poverty headcount" in res.stdout
    table = pl.read_csv(out, infer_schema_length=None)
    assert {"scenario", "indicator", "estimate", "se"} <= set(table.columns)


def test_socialcover_test_passes_examples_and_fails_a_wrong_one(tmp_path: Path) -> None:
    res = runner.invoke(app, ["test", str(EXAMPLES / "tests")])
    assert res.exit_code == 0, res.output
    assert " 0 failed" in res.stdout
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        f"rules: {EXAMPLES / 'universal_child_benefit.yaml'}\ntests:\n"
        "  - {name: wrong, period: 2025, persons: [{age: 1}], "
        "expected: {child_benefit: 5}}\n"
    )
    res = runner.invoke(app, ["test", str(wrong)])
    assert res.exit_code == 1
    assert "FAIL" in res.stdout and "1 failed" in res.stdout


def test_bad_rules_exit_2_with_file_line_and_fix(tmp_path: Path) -> None:
    bad = Path(__file__).parent / "bad_rules" / "unknown_variable.yaml"
    data = tmp_path / "people.parquet"
    random_population(5, 1).write_parquet(data)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from socialcover.cli.app import main; main()",
            "simulate",
            str(bad),
            str(data),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert f"{bad}:8:" in proc.stderr
    assert "How to fix" in proc.stderr and "'age'" in proc.stderr


def test_csv_out_has_breakdowns_and_json_only_totals(tmp_path: Path) -> None:
    data = tmp_path / "people.parquet"
    random_population(80, 8).write_parquet(data)
    csv = tmp_path / "all.csv"
    res = runner.invoke(
        app, ["simulate", str(EXAMPLES / "social_pension.yaml"), str(data), "--out", str(csv)]
    )
    assert res.exit_code == 0, res.output
    table = pl.read_csv(csv, infer_schema_length=None)
    assert {"decile", "quintile", "sex"} <= set(table["by"].drop_nulls())
    js = tmp_path / "s.json"
    res = runner.invoke(
        app,
        [
            "simulate",
            str(EXAMPLES / "social_pension.yaml"),
            str(data),
            "--out",
            str(js),
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "programmes" in json.loads(js.read_text())
