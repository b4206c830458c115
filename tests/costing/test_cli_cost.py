"""`socialcover cost`: table, JSON rows with totals, files, and nothing written on failure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "SOCIALCOVER_HOME": str(home), "COLUMNS": "200"}
    exe = str(Path(sys.executable).with_name("socialcover"))
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, check=False)


def test_json_rows_have_the_columns_and_a_total_per_year(pack: Path) -> None:
    p = run(
        "cost",
        "--country",
        "KEN",
        "--package",
        "spf-four-guarantees",
        "--horizon",
        "2027",
        "--format",
        "json",
        home=pack,
    )
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)["rows"]
    keys = {
        "year",
        "benefit",
        "eligible",
        "beneficiaries",
        "unit_benefit_lcu",
        "cost_lcu",
        "cost_usd",
        "cost_pct_gdp",
        "cost_pct_gov_expenditure",
    }
    assert keys <= set(rows[0])
    for year in (2025, 2026, 2027):
        per = [r for r in rows if r["year"] == year and r["benefit"] != "total"]
        tot = [r for r in rows if r["year"] == year and r["benefit"] == "total"]
        assert len(per) == 4 and len(tot) == 1
        assert sum(r["cost_lcu"] for r in per) == pytest.approx(tot[0]["cost_lcu"], rel=1e-12)


def test_scenario_file_table(pack: Path, tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(
        yaml.safe_dump(
            {
                "name": "Kenya pension",
                "country": "KEN",
                "horizon": "2025-2030",
                "benefits": [
                    {
                        "name": "pension",
                        "guarantee": "old_age",
                        "eligibility": {"ages": [70, 100]},
                        "level": {"lcu_per_month": 2000},
                        "indexation": "prices",
                        "takeup": {"start_pct": "current", "target_pct": 100, "target_year": 2030},
                        "admin": {"rate_pct": 5, "convention": "share_of_benefits"},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    p = run("cost", str(f), home=pack)
    assert p.returncode == 0, p.stderr
    assert "Kenya pension" in p.stdout and "2030" in p.stdout


def test_bad_scenario_fails_and_writes_nothing(pack: Path, tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(
        yaml.safe_dump({"country": "KEN", "horizn": 2040, "package": "spf-four-guarantees"}),
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    p = run("cost", str(f), "--out", str(out), home=pack)
    assert p.returncode == 2
    assert "horizn" in p.stderr and "horizon" in p.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [f]


def test_unknown_country_fails_with_hint(pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    p = run(
        "cost", "--country", "KNE", "--package", "spf-four-guarantees", "--out", str(out), home=pack
    )
    assert p.returncode == 2 and "KEN (Kenya)" in p.stderr
    assert not out.exists()


def test_out_csv_and_json(pack: Path, tmp_path: Path) -> None:
    for name in ("r.csv", "r.json", "r.xlsx"):
        out = tmp_path / name
        p = run(
            "cost",
            "--country",
            "SEN",
            "--package",
            "campaign-basic",
            "--horizon",
            "2028",
            "--out",
            str(out),
            "--format",
            "json",
            home=pack,
        )
        assert p.returncode == 0, p.stderr
        assert out.exists() and out.stat().st_size > 0
    doc = json.loads((tmp_path / "r.json").read_text())
    assert {"rows", "macro", "provenance", "missing", "scenario"} <= set(doc)


def test_all_countries_by_region_lists_missing(pack: Path) -> None:
    p = run(
        "cost",
        "--all-countries",
        "--package",
        "spf-four-guarantees",
        "--horizon",
        "2026",
        "--by",
        "ilo-region",
        "--format",
        "json",
        home=pack,
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    groups = {r["group"] for r in doc["aggregate"]}
    assert {
        "Africa",
        "Americas",
        "Arab States",
        "Asia and the Pacific",
        "Europe and Central Asia",
    } <= groups
    assert doc["missing"] and all(m["reason"] for m in doc["missing"])


def test_monte_carlo_option(pack: Path) -> None:
    p = run(
        "cost",
        "--country",
        "KEN",
        "--package",
        "campaign-basic",
        "--horizon",
        "2028",
        "--monte-carlo",
        "100",
        "--format",
        "json",
        home=pack,
    )
    assert p.returncode == 0, p.stderr
    bands = json.loads(p.stdout)["monte_carlo"]
    assert {"year", "p5", "p50", "p95"} <= set(bands[0])


def test_tornado_compare_and_chart(pack: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        yaml.safe_dump(
            {"name": "campaign", "country": "KEN", "package": "campaign-basic", "horizon": 2028}
        ),
        encoding="utf-8",
    )
    chart = tmp_path / "c.svg"
    p = run(
        "cost",
        "--country",
        "KEN",
        "--package",
        "spf-four-guarantees",
        "--horizon",
        "2028",
        "--tornado",
        "--compare",
        str(other),
        "--chart",
        str(chart),
        "--format",
        "json",
        home=pack,
    )
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert {r["parameter"] for r in doc["tornado"]} >= {"takeup", "population"}
    assert {r["scenario"] for r in doc["comparison"]} == {"spf-four-guarantees", "campaign"}
    assert "<svg" in chart.read_text()


def test_bad_chart_extension_writes_nothing(pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    p = run(
        "cost",
        "--country",
        "KEN",
        "--package",
        "spf-four-guarantees",
        "--out",
        str(out),
        "--chart",
        str(tmp_path / "c.gif"),
        home=pack,
    )
    assert p.returncode == 2 and ".svg or .png" in p.stderr
    assert list(tmp_path.iterdir()) == []


def test_table_mode_many_countries_with_bands(pack: Path) -> None:
    p = run(
        "cost",
        "--countries",
        "KEN,SEN,Peru",
        "--package",
        "campaign-basic",
        "--horizon",
        "2027",
        "--by",
        "ilo-region",
        "--monte-carlo",
        "50",
        home=pack,
    )
    assert p.returncode == 0, p.stderr
    assert "Africa" in p.stdout and "Americas" in p.stdout and "p95" in p.stdout


def test_table_mode_lists_missing_countries_by_reason(pack: Path) -> None:
    p = run(
        "cost",
        "--countries",
        "KEN,PRK",
        "--package",
        "campaign-basic",
        "--horizon",
        "2026",
        home=pack,
    )
    assert p.returncode == 0, p.stderr
    assert "1 countries not costed" in p.stdout and "PRK" in p.stdout
