"""An Excel workbook laid out as the ILO Rapid Assessment Protocol (RAP) model users expect.

Sheets (RAP naming, METHODS.md B2.3): ``AR`` (assumptions), ``POP`` (demography), ``ECO``
(GDP, prices, exchange rate, government expenditure), one benefit sheet per benefit (``BS1``,
``BS2``...) and ``SUM`` (summary). It is a working model: the assumption cells of ``AR``
(shaded) drive every derived cell through formulas, so changing a take-up target, a benefit
level, an administration rate, the growth or inflation assumption in Excel or LibreOffice
recomputes the whole workbook:

- ``ECO``: GDP = GDP[t-1] x (1 + real growth) x (1 + deflator); CPI, wage and GDP-per-capita
  indices; the exchange rate; government expenditure; the poverty line. The rates of the years
  IMF WEO projects are WEO's (values); later years take the growth and inflation assumptions
  of ``AR`` (formulas), as the engine does (:mod:`socialcover.costing.macro`).
- benefit sheets: take-up on its path from ``AR``'s start, target and years; beneficiaries =
  eligible x take-up; the unit benefit from ``AR``'s level, cap and indexation over ``ECO``;
  cost = beneficiaries x unit x months / 12 x admin factor; US$, % of GDP, % of government
  expenditure; the gap over current spending.

The eligible population (UN WPP by single age, with the eligibility ages, sex, prevalence,
targeting and children-per-mother rules recorded in ``AR``) and WEO's own yearly rates are
values computed by the engine. Every formula cell also stores the value the engine computed
(XlsxWriter writes both), so programs that read cached values (pandas, openpyxl with
``data_only=True``) see the numbers without a spreadsheet application.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from socialcover.costing.result import CostingResult
from socialcover.costing.scenario import Amount, Benefit

HEADER_ROW = 3  # row 1: title, row 2: note, row 3: column headers, data from row 4 (1-based)
FIRST = HEADER_ROW + 1

ECO_COLUMNS = [
    ("iso3", "iso3"),
    ("year", "year"),
    ("real_growth_pct", "Real GDP growth, %"),
    ("deflator_pct", "GDP deflator inflation, %"),
    ("inflation_pct", "CPI inflation, %"),
    ("fx_change_pct", "Change of the exchange rate, %"),
    ("population", "Population (WPP 2024)"),
    ("population_15_64", "Population aged 15-64"),
    ("gdp_lcu", "GDP, LCU"),
    ("gdp_per_capita_lcu", "GDP per capita, LCU"),
    ("cpi_index", "CPI index (base year = 1)"),
    ("wage_index", "Wage index (base year = 1)"),
    ("gdp_per_capita_index", "GDP per capita index (base year = 1)"),
    ("exchange_rate_lcu_per_usd", "Exchange rate, LCU per US$"),
    ("gdp_usd", "GDP, US$"),
    ("gov_expenditure_pct_gdp", "Government expenditure, % of GDP"),
    ("gov_expenditure_lcu", "Government expenditure, LCU"),
    ("poverty_line_lcu_year", "Poverty line, LCU per person per year"),
]
ECO = {k: xl_col_to_name(i) for i, (k, _) in enumerate(ECO_COLUMNS)}

BS_COLUMNS = [
    ("iso3", "iso3"),
    ("year", "year"),
    ("eligible", "Eligible population"),
    ("progress", "Path to the take-up target (0-1)"),
    ("takeup_pct", "Take-up, %"),
    ("beneficiaries", "Beneficiaries"),
    ("unit_benefit_lcu", "Unit benefit, LCU per year (12 months)"),
    ("months", "Months paid"),
    ("admin_factor", "Admin factor (gross / benefits)"),
    ("benefits_lcu", "Benefits paid, LCU"),
    ("cost_lcu", "Cost, LCU"),
    ("cost_usd", "Cost, US$"),
    ("cost_pct_gdp", "Cost, % of GDP"),
    ("cost_pct_gov_expenditure", "Cost, % of government expenditure"),
    ("current_spending_lcu", "Current spending, LCU"),
    ("financing_gap_lcu", "Financing gap, LCU"),
]
BS = {k: xl_col_to_name(i) for i, (k, _) in enumerate(BS_COLUMNS)}

# AR's tables: macro assumptions by country, benefit parameters, take-up at the start
AR_COUNTRY = [
    ("iso3", "iso3"),
    ("real_growth_pct", "Real GDP growth after WEO, % a year"),
    ("inflation_pct", "CPI inflation after WEO, % a year"),
    ("us_inflation_pct", "US inflation, % a year (exchange rate after WEO)"),
    ("gdp_lcu_base_year", "GDP at the base year, LCU"),
    ("exchange_rate_lcu_per_usd", "Exchange rate at the base year, LCU per US$"),
    ("poverty_line_lcu_year", "Poverty line at the base year, LCU per person per year"),
    ("ppp_lcu_per_intl_dollar", "PPP conversion factor at the base year, LCU per int. $"),
]
ARC = {k: xl_col_to_name(i) for i, (k, _) in enumerate(AR_COUNTRY)}
AR_BENEFIT = [
    ("benefit", "benefit"),
    ("guarantee", "guarantee"),
    ("level", "Level"),
    ("level_unit", "Level unit"),
    ("cap", "Cap"),
    ("cap_unit", "Cap unit"),
    ("months", "Months paid a year"),
    ("admin_rate_pct", "Administration, %"),
    ("admin_convention", "Administration convention"),
    ("takeup_target_pct", "Take-up target, %"),
    ("takeup_start_year", "Take-up path starts"),
    ("takeup_target_year", "Take-up target reached"),
    ("takeup_shape", "Path shape"),
    ("takeup_steepness", "Logistic steepness"),
    ("indexation", "Indexation"),
    ("current_spending", "Current spending"),
    ("current_spending_unit", "Current spending unit"),
    ("eligibility", "Eligibility (in the eligible population, POP and BS column C)"),
    ("source", "Source"),
]
ARB = {k: xl_col_to_name(i) for i, (k, _) in enumerate(AR_BENEFIT)}

UNIT_TEXT = {
    "pct_of_gdp_per_capita": "% of GDP per capita (base year)",
    "pct_of_poverty_line": "% of the poverty line (base year)",
    "lcu_per_month": "LCU per month (base year)",
    "lcu_per_year": "LCU per year (base year)",
    "ppp_per_day": "int. $ (PPP) per day (base year)",
}


class _PlainFormulas(Worksheet):  # type: ignore[misc]
    """A worksheet whose formulas are written as they are.

    XlsxWriter rewrites every formula for Excel 365's dynamic-array functions (some thirty
    regular expressions per formula, most of the time of a 200-country workbook); ours use
    only + - * / MIN MAX IF EXP, which need no rewriting.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula.removeprefix("=")


