"""Impact estimates: exact identities, the Gini linearisation, and row estimates = engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcover.microsim import load_rules
from socialcover.microsim.estimation import PopulationEstimates
from socialcover.microsim.impact import measure_impact
from socialcover.microsim.reform import Reform
from socialcover.microsim.simulation import run_population
from socialcover.survey import Design, Sample, gini_linearised

from .populations import random_population

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "microsim"


def _brute_gini(y: np.ndarray, w: np.ndarray) -> float:
    diff = np.abs(y[:, None] - y[None, :])
    return float((w[:, None] * w[None, :] * diff).sum() / (2 * w.sum() * (w * y).sum()))


@settings(max_examples=40, deadline=None)
@given(
    y=st.lists(st.integers(0, 50), min_size=2, max_size=25),
    seed=st.integers(0, 1000),
)
def test_gini_and_its_linearised_variable_match_brute_force(y: list[int], seed: int) -> None:
    ys = np.array(y, float) + 1.0
    w = np.random.default_rng(seed).uniform(0.5, 3, len(ys))
    lin = gini_linearised(ys, w)
    g, z = float(lin.estimate[0]), lin.z
    assert g == pytest.approx(_brute_gini(ys, w), abs=1e-12)
    # z is the derivative of the Gini with respect to each unit's weight
    eps = 1e-7
    for k in range(min(len(ys), 5)):
        w2 = w.copy()
        w2[k] += eps
        assert z[k] == pytest.approx((_brute_gini(ys, w2) - g) / eps, abs=1e-5)


def _frame(n: int, seed: int) -> pl.DataFrame:
    df = random_population(n, seed)
    rng = np.random.default_rng(seed)
    return df.with_columns(
        y=pl.Series(rng.normal(10, 3, df.height)),
        grp=pl.Series(rng.integers(0, 3, df.height)),
        _w=pl.col("weight"),
    )


def test_row_estimates_give_the_engines_person_level_estimates() -> None:
    df = _frame(300, 1).with_columns(b=(pl.col("y") > 10).cast(pl.Float64))
    design = Design(weights="weight", strata="strata", psu="psu", lonely_psu="adjust")
    variables = {"a__base__all": df["y"].to_numpy(), "b__base__all": df["b"].to_numpy()}
    fast = PopulationEstimates(df, design)
    sample = Sample(df, design)
    for by in (None, "grp"):
        for kind in ("total", "mean"):
            f = fast.totals(variables, by) if kind == "total" else fast.means(variables, by)
            s = pl.concat(
                [
                    (sample.total(col, by=by) if kind == "total" else sample.mean(col, by=by))
                    .to_polars()
                    .select(
                        variable=pl.lit(name),
                        group=pl.col(by).cast(pl.String) if by else pl.lit(None, pl.String),
                        estimate="estimate",
                        se="se",
                    )
                    for name, col in (("a__base__all", "y"), ("b__base__all", "b"))
                ]
            )
            a = f.sort("variable", "group")
            b = s.sort("variable", "group")
            np.testing.assert_allclose(a["estimate"], b["estimate"], rtol=1e-10)
            np.testing.assert_allclose(a["se"], b["se"], rtol=1e-8)


def test_universal_benefit_cost_is_amount_times_weighted_children() -> None:
    df = random_population(200, 7)
    rules = load_rules(EXAMPLES / "universal_child_benefit.yaml")
    impact = measure_impact(run_population(rules, df, 2025))
    children = float(df.filter(pl.col("age") < 18)["weight"].sum())
    cost, se = impact.get("cost", "base")
    assert cost == pytest.approx(1200 * children, rel=1e-12)
    assert se > 0
    ben, _ = impact.get("beneficiaries", "base", programme="child_benefit")
    assert ben == pytest.approx(children, rel=1e-12)


def test_empty_reform_changes_nothing_with_zero_se() -> None:
    df = random_population(150, 3)
    rules = load_rules(EXAMPLES / "means_tested_transfer.yaml")
    impact = measure_impact(run_population(rules, df, 2025))
    for ind in ("cost", "beneficiaries"):
        assert impact.get(ind, "change") == (0.0, 0.0)
    for ind in ("fgt0", "fgt1", "fgt2"):
        assert impact.get(ind, "change", line="national") == (0.0, 0.0)
    assert impact.get("gini", "change") == (0.0, 0.0)
    assert impact.get("winners", "change")[0] == 0.0
    assert impact.get("unchanged", "change")[0] == pytest.approx(1.0)


def test_more_generous_reform_lowers_poverty_and_gini() -> None:
    df = random_population(300, 11)
    rules = load_rules(EXAMPLES / "means_tested_transfer.yaml")
    reform = Reform.from_dict(
        {"parameters": {"transfer.withdrawal_rate": 0.2, "transfer.cap": 20000}}
    )
    impact = measure_impact(
        run_population(rules, df, 2025, reform=reform), lines={"national": 4000.0, "low": 800.0}
    )
    assert impact.get("cost", "change")[0] > 0
    assert impact.get("fgt1", "change", line="national")[0] < 0
    assert impact.get("gini", "change")[0] < 0
    assert impact.get("losers", "change")[0] == 0.0
    base, _ = impact.get("fgt0", "base", line="national")
    y = run_population(rules, df, 2025).frame
    direct = float(
        (y["weight"] * (y["disposable_income__base"] < 4000.0)).sum() / y["weight"].sum()
    )
    assert base == pytest.approx(direct, rel=1e-12)
    summary = impact.summary()
    assert set(summary["total"]) == {"baseline", "reform", "change"}
    assert "low" in summary["poverty"]
    deciles = impact.table.filter(pl.col("by") == "decile")
    assert set(deciles["group"]) <= {str(i) for i in range(1, 11)}


def test_gini_linearised_se_agrees_with_a_delete_one_psu_jackknife() -> None:
    """An independent variance: the stratified jackknife (JKn; Wolter 2007, ch. 4) of the
    Gini, re-estimated with each PSU deleted, against the engine's linearised SE."""
    rng = np.random.default_rng(5)
    n_strata, psu_per, per_psu = 4, 25, 12
    strata = np.repeat(np.arange(n_strata), psu_per * per_psu)
    psu = np.repeat(np.arange(n_strata * psu_per), per_psu)
    effect = rng.normal(0, 0.4, n_strata * psu_per)[psu]
    y = np.exp(8 + effect + rng.normal(0, 0.7, len(psu)))
    w = rng.uniform(1, 4, n_strata * psu_per)[psu]
    df = pl.DataFrame({"y": y, "_w": w, "strata": strata, "psu": psu})
    z = gini_linearised(y, w).z
    design = Design(weights="_w", strata="strata", psu="psu")
    se_lin = float(PopulationEstimates(df, design).totals({"gini__base__all": z})["se"][0])
    var = 0.0
    for h in range(n_strata):
        units = np.unique(psu[strata == h])
        n_h = len(units)
        reps = []
        for u in units:
            wr = w.copy()
            wr[psu == u] = 0.0
            wr[(strata == h) & (psu != u)] *= n_h / (n_h - 1)
            reps.append(float(gini_linearised(y, wr).estimate[0]))
        reps_a = np.array(reps)
        var += (n_h - 1) / n_h * float(((reps_a - reps_a.mean()) ** 2).sum())
    se_jk = var**0.5
    assert se_lin == pytest.approx(se_jk, rel=0.15), (se_lin, se_jk)


