"""Metamorphic and property checks: the engine against the data API and against itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialcover.data as data_api
from socialcover.costing import project_costs
from socialcover.data import _store

YEARS = [2025, 2030]


def one(benefit: dict[str, Any], iso3: str = "KEN", **over: Any) -> pl.DataFrame:
    s = {"country": iso3, "horizon": 2030, "benefits": [benefit], **over}
    return project_costs(s).rows.sort("year")


@pytest.mark.parametrize("iso3", ["KEN", "JPN", "BRA"])
@pytest.mark.parametrize(
    ("eligibility", "sex", "band"),
    [
        ({"ages": [65, 100]}, None, "65+"),
        ({"ages": [15, 49], "sex": "female"}, "female", (15, 49)),
        ({"ages": [0, 13]}, None, (0, 13)),
    ],
)
def test_eligible_equals_the_data_api_population(
    pack: Path, iso3: str, eligibility: dict[str, Any], sex: str | None, band: Any
) -> None:
    rows = one({"name": "b", "eligibility": eligibility, "level": {"lcu_per_year": 1}}, iso3)
    ref = data_api.population(iso3, YEARS, sex=sex or "both", age_band=band)
    ref = ref.group_by("year").agg(pl.col("population").sum()).sort("year")
    got = rows.filter(pl.col("year").is_in(YEARS))["eligible"].to_numpy()
    np.testing.assert_allclose(got, ref["population"].to_numpy(), rtol=1e-9)


@pytest.mark.parametrize("iso3", ["KEN", "IND", "DEU", "NGA"])
def test_births_agree_with_wpp_annual_births(pack: Path, iso3: str) -> None:
    rows = one(
        {
            "name": "m",
            "eligibility": {"population": "mothers_of_newborns", "ages": [15, 49]},
            "level": {"lcu_per_year": 1},
            "months": 4,
        },
        iso3,
    )
    wpp = (
        _store.scan("wpp_indicators")
        .filter(pl.col("iso3") == iso3, pl.col("year").is_between(2025, 2030))
        .sort("year")
        .collect()
    )
    np.testing.assert_allclose(rows["eligible"].to_numpy(), wpp["births"].to_numpy(), rtol=0.08)


PENSION: dict[str, Any] = {
    "name": "p",
    "eligibility": {"ages": [65, 100]},
    "level": {"pct_of_gdp_per_capita": 20},
}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# a = 0.5 would be r = 100% of benefits, which a scenario rejects
@given(k=st.floats(0.1, 10), a=st.floats(0.0, 0.5, exclude_max=True))
def test_cost_scales_with_level_and_admin_conventions_agree(pack: Path, k: float, a: float) -> None:
    base = one({**PENSION, "admin": {"rate_pct": a * 100, "convention": "share_of_gross"}})
    scaled = one(
        {
            **PENSION,
            "level": {"pct_of_gdp_per_capita": 20 * k},
            "admin": {"rate_pct": a * 100, "convention": "share_of_gross"},
        }
    )
    np.testing.assert_allclose(
        scaled["cost_lcu"].to_numpy(), k * base["cost_lcu"].to_numpy(), rtol=1e-9
    )
    # a share of gross spending a equals a share of benefits r = a / (1 - a)
    other = one(
        {**PENSION, "admin": {"rate_pct": a / (1 - a) * 100, "convention": "share_of_benefits"}}
    )
    np.testing.assert_allclose(other["cost_lcu"].to_numpy(), base["cost_lcu"].to_numpy(), rtol=1e-9)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(t1=st.floats(0, 100), t2=st.floats(0, 100))
def test_cost_is_monotone_in_takeup(pack: Path, t1: float, t2: float) -> None:
    lo, hi = sorted((t1, t2))
    # written with their unit: a bare number in (0, 1] is refused as a likely fraction
    a = one({**PENSION, "takeup": {"start_pct": f"{lo}%", "target_pct": f"{lo}%"}})
    b = one({**PENSION, "takeup": {"start_pct": f"{hi}%", "target_pct": f"{hi}%"}})
    assert (a["cost_lcu"].to_numpy() <= b["cost_lcu"].to_numpy() * (1 + 1e-12)).all()


def test_national_poverty_line_is_used_and_indexed(pack: Path) -> None:
    rows = one(
        {
            "name": "p",
            "eligibility": {"ages": [65, 100]},
            "level": {"pct_of_poverty_line": 50},
            "indexation": "prices",
        },
        macro={"poverty_line_lcu_year": 100_000, "inflation_pct": 5.0, "follow_weo": False},
    )
    np.testing.assert_allclose(
        rows["unit_benefit_lcu"].to_numpy(), 50_000 * 1.05 ** np.arange(6), rtol=1e-12
    )


def test_indexation_none_keeps_the_amount(pack: Path) -> None:
    rows = one(
        {
            "name": "p",
            "eligibility": {"ages": [65, 100]},
            "level": {"lcu_per_month": 3000},
            "indexation": "none",
        }
    )
    assert (rows["unit_benefit_lcu"] == 36000).all()


def test_low_variant_has_fewer_children_than_high(pack: Path) -> None:
    child = {"name": "c", "eligibility": {"ages": [0, 4]}, "level": {"lcu_per_year": 1}}
    low = one(child, population_variant="low")["eligible"].to_numpy()
    high = one(child, population_variant="high")["eligible"].to_numpy()
    assert (low[1:] < high[1:]).all()