class _Sheet:
    """A worksheet with the house formats, written by 1-based row and column letter."""

    def __init__(self, wb: Any, name: str, formats: dict[str, Any]) -> None:
        self.ws: Worksheet = wb.add_worksheet(name, worksheet_class=_PlainFormulas)
        self.name = name
        self.f = formats

    def title(self, title: str, note: str, headers: list[str], row: int = HEADER_ROW) -> None:
        self.ws.write(0, 0, title, self.f["title"])
        self.ws.write(1, 0, note, self.f["note"])
        self.headers(row, headers)
        self.ws.freeze_panes(row, 2)

    def headers(self, row: int, headers: list[str]) -> None:
        for j, h in enumerate(headers):
            self.ws.write(row - 1, j, h, self.f["bold"])
            self.ws.set_column(j, j, max(12, min(34, len(h) + 2)))

    def value(self, col: str, row: int, v: Any, *, assumption: bool = False) -> None:
        fmt = self.f["input"] if assumption else None
        if isinstance(v, float | np.floating) and not np.isfinite(v):
            self.ws.write_blank(f"{col}{row}", None, fmt)
        elif isinstance(v, np.generic):
            self.ws.write(f"{col}{row}", v.item(), fmt)
        else:
            self.ws.write(f"{col}{row}", v, fmt)

    def formula(self, col: str, row: int, text: str, cached: float) -> None:
        """A formula and the value the engine computed for it."""
        value = float(cached) if np.isfinite(cached) else 0.0
        self.ws.write_formula(f"{col}{row}", text, None, value)


