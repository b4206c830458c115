"""The RAP-style workbook is a working model: its formulas evaluate to the engine's numbers, and
after an assumption changes in a formula engine they evaluate to the engine's new numbers."""

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
    """A tiny evaluator for the workbook's arithmetic (+ - * / MIN MAX IF over references)."""
    value = wb[sheet][ref].value
    if not (isinstance(value, str) and value.startswith("=")):
        return float(value) if value is not None else float("nan")
    assert depth < 40

    def sub(m: re.Match[str]) -> str:
        target = m.group(1) or sheet
        return repr(evaluate(wb, target, f"{m.group(2)}{m.group(3)}", depth + 1))

    expr = REF.sub(sub, value[1:])
    expr = expr.replace("MAX", "max").replace("MIN", "min").replace("<=", " <= ")
    expr = expr.replace(">=", " >= ").replace("EXP", "exp")

    def if_(cond: bool, a: float, b: float) -> float:
        return a if cond else b

    env = {"__builtins__": {}, "max": max, "min": min, "IF": if_, "exp": np.exp}
    return float(eval(expr, env))


SCENARIO: dict[str, Any] = {
    "package": "spf-four-guarantees",
    "horizon": 2032,  # beyond WEO's last year (2030): the growth and inflation assumptions apply
    "benefits": [
        {
            "name": "old_age_pension",
            "admin": {"rate_pct": 4, "convention": "share_of_gross"},
            "current_spending": {"pct_gdp": 0.3},
            "takeup": {"start_pct": 40, "target_pct": 90, "target_year": 2030},
        }
    ],
}


@pytest.mark.parametrize("countries", [["KEN"], ["SEN", "PER"]])
def test_workbook_formulas_match_the_engine(
    pack: Path, tmp_path: Path, countries: list[str]
) -> None:
    s = dict(SCENARIO)
    if len(countries) == 1:
        s["country"] = countries[0]
    else:
        s["countries"] = countries
    r = project_costs(s)
    out = write_result(r, tmp_path / "r.xlsx")
    wb = load_workbook(out)
    cached = load_workbook(out, data_only=True)
    assert wb.sheetnames == ["AR", "POP", "ECO", "BS1", "BS2", "BS3", "BS4", "SUM"]
    rows = r.rows.sort("iso3", "year")
    totals = r.totals.sort("iso3", "year")
    checks = (
        ("E", "takeup_pct"),
        ("F", "beneficiaries"),
        ("G", "unit_benefit_lcu"),
        ("I", "admin_factor"),
        ("K", "cost_lcu"),
        ("L", "cost_usd"),
        ("M", "cost_pct_gdp"),
        ("N", "cost_pct_gov_expenditure"),
        ("O", "current_spending_lcu"),
        ("P", "financing_gap_lcu"),
    )
    for bi, b in enumerate(r.scenario.benefits, start=1):
        ws = wb[f"BS{bi}"]
        part = rows.filter(pl.col("benefit") == b.name)
        assert ws["F4"].value == "=C4*E4/100" and ws["K4"].value == "=J4*I4"
        for i, row in enumerate(part.iter_rows(named=True), start=4):
            assert ws[f"A{i}"].value == row["iso3"] and ws[f"B{i}"].value == row["year"]
            for col, key in checks:
                if key == "current_spending_lcu" and b.current_spending is None:
                    continue
                got = evaluate(wb, f"BS{bi}", f"{col}{i}")
                assert got == pytest.approx(row[key], rel=1e-9, abs=1e-9), (b.name, col, i)
                # every formula cell carries the engine's value for readers without Excel
                assert cached[f"BS{bi}"][f"{col}{i}"].value == pytest.approx(row[key], rel=1e-12)
    nb = len(r.scenario.benefits)
    total_col = chr(ord("A") + 2 + nb)
    pct_col = chr(ord(total_col) + 2)
    for i, row in enumerate(totals.iter_rows(named=True), start=4):
        assert evaluate(wb, "SUM", f"{total_col}{i}") == pytest.approx(row["cost_lcu"], rel=1e-9)
        assert evaluate(wb, "SUM", f"{pct_col}{i}") == pytest.approx(row["cost_pct_gdp"], rel=1e-9)
        assert cached["SUM"][f"{pct_col}{i}"].value == pytest.approx(row["cost_pct_gdp"], rel=1e-12)
    sources = [c.value for c in wb["AR"]["F"] if isinstance(c.value, str)]
    assert any("UNVERIFIED [R]" in x for x in sources)
    assert any("$3.00/day (2021 PPP)" in x for x in sources)
    # ECO's GDP is a formula chain from AR's base-year GDP, growth and deflator
    eco_gdp = [evaluate(wb, "ECO", f"I{i}") for i in range(4, 4 + totals.height)]
    np.testing.assert_allclose(eco_gdp, r.macro.sort("iso3", "year")["gdp_lcu"], rtol=1e-12)
    assert str(wb["ECO"]["I5"].value).startswith("=I4*(1+C5/100)")


