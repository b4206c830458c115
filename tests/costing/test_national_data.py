"""National data: a country missing from WEO is costed with the user's own GDP and macro data,
per-country amounts in local currency, and every such value's provenance says the user's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from socialcover.costing import CostingDataError, Scenario, ScenarioError, project_costs
from socialcover.costing.export import write_result

PENSION: dict[str, Any] = {
    "name": "pension",
    "eligibility": {"ages": [65, 100]},
    "level": {"pct_of_gdp_per_capita": 20},
}
PRK_DATA: dict[str, Any] = {
    "gdp_lcu": {2025: 3.0e12, 2027: 3.3e12},
    "source": "national accounts (test figures)",
    "macro": {
        "real_growth_pct": 1.0,
        "inflation_pct": 5.0,
        "exchange_rate_lcu_per_usd": 100.0,
        "gov_expenditure_pct_gdp": 20.0,
        "ppp_lcu_per_intl_dollar": 50.0,
        "poverty_line_lcu_year": 50_000.0,
    },
}


def test_a_country_missing_from_weo_is_costed_with_national_data(pack: Path) -> None:
    scenario = {"country": "PRK", "horizon": 2028, "benefits": [PENSION]}
    with pytest.raises(CostingDataError, match="no GDP"):
        project_costs(scenario)
    r = project_costs({**scenario, "national": {"PRK": PRK_DATA}})
    macro = r.macro.sort("year")
    gdp = dict(zip(macro["year"], macro["gdp_lcu"], strict=True))
    # the path passes through the national values, with the assumed real growth between them
    assert gdp[2025] == pytest.approx(3.0e12, rel=1e-12)
    assert gdp[2027] == pytest.approx(3.3e12, rel=1e-12)
    assert gdp[2028] == pytest.approx(3.3e12 * 1.01 * 1.05, rel=1e-12)
    assert macro["exchange_rate_lcu_per_usd"][0] == 100.0
    # identity: cost = eligible x 20% of GDP per capita (CPI-indexed), % of GDP = cost / GDP
    rows = r.rows.sort("year")
    first = rows.row(0, named=True)
    per_capita = 3.0e12 / macro["population"][0]
    assert first["unit_benefit_lcu"] == pytest.approx(0.2 * per_capita, rel=1e-12)
    assert first["cost_pct_gdp"] == pytest.approx(first["cost_lcu"] / 3.0e12 * 100, rel=1e-12)
    prov = r.provenance.filter(pl.col("iso3") == "PRK")
    sources = dict(zip(prov["assumption"], prov["source"], strict=True))
    assert sources["gdp_lcu_base_year"].startswith("national accounts (test figures)")
    assert sources["exchange_rate_lcu_per_usd"] == "national accounts (test figures)"


def test_per_country_amounts_in_local_currency(pack: Path) -> None:
    lcu = {**PENSION, "level": {"lcu_per_month": 3000}}
    with pytest.raises(ScenarioError, match="local currency") as info:
        Scenario.from_dict({"countries": ["KEN", "UGA"], "benefits": [lcu]})
    assert "national:" in info.value.hint or "national:" in info.value.message
    with pytest.raises(ScenarioError, match=r"macro\.poverty_line_lcu_year"):
        Scenario.from_dict(
            {
                "countries": ["KEN", "UGA"],
                "macro": {"poverty_line_lcu_year": 60_000},
                "benefits": [PENSION],
            }
        )
    r = project_costs(
        {
            "countries": ["KEN", "UGA"],
            "horizon": 2026,
            "benefits": [PENSION],
            "national": {"KEN": {"benefits": {"pension": {"level": {"lcu_per_month": 3000}}}}},
        }
    )
    ken = r.rows.filter((pl.col("iso3") == "KEN") & (pl.col("year") == 2025)).row(0, named=True)
    uga = r.rows.filter((pl.col("iso3") == "UGA") & (pl.col("year") == 2025)).row(0, named=True)
    assert ken["unit_benefit_lcu"] == pytest.approx(36_000, rel=1e-12)
    alone = project_costs({"country": "UGA", "horizon": 2026, "benefits": [PENSION]})
    assert uga["cost_lcu"] == pytest.approx(alone.rows["cost_lcu"][0], rel=1e-12)
    prov = r.provenance.filter(
        (pl.col("iso3") == "KEN") & (pl.col("assumption") == "pension.level")
    )
    assert prov["source"].to_list() == ["user"] and prov["value"].to_list() == [3000]
    with pytest.raises(ScenarioError) as info:
        project_costs({"country": "KEN", "benefits": [PENSION], "national": {"UGA": {}}})
    assert info.value.code == "costing.national-not-costed"
    with pytest.raises(ScenarioError, match="names no benefit"):
        Scenario.from_dict(
            {"country": "KEN", "benefits": [PENSION], "national": {"KEN": {"benefits": {"x": {}}}}}
        )


def test_the_workbook_of_a_national_scenario_still_adds_up(pack: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    r = project_costs(
        {"country": "PRK", "horizon": 2027, "benefits": [PENSION], "national": {"PRK": PRK_DATA}}
    )
    wb = load_workbook(write_result(r, tmp_path / "prk.xlsx"), data_only=True)
    totals = r.totals.sort("year")
    for i in range(3):
        assert wb["SUM"][f"F{4 + i}"].value == pytest.approx(totals["cost_pct_gdp"][i], rel=1e-12)


def test_weo_fiscal_year_countries_are_flagged(pack: Path) -> None:
    from socialcover.costing.inputs import weo_fiscal_years

    # the WEO file's own notes (last_actual_label) name them; India's WEO 2024 is FY2024/25
    fiscal = weo_fiscal_years(["IND", "PAK", "BGD", "EGY", "ETH", "IRN", "KEN", "USA"])
    assert set(fiscal) == {"IND", "PAK", "BGD", "EGY", "ETH", "IRN"}
    assert fiscal["IND"] == "FY2024/25 = WEO year 2024"
    r = project_costs({"countries": ["IND", "KEN"], "horizon": 2026, "benefits": [PENSION]})
    flags = r.provenance.filter(pl.col("assumption") == "gdp_fiscal_year")
    assert flags["iso3"].to_list() == ["IND"]
    assert "not calendarised" in flags["source"][0]


def test_a_national_population_projection_scales_wpp_and_everything_on_it(pack: Path) -> None:
    from socialcover.costing.inputs import population

    base = {"country": "KEN", "horizon": 2030, "benefits": [PENSION]}
    wpp = population(["KEN"], tuple(range(2025, 2031)), "medium").sum(axis=(2, 3))[0]
    given = {2025: wpp[0] * 1.10, 2030: wpp[5] * 1.20}
    r = project_costs({**base, "national": {"KEN": {"population": given}}})
    plain = project_costs(base)
    macro = r.macro.sort("year")
    ratio = macro["population"].to_numpy() / wpp
    # the national totals in the years given, the ratio to WPP interpolated between them
    np.testing.assert_allclose(ratio, np.linspace(1.10, 1.20, 6), rtol=1e-12)
    # eligible persons scale with the population (same age structure); GDP is unchanged, so
    # the base-year GDP per capita (the benefit's level) falls by the base-year ratio: the
    # cost in % of GDP moves by ratio[t] / ratio[0]
    plain_rows = plain.rows.sort("year")
    np.testing.assert_allclose(
        r.rows.sort("year")["eligible"].to_numpy() / plain_rows["eligible"].to_numpy(),
        ratio,
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        r.totals.sort("year")["cost_pct_gdp"].to_numpy()
        / plain.totals.sort("year")["cost_pct_gdp"].to_numpy(),
        ratio / ratio[0],
        rtol=1e-12,
    )
    prov = r.provenance.filter(pl.col("assumption") == "population")
    assert prov["source"][0].startswith("user: national projection for 2025, 2030")
