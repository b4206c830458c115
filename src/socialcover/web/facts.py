"""The data the pages show, read through ``socialcover.data`` and kept per installed pack.

The reference data change only when a new pack is installed, so results are cached under
the pack's identity (the resolved ``pack/current`` folder): installing a pack invalidates them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import polars as pl

from socialcover.data._home import current_pack
from socialcover.web.exports import frame_rows


def pack_key() -> str:
    """Identity of the installed pack (changes when another pack is installed).

    ``current`` is a symlink swapped atomically on install; reading the link is one system
    call, where resolving the path cost a third of a cached page's time.
    """
    try:
        return os.readlink(current_pack())
    except OSError:  # nothing installed (or not a link): no pack
        return ""


def global_series() -> list[dict[str, Any]]:
    """ILO global coverage series (area, year, contingency, sex, coverage_pct)."""
    return list(_global_series(pack_key()))


@lru_cache(maxsize=4)
def _global_series(_key: str) -> tuple[dict[str, Any], ...]:
    from socialcover import data

    frame: pl.DataFrame = data.coverage_global()
    return tuple(frame_rows(frame.sort("year")))


def coverage_map_rows() -> list[dict[str, Any]]:
    """Latest 'at least one benefit' coverage per country, keyed by 3-digit M49 code."""
    return list(_coverage_map_rows(pack_key()))


@lru_cache(maxsize=4)
def _coverage_map_rows(_key: str) -> tuple[dict[str, Any], ...]:
    from socialcover import data

    places = data.countries()
    cov: pl.DataFrame = data.coverage(None, "at_least_one_benefit")
    latest = (
        cov.filter((pl.col("contingency") == "at_least_one_benefit") & (pl.col("sex") == "both"))
        .sort("year")
        .group_by("iso3")
        .last()
        .join(places.select("iso3", "m49", "name"), on="iso3", how="inner")
    )
    return tuple(
        {
            "id": f"{int(r['m49']):03d}",
            "iso3": r["iso3"],
            "name": r["name"],
            "value": r["coverage_pct"],
            "year": r["year"],
        }
        for r in latest.to_dicts()
        if r["m49"] is not None
    )


def country_list() -> list[dict[str, Any]]:
    """All countries (iso3, name, region, income group) for pickers and the index."""
    return list(_country_list(pack_key()))


@lru_cache(maxsize=4)
def _country_list(_key: str) -> tuple[dict[str, Any], ...]:
    from socialcover import data

    return tuple(frame_rows(data.countries().sort("name")))


HEADLINE_YEAR = 2025  # the WPP year of the population shown beside each country


def country_headlines() -> dict[str, dict[str, Any]]:
    """Headline figures by ISO3: population (UN WPP, 2025), GDP per person (latest actual
    year, IMF WEO or WDI as the pack gives it) and coverage by at least one benefit (latest
    year, ILO), each with its year."""
    return _country_headlines(pack_key())


@lru_cache(maxsize=4)
def _country_headlines(_key: str) -> dict[str, dict[str, Any]]:
    from socialcover import data
    from socialcover.errors import DataNotInstalledError

    out: dict[str, dict[str, Any]] = {}

    def row(iso3: str) -> dict[str, Any]:
        return out.setdefault(iso3, {})

    try:
        pop = data.population(None, HEADLINE_YEAR).group_by("iso3").agg(pl.col("population").sum())
        for r in pop.to_dicts():
            row(r["iso3"]).update(population=r["population"], population_year=HEADLINE_YEAR)
    except DataNotInstalledError:
        pass
    try:
        gdp = data.macro(None, indicators="gdp_per_capita_usd").filter(
            ~pl.col("is_projection") & pl.col("value").is_not_null() & pl.col("value").is_finite()
        )
        for r in gdp.sort("iso3", "year", maintain_order=True).to_dicts():
            row(r["iso3"]).update(
                gdp_per_capita=r["value"], gdp_per_capita_year=r["year"], gdp_source=r["source"]
            )
    except DataNotInstalledError:
        pass
    for r in coverage_map_rows():
        row(r["iso3"]).update(coverage=r["value"], coverage_year=r["year"])
    return out
