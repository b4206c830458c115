"""Targeting by poverty headcount, Python-built scenarios, and countries lacking data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from socialcover.costing import CostingDataError, Scenario, ScenarioError, project_costs
from socialcover.costing.inputs import poverty_headcount
from socialcover.costing.scenario import Benefit

PENSION = {
    "name": "pension",
    "eligibility": {"ages": [65, 100]},
    "level": {"pct_of_poverty_line": 100},
}


def test_poverty_headcount_targeting_scales_the_eligible(pack: Path) -> None:
    targeted = {**PENSION, "targeting": {"share_pct": "poverty_headcount", "label": "poor"}}
    a = project_costs({"country": "KEN", "horizon": 2027, "benefits": [PENSION]})
    b = project_costs({"country": "KEN", "horizon": 2027, "benefits": [targeted]})
    share = poverty_headcount(["KEN"])[0][0] / 100
    assert 0 < share < 1
    np.testing.assert_allclose(
        b.rows["eligible"].to_numpy(), a.rows["eligible"].to_numpy() * share, rtol=1e-12
    )


def test_countries_without_a_headcount_are_listed_not_dropped(pack: Path) -> None:
    targeted = {**PENSION, "targeting": {"share_pct": "poverty_headcount"}}
    r = project_costs({"countries": "all", "horizon": 2026, "benefits": [targeted]})
    reasons = [v for v in r.missing.values() if v.startswith("incomplete data for pension")]
    assert reasons
    assert np.isfinite(r.totals["cost_pct_gdp"].to_numpy()).all()


def test_single_country_without_gdp_raises_with_reason(pack: Path) -> None:
    with pytest.raises(CostingDataError) as info:
        project_costs({"country": "PRK", "horizon": 2026, "benefits": [PENSION]})
    assert "PRK" in info.value.message and "GDP" in info.value.message
    assert "macro:" in info.value.hint


def test_gdp_carried_forward_when_weo_stops_short(pack: Path) -> None:
    """WEO October 2025 has no 2025 GDP for Afghanistan: its 2024 value is carried."""
    r = project_costs({"country": "AFG", "horizon": 2026, "benefits": [PENSION]})
    src = r.provenance.filter(pl.col("assumption") == "gdp_lcu_base_year")["source"][0]
    assert "(NGDP), 2024, carried to the base year" in src


def test_python_scenarios_validate_like_files() -> None:
    s = Scenario(country="KEN", horizon=2030, benefits=[Benefit(**PENSION)])
    assert s.years[-1] == 2030
    preset = Scenario(country="KEN", package="campaign-basic")
    assert [b.name for b in preset.benefits] == ["universal_pension", "child_benefit"]
    with pytest.raises(ScenarioError) as info:
        Scenario(country="KEN", horizn=2030, benefits=[Benefit(**PENSION)])
    assert "did you mean 'horizon'" in info.value.hint


def test_targeted_share_out_of_range() -> None:
    with pytest.raises(ScenarioError) as info:
        Scenario(country="KEN", benefits=[{**PENSION, "targeting": {"share_pct": 0}}])
    assert "benefits[0].targeting.share_pct" in info.value.message


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_files_in_yaml_and_json(tmp_path: Path, suffix: str) -> None:
    import json

    import yaml

    from socialcover.costing import load_scenario

    data = {"country": "KEN", "horizon": "2025-2031", "benefits": [PENSION]}
    f = tmp_path / f"s{suffix}"
    f.write_text(json.dumps(data) if suffix == ".json" else yaml.safe_dump(data))
    s = load_scenario(f)
    assert s.base_year == 2025 and s.end_year == 2031
