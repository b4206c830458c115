"""A country's own population projection (scenario key ``national: {ISO3: {population:}}``).

WPP 2024 gives the population by single age and sex; a user with a national projection gives
its totals by year. The WPP age and sex structure is kept and scaled, country by country and
year by year, so that the totals are the national ones: linearly interpolated between the
years given, and at the nearest given year's ratio to WPP outside them. Every quantity built on
the population (eligible persons, births by mother's age, GDP per capita, the wage index)
follows, for every WPP variant alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from socialcover.costing import inputs
from socialcover.costing.scenario import Scenario


def population_factor(scenario: Scenario, iso3s: Sequence[str], years: Sequence[int]) -> np.ndarray:
    """National total over WPP's (medium variant) ``[country, year]``; 1 where none is given."""
    factor = np.ones((len(iso3s), len(years)))
    given = {
        iso: nat.population
        for iso, nat in scenario.national.items()
        if nat.population and iso in iso3s
    }
    if not given:
        return factor
    wpp = inputs.population(iso3s, years, "medium").sum(axis=(2, 3))
    for iso, totals in given.items():
        c = list(iso3s).index(iso)
        known = sorted(y for y in totals if y in years)
        if not known:
            known_years = sorted(totals)
            _raise_outside(iso, known_years, years)
        ratio_at = {y: totals[y] / wpp[c, list(years).index(y)] for y in known}
        xs = np.array(known, dtype=float)
        ys = np.array([ratio_at[y] for y in known])
        factor[c] = np.interp(np.array(years, dtype=float), xs, ys)  # flat outside the range
    return factor


def _raise_outside(iso: str, given: list[int], years: Sequence[int]) -> None:
    """A national population given only for years outside the projection."""
    from socialcover.costing._errors import ScenarioError

    raise ScenarioError(
        f"national.{iso}.population gives {given}, none within the projection "
        f"{years[0]}-{years[-1]}.",
        code="costing.national-population-years",
        key=f"national.{iso}.population",
        hint=f"Give the total population for at least one year from {years[0]} to {years[-1]}.",
    )