def _ar(col: str, row: int) -> str:
    return f"AR!${col}${row}"


def write_workbook(result: CostingResult, path: str | Path) -> Path:
    """Write the RAP-style working model (see the module docstring) to ``path``."""
    base, arrays, starts = result.base, result.arrays, result.takeup_start
    if base is None or arrays is None or starts is None or base.assumed is None:
        raise ValueError("write_workbook needs a result of project_costs (with its base)")
    s = result.scenario
    order = ["iso3", "year"]
    macro = result.macro.sort(order)
    keys = list(macro.select(order).iter_rows())
    countries = list(dict.fromkeys(k[0] for k in keys))
    cidx = {iso: base.iso3s.index(iso) for iso in countries}
    years = list(s.years)
    yidx = {y: i for i, y in enumerate(years)}
    row_of = {k: FIRST + i for i, k in enumerate(keys)}
    base_row = {iso: row_of[(iso, years[0])] for iso in countries}

    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    formats = {
        "title": wb.add_format({"bold": True, "font_size": 13}),
        "note": wb.add_format({"italic": True, "font_color": "#555555"}),
        "bold": wb.add_format({"bold": True}),
        "input": wb.add_format({"bg_color": "#FFF2CC"}),
    }

    # --- AR: the assumptions that drive the model, then every assumption with its source ---
    ar = _Sheet(wb, "AR", formats)
    ar.title(
        f"Assumptions: {s.name}",
        "Shaded cells are assumptions: change one and the workbook recomputes. The list below "
        "the tables gives every assumption with its value, unit and source ('user' for values "
        "the scenario set; 'UNVERIFIED [R]' for recalled values not checked in a source).",
        [label for _, label in AR_COUNTRY],
    )
    country_row: dict[str, int] = {}
    for i, iso in enumerate(countries):
        r, c = FIRST + i, cidx[iso]
        country_row[iso] = r
        ar.value("A", r, iso)
        for key, v in (
            ("real_growth_pct", base.growth_assumption_pct[c]),  # type: ignore[index]
            ("inflation_pct", base.inflation_assumption_pct[c]),  # type: ignore[index]
            ("us_inflation_pct", base.us_inflation_pct),
            ("gdp_lcu_base_year", base.gdp0[c]),
            ("exchange_rate_lcu_per_usd", base.fx0[c]),
            ("poverty_line_lcu_year", base.poverty_line0[c]),
            ("ppp_lcu_per_intl_dollar", base.ppp0[c]),
        ):
            ar.value(ARC[key], r, float(v), assumption=True)
    r = FIRST + len(countries) + 1
    ar.ws.write(r - 1, 0, "Benefit parameters", formats["bold"])
    r += 1
    ar.headers(r, [label for _, label in AR_BENEFIT])
    benefit_row: dict[int, int] = {}
    for k, b in enumerate(s.benefits):
        r += 1
        benefit_row[k] = r
        _benefit_parameters(ar, r, b, years[0])
    r += 2
    ar.ws.write(r - 1, 0, "Take-up at the start of the path, %", formats["bold"])
    r += 1
    ar.headers(r, ["benefit", "iso3", "Take-up at the start, %", "Source"])
    start_row: dict[tuple[int, str], int] = {}
    for k, b in enumerate(s.benefits):
        for iso in countries:
            r += 1
            start_row[(k, iso)] = r
            ar.value("A", r, b.name)
            ar.value("B", r, iso)
            ar.value("C", r, float(starts[k, cidx[iso]] * 100), assumption=True)
            current = b.takeup.start_pct == "current"
            ar.value("D", r, "see the list below" if current else "user")
    r += 2
    ar.ws.write(r - 1, 0, "Every assumption, with its source", formats["bold"])
    r += 1
    ar.headers(r, ["iso3", "assumption", "value", "unit", "is_default", "source"])
    prov = result.provenance.with_columns(pl.col("iso3").fill_null("(all)"))
    listed = prov.select("iso3", "assumption", "value", "unit", "is_default", "source")
    for prow in listed.iter_rows():
        r += 1
        for col, v in zip("ABCDEF", prow, strict=True):
            ar.value(col, r, v)
    r += 2
    ar.ws.write(r - 1, 0, "Scenario", formats["bold"])
    for key, v in (
        ("name", s.name),
        ("base_year", s.base_year),
        ("horizon", s.end_year),
        ("population_variant", s.population_variant),
        ("benefits", ", ".join(b.name for b in s.benefits)),
    ):
        r += 1
        ar.value("A", r, key)
        ar.value("B", r, v)
    ar.ws.set_column(f"{ARB['source']}:{ARB['source']}", 60)

    # --- POP: values from WPP ---
    pop = _Sheet(wb, "POP", formats)
    pop_frame = pl.DataFrame(keys, schema=order, orient="row").join(
        result.population, on=order, how="left"
    )
    eligible = result.rows.pivot(on="benefit", index=order, values="eligible").sort(order)
    names = [b.name for b in s.benefits]
    pop_frame = pop_frame.join(
        eligible.rename({n: f"eligible: {n}" for n in names}), on=order, how="left"
    )
    pop.title(
        "Population (WPP 2024, single ages graduated) and eligible populations",
        "Values computed by socialcover from UN WPP 2024 (the scenario's variant).",
        pop_frame.columns,
    )
    for i, prow in enumerate(pop_frame.iter_rows(), start=FIRST):
        for j, v in enumerate(prow):
            pop.value(xl_col_to_name(j), i, v)

    # --- ECO: the macro paths as formulas over AR ---
    eco = _Sheet(wb, "ECO", formats)
    eco.title(
        "Macro-economic paths",
        "Rates of the years IMF WEO (Oct 2025) projects are WEO's (values); later years use "
        "AR's growth and inflation (formulas). Levels and indices are formulas.",
        [label for _, label in ECO_COLUMNS],
    )
    paths = arrays.paths
    m = {name: macro[name].to_numpy() for name in macro.columns if name not in order}
    for i, (iso, year) in enumerate(keys):
        row, c, t = row_of[(iso, year)], cidx[iso], yidx[year]
        b0, ac = base_row[iso], country_row[iso]
        eco.value("A", row, iso)
        eco.value("B", row, year)
        rates = {
            "real_growth_pct": base.growth[c, t] * 100,
            "deflator_pct": base.deflator[c, t] * 100,
            "inflation_pct": base.cpi[c, t] * 100,
            "fx_change_pct": base.fx_change[c, t] * 100,
        }
        if t == 0 or not base.assumed[c, t]:
            for key, v in rates.items():
                eco.value(ECO[key], row, float(v), assumption=t > 0)
        else:
            eco.formula(
                ECO["real_growth_pct"],
                row,
                "=" + _ar(ARC["real_growth_pct"], ac),
                rates["real_growth_pct"],
            )
            eco.formula(
                ECO["inflation_pct"],
                row,
                "=" + _ar(ARC["inflation_pct"], ac),
                rates["inflation_pct"],
            )
            eco.formula(
                ECO["deflator_pct"], row, f"={ECO['inflation_pct']}{row}", rates["deflator_pct"]
            )
            eco.formula(
                ECO["fx_change_pct"],
                row,
                f"=((1+{ECO['inflation_pct']}{row}/100)"
                f"/(1+{_ar(ARC['us_inflation_pct'], ac)}/100)-1)*100",
                rates["fx_change_pct"],
            )
        eco.value(ECO["population"], row, float(base.pop_total[c, t]))
        eco.value(ECO["population_15_64"], row, float(base.pop_working[c, t]))
        g = ECO
        if t == 0:
            eco.formula(g["gdp_lcu"], row, "=" + _ar(ARC["gdp_lcu_base_year"], ac), m["gdp_lcu"][i])
            eco.value(g["cpi_index"], row, 1.0)
            eco.formula(
                g["exchange_rate_lcu_per_usd"],
                row,
                "=" + _ar(ARC["exchange_rate_lcu_per_usd"], ac),
                m["exchange_rate_lcu_per_usd"][i],
            )
        else:
            p = row - 1
            eco.formula(
                g["gdp_lcu"],
                row,
                f"={g['gdp_lcu']}{p}*(1+{g['real_growth_pct']}{row}/100)"
                f"*(1+{g['deflator_pct']}{row}/100)",
                m["gdp_lcu"][i],
            )
            eco.formula(
                g["cpi_index"],
                row,
                f"={g['cpi_index']}{p}*(1+{g['inflation_pct']}{row}/100)",
                m["cpi_index"][i],
            )
            eco.formula(
                g["exchange_rate_lcu_per_usd"],
                row,
                f"={g['exchange_rate_lcu_per_usd']}{p}*(1+{g['fx_change_pct']}{row}/100)",
                m["exchange_rate_lcu_per_usd"][i],
            )
        eco.formula(
            g["gdp_per_capita_lcu"],
            row,
            f"={g['gdp_lcu']}{row}/{g['population']}{row}",
            m["gdp_per_capita_lcu"][i],
        )
        eco.formula(
            g["wage_index"],
            row,
            f"=({g['gdp_lcu']}{row}/{g['population_15_64']}{row})"
            f"/({g['gdp_lcu']}${b0}/{g['population_15_64']}${b0})",
            m["wage_index"][i],
        )
        eco.formula(
            g["gdp_per_capita_index"],
            row,
            f"={g['gdp_per_capita_lcu']}{row}/{g['gdp_per_capita_lcu']}${b0}",
            float(paths.gdp_per_capita_index[c, t]),
        )
        eco.formula(
            g["gdp_usd"],
            row,
            f"={g['gdp_lcu']}{row}/{g['exchange_rate_lcu_per_usd']}{row}",
            m["gdp_usd"][i],
        )
        eco.value(
            g["gov_expenditure_pct_gdp"],
            row,
            float(m["gov_expenditure_pct_gdp"][i]),
            assumption=True,
        )
        eco.formula(
            g["gov_expenditure_lcu"],
            row,
            f"={g['gov_expenditure_pct_gdp']}{row}/100*{g['gdp_lcu']}{row}",
            m["gov_expenditure_lcu"][i],
        )
        eco.formula(
            g["poverty_line_lcu_year"],
            row,
            f"={_ar(ARC['poverty_line_lcu_year'], ac)}*{g['cpi_index']}{row}",
            m["poverty_line_lcu_year"][i],
        )

    # --- BS1...: one sheet per benefit ---
    for k, b in enumerate(s.benefits):
        ws = _Sheet(wb, f"BS{k + 1}", formats)
        ws.title(
            f"Benefit {k + 1}: {b.name} ({b.guarantee})",
            "Column C (eligible population, from WPP) is a value; every other number is a "
            "formula over AR and ECO: beneficiaries = eligible x take-up; cost = beneficiaries "
            "x unit benefit x months / 12 x admin factor.",
            [label for _, label in BS_COLUMNS],
        )
        _benefit_sheet(
            ws, k, b, keys, row_of, base_row, country_row, benefit_row, start_row, result
        )

    # --- SUM ---
    sm = _Sheet(wb, "SUM", formats)
    nb = len(s.benefits)
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
    sm.title(f"Summary: {s.name}", "Formulas over the benefit sheets (BS1...) and ECO.", headers)
    totals = result.totals.sort(order)
    tot = {name: totals[name].to_numpy() for name in totals.columns if name not in order}
    per_benefit = {
        (r["benefit"], r["iso3"], r["year"]): r["cost_pct_gdp"]
        for r in result.rows.select("benefit", "iso3", "year", "cost_pct_gdp").iter_rows(named=True)
    }
    for i, (iso, year) in enumerate(keys):
        row = row_of[(iso, year)]
        sm.value("A", row, iso)
        sm.value("B", row, year)
        for kk, b in enumerate(s.benefits):
            cached = per_benefit[(b.name, iso, year)]
            sm.formula(
                xl_col_to_name(2 + kk), row, f"=BS{kk + 1}!{BS['cost_pct_gdp']}{row}", cached
            )
        total = xl_col_to_name(2 + nb)
        gap = xl_col_to_name(6 + nb)
        sm.formula(
            total,
            row,
            "=" + "+".join(f"BS{kk}!{BS['cost_lcu']}{row}" for kk in range(1, nb + 1)),
            tot["cost_lcu"][i],
        )
        sm.formula(
            xl_col_to_name(3 + nb),
            row,
            f"={total}{row}/ECO!{ECO['exchange_rate_lcu_per_usd']}{row}",
            tot["cost_usd"][i],
        )
        sm.formula(
            xl_col_to_name(4 + nb),
            row,
            f"={total}{row}/ECO!{ECO['gdp_lcu']}{row}*100",
            tot["cost_pct_gdp"][i],
        )
        sm.formula(
            xl_col_to_name(5 + nb),
            row,
            f"={total}{row}/ECO!{ECO['gov_expenditure_lcu']}{row}*100",
            tot["cost_pct_gov_expenditure"][i],
        )
        sm.formula(
            gap,
            row,
            "=" + "+".join(f"BS{kk}!{BS['financing_gap_lcu']}{row}" for kk in range(1, nb + 1)),
            tot["financing_gap_lcu"][i],
        )
        sm.formula(
            xl_col_to_name(7 + nb),
            row,
            f"={gap}{row}/ECO!{ECO['gdp_lcu']}{row}*100",
            tot["financing_gap_pct_gdp"][i],
        )
    if result.missing:
        r = FIRST + len(keys) + 1
        sm.ws.write(r - 1, 0, "Countries not costed", formats["bold"])
        for iso, reason in sorted(result.missing.items()):
            r += 1
            sm.value("A", r, iso)
            sm.value("B", r, reason)
    wb.close()
    return Path(path)


