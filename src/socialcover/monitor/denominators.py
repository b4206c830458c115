"""The SDG 1.3.1 indicator codes and the population that weights each one in aggregates.

The ILO aggregates national SDG 1.3.1 values as "weighted averages of national indicators with
weights equal to the denominators" (SDG metadata 1.3.1; METHODS.md B1.1). The pack has the
UN WPP 2024 population by age and sex and the annual births, so each series is weighted by the
closest WPP population:

- ``sdg131.at_least_one_benefit``: the total population, the indicator's own denominator.
- ``sdg131.children``: children aged 0-14.
- ``sdg131.mothers_with_newborns``: births in the year (women giving birth, counted by births).
- ``sdg131.persons_with_severe_disabilities``: the total population. The metadata's denominator
  is a WHO prevalence ratio for the country's group times its population; the pack has no
  prevalence ratios, so the population stands in (exact where the ratio is the same across
  the countries aggregated).
- ``sdg131.unemployed``: the population aged 15-64 (an approximation: the pack has the
  unemployment rate but not the labour force).
- ``sdg131.older_persons_pension``: the population aged 65+ (pensionable ages differ by
  country; 65 is the usual proxy).
- ``sdg131.vulnerable_social_assistance``, ``sdg131.poor_social_assistance``: the total
  population (an approximation of the vulnerable and of the poor).
- ``sdg131.employment_injury``: the population aged 15-64 (an approximation of employment).

``INDICATORS`` is the one list of codes the aggregates accept; it is small on purpose so that
the monitoring indicator registry can replace it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import polars as pl

from socialcover.data.population import population
from socialcover.data.vital import births
from socialcover.errors import NotFoundError

__all__ = ["DENOMINATORS", "INDICATORS", "PREFIX", "SEX", "check_indicator", "denominators"]

PREFIX = "sdg131."

INDICATORS: dict[str, str] = {
    "sdg131.at_least_one_benefit": "Population covered by at least one social protection benefit",
    "sdg131.children": "Children receiving child or family cash benefits",
    "sdg131.mothers_with_newborns": "Mothers with newborns receiving maternity cash benefits",
    "sdg131.persons_with_severe_disabilities": "Persons with severe disabilities receiving "
    "disability cash benefits",
    "sdg131.unemployed": "Unemployed persons receiving unemployment cash benefits",
    "sdg131.older_persons_pension": "Persons above retirement age receiving a pension",
    "sdg131.vulnerable_social_assistance": "Vulnerable persons receiving social assistance",
    "sdg131.poor_social_assistance": "Poor persons receiving social assistance",
    "sdg131.employment_injury": "Workers protected in case of employment injury",
}
"""SDG 1.3.1 codes -> names; the codes are ``sdg131.`` + the pack's contingency names."""

# indicator -> WPP weight: an age band of the population, or "births".
DENOMINATORS: dict[str, str] = {
    "sdg131.at_least_one_benefit": "0+",
    "sdg131.children": "0-14",
    "sdg131.mothers_with_newborns": "births",
    "sdg131.persons_with_severe_disabilities": "0+",
    "sdg131.unemployed": "15-64",
    "sdg131.older_persons_pension": "65+",
    "sdg131.vulnerable_social_assistance": "0+",
    "sdg131.poor_social_assistance": "0+",
    "sdg131.employment_injury": "15-64",
}
"""The population that weights each indicator (an age band of WPP's population, or births)."""

SEX: dict[str, str] = {"sdg131.mothers_with_newborns": "female"}
"""The sex an indicator is published for when it is not ``both`` (ILOSTAT's maternity series is
for women only)."""


def check_indicator(code: str) -> str:
    """The indicator ``code`` if it is known.

    Raises
    ------
    NotFoundError
        An unknown code; the hint names the closest codes and the command listing them all.
    """
    if code in INDICATORS:
        return code
    if PREFIX + code in INDICATORS:  # "children" for "sdg131.children"
        return PREFIX + code
    close = difflib.get_close_matches(code, list(INDICATORS), n=3, cutoff=0.5)
    close += difflib.get_close_matches(PREFIX + code, list(INDICATORS), n=3)
    hint = f"Did you mean {close[0]}? " if close else ""
    raise NotFoundError(
        f"No indicator {code!r}.",
        code="monitor.unknown-indicator",
        hint=hint + "`socialcover monitor indicators` lists the codes.",
        value=code,
    )


def denominators(indicator: str, years: Iterable[int]) -> pl.DataFrame:
    """Each country's weight for ``indicator`` in each year, in persons.

    Parameters
    ----------
    indicator
        An SDG 1.3.1 code from :data:`INDICATORS`.
    years
        The years wanted (1990-2100).

    Returns
    -------
    polars.DataFrame
        iso3, year (Int32), population (Float64): one row per country and year.
    """
    weight = DENOMINATORS[check_indicator(indicator)]
    yrs = sorted(set(years))
    if weight == "births":
        frame = births(None, yrs).group_by("iso3", "year").agg(pl.col("births").sum())
        frame = frame.rename({"births": "population"})
    else:
        band = (0, None) if weight == "0+" else weight
        frame = population(None, yrs, age_band=band).select("iso3", "year", "population")
    return frame.select(
        "iso3", pl.col("year").cast(pl.Int32), pl.col("population").cast(pl.Float64)
    ).sort("iso3", "year")
