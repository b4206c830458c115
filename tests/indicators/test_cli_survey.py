"""`socialcover survey generate | indicators | estimate` through the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.errors import InputError

runner = CliRunner()


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "s.parquet"
    result = runner.invoke(
        app, ["survey", "generate", str(out), "--persons", "8000", "--seed", "4"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_generate_writes_the_persons_asked(parquet: Path) -> None:
    assert pl.read_parquet(parquet).height == 8000


def test_indicators_as_json(parquet: Path) -> None:
    result = runner.invoke(
        app,
        [
            "survey",
            "indicators",
            str(parquet),
            "--code",
            "coverage.,targeting.",
            "--format",
            "json",
            "--lonely-psu",
            "adjust",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout[result.stdout.index("[") :])
    codes = {r["code"] for r in rows}
    assert "coverage.older_persons" in codes and "targeting.exclusion_error" in codes
    assert not any(c.startswith("aspire.") for c in codes)


def test_indicators_to_excel(parquet: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = runner.invoke(
        app,
        [
            "survey",
            "indicators",
            str(parquet),
            "--code",
            "aspire.adequacy",
            "--format",
            "xlsx",
            "--out",
            str(out),
            "--lonely-psu",
            "adjust",
        ],
    )
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet["A1"].value == "code" and sheet["A2"].value == "aspire.adequacy"


def test_indicators_list_the_registry() -> None:
    result = runner.invoke(app, ["survey", "indicators", "--list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "aspire.gini_reduction" in result.stdout


def test_indicators_with_a_mapping(tmp_path: Path, parquet: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "design: {weight: weight, strata: strata, psu: psu}\n"
        "concepts: {hh_id: hh_id, age: age, sex: sex}\n"
        "benefits: {old_age: {receives: receives_old_age, amount: amount_old_age}}\n"
    )
    result = runner.invoke(
        app,
        [
            "survey",
            "indicators",
            str(parquet),
            "--mapping",
            str(mapping),
            "--code",
            "coverage.older_persons",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(result.stdout.encode())
    assert set(frame["disaggregation"]) >= {"total", "sex"}


def test_estimate_a_domain_proportion_as_csv(parquet: Path) -> None:
    result = runner.invoke(
        app,
        [
            "survey",
            "estimate",
            str(parquet),
            "--weights",
            "weight",
            "--strata",
            "strata",
            "--psu",
            "psu",
            "--proportion",
            "receives_old_age",
            "--by",
            "sex",
            "--where",
            "age >= 65",
            "--format",
            "csv",
            "--lonely-psu",
            "adjust",
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(result.stdout.encode())
    assert frame["sex"].sort().to_list() == ["female", "male"]
    assert (frame["se"] > 0).all()


def test_estimate_needs_exactly_one_statistic(parquet: Path) -> None:
    result = runner.invoke(
        app,
        [
            "survey",
            "estimate",
            str(parquet),
            "--weights",
            "weight",
            "--mean",
            "age",
            "--total",
            "age",
        ],
    )
    assert isinstance(result.exception, InputError)
    assert result.exception.code == "cli.one-statistic"


def test_excel_without_out_is_refused(parquet: Path) -> None:
    result = runner.invoke(app, ["survey", "indicators", str(parquet), "--format", "xlsx"])
    assert isinstance(result.exception, InputError)
    assert result.exception.code == "cli.xlsx-needs-out"


def test_estimate_a_median_by_area(parquet: Path) -> None:
    result = runner.invoke(
        app,
        [
            "survey",
            "estimate",
            str(parquet),
            "--weights",
            "weight",
            "--strata",
            "strata",
            "--psu",
            "psu",
            "--quantile",
            "welfare",
            "--q",
            "0.5",
            "--by",
            "urban",
            "--format",
            "json",
            "--lonely-psu",
            "adjust",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout[result.stdout.index("[") :])
    medians = {r["urban"]: r["estimate"] for r in rows}
    assert medians["urban"] > medians["rural"] > 0


def test_estimate_json_reports_an_infinite_df_as_inf(parquet: Path) -> None:
    # R's confint on svymean is normal: df is infinite, written "inf" (JSON has no Infinity)
    result = runner.invoke(
        app,
        ["survey", "estimate", str(parquet), "--weights", "weight", "--strata", "strata",
         "--psu", "psu", "--mean", "age", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output

    def strict(name: str) -> None:
        raise AssertionError(f"not JSON: {name}")

    rows = json.loads(result.stdout[result.stdout.index("[") :], parse_constant=strict)
    assert rows[0]["df"] == "inf" and rows[0]["se"] > 0


def test_indicators_engines_give_the_same_csv(parquet: Path, tmp_path: Path) -> None:
    tables = {}
    for engine in ("duckdb", "polars"):
        out = tmp_path / f"{engine}.csv"
        args = ["--format", "csv", "--out", str(out), "--engine", engine]
        codes = ["--code", "coverage.,aspire.gini_reduction"]
        result = runner.invoke(app, ["survey", "indicators", str(parquet), *args, *codes])
        assert result.exit_code == 0, result.output
        tables[engine] = pl.read_csv(out)
    a, b = tables["polars"], tables["duckdb"]
    assert a.select("code", "group", "n", "flag").equals(b.select("code", "group", "n", "flag"))
    diff = (a["value"] - b["value"]).abs().max()
    assert diff is not None and diff < 1e-9  # type: ignore[operator]
    result = runner.invoke(app, ["survey", "indicators", str(parquet), "--engine", "spark"])
    assert isinstance(result.exception, InputError)
    assert result.exception.code == "indicators.unknown-engine"
