"""On the synthetic EU-SILC Austria 2006 file (R package laeken), read through its survey
mapping, a rule set that pays nothing reproduces laeken's published indicators of eqIncome:
at-risk-of-poverty rate 14.44% and Gini 26.48 (laeken reference manual, examples of ``arpr``
and ``gini``; Alfons and Templ 2013, *J. Stat. Softw.* 54(15)). laeken's Gini subtracts
sum(w^2 x) in the numerator (a small-sample correction), so ours may differ in the second
decimal."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcover.microsim import load_rules, simulate

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data" / "microdata" / "synthetic_eusilc_austria2006_laeken.csv.gz"
MAPPING = REPO / "docs" / "examples" / "eusilc_austria2006.yaml"

NOTHING = """
programmes:
  nothing: {eligibility: age > 200, amount: 0}
welfare_scale: hh_max(welfare_scale)
"""


@pytest.mark.shared_data
def test_no_programme_reproduces_laeken_arpr_and_gini() -> None:
    if not DATA.exists():
        pytest.skip("the shared data pack is not present")
    result = simulate(
        load_rules(text=NOTHING), DATA, period=2025, mapping=str(MAPPING), breakdowns=False
    )
    headcount, se_h = result.impact.get("fgt0", "base", line="national")
    gini, se_g = result.impact.get("gini", "base")
    assert 100 * headcount == pytest.approx(14.44, abs=0.005)
    assert 100 * gini == pytest.approx(26.48, abs=0.02)
    assert 0 < se_h < 0.01 and 0 < se_g < 0.01
