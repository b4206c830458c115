"""`socialcover cost --save`, `cost scenarios` and `cost compare`: over the saved-scenario store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, home: Path, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOCIALCOVER_HOME": str(home), "COLUMNS": "200"}
    env["SOCIALCOVER_DATABASE_URL"] = url
    exe = str(Path(sys.executable).with_name("socialcover"))
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, check=False)


def test_save_list_and_compare_two_versions(pack: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sc.db'}"
    common = ("--country", "KEN", "--horizon", "2027")
    first = run(
        "cost", *common, "--package", "campaign-basic", "--save", "Kenya", home=pack, url=url
    )
    assert first.returncode == 0, first.stderr
    assert "Saved scenario 'Kenya' as 1@1" in first.stdout
    second = run(
        "cost",
        *common,
        "--package",
        "spf-four-guarantees",
        "--save",
        "Kenya",
        "--format",
        "json",
        home=pack,
        url=url,
    )
    assert second.returncode == 0, second.stderr
    doc = json.loads(second.stdout)
    assert doc["saved"]["reference"] == "1@2" and doc["saved"]["country_iso3"] == "KEN"

    listed = run("cost", "scenarios", "--format", "json", home=pack, url=url)
    assert [(r["name"], r["version"]) for r in json.loads(listed.stdout)] == [("Kenya", 2)]
    table = run("cost", "scenarios", home=pack, url=url)
    assert "spf-four-guarantees" in table.stdout and "Kenya" in table.stdout

    compared = run("cost", "compare", "Kenya@1", "Kenya@2", "--format", "json", home=pack, url=url)
    assert compared.returncode == 0, compared.stderr
    rows = json.loads(compared.stdout)
    a = {r["year"]: r for r in rows if r["scenario"] == "Kenya@1"}
    b = {r["year"]: r for r in rows if r["scenario"] == "Kenya@2"}
    assert sorted(a) == sorted(b) == [2025, 2026, 2027]
    for year in a:
        for m in ("cost_lcu", "cost_usd", "cost_pct_gdp", "cost_pct_gov_expenditure"):
            assert b[year][f"diff_{m}"] == pytest.approx(b[year][m] - a[year][m], rel=1e-12)
    # the saved versions cost what the packages cost when run directly
    direct = run(
        "cost", *common, "--package", "campaign-basic", "--format", "json", home=pack, url=url
    )
    totals = {r["year"]: r for r in json.loads(direct.stdout)["rows"] if r["benefit"] == "total"}
    assert all(a[y]["cost_lcu"] == pytest.approx(totals[y]["cost_lcu"], rel=1e-12) for y in a)
    shown = run("cost", "compare", "1@1", "1@2", home=pack, url=url)
    assert "A = Kenya@1, B = Kenya@2" in shown.stdout


def test_a_failed_run_saves_nothing_and_bad_references_say_why(pack: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sc.db'}"
    bad = run(
        "cost", "--country", "ZZZ", "--package", "campaign-basic", "--save", "X", home=pack, url=url
    )
    assert bad.returncode == 2
    listed = run("cost", "scenarios", "--format", "json", home=pack, url=url)
    assert json.loads(listed.stdout) == []
    p = run("cost", "compare", "Nothing", "X@0", home=pack, url=url)
    assert p.returncode == 2 and "store.bad-reference" in p.stderr
    p = run("cost", "compare", "Nothing", "Other", home=pack, url=url)
    assert p.returncode == 2 and "No costing scenario named 'Nothing'" in p.stderr