def _amount_text(a: Amount | None) -> tuple[Any, str]:
    if a is None:
        return None, ""
    return a.value, UNIT_TEXT[a.basis]


def _benefit_parameters(ar: _Sheet, r: int, b: Benefit, base_year: int) -> None:
    level, level_unit = _amount_text(b.level)
    cap, cap_unit = _amount_text(b.level.cap)
    cs = b.current_spending
    spending: tuple[Any, str] = (0.0, "none")
    if cs is not None and cs.pct_gdp is not None:
        spending = (cs.pct_gdp, "% of GDP")
    elif cs is not None:
        spending = (cs.lcu_per_year, "LCU per year (base year, indexed)")
    e = b.eligibility
    rule = f"ages {e.ages[0]}-{e.ages[1]}, {e.sex}, {e.population}"
    if e.prevalence_pct is not None:
        prev = e.prevalence_pct
        rule += ", prevalence " + (
            f"{prev}%"
            if isinstance(prev, int | float)
            else "; ".join(f"{x.ages[0]}-{x.ages[1]}: {x.pct}%" for x in prev)
        )
    if e.max_children_per_mother is not None:
        rule += f", at most {e.max_children_per_mother} children per mother"
    if b.targeting is not None:
        rule += f", targeted to {b.targeting.share_pct}%"
    cells: dict[str, tuple[Any, bool]] = {
        "benefit": (b.name, False),
        "guarantee": (b.guarantee, False),
        "level": (level, True),
        "level_unit": (level_unit, False),
        "cap": (cap, cap is not None),
        "cap_unit": (cap_unit, False),
        "months": (b.months, True),
        "admin_rate_pct": (b.admin.rate_pct, True),
        "admin_convention": (b.admin.convention or "share_of_benefits", False),
        "takeup_target_pct": (b.takeup.target_pct, True),
        "takeup_start_year": (b.takeup.start_year or base_year, True),
        "takeup_target_year": (b.takeup.target_year or base_year, True),
        "takeup_shape": (b.takeup.shape, False),
        "takeup_steepness": (b.takeup.steepness, True),
        "indexation": (b.indexation, False),
        "current_spending": (spending[0], True),
        "current_spending_unit": (spending[1], False),
        "eligibility": (rule, False),
        "source": (b.source or "user", False),
    }
    for key, (v, assumption) in cells.items():
        ar.value(ARB[key], r, v, assumption=assumption)


