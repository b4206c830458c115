"""Microsimulation cost of a universal benefit = the costing engine's identity, up to sampling
error (same country, same year, same level): eligible population x 12 x monthly amount."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcover.microsim import load_rules
from socialcover.microsim.analysis import simulate

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "microsim"


@pytest.mark.shared_data
@pytest.mark.slow
def test_universal_child_benefit_cost_matches_costing_engine(installed_pack: Path) -> None:
    from socialcover.costing import project_costs
    from socialcover.testing import synthetic_survey

    survey = synthetic_survey(60_000, seed=11, country="KEN", year=2025)
    result = simulate(load_rules(EXAMPLES / "universal_child_benefit.yaml"), survey, period=2025)
    micro, se = result.impact.get("cost", "base")
    costing = project_costs(
        {
            "country": "KEN",
            "base_year": 2025,
            "horizon": 2025,
            "benefits": [
                {"name": "child", "eligibility": {"ages": [0, 17]}, "level": {"lcu_per_month": 100}}
            ],
        }
    )
    identity = float(costing.rows["cost_lcu"][0])
    assert se > 0
    assert abs(micro - identity) < 3 * se, (micro, identity, se)
    assert abs(micro / identity - 1) < 0.05


@pytest.mark.shared_data
def test_international_line_is_3_dollars_ppp_carried_by_cpi(installed_pack: Path) -> None:
    from socialcover.data import macro
    from socialcover.microsim.lines import international_line

    line = international_line("KEN", 2024)
    m = macro("KEN", range(2021, 2025), ["ppp_lcu_per_intl_dollar", "inflation_cpi_pct"])
    ppp = m.filter((m["indicator"] == "ppp_lcu_per_intl_dollar") & (m["year"] == 2021))
    infl = m.filter((m["indicator"] == "inflation_cpi_pct") & (m["year"] > 2021))
    factor = 1.0
    for v in infl.sort("year")["value"]:
        factor *= 1 + v / 100
    assert line.lcu_per_year == pytest.approx(3.0 * 365 * float(ppp["value"][0]) * factor)
    back = international_line("KEN", 2021)
    assert back.price_factor == 1.0
