"""The ILO region of a country, for records that name a country but no region."""

from __future__ import annotations


def region_of(iso3: str) -> str | None:
    """The ILO region of a country from the installed data pack, or ``None`` when unknown."""
    try:
        from socialcover.data import country

        return country(iso3).ilo_region
    except Exception:  # no pack installed, or a code the pack does not know
        return None
