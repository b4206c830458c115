"""Poverty and inequality by country and survey year (World Bank PIP, 2021 PPPs).

Headcount and gap at the international poverty line of $3.00 a day, the national-line
headcount where a country reports one, the Gini index and the survey mean, as published in WDI
(``SI.POV.*``, ``SI.SPR.PCAP``). Headcounts at the $4.20 and $8.30 lines come from Gapminder's
copies of an earlier WDI vintage (``sg_`` columns): their source text says so. Values exist for
survey years only; :func:`poverty` with ``latest=True`` keeps each indicator's latest year.
Caveat (SOURCES.md): the welfare concept (income or consumption) is not in the pack.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from socialcover.data._sources import source_text
from socialcover.data._store import scan
from socialcover.data.countries import resolve_areas

__all__ = ["POVERTY_INDICATORS", "poverty"]

PIP = "World Bank PIP via WDI (2026-07 mirror; 2021 PPPs)"
GAPMINDER = "Gapminder systema_globalis copy of WDI (earlier vintage; 2021 PPPs)"

POVERTY_INDICATORS: dict[str, tuple[str, str, str]] = {
    "pov_hc_300_pct": ("pov_hc_300_pct", "% of population below $3.00/day", f"{PIP} SI.POV.DDAY"),
    "pov_gap_300_pct": ("pov_gap_300_pct", "% (poverty gap at $3.00/day)", f"{PIP} SI.POV.GAPS"),
    "pov_hc_420_pct": (
        "sg_pov_hc_420_pct",
        "% of population below $4.20/day",
        f"{GAPMINDER} SI.POV.LMIC",
    ),
    "pov_hc_830_pct": (
        "sg_pov_hc_830_pct",
        "% of population below $8.30/day",
        f"{GAPMINDER} SI.POV.UMIC",
    ),
    "pov_hc_national_pct": (
        "pov_hc_national_pct",
        "% of population below the national line",
        f"{PIP} SI.POV.NAHC",
    ),
    "gini_index": ("gini_index", "index 0-100", f"{PIP} SI.POV.GINI"),
    "survey_mean_ppp2021_per_day": (
        "survey_mean_ppp2021_per_day",
        "2021 PPP $ per person per day",
        f"{PIP} SI.SPR.PCAP",
    ),
    "share_q1_pct": ("share_q1_pct", "% of income/consumption", f"{PIP} SI.DST.FRST.20"),
    "share_q5_pct": ("share_q5_pct", "% of income/consumption", f"{PIP} SI.DST.05TH.20"),
}
"""The poverty and inequality series by name: (column in the pack, unit, source)."""


def poverty(
    country: str | int | Sequence[str] | None,
    indicators: str | Sequence[str] | None = None,
    *,
    latest: bool = False,
) -> pl.DataFrame:
    """Poverty and inequality indicators by survey year.

    Parameters
    ----------
    country
        ISO3/name, a list, a group (rows for each member), or ``None`` for all countries.
    indicators
        Names from :data:`POVERTY_INDICATORS`; ``None`` for all.
    latest
        Keep only each indicator's latest survey year per country.

    Returns
    -------
    polars.DataFrame
        iso3, year, indicator, value, unit, source.
    """
    from socialcover.errors import InputError

    names = (
        list(POVERTY_INDICATORS)
        if indicators is None
        else ([indicators] if isinstance(indicators, str) else list(indicators))
    )
    for name in names:
        if name not in POVERTY_INDICATORS:
            raise InputError(
                f"Unknown poverty indicator {name!r}.",
                code="data.unknown-indicator",
                hint=f"Known indicators: {', '.join(POVERTY_INDICATORS)}.",
                value=name,
            )
    iso3s = sorted({m for area in resolve_areas(country) for m in area.members})
    columns = [POVERTY_INDICATORS[n][0] for n in names]
    wide = (
        scan("wb_poverty")
        .filter(pl.col("iso3").is_in(iso3s), ~pl.col("is_aggregate"))
        .select("iso3", "year", *columns)
        .collect()
    )
    meta = pl.DataFrame(
        {
            "column": columns,
            "indicator": names,
            "unit": [POVERTY_INDICATORS[n][1] for n in names],
            "source": [source_text("wb_poverty", POVERTY_INDICATORS[n][2]) for n in names],
            "_o": list(range(len(names))),
        }
    )
    long = (
        wide.unpivot(index=["iso3", "year"], on=columns, variable_name="column", value_name="value")
        .drop_nulls("value")
        .join(meta, on="column")
    )
    if latest:
        long = long.filter(pl.col("year") == pl.col("year").max().over("iso3", "indicator"))
    return long.sort("iso3", "_o", "year").select(
        "iso3", "year", "indicator", "value", "unit", "source"
    )
