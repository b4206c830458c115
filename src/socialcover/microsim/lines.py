"""Poverty lines in local currency: the international line for a country and year.

The World Bank's international poverty line is $3.00 a day in 2021 PPP (June 2025 update).
In local currency per person per year for year ``t``::

    line_t = 3.00 x 365 x PPP_2021 x CPI_t / CPI_2021

with PPP the conversion factor (LCU per international $) and CPI carried forward by the
yearly inflation rates. The data pack holds the GDP PPP conversion factor (IMF WEO PPPEX,
WDI PA.NUS.PPP), not the private-consumption PPP the World Bank uses, so the line is an
approximation [I]: say so when reporting it.
"""

from __future__ import annotations

from dataclasses import dataclass

from socialcover.errors import InputError

__all__ = ["InternationalLine", "international_line"]


@dataclass(frozen=True)
class InternationalLine:
    """A line in LCU per person per year, with how it was computed."""

    iso3: str
    year: int
    lcu_per_year: float
    usd_ppp_per_day: float
    ppp_year: int
    ppp: float
    price_factor: float
    source: str


def international_line(
    country: str, year: int, *, usd_ppp_per_day: float = 3.0, ppp_year: int = 2021
) -> InternationalLine:
    """The international poverty line in LCU per person per year for ``country`` in ``year``.

    Needs the data pack (``socialcover data import``); raises ``DataNotInstalledError`` or
    ``InputError`` (a missing PPP or inflation value) with the fix.
    """
    from socialcover.data import country as find_country
    from socialcover.data import macro

    iso3 = find_country(country).iso3
    lo, hi = sorted((ppp_year, year))
    frame = macro(iso3, range(lo, hi + 1), ["ppp_lcu_per_intl_dollar", "inflation_cpi_pct"])
    ppp_rows = frame.filter(
        (frame["indicator"] == "ppp_lcu_per_intl_dollar") & (frame["year"] == ppp_year)
    )
    if ppp_rows.height == 0:
        raise InputError(
            f"no PPP conversion factor for {iso3} in {ppp_year}",
            code="microsim.no-ppp",
            hint="Give the line in LCU instead: --line intl=<LCU per year>.",
        )
    ppp = float(ppp_rows["value"][0])
    infl = frame.filter(frame["indicator"] == "inflation_cpi_pct")
    by_year = dict(zip(infl["year"].to_list(), infl["value"].to_list(), strict=True))
    factor = 1.0
    step = 1 if year >= ppp_year else -1
    for y in range(ppp_year + 1, year + 1) if step == 1 else range(year + 1, ppp_year + 1):
        if y not in by_year or by_year[y] is None:
            raise InputError(
                f"no CPI inflation for {iso3} in {y}",
                code="microsim.no-inflation",
                hint="Give the line in LCU instead: --line intl=<LCU per year>.",
            )
        rate = 1.0 + float(by_year[y]) / 100.0
        factor = factor * rate if step == 1 else factor / rate
    sources = sorted(set(frame["source"].to_list()))
    return InternationalLine(
        iso3,
        year,
        usd_ppp_per_day * 365.0 * ppp * factor,
        usd_ppp_per_day,
        ppp_year,
        ppp,
        factor,
        "; ".join(sources),
    )
