"""The query API serves the fictional demo pack, and says its data are fictional."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.data import country, coverage, macro, population, profile, single_age_population
from socialcover.data.demo import install_demo
from socialcover.errors import NotFoundError


@pytest.fixture
def demo_home(sc_home: Path) -> Path:
    install_demo()
    return sc_home


def test_demo_country_queries(demo_home: Path) -> None:
    c = country("Demoland")
    assert (c.iso3, c.ilo_region) == ("XDM", "Africa")
    groups = population("XDM", 2030, sex=["male", "female"])
    single = single_age_population("XDM", 2030)
    assert single["population"].sum() == pytest.approx(groups["population"].sum(), rel=1e-9)
    assert single["population"].min() >= 0  # type: ignore[operator]


def test_demo_results_do_not_claim_real_sources(demo_home: Path) -> None:
    for frame in (
        population("XDM", 2030, age_band="0-14"),
        macro("XDM", 2024, "gdp_usd"),
        coverage("XDM"),
    ):
        sources = frame["source"].unique().to_list()
        assert sources, frame
        assert all("demo" in s and "WPP" not in s and "IMF" not in s for s in sources), sources


def test_demo_profile(demo_home: Path) -> None:
    p = profile("XDM", year=2025)
    assert p["country"]["name"] == "Demoland"
    assert p["population"]["total"] > 0
    assert pl.DataFrame(p["coverage"]).height > 0


def test_country_known_by_alias_but_absent_from_the_pack_is_not_found(demo_home: Path) -> None:
    # "USA" is a built-in alias; the demo pack has no USA, so it is an unknown country.
    with pytest.raises(NotFoundError, match="USA"):
        country("USA")
