"""Accounting identities of the projection hold to 1e-9 (several countries and packages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from socialcover.costing import project_costs
from socialcover.costing.inputs import population

COUNTRIES = ["KEN", "IND", "BRA", "DEU", "SEN"]


def pension(**over: Any) -> dict[str, Any]:
    b: dict[str, Any] = {
        "name": "pension",
        "guarantee": "old_age",
        "eligibility": {"ages": [65, 100]},
        "level": {"pct_of_gdp_per_capita": 30},
        "indexation": "gdp_per_capita",
        "months": 12,
    }
    b.update(over)
    return b


@pytest.mark.parametrize("iso3", COUNTRIES)
@pytest.mark.parametrize(
    ("admin", "factor"),
    [
        ({}, 1.0),
        ({"rate_pct": 5, "convention": "share_of_gross"}, 1 / 0.95),
        ({"rate_pct": 5, "convention": "share_of_benefits"}, 1.05),
    ],
)
@pytest.mark.parametrize("months", [12, 10])
def test_universal_pension_cost_share_identity(
    pack: Path, iso3: str, admin: dict[str, Any], factor: float, months: int
) -> None:
    """cost / GDP = (pop 65+ / pop) x (benefit / GDP per capita) x months/12 x admin factor."""
    s = {
        "country": iso3,
        "base_year": 2025,
        "horizon": 2040,
        "benefits": [pension(admin=admin, months=months)],
    }
    r = project_costs(s)
    pop = population([iso3], r.scenario.years)[0]
    share65 = pop[:, :, 65:].sum(axis=(1, 2)) / pop.sum(axis=(1, 2))
    rows = r.rows.sort("year")
    macro = r.macro.sort("year")
    ratio = rows["unit_benefit_lcu"].to_numpy() / macro["gdp_per_capita_lcu"].to_numpy()
    expected = share65 * ratio * months / 12 * factor
    got = rows["cost_pct_gdp"].to_numpy() / 100
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=0)
    # 30% of GDP per capita indexed to GDP per capita stays 30% of it every year
    np.testing.assert_allclose(ratio, 0.30, rtol=1e-9)


@pytest.mark.parametrize("package", ["spf-four-guarantees", "ess58", "campaign-basic"])
@pytest.mark.parametrize("iso3", ["KEN", "BGD", "PER"])
def test_sum_of_benefits_is_the_total(pack: Path, package: str, iso3: str) -> None:
    r = project_costs({"country": iso3, "package": package, "horizon": 2035})
    summed = (
        r.rows.group_by("year")
        .agg(pl.col("cost_lcu", "cost_usd", "beneficiaries", "financing_gap_lcu").sum())
        .sort("year")
    )
    tot = r.totals.sort("year")
    for col in ("cost_lcu", "cost_usd", "beneficiaries", "financing_gap_lcu"):
        np.testing.assert_allclose(summed[col].to_numpy(), tot[col].to_numpy(), rtol=1e-9)
    pct = r.rows.group_by("year").agg(pl.col("cost_pct_gdp").sum()).sort("year")
    np.testing.assert_allclose(
        pct["cost_pct_gdp"].to_numpy(), tot["cost_pct_gdp"].to_numpy(), rtol=1e-9
    )


def test_cost_is_beneficiaries_times_unit_times_months_times_admin(pack: Path) -> None:
    r = project_costs({"country": "GHA", "package": "ess58", "horizon": 2032})
    rows = r.rows
    expected = (
        rows["beneficiaries"]
        * rows["unit_benefit_lcu"]
        * rows["months"]
        / 12
        * rows["admin_factor"]
    )
    np.testing.assert_allclose(rows["cost_lcu"].to_numpy(), expected.to_numpy(), rtol=1e-9)


def test_zero_takeup_costs_nothing(pack: Path) -> None:
    s = {
        "country": "KEN",
        "horizon": 2030,
        "benefits": [pension(takeup={"start_pct": 0, "target_pct": 0})],
    }
    r = project_costs(s)
    assert (r.rows["cost_lcu"] == 0).all()
    assert (r.rows["beneficiaries"] == 0).all()
    assert (r.totals["cost_pct_gdp"] == 0).all()
    assert (r.rows["eligible"] > 0).all()


def test_takeup_path_reaches_target_linearly(pack: Path) -> None:
    s = {
        "country": "KEN",
        "base_year": 2025,
        "horizon": 2035,
        "benefits": [pension(takeup={"start_pct": 20, "target_pct": 80, "target_year": 2030})],
    }
    r = project_costs(s).rows.sort("year")
    np.testing.assert_allclose(
        r["takeup_pct"].to_numpy(), [20, 32, 44, 56, 68, 80, 80, 80, 80, 80, 80], rtol=1e-12
    )
    np.testing.assert_allclose(
        r["beneficiaries"].to_numpy(),
        (r["eligible"] * r["takeup_pct"] / 100).to_numpy(),
        rtol=1e-12,
    )


def test_logistic_path_is_monotone_and_hits_the_ends(pack: Path) -> None:
    s = {
        "country": "KEN",
        "base_year": 2025,
        "horizon": 2035,
        "benefits": [
            pension(
                takeup={"start_pct": 10, "target_pct": 90, "target_year": 2033, "shape": "logistic"}
            )
        ],
    }
    t = project_costs(s).rows.sort("year")["takeup_pct"].to_numpy()
    assert t[0] == pytest.approx(10) and t[8] == pytest.approx(90)
    assert np.all(np.diff(t) >= -1e-12)


def test_weo_nominal_gdp_is_reproduced(pack: Path) -> None:
    """Nominal GDP follows the WEO levels to 2030, then the growth and inflation assumptions."""
    from socialcover.data import _store

    r = project_costs({"country": "KEN", "horizon": 2035, "benefits": [pension()]})
    weo = (
        _store.scan("imf_weo")
        .filter(
            pl.col("iso3") == "KEN",
            pl.col("indicator") == "NGDP",
            pl.col("year").is_between(2025, 2030),
        )
        .sort("year")
        .collect()
    )
    got = r.macro.sort("year").filter(pl.col("year") <= 2030)["gdp_lcu"].to_numpy()
    np.testing.assert_allclose(got, weo["value"].to_numpy() * 1e9, rtol=1e-12)
    m = r.macro.sort("year")
    g = m.filter(pl.col("year") > 2030)
    growth = g["gdp_lcu"].to_numpy()[1:] / g["gdp_lcu"].to_numpy()[:-1]
    prov = r.provenance.filter(pl.col("iso3") == "KEN")
    real = prov.filter(pl.col("assumption") == "real_growth_pct")["value"][0] / 100
    infl = prov.filter(pl.col("assumption") == "inflation_pct")["value"][0] / 100
    np.testing.assert_allclose(growth, (1 + real) * (1 + infl), rtol=1e-12)


def test_overrides_are_recorded_and_defaults_say_where_from(pack: Path) -> None:
    s = {
        "country": "KEN",
        "horizon": 2032,
        "benefits": [pension()],
        "macro": {"real_growth_pct": 3.0, "poverty_line_lcu_year": 60000},
    }
    prov = project_costs(s).provenance.filter(pl.col("iso3") == "KEN")
    rec = {r["assumption"]: r for r in prov.iter_rows(named=True)}
    assert rec["real_growth_pct"]["is_default"] is False
    assert rec["real_growth_pct"]["value"] == 3.0
    assert rec["poverty_line_lcu_year"]["source"].startswith("user")
    assert rec["inflation_pct"]["is_default"] is True
    assert "WEO" in rec["inflation_pct"]["source"]
    default = project_costs({**s, "macro": {}}).provenance
    pl_row = default.filter(pl.col("assumption") == "poverty_line_lcu_year").row(0, named=True)
    assert pl_row["is_default"] and "$3.00/day (2021 PPP)" in pl_row["source"]


def test_cap_binds_for_rich_countries(pack: Path) -> None:
    """Campaign pension: 30% of GDP per capita capped at 1 PPP$ a day."""
    r = project_costs({"country": "DEU", "package": "campaign-basic", "horizon": 2026})
    row = r.rows.filter(pl.col("benefit") == "universal_pension", pl.col("year") == 2025)
    ppp = r.provenance.filter(pl.col("assumption") == "ppp_lcu_per_intl_dollar")["value"][0]
    assert row["unit_benefit_lcu"][0] == pytest.approx(365 * ppp, rel=1e-12)


def test_mothers_of_newborns_add_up_to_wpp_annual_births_with_no_five_year_jumps(
    pack: Path,
) -> None:
    from socialcover.data import _store

    years = list(range(2024, 2041))
    r = project_costs(
        {
            "country": "KEN",
            "horizon": 2040,
            "base_year": 2024,
            "benefits": [
                {
                    "name": "maternity",
                    "eligibility": {"ages": [15, 49], "population": "mothers_of_newborns"},
                    "level": {"pct_of_gdp_per_capita": 10},
                    "months": 4,
                }
            ],
        }
    )
    eligible = r.rows.sort("year")["eligible"].to_numpy()
    wpp = (
        _store.scan("wpp_indicators")
        .filter(pl.col("iso3") == "KEN", pl.col("variant") == "medium")
        .filter(pl.col("year").is_between(2024, 2040))
        .sort("year")
        .collect()["births"]
        .to_numpy()
    )
    assert len(wpp) == len(years)
    np.testing.assert_allclose(eligible, wpp, rtol=1e-12)