def _level_formula(a: Amount, k_row: int, col: str, eco_base: int, ac: int) -> str:
    v = _ar(col, k_row)
    basis = a.basis
    if basis == "pct_of_gdp_per_capita":
        return f"{v}/100*ECO!${ECO['gdp_per_capita_lcu']}${eco_base}"
    if basis == "pct_of_poverty_line":
        return f"{v}/100*ECO!${ECO['poverty_line_lcu_year']}${eco_base}"
    if basis == "lcu_per_month":
        return f"{v}*12"
    if basis == "lcu_per_year":
        return v
    return f"{v}*365*{_ar(ARC['ppp_lcu_per_intl_dollar'], ac)}"  # ppp_per_day


def _index(indexation: str, row: int) -> str:
    return {
        "prices": f"ECO!{ECO['cpi_index']}{row}",
        "wages": f"ECO!{ECO['wage_index']}{row}",
        "gdp_per_capita": f"ECO!{ECO['gdp_per_capita_index']}{row}",
    }.get(indexation, "1")


def _progress(y0: float, y1: float, year: float, shape: str, k: float) -> float:
    """The take-up path's progress, as the formula of column D computes it."""
    x = (1.0 if year >= y1 else 0.0) if y1 <= y0 else min(1.0, max(0.0, (year - y0) / (y1 - y0)))
    if shape != "logistic":
        return x

    def sig(z: float) -> float:
        return 1.0 / (1.0 + float(np.exp(-z)))

    return (sig(k * (x - 0.5)) - sig(-k / 2)) / (sig(k / 2) - sig(-k / 2))


