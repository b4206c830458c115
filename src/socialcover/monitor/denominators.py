"""The population that weights each indicator in aggregates, read from UN WPP.

The ILO aggregates national SDG 1.3.1 values as "weighted averages of national indicators with
weights equal to the denominators" (SDG metadata 1.3.1; METHODS.md B1.1). Each indicator's
:class:`~socialcover.monitor.registry.Weight` in the registry names that population: WPP's
``population`` in an age band (all ages when none), or WPP ``births``; its note says where the
series only stands in for the true denominator. An indicator weighted by GDP (expenditure,
costing results) cannot be aggregated yet: the pack's GDP series is not read here.

:func:`check_indicator` resolves the codes the aggregates accept, with a short form for
SDG 1.3.1 (``children`` for ``sdg131.children``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import polars as pl

from socialcover.data.macro import macro
from socialcover.data.population import population
from socialcover.data.vital import births
from socialcover.errors import InputError, NotFoundError
from socialcover.monitor.registry import get_indicator, indicator_codes

__all__ = ["SHORT_PREFIX", "check_indicator", "denominators"]

SHORT_PREFIX = "sdg131."
"""Prefix a short code is completed with: ``children`` means ``sdg131.children``."""


def check_indicator(code: str) -> str:
    """The registry code ``code`` names (``children`` is ``sdg131.children``).

    Raises
    ------
    NotFoundError
        An unknown code (``monitor.unknown-indicator``); the hint names the closest code and
        the command listing them all.
    """
    codes = indicator_codes()
    if code in codes:
        return code
    if SHORT_PREFIX + code in codes:
        return SHORT_PREFIX + code
    close = difflib.get_close_matches(code, codes, n=3, cutoff=0.5)
    close += difflib.get_close_matches(SHORT_PREFIX + code, codes, n=3)
    hint = f"Did you mean {close[0]}? " if close else ""
    raise NotFoundError(
        f"No indicator {code!r}.",
        code="monitor.unknown-indicator",
        hint=hint + "`socialcover monitor indicators` lists the codes.",
        value=code,
    )


def denominators(indicator: str, years: Iterable[int]) -> pl.DataFrame:
    """Each country's weight for ``indicator`` in each year: persons, or US$ of GDP.

    Parameters
    ----------
    indicator
        A registry code (or its short form) with a weight: a WPP population or births, or the
        GDP in US$ (data pack macro series) for amounts in % of GDP.
    years
        The years wanted (1990-2100).

    Returns
    -------
    polars.DataFrame
        iso3, year (Int32), population (Float64: the weight, persons or US$ of GDP): one row
        per country and year.

    Raises
    ------
    InputError
        ``monitor.no-weight`` for an indicator not aggregated over countries (no weight in the
        registry).
    """
    definition = get_indicator(check_indicator(indicator))
    weight = definition.weight
    if weight is None:
        raise InputError(
            f"{definition.code} has no weight: it is not aggregated over countries.",
            code="monitor.no-weight",
            hint="Aggregate an indicator weighted by population (`socialcover monitor "
            "indicators` shows each weight), or pass the weights yourself.",
            value=definition.code,
        )
    yrs = sorted(set(years))
    if weight.series == "gdp_usd":
        # amounts in % of GDP: the group's value is its total amount over its total GDP
        frame = macro(None, yrs, "gdp_usd").select("iso3", "year", population="value")
    elif weight.series == "births":
        frame = births(None, yrs).group_by("iso3", "year").agg(pl.col("births").sum())
        frame = frame.rename({"births": "population"})
    else:
        band = (0, None) if weight.age_band is None else weight.age_band
        frame = population(None, yrs, age_band=band).select("iso3", "year", "population")
    return frame.select(
        "iso3", pl.col("year").cast(pl.Int32), pl.col("population").cast(pl.Float64)
    ).sort("iso3", "year")
