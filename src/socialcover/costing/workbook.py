"""An Excel workbook laid out as the ILO Rapid Assessment Protocol (RAP) users expect.

Sheets (RAP naming, METHODS.md B2.3): ``AR`` (assumptions and their sources), ``POP``
(demography), ``ECO`` (GDP, prices, exchange rate, government expenditure), one benefit sheet
per benefit (``BS1``, ``BS2``...), and ``SUM`` (summary). Every sheet lists one row per country
and year in the same order, so a formula on row *r* of a benefit sheet refers to row *r* of
``ECO``. Simple arithmetic is written as Excel formulas (cost = beneficiaries x unit benefit x
months / 12 x admin factor; US$, % of GDP, % of government expenditure, the gap, the summary
sums); inputs computed by the engine (eligible population, take-up, unit benefit, macro paths)
are values, labelled as such in each sheet's header note.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from socialcover.costing.result import CostingResult

BOLD = Font(bold=True)
NOTE = Font(italic=True, color="555555")
HEADER_ROW = 3  # row 1: title, row 2: note, row 3: column headers, data from row 4
FIRST = HEADER_ROW + 1

ECO_COLUMNS = [
    ("iso3", "iso3"),
    ("year", "year"),
    ("gdp_lcu", "GDP, LCU"),
    ("gdp_usd", "GDP, US$"),
    ("exchange_rate_lcu_per_usd", "Exchange rate, LCU per US$"),
    ("gdp_per_capita_lcu", "GDP per capita, LCU"),
    ("gov_expenditure_lcu", "Government expenditure, LCU"),
    ("gov_expenditure_pct_gdp", "Government expenditure, % of GDP"),
    ("cpi_index", "CPI index (base year = 1)"),
    ("wage_index", "Wage index (base year = 1)"),
    ("poverty_line_lcu_year", "Poverty line, LCU per person per year"),
    ("real_growth_pct", "Real GDP growth, %"),
    ("inflation_pct", "CPI inflation, %"),
]
ECO_COL = {k: get_column_letter(i + 1) for i, (k, _) in enumerate(ECO_COLUMNS)}

BS_COLUMNS = [
    "iso3",
    "year",
    "Eligible population",
    "Take-up, %",
    "Beneficiaries",
    "Unit benefit, LCU per year (12 months)",
    "Months paid",
    "Admin factor (gross / benefits)",
    "Cost, LCU",
    "Cost, US$",
    "Cost, % of GDP",
    "Cost, % of government expenditure",
    "Current spending, LCU",
    "Financing gap, LCU",
]


def _title(ws: Worksheet, title: str, note: str, headers: list[str]) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = note
    ws["A2"].font = NOTE
    for j, h in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=h)
        cell.font = BOLD
        ws.column_dimensions[get_column_letter(j)].width = max(12, min(34, len(h) + 2))
    ws.freeze_panes = ws.cell(row=FIRST, column=3)


def _values(ws: Worksheet, frame: pl.DataFrame) -> None:
    for i, row in enumerate(frame.iter_rows(), start=FIRST):
        for j, v in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=_num(v))


def _num(v: Any) -> Any:
    if isinstance(v, float) and v != v:  # NaN
        return None
    return v


def write_workbook(result: CostingResult, path: str | Path) -> Path:
    """Write the RAP-style workbook (see the module docstring) to ``path``."""
    s = result.scenario
    order = ["iso3", "year"]
    macro = result.macro.sort(order)
    keys = macro.select(order)
    wb = Workbook()

    wb.remove(wb.worksheets[0])
    ar = wb.create_sheet("AR")
    _title(
        ar,
        f"Assumptions: {s.name}",
        "Every assumption with its value, unit, whether it is a data-pack default, and its "
        "source. 'UNVERIFIED [R]' marks recalled values not checked in a source.",
        ["iso3", "assumption", "value", "unit", "is_default", "source"],
    )
    prov = result.provenance.with_columns(pl.col("iso3").fill_null("(all)"))
    _values(ar, prov.select("iso3", "assumption", "value", "unit", "is_default", "source"))
    r = FIRST + prov.height + 1
    ar.cell(row=r, column=1, value="Scenario").font = BOLD
    for k, v in (
        ("name", s.name),
        ("base_year", s.base_year),
        ("horizon", s.end_year),
        ("population_variant", s.population_variant),
        ("benefits", ", ".join(b.name for b in s.benefits)),
    ):
        r += 1
        ar.cell(row=r, column=1, value=k)
        ar.cell(row=r, column=2, value=v)
    ar.column_dimensions["F"].width = 90

    pop = wb.create_sheet("POP")
    pop_frame = keys.join(result.population, on=order, how="left")
    eligible = result.rows.pivot(on="benefit", index=order, values="eligible").sort(order)
    names = [b.name for b in s.benefits]
    pop_frame = pop_frame.join(
        eligible.rename({n: f"eligible: {n}" for n in names}), on=order, how="left"
    )
    _title(
        pop,
        "Population (WPP 2024, single ages graduated) and eligible populations",
        "Values computed by socialcover from UN WPP 2024 (medium variant unless stated).",
        pop_frame.columns,
    )
    _values(pop, pop_frame)

    eco = wb.create_sheet("ECO")
    _title(
        eco,
        "Macro-economic paths",
        "Values: IMF WEO Oct 2025 to its last projection year, then the growth and inflation "
        "assumptions of AR.",
        [label for _, label in ECO_COLUMNS],
    )
    _values(eco, macro.select([k for k, _ in ECO_COLUMNS]))

    n = macro.height
    last = FIRST + n - 1
    for bi, b in enumerate(s.benefits, start=1):
        ws = wb.create_sheet(f"BS{bi}")
        part = keys.join(result.rows.filter(pl.col("benefit") == b.name), on=order, how="left")
        _title(
            ws,
            f"Benefit {bi}: {b.name} ({b.guarantee})",
            "Columns C-H and M are values computed by socialcover; I-L and N are formulas: "
            "cost = beneficiaries x unit benefit x months / 12 x admin factor.",
            BS_COLUMNS,
        )
        for i, row in enumerate(part.iter_rows(named=True), start=FIRST):
            vals = [
                row["iso3"],
                row["year"],
                row["eligible"],
                row["takeup_pct"],
                row["beneficiaries"],
                row["unit_benefit_lcu"],
                row["months"],
                row["admin_factor"],
            ]
            for j, v in enumerate(vals, start=1):
                ws.cell(row=i, column=j, value=_num(v))
            ws.cell(row=i, column=9, value=f"=E{i}*F{i}*G{i}/12*H{i}")
            ws.cell(row=i, column=10, value=f"=I{i}/ECO!{ECO_COL['exchange_rate_lcu_per_usd']}{i}")
            ws.cell(row=i, column=11, value=f"=I{i}/ECO!{ECO_COL['gdp_lcu']}{i}*100")
            ws.cell(row=i, column=12, value=f"=I{i}/ECO!{ECO_COL['gov_expenditure_lcu']}{i}*100")
            ws.cell(row=i, column=13, value=_num(row["current_spending_lcu"]))
            ws.cell(row=i, column=14, value=f"=MAX(0,I{i}-M{i})")

    sm = wb.create_sheet("SUM")
    headers = [
        "iso3",
        "year",
        *[f"{b.name}, % of GDP" for b in s.benefits],
        "Total cost, LCU",
        "Total cost, US$",
        "Total cost, % of GDP",
        "Total cost, % of government expenditure",
        "Financing gap, LCU",
        "Financing gap, % of GDP",
    ]
    _title(sm, f"Summary: {s.name}", "Formulas over the benefit sheets (BS1...) and ECO.", headers)
    nb = len(s.benefits)
    for idx, (iso, year) in enumerate(keys.iter_rows(), start=FIRST):
        sm.cell(row=idx, column=1, value=iso)
        sm.cell(row=idx, column=2, value=year)
        for bi in range(1, nb + 1):
            sm.cell(row=idx, column=2 + bi, value=f"=BS{bi}!K{idx}")
        c = 3 + nb
        sm.cell(
            row=idx, column=c, value="=" + "+".join(f"BS{bi}!I{idx}" for bi in range(1, nb + 1))
        )
        total = f"{get_column_letter(c)}{idx}"
        sm.cell(
            row=idx, column=c + 1, value=f"={total}/ECO!{ECO_COL['exchange_rate_lcu_per_usd']}{idx}"
        )
        sm.cell(row=idx, column=c + 2, value=f"={total}/ECO!{ECO_COL['gdp_lcu']}{idx}*100")
        sm.cell(
            row=idx, column=c + 3, value=f"={total}/ECO!{ECO_COL['gov_expenditure_lcu']}{idx}*100"
        )
        sm.cell(
            row=idx, column=c + 4, value="=" + "+".join(f"BS{bi}!N{idx}" for bi in range(1, nb + 1))
        )
        gap = f"{get_column_letter(c + 4)}{idx}"
        sm.cell(row=idx, column=c + 5, value=f"={gap}/ECO!{ECO_COL['gdp_lcu']}{idx}*100")
    if result.missing:
        r = last + 2
        sm.cell(row=r, column=1, value="Countries not costed").font = BOLD
        for iso, reason in sorted(result.missing.items()):
            r += 1
            sm.cell(row=r, column=1, value=iso)
            sm.cell(row=r, column=2, value=reason)
    wb.save(path)
    return Path(path)