def _benefit_sheet(
    ws: _Sheet,
    k: int,
    b: Benefit,
    keys: list[tuple[str, int]],
    row_of: dict[tuple[str, int], int],
    base_row: dict[str, int],
    country_row: dict[str, int],
    benefit_row: dict[int, int],
    start_row: dict[tuple[int, str], int],
    result: CostingResult,
) -> None:
    part = result.rows.filter(pl.col("benefit") == b.name).sort("iso3", "year")
    data = {name: part[name].to_numpy() for name in part.columns}
    kr = benefit_row[k]
    y0, y1 = _ar(ARB["takeup_start_year"], kr), _ar(ARB["takeup_target_year"], kr)
    steep = _ar(ARB["takeup_steepness"], kr)
    t0 = float(b.takeup.start_year or result.scenario.base_year)
    t1 = float(b.takeup.target_year or result.scenario.base_year)
    col: Callable[[str], str] = BS.__getitem__
    for i, (iso, year) in enumerate(keys):
        row, ac, eb = row_of[(iso, year)], country_row[iso], base_row[iso]
        ws.value("A", row, iso)
        ws.value("B", row, year)
        ws.value(col("eligible"), row, float(data["eligible"][i]))
        # years are whole numbers: MAX(1, ...) only keeps an eager evaluator from dividing by 0
        x = f"IF({y1}<={y0},IF(B{row}>={y1},1,0),MAX(0,MIN(1,(B{row}-{y0})/MAX(1,{y1}-{y0}))))"
        if b.takeup.shape == "logistic":
            x = (
                f"(1/(1+EXP(-{steep}*({x}-0.5)))-1/(1+EXP({steep}/2)))"
                f"/(1/(1+EXP(-{steep}/2))-1/(1+EXP({steep}/2)))"
            )
        ws.formula(
            col("progress"),
            row,
            "=" + x,
            _progress(t0, t1, year, b.takeup.shape, b.takeup.steepness),
        )
        start = _ar("C", start_row[(k, iso)])
        target = _ar(ARB["takeup_target_pct"], kr)
        ws.formula(
            col("takeup_pct"),
            row,
            f"=MAX(0,MIN(100,{start}+({target}-{start})*{col('progress')}{row}))",
            data["takeup_pct"][i],
        )
        ws.formula(
            col("beneficiaries"),
            row,
            f"={col('eligible')}{row}*{col('takeup_pct')}{row}/100",
            data["beneficiaries"][i],
        )
        level = _level_formula(b.level, kr, ARB["level"], eb, ac)
        if b.level.cap is not None:
            level = f"MIN({level},{_level_formula(b.level.cap, kr, ARB['cap'], eb, ac)})"
        index = _index(b.indexation, row)
        own = result.scenario.national.get(iso)
        own_b = own.benefits.get(b.name) if own is not None else None
        if own_b is not None and own_b.level is not None:
            # the country's own level (national:), listed in AR's list of assumptions
            ws.value(col("unit_benefit_lcu"), row, float(data["unit_benefit_lcu"][i]))
        else:
            ws.formula(
                col("unit_benefit_lcu"), row, f"={level}*{index}", data["unit_benefit_lcu"][i]
            )
        ws.formula(col("months"), row, "=" + _ar(ARB["months"], kr), data["months"][i])
        rate = _ar(ARB["admin_rate_pct"], kr)
        factor = (
            f"=1/(1-{rate}/100)" if b.admin.convention == "share_of_gross" else f"=1+{rate}/100"
        )
        ws.formula(col("admin_factor"), row, factor, data["admin_factor"][i])
        ws.formula(
            col("benefits_lcu"),
            row,
            f"={col('beneficiaries')}{row}*{col('unit_benefit_lcu')}{row}*{col('months')}{row}/12",
            data["benefits_lcu"][i],
        )
        ws.formula(
            col("cost_lcu"),
            row,
            f"={col('benefits_lcu')}{row}*{col('admin_factor')}{row}",
            data["cost_lcu"][i],
        )
        cost = f"{col('cost_lcu')}{row}"
        ws.formula(
            col("cost_usd"),
            row,
            f"={cost}/ECO!{ECO['exchange_rate_lcu_per_usd']}{row}",
            data["cost_usd"][i],
        )
        ws.formula(
            col("cost_pct_gdp"),
            row,
            f"={cost}/ECO!{ECO['gdp_lcu']}{row}*100",
            data["cost_pct_gdp"][i],
        )
        ws.formula(
            col("cost_pct_gov_expenditure"),
            row,
            f"={cost}/ECO!{ECO['gov_expenditure_lcu']}{row}*100",
            data["cost_pct_gov_expenditure"][i],
        )
        cs = b.current_spending
        spend = _ar(ARB["current_spending"], kr)
        if own_b is not None and own_b.current_spending is not None:
            ws.value(col("current_spending_lcu"), row, float(data["current_spending_lcu"][i]))
        elif cs is None:
            ws.value(col("current_spending_lcu"), row, 0.0)
        elif cs.pct_gdp is not None:
            ws.formula(
                col("current_spending_lcu"),
                row,
                f"={spend}/100*ECO!{ECO['gdp_lcu']}{row}",
                data["current_spending_lcu"][i],
            )
        else:
            ws.formula(
                col("current_spending_lcu"),
                row,
                f"={spend}*{index}",
                data["current_spending_lcu"][i],
            )
        ws.formula(
            col("financing_gap_lcu"),
            row,
            f"=MAX(0,{cost}-{col('current_spending_lcu')}{row})",
            data["financing_gap_lcu"][i],
        )