def test_replicate_design_path_matches_taylor_for_totals() -> None:
    """With JKn replicates (run variable by variable on the person data) the SE of a total
    equals the linearised one (a known identity for stratified cluster totals)."""
    from socialcover.survey import ReplicateDesign

    df = random_population(250, 9)
    run = run_population(load_rules(EXAMPLES / "universal_child_benefit.yaml"), df, 2025)
    taylor = Design(weights="weight", strata="strata", psu="psu", lonely_psu="adjust")
    jkn = ReplicateDesign.from_design(taylor, "JKn")
    a = measure_impact(run, taylor, breakdowns=False)
    b = measure_impact(run, jkn, breakdowns=False)
    ca, cb = a.get("cost", "base"), b.get("cost", "base")
    assert ca[0] == pytest.approx(cb[0], rel=1e-12)
    assert ca[1] == pytest.approx(cb[1], rel=1e-8)
    ha, hb = a.get("fgt0", "base", line="national"), b.get("fgt0", "base", line="national")
    assert ha[0] == pytest.approx(hb[0], rel=1e-12)
    assert ha[1] == pytest.approx(hb[1], rel=0.1)


def test_a_zero_or_missing_poverty_line_is_an_error_not_nan() -> None:
    from socialcover.microsim import MicrosimDataError

    df = random_population(20, 1)
    run = run_population(load_rules(EXAMPLES / "universal_child_benefit.yaml"), df, 2025)
    with pytest.raises(MicrosimDataError) as info:
        measure_impact(run, lines={"zero": 0.0})
    assert info.value.code == "microsim.bad-line"
    holes = run_population(
        load_rules(EXAMPLES / "universal_child_benefit.yaml"),
        df.with_columns(pl.lit(None, pl.Float64).alias("poverty_line")),
        2025,
    )
    with pytest.raises(MicrosimDataError):
        measure_impact(holes)
