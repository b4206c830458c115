"""Macroeconomic series by country and year: IMF WEO first, World Bank WDI as fallback.

For each (country, year, indicator) the IMF World Economic Outlook (October 2025) value is used
when it exists, otherwise the World Bank WDI value; the ``source`` column says which, row by row.
WEO covers 1980-2030 with IMF projections after each country's last actual year
(``is_projection``); WDI rows are outturns. Values are in base units (WEO's billions are
multiplied out) and the ``unit`` column names the unit.

Caveats (from ``SOURCES.md``): WDI government finance is *central* government and patchy, so
the WDI fallback of ``gov_revenue_pct_gdp`` (revenue excluding grants) and
``gov_expenditure_pct_gdp`` (expense) is not the general-government concept of WEO; the source
text says so. The WEO exchange rate is implied: GDP in national currency over GDP in US$, the
annual average rate at which the IMF converts GDP; the WDI fallback is the official rate
(``PA.NUS.FCRF``). IMF data are under the IMF's terms: attribute, do not redistribute.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from socialcover.data._sources import source_text
from socialcover.data._store import scan
from socialcover.data.countries import resolve_areas
from socialcover.errors import InputError

__all__ = ["INDICATORS", "MacroIndicator", "macro"]

WEO = "IMF WEO October 2025"
WDI = "World Bank WDI (2026-07 mirror)"


@dataclass(frozen=True)
class MacroIndicator:
    """How one named indicator is read from WEO and from WDI."""

    name: str
    unit: str
    weo: str | None  # WEO code, or "NGDP/NGDPD" for the implied exchange rate
    weo_scale: float
    wdi: str | None
    wdi_scale: float = 1.0
    wdi_note: str = ""


INDICATORS: dict[str, MacroIndicator] = {
    m.name: m
    for m in (
        MacroIndicator("gdp_lcu", "LCU", "NGDP", 1e9, None),
        MacroIndicator("gdp_usd", "US$", "NGDPD", 1e9, "NY.GDP.MKTP.CD"),
        MacroIndicator("gdp_per_capita_lcu", "LCU per person", "NGDPPC", 1.0, None),
        MacroIndicator("gdp_per_capita_usd", "US$ per person", "NGDPDPC", 1.0, "NY.GDP.PCAP.CD"),
        MacroIndicator(
            "gdp_per_capita_ppp", "international $ per person", "PPPPC", 1.0, "NY.GDP.PCAP.PP.CD"
        ),
        MacroIndicator("real_gdp_growth_pct", "%", "NGDP_RPCH", 1.0, "NY.GDP.MKTP.KD.ZG"),
        MacroIndicator("inflation_cpi_pct", "%", "PCPIPCH", 1.0, "FP.CPI.TOTL.ZG"),
        MacroIndicator("gdp_deflator_index", "index", "NGDP_D", 1.0, None),
        MacroIndicator(
            "exchange_rate_lcu_per_usd",
            "LCU per US$",
            "NGDP/NGDPD",
            1.0,
            "PA.NUS.FCRF",
            wdi_note="official exchange rate",
        ),
        MacroIndicator(
            "ppp_lcu_per_intl_dollar", "LCU per international $", "PPPEX", 1.0, "PA.NUS.PPP"
        ),
        MacroIndicator(
            "gov_revenue_pct_gdp",
            "% of GDP",
            "GGR_NGDP",
            1.0,
            "GC.REV.XGRT.GD.ZS",
            wdi_note="central government revenue excluding grants",
        ),
        MacroIndicator(
            "gov_expenditure_pct_gdp",
            "% of GDP",
            "GGX_NGDP",
            1.0,
            "GC.XPN.TOTL.GD.ZS",
            wdi_note="central government expense",
        ),
        MacroIndicator(
            "gov_gross_debt_pct_gdp",
            "% of GDP",
            "GGXWDG_NGDP",
            1.0,
            "GC.DOD.TOTL.GD.ZS",
            wdi_note="central government debt",
        ),
        MacroIndicator("unemployment_rate_pct", "% of labour force", "LUR", 1.0, "SL.UEM.TOTL.ZS"),
        MacroIndicator(
            "population_millions", "millions of persons", "LP", 1.0, "SP.POP.TOTL", 1e-6
        ),
    )
}
"""The macro series by name, with their unit and WEO and WDI codes."""

_SCHEMA = {
    "iso3": pl.Utf8,
    "year": pl.Int64,
    "indicator": pl.Utf8,
    "value": pl.Float64,
    "unit": pl.Utf8,
    "is_projection": pl.Boolean,
    "source": pl.Utf8,
}


def _indicator_list(indicators: str | Sequence[str] | None) -> list[MacroIndicator]:
    if indicators is None:
        return list(INDICATORS.values())
    names = [indicators] if isinstance(indicators, str) else list(indicators)
    out = []
    for name in names:
        if name not in INDICATORS:
            raise InputError(
                f"Unknown macro indicator {name!r}.",
                code="data.unknown-indicator",
                hint=f"Known indicators: {', '.join(INDICATORS)}.",
                value=name,
            )
        out.append(INDICATORS[name])
    return out


def _weo(iso3s: list[str], wanted: list[MacroIndicator]) -> pl.DataFrame:
    codes = {m.weo for m in wanted if m.weo} | {"NGDP", "NGDPD"}
    raw = (
        scan("imf_weo")
        .with_columns(
            pl.when(pl.col("iso3") == "WBG").then(pl.lit("PSE")).otherwise("iso3").alias("iso3")
        )
        .filter(
            pl.col("iso3").is_in(iso3s),
            pl.col("indicator").is_in(sorted(codes)),
            pl.col("value").is_not_null(),
        )
        .select("iso3", "year", "indicator", "value", "last_actual_year")
        .collect()
    )
    last_actual = (
        raw.filter(pl.col("indicator") == "NGDP")
        .group_by("iso3")
        .agg(pl.col("last_actual_year").max().alias("last_gdp"))
    )
    parts = []
    for m in wanted:
        if m.weo is None:
            continue
        if m.weo == "NGDP/NGDPD":
            wide = raw.filter(pl.col("indicator").is_in(["NGDP", "NGDPD"])).pivot(
                on="indicator", index=["iso3", "year"], values="value"
            )
            # A country without one of the two series (PRK has no WEO data) gets no rows here
            # and falls back to WDI like any other missing WEO value.
            for code in ("NGDP", "NGDPD"):
                if code not in wide.columns:
                    wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(code))
            part = wide.filter(pl.col("NGDPD") > 0).select(
                "iso3",
                "year",
                (pl.col("NGDP") / pl.col("NGDPD")).alias("value"),
                pl.lit(None, dtype=pl.Int64).alias("last_actual_year"),
            )
            note = f"{WEO} (implied: NGDP / NGDPD)"
        else:
            part = raw.filter(pl.col("indicator") == m.weo).select(
                "iso3", "year", (pl.col("value") * m.weo_scale).alias("value"), "last_actual_year"
            )
            note = f"{WEO} ({m.weo})"
        parts.append(
            part.with_columns(
                pl.lit(m.name).alias("indicator"),
                pl.lit(m.unit).alias("unit"),
                pl.lit(source_text("imf_weo", note)).alias("source"),
            )
        )
    if not parts:
        return pl.DataFrame(schema=_SCHEMA)
    return (
        pl.concat(parts)
        .join(last_actual, on="iso3", how="left")
        .with_columns(
            (pl.col("year") > pl.coalesce("last_actual_year", "last_gdp"))
            .fill_null(False)
            .alias("is_projection")
        )
        .select(list(_SCHEMA))
    )


def _wdi(iso3s: list[str], wanted: list[MacroIndicator]) -> pl.DataFrame:
    by_code = {m.wdi: m for m in wanted if m.wdi}
    if not by_code:
        return pl.DataFrame(schema=_SCHEMA)
    raw = (
        scan("wb_wdi")
        .filter(
            pl.col("iso3").is_in(iso3s),
            pl.col("indicator").is_in(list(by_code)),
            pl.col("value").is_not_null(),
        )
        .select("iso3", "year", "indicator", "value")
        .collect()
    )
    mapping = pl.DataFrame(
        {
            "indicator": list(by_code),
            "name": [m.name for m in by_code.values()],
            "unit": [m.unit for m in by_code.values()],
            "scale": [m.wdi_scale for m in by_code.values()],
            "source": [
                source_text("wb_wdi", f"{WDI} ({code}{'; ' + m.wdi_note if m.wdi_note else ''})")
                for code, m in by_code.items()
            ],
        }
    )
    return (
        raw.join(mapping, on="indicator")
        .select(
            "iso3",
            "year",
            pl.col("name").alias("indicator"),
            (pl.col("value") * pl.col("scale")).alias("value"),
            "unit",
            pl.lit(False).alias("is_projection"),
            "source",
        )
        .select(list(_SCHEMA))
    )


def macro(
    country: str | int | Sequence[str] | None,
    years: int | Iterable[int] | None = None,
    indicators: str | Sequence[str] | None = None,
) -> pl.DataFrame:
    """Macro series for a country, a list, or a group's member countries.

    Parameters
    ----------
    country
        ISO3/name, a list, a group name (rows for each member), or ``None`` for all countries.
    years
        A year, a range or a list; ``None`` for every year available.
    indicators
        Names from :data:`INDICATORS` (``gdp_usd``, ``gov_expenditure_pct_gdp``...); ``None`` for
        all.

    Returns
    -------
    polars.DataFrame
        iso3, year, indicator, value, unit, is_projection, source; one row per country, year and
        indicator (WEO where it has a value, else WDI).

    Examples
    --------
    With the demo country installed (``socialcover data demo``):

    >>> macro("XDM", 2024, "gdp_per_capita_usd")["value"][0]
    2990.84
    """
    wanted = _indicator_list(indicators)
    iso3s = sorted({m for area in resolve_areas(country) for m in area.members})
    weo = _weo(iso3s, wanted)
    wdi = _wdi(iso3s, wanted)
    combined = pl.concat([weo, wdi.join(weo, on=["iso3", "year", "indicator"], how="anti")])
    if years is not None:
        ys = [years] if isinstance(years, int) else list(years)
        combined = combined.filter(pl.col("year").is_in(ys))
    order = {m.name: i for i, m in enumerate(wanted)}
    return (
        combined.with_columns(
            pl.col("indicator").replace_strict(order, return_dtype=pl.Int64).alias("_o")
        )
        .sort("iso3", "_o", "year")
        .drop("_o")
    )
