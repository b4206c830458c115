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


def test_user_overrides_of_a_preset_say_user_and_drop_the_presets_notes(pack: Path) -> None:
    r = project_costs(
        {
            "country": "KEN",
            "package": "ess58",
            "horizon": 2026,
            "benefits": [{"name": "child_benefit", "level": {"pct_of_poverty_line": 30}}],
        }
    )
    prov = {row["assumption"]: row for row in r.provenance.iter_rows(named=True)}
    assert prov["child_benefit.level"]["source"] == "user"
    assert prov["child_benefit.level"]["value"] == 30
    # the age range stays the preset's, with its source and its note
    assert "ESS" in prov["child_benefit.eligibility.age_to"]["source"]
    notes = r.provenance.filter(pl.col("assumption") == "child_benefit.unverified")["source"]
    assert not any("25% of the poverty line" in n for n in notes)
    assert any("ages 0-5" in n for n in notes)
    # every kind of assumption has a row with a source
    for key in ("indexation", "takeup.target_pct", "takeup.path", "months", "admin_factor"):
        assert prov[f"orphans_benefit.{key}"]["source"]
    assert "orphans_benefit.eligibility.prevalence_pct" in prov


def test_percent_fields_refuse_fractions_and_moving_paths_need_an_end() -> None:
    from socialcover.costing import Scenario, ScenarioError

    base = {
        "country": "KEN",
        "benefits": [{"name": "p", "level": {"pct_of_gdp_per_capita": 10}}],
    }

    def with_takeup(takeup: dict[str, object]) -> dict[str, object]:
        return {**base, "benefits": [{**base["benefits"][0], "takeup": takeup}]}  # type: ignore[index]

    with pytest.raises(ScenarioError, match="looks like a fraction") as info:
        Scenario.from_dict(with_takeup({"start_pct": 1.0, "target_pct": 1.0}))
    assert "write 100 for 100%" in info.value.message and "'1.0%'" in info.value.message
    with pytest.raises(ScenarioError, match="looks like a fraction"):
        Scenario.from_dict(
            {**base, "benefits": [{**base["benefits"][0], "targeting": {"share_pct": 0.2}}]}  # type: ignore[index]
        )
    one_pct = Scenario.from_dict(with_takeup({"start_pct": "1%", "target_pct": "1%"}))
    assert one_pct.benefits[0].takeup.target_pct == 1.0
    # the saved form keeps the unit, so it validates again
    again = Scenario.from_dict(one_pct.model_dump(mode="json", exclude_none=True))
    assert again.benefits[0].takeup.start_pct == 1.0
    for path in ({"start_pct": "current"}, {"start_pct": 40, "target_pct": 90}):
        with pytest.raises(ScenarioError, match="needs target_year"):
            Scenario.from_dict(with_takeup(path))
    Scenario.from_dict(with_takeup({"start_pct": "current", "target_year": 2030}))


def test_current_coverage_takes_a_reference_year_and_says_which_year(pack: Path) -> None:
    def start(takeup: dict[str, object]) -> dict[str, dict[str, object]]:
        r = project_costs(
            {
                "countries": ["IND", "KEN"],
                "horizon": 2026,
                "benefits": [
                    {
                        "name": "pension",
                        "guarantee": "old_age",
                        "eligibility": {"ages": [65, 100]},
                        "level": {"pct_of_gdp_per_capita": 10},
                        "takeup": {"start_pct": "current", "target_year": 2030, **takeup},
                    }
                ],
            }
        )
        rows = r.provenance.filter(pl.col("assumption") == "pension.takeup_start_pct")
        return {row["iso3"]: row for row in rows.iter_rows(named=True)}

    latest = start({})
    assert (
        latest["IND"]["value"] == pytest.approx(45.9)
        and ", 2022 (latest;" in latest["IND"]["source"]
    )
    assert ", 2021 (latest;" in latest["KEN"]["source"]
    # a reference year takes each country's latest value in or before it
    ref = start({"current_year": 2020})
    assert ref["IND"]["value"] == pytest.approx(25.2)
    assert ", 2016 (latest up to 2020;" in ref["IND"]["source"]
