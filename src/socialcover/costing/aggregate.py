"""Costs of many countries added up by ILO region, income group and world.

Aggregate shares are GDP-weighted: the sum of costs in US$ over the sum of GDP in US$ (as the
ESS 58 "per cent of the combined GDP" and the financing-gap studies, METHODS.md B2.5:
aggregate gap %GDP = sum Gap_c / sum GDP_c). Countries that could not be costed are listed
with their reason in :func:`missing_table`, never dropped silently.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from socialcover.costing import inputs
from socialcover.costing._errors import ScenarioError
from socialcover.costing.result import CostingResult

GroupBy = Literal["ilo_region", "income_group", "world", "country"]
GROUPINGS: tuple[str, ...] = ("ilo_region", "income_group", "world", "country")


def check_grouping(by: str) -> str:
    """The grouping named by ``by`` (dashes accepted), checked before any work is done.

    Raises
    ------
    ScenarioError
        ``by`` is not ``ilo-region``, ``income-group``, ``world`` or ``country``.
    """
    key = by.replace("-", "_")
    if key not in GROUPINGS:
        raise ScenarioError(
            f"Cannot aggregate by {by!r}.",
            code="costing.bad-grouping",
            key="by",
            hint="Use ilo-region, income-group, world or country.",
        )
    return key


def aggregate(
    result: CostingResult, by: str = "world", *, per_benefit: bool = False
) -> pl.DataFrame:
    """Costs by group and year (and benefit): cost and GDP in US$, GDP-weighted % of GDP.

    Parameters
    ----------
    result:
        A many-country :class:`CostingResult`.
    by:
        ``ilo_region``, ``income_group``, ``world`` or ``country`` (dashes accepted).
    per_benefit:
        One row per benefit as well as the total.

    Returns
    -------
    polars.DataFrame
        group, year, [benefit,] n_countries, population, cost_usd, gdp_usd, gov_expenditure_usd,
        cost_pct_gdp, cost_pct_gov_expenditure, financing_gap_usd, financing_gap_pct_gdp.
    """
    key = check_grouping(by)
    meta = inputs.countries().select("iso3", "ilo_region", "income_group")
    macro = result.macro.select(
        "iso3",
        "year",
        "population",
        "gdp_usd",
        (pl.col("gov_expenditure_lcu") / pl.col("exchange_rate_lcu_per_usd")).alias(
            "gov_expenditure_usd"
        ),
        "exchange_rate_lcu_per_usd",
    )
    if per_benefit:
        costs = result.rows.select("iso3", "year", "benefit", "cost_usd", "financing_gap_lcu")
    else:
        costs = result.totals.select(
            "iso3", "year", pl.lit("total").alias("benefit"), "cost_usd", "financing_gap_lcu"
        )
    frame = (
        costs.join(macro, on=["iso3", "year"], how="left")
        .join(meta, on="iso3", how="left")
        .with_columns(
            (pl.col("financing_gap_lcu") / pl.col("exchange_rate_lcu_per_usd")).alias(
                "financing_gap_usd"
            ),
            pl.lit("World").alias("world"),
            pl.col("iso3").alias("country"),
        )
    )
    group_col = pl.col(key).fill_null("(no group)").alias("group")
    out = (
        frame.group_by(group_col, "year", "benefit")
        .agg(
            pl.col("iso3").n_unique().alias("n_countries"),
            pl.col("population").sum(),
            pl.col("cost_usd").sum(),
            pl.col("gdp_usd").sum(),
            pl.col("gov_expenditure_usd").sum(),
            pl.col("financing_gap_usd").sum(),
        )
        .with_columns(
            (pl.col("cost_usd") / pl.col("gdp_usd") * 100).alias("cost_pct_gdp"),
            (pl.col("cost_usd") / pl.col("gov_expenditure_usd") * 100).alias(
                "cost_pct_gov_expenditure"
            ),
            (pl.col("financing_gap_usd") / pl.col("gdp_usd") * 100).alias("financing_gap_pct_gdp"),
        )
        .sort("group", "year", "benefit")
    )
    if not per_benefit:
        out = out.drop("benefit")
    return out


def missing_table(result: CostingResult) -> pl.DataFrame:
    """Countries left out of a many-country result, with the reason (iso3, name, reason)."""
    names = dict(
        zip(
            *inputs.countries().select("iso3", "name").to_dict(as_series=False).values(),
            strict=True,
        )
    )
    return pl.DataFrame(
        {
            "iso3": list(result.missing),
            "name": [names.get(i, "") for i in result.missing],
            "reason": list(result.missing.values()),
        },
        schema={"iso3": pl.Utf8, "name": pl.Utf8, "reason": pl.Utf8},
    ).sort("iso3")
