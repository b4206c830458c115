"""The result of a costing projection: tidy frames per benefit, totals, macro paths, provenance."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from socialcover.costing.macro import MacroBase
from socialcover.costing.projection import Arrays
from socialcover.costing.scenario import Scenario

ROW_COLUMNS = (
    "year",
    "benefit",
    "eligible",
    "beneficiaries",
    "unit_benefit_lcu",
    "cost_lcu",
    "cost_usd",
    "cost_pct_gdp",
    "cost_pct_gov_expenditure",
)
"""The columns of a JSON row (``socialcover cost --format json``), after ``iso3``."""


@dataclass(frozen=True)
class CostingResult:
    """Projected costs of a scenario for one or many countries.

    Attributes
    ----------
    rows:
        One row per country, year and benefit: eligible, beneficiaries, takeup_pct,
        unit_benefit_lcu (yearly amount for 12 months), months, admin_factor, benefits_lcu,
        cost_lcu, cost_usd, cost_pct_gdp, cost_pct_gov_expenditure, current_spending_lcu,
        financing_gap_lcu, financing_gap_pct_gdp.
    totals:
        One row per country and year: the sums over benefits (and the % of GDP of the sums).
    macro:
        One row per country and year: population, GDP (LCU, US$, per capita), government
        expenditure, poverty line, exchange rate, CPI index, growth and inflation.
    provenance:
        Every assumption per country: value, unit, ``is_default`` and source; benefit
        parameters with their sources and what is unverified.
    missing:
        Countries that could not be costed, with the reason.
    """

    scenario: Scenario
    iso3s: tuple[str, ...]
    rows: pl.DataFrame
    totals: pl.DataFrame
    macro: pl.DataFrame
    population: pl.DataFrame
    provenance: pl.DataFrame
    missing: dict[str, str] = field(default_factory=dict)
    arrays: Arrays | None = None
    base: MacroBase | None = None  # the rates and base-year levels the paths were built from
    takeup_start: np.ndarray | None = None  # [benefit, country] fractions, base.iso3s order

    def to_rows(self) -> list[dict[str, Any]]:
        """JSON-ready rows: per benefit, then a ``total`` row per year (and country)."""
        cols = ["iso3", *ROW_COLUMNS]
        per = self.rows.select(cols)
        tot = self.totals.with_columns(
            pl.lit("total").alias("benefit"),
            pl.lit(None, dtype=pl.Float64).alias("unit_benefit_lcu"),
        ).select(cols)
        both = pl.concat([per, tot]).sort(["iso3", "year"], maintain_order=True)
        return [_clean(r) for r in both.iter_rows(named=True)]

    def to_json(self) -> str:
        """The whole result as one JSON document (rows, totals, macro, provenance, missing)."""
        doc = {
            "scenario": self.scenario.model_dump(mode="json", exclude_none=True),
            "rows": self.to_rows(),
            "macro": [_clean(r) for r in self.macro.iter_rows(named=True)],
            "provenance": [_clean(r) for r in self.provenance.iter_rows(named=True)],
            "missing": [{"iso3": k, "reason": v} for k, v in sorted(self.missing.items())],
        }
        return json.dumps(doc, indent=1, allow_nan=False)


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if isinstance(v, float) and not np.isfinite(v):
            v = None
        out[k] = v
    return out


def build_result(
    scenario: Scenario,
    base: MacroBase,
    arrays: Arrays,
    keep: np.ndarray,
    extra_provenance: list[dict[str, Any]],
    population: pl.DataFrame,
    takeup_start: np.ndarray | None = None,
) -> CostingResult:
    """Tidy frames from the arrays, keeping the countries in ``keep`` (bool ``[C]``)."""
    names = [b.name for b in scenario.benefits]
    iso = np.array(base.iso3s)
    years = np.array(scenario.years)
    n_b, n_c, n_y = arrays.cost_lcu.shape
    b_i, c_i, y_i = (
        a.ravel()
        for a in np.meshgrid(np.arange(n_b), np.arange(n_c), np.arange(n_y), indexing="ij")
    )
    paths = arrays.paths
    gdp = np.broadcast_to(paths.gdp_lcu[None], arrays.cost_lcu.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        rows = pl.DataFrame(
            {
                "iso3": iso[c_i],
                "year": years[y_i],
                "benefit": np.array(names)[b_i],
                "eligible": arrays.eligible.ravel(),
                "beneficiaries": arrays.beneficiaries.ravel(),
                "takeup_pct": arrays.takeup.ravel() * 100.0,
                "unit_benefit_lcu": arrays.unit_benefit_lcu.ravel(),
                "months": arrays.months[b_i],
                "admin_factor": arrays.admin_factor[b_i],
                "benefits_lcu": arrays.benefits_lcu.ravel(),
                "cost_lcu": arrays.cost_lcu.ravel(),
                "cost_usd": arrays.cost_usd.ravel(),
                "cost_pct_gdp": arrays.cost_pct_gdp.ravel(),
                "cost_pct_gov_expenditure": arrays.cost_pct_gov_expenditure.ravel(),
                "current_spending_lcu": arrays.current_spending_lcu.ravel(),
                "financing_gap_lcu": arrays.gap_lcu.ravel(),
                "financing_gap_pct_gdp": (arrays.gap_lcu / gdp * 100).ravel(),
            }
        )
        c2, y2 = (a.ravel() for a in np.meshgrid(np.arange(n_c), np.arange(n_y), indexing="ij"))
        gov = paths.gov_expenditure_lcu
        macro = pl.DataFrame(
            {
                "iso3": iso[c2],
                "year": years[y2],
                "population": base.pop_total.ravel(),
                "gdp_lcu": paths.gdp_lcu.ravel(),
                "gdp_usd": paths.gdp_usd.ravel(),
                "gdp_per_capita_lcu": paths.gdp_per_capita_lcu.ravel(),
                "gov_expenditure_lcu": gov.ravel(),
                "gov_expenditure_pct_gdp": (gov / paths.gdp_lcu * 100).ravel(),
                "poverty_line_lcu_year": paths.poverty_line_lcu.ravel(),
                "exchange_rate_lcu_per_usd": paths.exchange_rate.ravel(),
                "cpi_index": paths.cpi_index.ravel(),
                "wage_index": paths.wage_index.ravel(),
                "real_growth_pct": paths.real_growth_pct.ravel(),
                "inflation_pct": paths.inflation_pct.ravel(),
            }
        )
        cost_sum = arrays.cost_lcu.sum(axis=0)
        gap_sum = arrays.gap_lcu.sum(axis=0)
        totals = pl.DataFrame(
            {
                "iso3": iso[c2],
                "year": years[y2],
                "eligible": arrays.eligible.sum(axis=0).ravel(),
                "beneficiaries": arrays.beneficiaries.sum(axis=0).ravel(),
                "cost_lcu": cost_sum.ravel(),
                "cost_usd": arrays.cost_usd.sum(axis=0).ravel(),
                "cost_pct_gdp": (cost_sum / paths.gdp_lcu * 100).ravel(),
                "cost_pct_gov_expenditure": (cost_sum / gov * 100).ravel(),
                "current_spending_lcu": arrays.current_spending_lcu.sum(axis=0).ravel(),
                "financing_gap_lcu": gap_sum.ravel(),
                "financing_gap_pct_gdp": (gap_sum / paths.gdp_lcu * 100).ravel(),
            }
        )
    kept = set(iso[keep].tolist())
    prov = pl.DataFrame(
        base.provenance + extra_provenance,
        schema={
            "iso3": pl.Utf8,
            "assumption": pl.Utf8,
            "value": pl.Float64,
            "unit": pl.Utf8,
            "is_default": pl.Boolean,
            "source": pl.Utf8,
        },
    )
    missing = {i: r for i, r in base.missing.items()}
    return CostingResult(
        scenario=scenario,
        iso3s=tuple(i for i in base.iso3s if i in kept),
        rows=rows.filter(pl.col("iso3").is_in(kept)),
        totals=totals.filter(pl.col("iso3").is_in(kept)),
        macro=macro.filter(pl.col("iso3").is_in(kept)),
        population=population.filter(pl.col("iso3").is_in(kept)),
        provenance=prov.filter(pl.col("iso3").is_in(kept) | pl.col("iso3").is_null()),
        missing=missing,
        arrays=arrays,
        base=base,
        takeup_start=takeup_start,
    )