def _ar_cell(wb: Any, benefit: str, header: str) -> str:
    """The AR cell of one benefit parameter, found by the benefit's name and the header."""
    ar = wb["AR"]
    head_row = next(
        c.row for c in ar["A"] if c.value == "benefit" and ar.cell(c.row, 2).value == "guarantee"
    )
    col = next(c.column_letter for c in ar[head_row] if c.value == header)
    row = next(c.row for c in ar["A"] if c.row > head_row and c.value == benefit)
    return f"{col}{row}"


def test_an_assumption_changed_in_a_formula_engine_gives_the_engines_new_totals(
    pack: Path, tmp_path: Path
) -> None:
    formulas = pytest.importorskip("formulas")
    s = {**SCENARIO, "country": "KEN"}
    out = write_result(project_costs(s), tmp_path / "model.xlsx")
    wb = load_workbook(out)
    changes = {
        _ar_cell(wb, "old_age_pension", "Take-up target, %"): 70.0,
        _ar_cell(wb, "old_age_pension", "Level"): 25.0,
        _ar_cell(wb, "child_benefit", "Administration, %"): 3.0,
        "B4": 6.0,  # real growth after WEO, Kenya (AR's first country row)
    }
    assert wb["AR"]["A4"].value == "KEN" and wb["AR"]["B3"].value.startswith("Real GDP growth")
    model = formulas.ExcelModel().loads(str(out)).finish()
    book = "[model.xlsx]"
    solution = model.calculate(
        inputs={f"'{book}AR'!{cell}": value for cell, value in changes.items()}
    )

    def cell(sheet: str, ref: str) -> float:
        return float(solution[f"'{book}{sheet}'!{ref}"].value[0, 0])

    pension = next(b for b in project_costs(s).scenario.benefits if b.name == "old_age_pension")
    changed = {
        **s,
        "macro": {"real_growth_pct": 6.0},
        "benefits": [
            {
                **SCENARIO["benefits"][0],
                "takeup": {"start_pct": 40, "target_pct": 70, "target_year": 2030},
                "level": {pension.level.basis: 25.0},
                "source": pension.source,
            },
            {"name": "child_benefit", "admin": {"rate_pct": 3, "convention": "share_of_benefits"}},
        ],
    }
    if pension.level.cap is not None:
        changed["benefits"][0]["level"]["cap"] = pension.level.cap.model_dump(exclude_none=True)
    engine = project_costs(changed).totals.sort("year")
    nb = 4
    for i, row in enumerate(engine.iter_rows(named=True), start=4):
        assert cell("SUM", f"{chr(ord('A') + 2 + nb)}{i}") == pytest.approx(
            row["cost_lcu"], rel=1e-9
        )
        assert cell("SUM", f"{chr(ord('A') + 4 + nb)}{i}") == pytest.approx(
            row["cost_pct_gdp"], rel=1e-9
        )
        assert cell("SUM", f"{chr(ord('A') + 5 + nb)}{i}") == pytest.approx(
            row["cost_pct_gov_expenditure"], rel=1e-9
        )
    # and the change moved the numbers (the test would pass on a pasted-values workbook
    # only if nothing depended on AR)
    before = project_costs(s).totals.sort("year")["cost_lcu"].to_list()
    assert engine["cost_lcu"].to_list() != pytest.approx(before, rel=1e-3)


def test_failed_write_leaves_nothing(pack: Path, tmp_path: Path) -> None:
    from socialcover.costing import ScenarioError

    r = project_costs({"country": "KEN", "package": "campaign-basic", "horizon": 2026})
    with pytest.raises(ScenarioError):
        write_result(r, tmp_path / "r.xlsx.txt")
    assert list(tmp_path.iterdir()) == []
