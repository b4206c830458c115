"""A country profile: the figures ``socialcover country KEN`` shows, each with source and year.

Population by broad age (0-14, 15-64, 65+) and the dependency ratios (youth = 0-14 / 15-64,
old-age = 65+ / 15-64, total = their sum, per 100 persons of working age) for one year from
:func:`~socialcover.data.population.population`; GDP per capita and government finance from
:func:`~socialcover.data.macro.macro` (latest year up to the profile year); the latest poverty
figures and SDG 1.3.1 coverage by group.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import polars as pl

from socialcover.data.countries import country as _country
from socialcover.data.coverage import coverage
from socialcover.data.macro import macro
from socialcover.data.population import FIRST_YEAR, LAST_YEAR, population
from socialcover.data.poverty import poverty

__all__ = ["profile"]

_MACRO = (
    "gdp_per_capita_usd",
    "gdp_per_capita_ppp",
    "real_gdp_growth_pct",
    "inflation_cpi_pct",
    "gov_revenue_pct_gdp",
    "gov_expenditure_pct_gdp",
)
_POVERTY = ("pov_hc_300_pct", "pov_gap_300_pct", "pov_hc_national_pct", "gini_index")


def profile(code_or_name: str | int, *, year: int | None = None) -> dict[str, Any]:
    """Key figures of one country as a JSON-ready dict.

    Parameters
    ----------
    code_or_name
        ISO3, M49 or name.
    year
        Reference year for population and macro figures (default: the current calendar year).

    Returns
    -------
    dict
        ``country`` (codes and groups), ``year``, ``population`` (total and broad ages with
        shares), ``dependency_ratios``, ``macro`` (latest value up to ``year`` per indicator),
        ``poverty`` (latest survey year per indicator), ``coverage`` (SDG 1.3.1 by group and
        sex); every figure carries its ``year`` and ``source``.
    """
    c = _country(code_or_name)
    ref = year if year is not None else _dt.date.today().year
    ref = min(max(ref, FIRST_YEAR), LAST_YEAR)
    bands = population(c.iso3, ref, age_band=["0-14", "15-64", "65+"])
    values = dict(zip(["0-14", "15-64", "65+"], bands["population"].to_list(), strict=True))
    total = sum(values.values())
    working = values["15-64"]
    source = bands["source"][0]
    pop = {
        "year": ref,
        "total": total,
        "by_age": [
            {"age_band": k, "population": v, "share_pct": 100.0 * v / total if total else None}
            for k, v in values.items()
        ],
        "source": source + "; interpolated to the year and summed by age band",
    }
    ratios = {
        "year": ref,
        "youth_per_100": 100.0 * values["0-14"] / working if working else None,
        "old_age_per_100": 100.0 * values["65+"] / working if working else None,
        "total_per_100": 100.0 * (values["0-14"] + values["65+"]) / working if working else None,
        "source": source,
    }
    m = macro(c.iso3, range(1980, ref + 1), list(_MACRO))
    latest_macro = (
        m.filter(pl.col("year") == pl.col("year").max().over("indicator"))
        .with_columns(
            pl.col("indicator")
            .replace_strict({k: i for i, k in enumerate(_MACRO)}, return_dtype=pl.Int64)
            .alias("_o")
        )
        .sort("_o")
        .drop("_o")
    )
    pov = poverty(c.iso3, list(_POVERTY), latest=True)
    cov = coverage(c.iso3)
    return {
        "country": {
            "iso3": c.iso3,
            "m49": c.m49,
            "name": c.name,
            "ilo_region": c.ilo_region,
            "sdg_region": c.sdg_region,
            "income_group": c.income_group,
        },
        "year": ref,
        "population": pop,
        "dependency_ratios": ratios,
        "macro": latest_macro.to_dicts(),
        "poverty": pov.to_dicts(),
        "coverage": cov.to_dicts(),
    }
