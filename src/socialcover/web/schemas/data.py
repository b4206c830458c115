"""Answers of the reference data routes: a country (:class:`socialcover.data.Country`)."""

from __future__ import annotations

from socialcover.web.schemas import Out

__all__ = ["CountryOut"]


class CountryOut(Out):
    """A country's codes and groups."""

    iso3: str
    m49: int
    iso2: str | None = None
    name: str
    sdg_region: str | None = None
    geo_region: str | None = None
    geo_subregion: str | None = None
    income_group: str | None = None
    ilo_region: str | None = None
