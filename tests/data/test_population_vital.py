"""Births, death rates and life expectancy from WPP 2024."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from socialcover.data import births, countries, death_rates, life_expectancy, population
from socialcover.data._store import scan
from socialcover.errors import InputError

pytestmark = pytest.mark.shared_data


def test_births_total_equals_wpp_annual_births(installed_pack: Path) -> None:
    got = births(["KEN", "IND", "JPN"], range(2020, 2036))
    totals = got.group_by("iso3", "year").agg(pl.col("births").sum())
    wpp = (
        scan("wpp_indicators")
        .filter(pl.col("iso3").is_in(["KEN", "IND", "JPN"]), pl.col("year").is_between(2020, 2035))
        .select("iso3", "year", "births")
        .collect()
    )
    joined = totals.join(wpp, on=["iso3", "year"], suffix="_wpp")
    assert joined.height == 3 * 16
    np.testing.assert_allclose(joined["births"], joined["births_wpp"], rtol=1e-9)


def test_births_age_pattern_follows_asfr(installed_pack: Path) -> None:
    got = births("KEN", 2030)
    assert got["mother_age_from"].to_list() == [15, 20, 25, 30, 35, 40, 45]
    women = population("KEN", 2030, sex="female", age_band=[(a, a + 4) for a in range(15, 50, 5)])
    np.testing.assert_allclose(got["women"], women["population"], rtol=1e-12)
    asfr = (
        scan("wpp_fertility")
        .filter(pl.col("iso3") == "KEN", pl.col("period_start") == 2030)
        .sort("mother_age_group")
        .collect()["asfr"]
        .to_numpy()
    )
    # shares of births by age equal the shares of ASFR x women (one scaling factor per year)
    raw = asfr * got["women"].to_numpy()
    np.testing.assert_allclose(got["births"] / got["births"].sum(), raw / raw.sum(), rtol=1e-9)


def test_births_of_a_region_are_the_sum_of_members(installed_pack: Path) -> None:
    members = countries("Arab States")["iso3"].to_list()
    region = births("Arab States", 2025)["births"].sum()
    each = births(members, 2025)["births"].sum()
    assert region == pytest.approx(each, rel=1e-12)


def test_death_rates_match_wpp_for_a_country(installed_pack: Path) -> None:
    got = death_rates("KEN", [2025, 2029], sex="female")
    assert got.height == 2 * 22
    wpp = (
        scan("wpp_mortality")
        .filter(pl.col("iso3") == "KEN", pl.col("period_start") == 2025, pl.col("sex") == "female")
        .sort("age_start")
        .collect()
    )
    for year in (2025, 2029):
        ours = got.filter(pl.col("year") == year).sort("age_from")
        assert ours["mx_per_person_year"].to_list() == wpp["mx"].to_list()
    assert got.filter(pl.col("age_from") == 1)["age_to"][0] == 4


def test_region_death_rate_lies_between_members(installed_pack: Path) -> None:
    region = death_rates("Arab States", 2030, sex="both").filter(pl.col("age_from") == 70)
    members = death_rates(countries("Arab States")["iso3"].to_list(), 2030, sex="both").filter(
        pl.col("age_from") == 70
    )
    value = region["mx_per_person_year"][0]
    assert members["mx_per_person_year"].min() <= value <= members["mx_per_person_year"].max()


def test_life_expectancy_as_published(installed_pack: Path) -> None:
    got = life_expectancy("KEN", [2023, 2030])
    assert got.height == 6
    wpp = scan("wpp_indicators").filter(pl.col("iso3") == "KEN", pl.col("year") == 2023).collect()
    both = got.filter(pl.col("year") == 2023, pl.col("sex") == "both")["e0_years"][0]
    assert both == wpp["e0_both"][0]


@pytest.mark.parametrize("func", [births, death_rates, life_expectancy])
def test_low_variant_is_refused_with_a_reason(installed_pack: Path, func: object) -> None:
    with pytest.raises(InputError) as info:
        func("KEN", 2030, variant="low")  # type: ignore[operator]
    assert info.value.code == "data.variant-not-available"


def test_life_expectancy_of_ilo_region_is_refused(installed_pack: Path) -> None:
    with pytest.raises(InputError) as info:
        life_expectancy("Arab States", 2030)
    assert "Arab States" in str(info.value)
