"""Countries and groups: look-up by code or name, ILO regions, helpful errors."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.data import ILO_REGIONS, countries, country
from socialcover.errors import NotFoundError

pytestmark = pytest.mark.shared_data


@pytest.mark.parametrize("query", ["KEN", "ken", "KE", 404, "404", "Kenya", "  kenya ", "KENYA"])
def test_country_found_by_code_or_name(installed_pack: Path, query: str | int) -> None:
    c = country(query)
    assert (c.iso3, c.m49, c.name) == ("KEN", 404, "Kenya")
    assert c.ilo_region == "Africa"
    assert c.sdg_region == "Sub-Saharan Africa"
    assert c.income_group == "Lower-middle income"


@pytest.mark.parametrize(
    ("query", "iso3"),
    [
        ("cote d'ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Turkiye", "TUR"),
        ("Türkiye", "TUR"),
        ("turkey", "TUR"),
        ("Bolivia", "BOL"),
        ("curacao", "CUW"),
        ("XKX", "XKX"),
        ("NA", "NAM"),
        ("Hong Kong", "HKG"),
        ("Netherlands", "NLD"),
        ("Iran", "IRN"),
        ("Venezuela", "VEN"),
    ],
)
def test_names_are_accent_and_case_tolerant(installed_pack: Path, query: str, iso3: str) -> None:
    assert country(query).iso3 == iso3


def test_unknown_code_suggests_the_closest(installed_pack: Path) -> None:
    with pytest.raises(NotFoundError) as info:
        country("Kenia")
    assert info.value.code == "data.unknown-country"
    assert "Did you mean KEN (Kenya)?" in str(info.value)
    assert "'Kenia'" in info.value.message


def test_unknown_iso3_error_says_how_to_fix(installed_pack: Path) -> None:
    with pytest.raises(KeyError) as info:  # NotFoundError is also a KeyError
        country("QQQ")
    assert "ISO3" in str(info.value)


@pytest.mark.parametrize(
    ("iso3", "region"),
    [
        ("EGY", "Africa"),  # North Africa stays in Africa
        ("MAR", "Africa"),
        ("JOR", "Arab States"),
        ("PSE", "Arab States"),
        ("SAU", "Arab States"),
        ("TUR", "Europe and Central Asia"),
        ("ISR", "Europe and Central Asia"),
        ("CYP", "Europe and Central Asia"),
        ("KAZ", "Europe and Central Asia"),
        ("ARM", "Europe and Central Asia"),
        ("FRA", "Europe and Central Asia"),
        ("IRN", "Asia and the Pacific"),
        ("FJI", "Asia and the Pacific"),
        ("AUS", "Asia and the Pacific"),
        ("IND", "Asia and the Pacific"),
        ("USA", "Americas"),
        ("BRA", "Americas"),
        ("HTI", "Americas"),
    ],
)
def test_ilo_region_mapping(installed_pack: Path, iso3: str, region: str) -> None:
    assert country(iso3).ilo_region == region


def test_every_country_has_exactly_one_ilo_region(installed_pack: Path) -> None:
    table = countries()
    assert table.height == 237
    assert table["ilo_region"].null_count() == 0
    assert set(table["ilo_region"].unique()) == set(ILO_REGIONS)
    arab = countries("Arab States")["iso3"].to_list()
    assert sorted(arab) == sorted(
        ["BHR", "IRQ", "JOR", "KWT", "LBN", "OMN", "QAT", "SAU", "SYR", "ARE", "YEM", "PSE"]
    )
    total = sum(countries(r).height for r in ILO_REGIONS)
    assert total == table.height


def test_groups_by_wpp_name(installed_pack: Path) -> None:
    low = countries("Low income")
    assert low.height == 26
    assert set(low["income_group"].unique()) == {"Low income"}
    ssa = countries("sub-saharan africa")
    assert "KEN" in ssa["iso3"].to_list()
    assert ssa.filter(pl.col("sdg_region") != "Sub-Saharan Africa").height == 0


def test_unknown_group_suggests(installed_pack: Path) -> None:
    with pytest.raises(NotFoundError) as info:
        countries("Arab Sates")
    assert "Arab States" in str(info.value)


def test_country_name_wins_over_group_and_group_code_works(installed_pack: Path) -> None:
    assert countries("Micronesia")["iso3"].to_list() == ["FSM"]
    subregion = countries(954)["iso3"].to_list()
    assert "FSM" in subregion and "GUM" in subregion and len(subregion) == 7
