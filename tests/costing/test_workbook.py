"""The RAP-style workbook: sheets, and formulas that evaluate to the engine's numbers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from openpyxl import load_workbook

from socialcover.costing import project_costs
from socialcover.costing.export import write_result

REF = re.compile(r"(?:(\w+)!)?\$?([A-Z]{1,3})\$?(\d+)")


def evaluate(wb: Any, sheet: str, ref: str, depth: int = 0) -> float:
    """A tiny evaluator for the workbook's formulas (+ - * / and MAX over cell references)."""
    value = wb[sheet][ref].value
    if not (isinstance(value, str) and value.startswith("=")):
        return float(value) if value is not None else float("nan")
    assert depth < 10

    def sub(m: re.Match[str]) -> str:
        target = m.group(1) or sheet
        return repr(evaluate(wb, target, f"{m.group(2)}{m.group(3)}", depth + 1))

    expr = REF.sub(sub, value[1:]).replace("MAX", "max")
    return float(eval(expr, {"__builtins__": {}, "max": max}))


@pytest.mark.parametrize("countries", [["KEN"], ["SEN", "PER"]])
def test_workbook_formulas_match_the_engine(
    pack: Path, tmp_path: Path, countries: list[str]
) -> None:
    s: dict[str, Any] = {
        "package": "spf-four-guarantees",
        "horizon": 2029,
        "benefits": [
            {
                "name": "old_age_pension",
                "admin": {"rate_pct": 4, "convention": "share_of_gross"},
                "current_spending": {"pct_gdp": 0.3},
            }
        ],
    }
    if len(countries) == 1:
        s["country"] = countries[0]
    else:
        s["countries"] = countries
    r = project_costs(s)
    out = write_result(r, tmp_path / "r.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["AR", "POP", "ECO", "BS1", "BS2", "BS3", "BS4", "SUM"]
    rows = r.rows.sort("iso3", "year")
    totals = r.totals.sort("iso3", "year")
    for bi, b in enumerate(r.scenario.benefits, start=1):
        ws = wb[f"BS{bi}"]
        part = rows.filter(pl.col("benefit") == b.name)
        assert ws["I4"].value == "=E4*F4*G4/12*H4"
        for i, row in enumerate(part.iter_rows(named=True), start=4):
            assert ws[f"A{i}"].value == row["iso3"] and ws[f"B{i}"].value == row["year"]
            for col, key in (
                ("I", "cost_lcu"),
                ("J", "cost_usd"),
                ("K", "cost_pct_gdp"),
                ("L", "cost_pct_gov_expenditure"),
                ("N", "financing_gap_lcu"),
            ):
                assert evaluate(wb, f"BS{bi}", f"{col}{i}") == pytest.approx(row[key], rel=1e-9)
    nb = len(r.scenario.benefits)
    total_col = chr(ord("A") + 2 + nb)
    pct_col = chr(ord(total_col) + 2)
    for i, row in enumerate(totals.iter_rows(named=True), start=4):
        assert evaluate(wb, "SUM", f"{total_col}{i}") == pytest.approx(row["cost_lcu"], rel=1e-9)
        assert evaluate(wb, "SUM", f"{pct_col}{i}") == pytest.approx(row["cost_pct_gdp"], rel=1e-9)
    ar = wb["AR"]
    sources = [ar.cell(row=i, column=6).value for i in range(4, ar.max_row + 1)]
    assert any(s and "UNVERIFIED [R]" in s for s in sources)
    assert any(s and "$3.00/day (2021 PPP)" in s for s in sources)
    eco = wb["ECO"]
    gdp = [eco.cell(row=i, column=3).value for i in range(4, 4 + totals.height)]
    np.testing.assert_allclose(gdp, r.macro.sort("iso3", "year")["gdp_lcu"].to_numpy(), rtol=1e-12)


def test_failed_write_leaves_nothing(pack: Path, tmp_path: Path) -> None:
    from socialcover.costing import ScenarioError

    r = project_costs({"country": "KEN", "package": "campaign-basic", "horizon": 2026})
    with pytest.raises(ScenarioError):
        write_result(r, tmp_path / "r.txt")
    assert list(tmp_path.iterdir()) == []
