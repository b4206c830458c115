"""Poverty and SDG 1.3.1 coverage queries, and the country profile."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from socialcover.data import coverage, coverage_global, poverty, profile
from socialcover.data._store import scan
from socialcover.errors import InputError, NotFoundError

pytestmark = pytest.mark.shared_data


def test_poverty_latest_matches_the_pack(installed_pack: Path) -> None:
    got = poverty("KEN", latest=True)
    hc = got.filter(pl.col("indicator") == "pov_hc_300_pct").row(0, named=True)
    raw = (
        scan("wb_poverty")
        .filter(pl.col("iso3") == "KEN", pl.col("pov_hc_300_pct").is_not_null())
        .sort("year")
        .collect()
        .tail(1)
    )
    assert (hc["year"], hc["value"]) == (raw["year"][0], raw["pov_hc_300_pct"][0])
    assert "SI.POV.DDAY" in hc["source"]
    gapminder = got.filter(pl.col("indicator") == "pov_hc_420_pct")["source"][0]
    assert "Gapminder" in gapminder


def test_poverty_history_has_survey_years_only(installed_pack: Path) -> None:
    got = poverty("KEN", "gini_index")
    assert got["year"].to_list() == sorted(got["year"].to_list())
    assert (
        got.height
        == scan("wb_poverty")
        .filter(pl.col("iso3") == "KEN", pl.col("gini_index").is_not_null())
        .collect()
        .height
    )


def test_poverty_unknown_indicator(installed_pack: Path) -> None:
    with pytest.raises(InputError):
        poverty("KEN", "pov_hc_190_pct")


def test_coverage_latest_prefers_ilostat(installed_pack: Path) -> None:
    got = coverage("KEN")
    headline = got.filter(pl.col("contingency") == "at_least_one_benefit", pl.col("sex") == "both")
    assert headline.height == 1
    assert (headline["year"][0], headline["coverage_pct"][0]) == (2021, 9.0)
    assert headline["source"][0].startswith("ILO, ILOSTAT")
    # one row per contingency and sex
    assert got.select("contingency", "sex").is_unique().all()


def test_coverage_falls_back_to_unsd_2020(installed_pack: Path) -> None:
    # Kenya's male/female pension coverage is not in the ILOSTAT extract -> none from UNSD
    # either (UNSD 2020 has both sexes only); pick a series ILOSTAT lacks for some country.
    got = coverage(None, "older_persons_pension")
    unsd = got.filter(pl.col("source").str.starts_with("UN SDG"))
    ilo = got.filter(pl.col("source").str.starts_with("ILO"))
    assert unsd.height > 0
    overlap = unsd.join(ilo, on=["iso3", "contingency", "sex"])
    assert overlap.height == 0


def test_coverage_history_keeps_both_sources(installed_pack: Path) -> None:
    got = coverage("KEN", "at_least_one_benefit", history=True)
    assert set(got["source"].str.slice(0, 3)) == {"ILO", "UN "}
    assert got.filter(pl.col("source").str.starts_with("ILO"))["year"].to_list() == [
        2015,
        2019,
        2021,
    ]


def test_coverage_global_headline(installed_pack: Path) -> None:
    got = coverage_global("at_least_one_benefit").filter(
        pl.col("area") == "World", pl.col("year") == 2023, pl.col("sex") == "both"
    )
    assert got["coverage_pct"][0] == pytest.approx(52.373)


def test_coverage_unknown_group(installed_pack: Path) -> None:
    with pytest.raises(InputError) as info:
        coverage("KEN", "pensions")
    assert "older_persons_pension" in info.value.hint


def test_profile_is_json_ready_and_consistent(installed_pack: Path) -> None:
    p = profile("Kenya", year=2025)
    json.dumps(p)  # JSON-ready
    assert p["country"]["iso3"] == "KEN"
    shares = [b["share_pct"] for b in p["population"]["by_age"]]
    assert sum(shares) == pytest.approx(100.0)
    r = p["dependency_ratios"]
    assert r["total_per_100"] == pytest.approx(r["youth_per_100"] + r["old_age_per_100"])
    gdp = next(m for m in p["macro"] if m["indicator"] == "gdp_per_capita_usd")
    assert gdp["year"] == 2025 and gdp["source"].startswith("IMF WEO")
    assert any(c["contingency"] == "older_persons_pension" for c in p["coverage"])
    assert all("source" in x for x in p["poverty"])


def test_profile_unknown_country(installed_pack: Path) -> None:
    with pytest.raises(NotFoundError):
        profile("Atlantis")
