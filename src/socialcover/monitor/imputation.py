"""Filling in countries without a value in a year, so that aggregates cover every country.

National SDG 1.3.1 series are published for different years; the ILO completes them with
econometric models before aggregating (SDG metadata 1.3.1; METHODS.md B1.1). This module does
a simpler, documented imputation, in this order, for each country and target year:

1. **Observed**: the country's own value for the year.
2. **Nearest year**: the value of the nearest year within ``window`` years (default 3), the
   earlier year on a tie. The value is carried unchanged; nature ``imputed``.
3. **Model by region and income group**: the mean of the countries that have a value from
   steps 1-2 in the same year, weighted by the indicator's denominator population, in the same
   ILO region x World Bank income group cell; if the cell has no such country, the mean of the
   income group; then of the ILO region (for a country without an income group). Nature
   ``imputed``. The income group comes before the region because coverage follows income more
   closely than geography: with the region first, Afghanistan and the Democratic People's
   Republic of Korea (low income, no low-income donor in Asia and the Pacific) took the
   region's 58 per cent, which China and India dominate, and the 2023 low-income aggregate
   was 12.9 per cent instead of 8.3 (published: 9.7).

A country none of these reaches (no donor in its region or income group that year) keeps no
value; aggregates then report a population share below one (observed + imputed < 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

__all__ = ["METHODS", "impute"]

METHODS: tuple[str, ...] = (
    "observed",
    "nearest-year",
    "region-income-model",
    "income-group-model",
    "region-model",
)
"""How a country's value for a year was obtained; all but ``observed`` are imputations."""


def _weighted_mean(keys: Sequence[str], name: str, donors: pl.DataFrame) -> pl.DataFrame:
    return donors.group_by(["year", *keys]).agg(
        ((pl.col("value") * pl.col("population")).sum() / pl.col("population").sum()).alias(name)
    )


def impute(
    values: pl.DataFrame,
    weights: pl.DataFrame,
    members: pl.DataFrame,
    *,
    window: int = 3,
) -> pl.DataFrame:
    """Every country and year of ``weights`` with its value, observed or imputed.

    Parameters
    ----------
    values
        iso3, year, value: the countries' own values (one row per country and year).
    weights
        iso3, year, population: the countries and target years to fill, with the indicator's
        denominator population (the model's weights).
    members
        iso3, ilo_region, income_group (null when the country has none), and any other column
        to carry through (a subregion).
    window
        The widest distance in years for the nearest-year step; 0 turns it off.

    Returns
    -------
    polars.DataFrame
        The columns of ``weights`` and ``members``, then value (null when nothing reaches the
        country), method (one of :data:`METHODS`, null with the value), source_year (the year of
        the value used in steps 1-2, else null).
    """
    base = weights.join(members, on="iso3", how="inner")
    candidates = (
        base.select("iso3", "year")
        .join(values.rename({"year": "source_year"}), on="iso3", how="inner")
        .with_columns((pl.col("source_year") - pl.col("year")).abs().alias("_distance"))
        .filter(pl.col("_distance") <= window)
        .sort("iso3", "year", "_distance", "source_year")
        .unique(["iso3", "year"], keep="first", maintain_order=True)
        .select(
            "iso3",
            "year",
            "value",
            "source_year",
            pl.when(pl.col("_distance") == 0)
            .then(pl.lit("observed"))
            .otherwise(pl.lit("nearest-year"))
            .alias("method"),
        )
    )
    filled = base.join(candidates, on=["iso3", "year"], how="left")
    donors = filled.filter(pl.col("value").is_not_null())
    models = (
        ("region-income-model", ["ilo_region", "income_group"]),
        ("income-group-model", ["income_group"]),
        ("region-model", ["ilo_region"]),
    )
    for method, keys in models:
        filled = (
            filled.join(
                _weighted_mean(
                    keys, "_model", donors.filter(pl.all_horizontal(pl.col(keys).is_not_null()))
                ),
                on=["year", *keys],
                how="left",
                nulls_equal=False,
            )
            .with_columns(
                pl.when(pl.col("value").is_null() & pl.col("_model").is_not_null())
                .then(pl.lit(method))
                .otherwise(pl.col("method"))
                .alias("method"),
                pl.coalesce("value", "_model").alias("value"),
            )
            .drop("_model")
        )
    return filled.select(*base.columns, "value", "method", "source_year").sort("iso3", "year")
