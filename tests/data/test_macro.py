"""Macro series: WEO first, WDI as fallback, source stated per row, base units."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.data import MACRO_INDICATORS, macro
from socialcover.data._store import scan
from socialcover.errors import InputError

pytestmark = pytest.mark.shared_data


def weo(iso3: str, year: int, code: str) -> float:
    row = scan("imf_weo").filter(
        pl.col("iso3") == iso3, pl.col("year") == year, pl.col("indicator") == code
    )
    return float(row.collect()["value"][0])


def test_weo_values_in_base_units(installed_pack: Path) -> None:
    got = macro(
        "KEN", 2024, ["gdp_lcu", "gdp_usd", "gdp_per_capita_usd", "gov_expenditure_pct_gdp"]
    )
    values = dict(zip(got["indicator"], got["value"], strict=True))
    assert values["gdp_lcu"] == pytest.approx(weo("KEN", 2024, "NGDP") * 1e9)
    assert values["gdp_usd"] == pytest.approx(weo("KEN", 2024, "NGDPD") * 1e9)
    assert values["gdp_per_capita_usd"] == weo("KEN", 2024, "NGDPDPC")
    assert values["gov_expenditure_pct_gdp"] == weo("KEN", 2024, "GGX_NGDP")
    assert set(got["source"].str.slice(0, 7)) == {"IMF WEO"}
    assert got.columns == ["iso3", "year", "indicator", "value", "unit", "is_projection", "source"]


def test_exchange_rate_is_implied_by_weo_gdp(installed_pack: Path) -> None:
    got = macro("KEN", 2024, "exchange_rate_lcu_per_usd")
    assert got["value"][0] == pytest.approx(weo("KEN", 2024, "NGDP") / weo("KEN", 2024, "NGDPD"))
    assert "NGDP / NGDPD" in got["source"][0]


def test_wdi_fills_where_weo_has_nothing(installed_pack: Path) -> None:
    # Cuba is not in the WEO; its GDP comes from WDI and says so.
    got = macro("CUB", 2020, "gdp_usd")
    assert got.height == 1
    assert got["source"][0].startswith("World Bank WDI")
    assert "NY.GDP.MKTP.CD" in got["source"][0]
    assert not got["is_projection"][0]


def test_weo_wins_when_both_have_a_value(installed_pack: Path) -> None:
    got = macro("KEN", range(2000, 2025), "gdp_usd")
    assert got["source"].str.starts_with("IMF WEO").all()
    assert got["year"].n_unique() == got.height  # one row per year, no duplicates


def test_wdi_government_finance_fallback_names_its_concept(installed_pack: Path) -> None:
    got = macro(None, None, "gov_expenditure_pct_gdp").filter(
        pl.col("source").str.starts_with("World Bank")
    )
    assert got.height > 0
    assert got["source"].str.contains("central government").all()


def test_projections_are_flagged(installed_pack: Path) -> None:
    got = macro("KEN", [2024, 2030], "gdp_usd").sort("year")
    assert got["is_projection"].to_list() == [False, True]


def test_group_gives_member_rows(installed_pack: Path) -> None:
    got = macro("Arab States", 2024, "gdp_usd")
    assert "SAU" in got["iso3"].to_list()
    assert "PSE" in got["iso3"].to_list()  # IMF's WBG is mapped to PSE


def test_every_indicator_has_a_unit(installed_pack: Path) -> None:
    got = macro("KEN", 2023)
    assert set(got["indicator"]) == set(MACRO_INDICATORS)
    assert got["unit"].null_count() == 0


def test_unknown_indicator(installed_pack: Path) -> None:
    with pytest.raises(InputError) as info:
        macro("KEN", 2024, "gdp")
    assert info.value.code == "data.unknown-indicator"
    assert "gdp_usd" in info.value.hint


def test_implied_exchange_rate_without_weo_series_falls_back(installed_pack: Path) -> None:
    # PRK has no WEO GDP in either currency: no crash, WDI (or nothing) instead.
    df = macro("PRK", indicators=["exchange_rate_lcu_per_usd"])
    assert set(df["indicator"].unique().to_list()) <= {"exchange_rate_lcu_per_usd"}
    assert all("WEO" not in s for s in df["source"].to_list())
