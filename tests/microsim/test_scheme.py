"""The informal-economy contributory scheme: take-up, costs, variants, Monte Carlo."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from socialcover.microsim import RuleError
from socialcover.microsim.scheme import TakeUp, load_scheme, run_scheme, take_up_probability

from .populations import random_population

SCHEME = Path(__file__).resolve().parents[2] / "docs/examples/microsim/scheme_own_account.yaml"


def _people() -> pl.DataFrame:
    return random_population(400, 21)


def test_take_up_falls_with_price_and_rises_with_income() -> None:
    t = TakeUp(intercept=-1, price_elasticity=-0.8, income_effect=0.4, transaction_cost=50)
    prices = np.array([0.0, 50.0, 200.0, 800.0, 3200.0])
    p = take_up_probability(prices, np.full(5, 10_000.0), 10_000.0, t)
    assert p[0] == p[1]  # below the transaction cost joining costs the same
    assert np.all(np.diff(p[1:]) < 0)
    q = take_up_probability(np.full(3, 500.0), np.array([5e3, 1e4, 2e4]), 1e4, t)
    assert np.all(np.diff(q) > 0)
    # the documented elasticity: d ln P / d ln p = b (1 - P)
    eps = 1e-6
    p1 = take_up_probability(np.array([800.0]), np.array([1e4]), 1e4, t)[0]
    p2 = take_up_probability(np.array([800.0 * (1 + eps)]), np.array([1e4]), 1e4, t)[0]
    assert (np.log(p2) - np.log(p1)) / np.log(1 + eps) == pytest.approx(-0.8 * (1 - p1), rel=1e-4)


def test_variants_side_by_side_and_identities() -> None:
    result = run_scheme(SCHEME, _people(), draws=30)
    variants = set(result.table["variant"])
    assert variants == {"as written", "no subsidy", "flat 300", "income-related"}
    assert result.get("no subsidy", "subsidy_cost")["estimate"] == 0.0
    # a subsidy lowers the price, so more join
    assert (
        result.get("as written", "members")["estimate"]
        > result.get("no subsidy", "members")["estimate"]
    )
    # members are the expected take-up among the eligible: a probability-weighted count
    m = result.get("as written", "members")
    e = result.get("as written", "eligible")
    cov = result.get("as written", "coverage_gained_of_eligible")
    assert cov["estimate"] == pytest.approx(m["estimate"] / e["estimate"], rel=1e-12)
    assert 0 < cov["estimate"] < 1 and cov["se"] > 0
    assert cov["p5"] < cov["estimate"] < cov["p95"]
    # with half the contribution subsidised, the subsidy is half of contributions collected
    half = result.get("as written", "subsidy_cost")["estimate"]
    assert half == pytest.approx(0.5 * result.get("as written", "contributions")["estimate"])
    groups = result.table.filter(pl.col("group").str.starts_with("group="))
    assert set(groups["group"]) <= {
        "group=own_account",
        "group=contributing_family",
        "group=informal_employee",
    }


def test_monte_carlo_is_seeded() -> None:
    a = run_scheme(SCHEME, _people(), draws=20, seed=7).table
    b = run_scheme(SCHEME, _people(), draws=20, seed=7).table
    c = run_scheme(SCHEME, _people(), draws=20, seed=8).table
    from polars.testing import assert_frame_equal

    assert_frame_equal(a, b, rel_tol=1e-10)
    mc = pl.col("p5").is_not_null()
    assert not np.allclose(a.filter(mc)["p5"].to_numpy(), c.filter(mc)["p5"].to_numpy())


def test_bad_scheme_points_at_its_line(tmp_path: Path) -> None:
    text = SCHEME.read_text().replace("kind: share\n", "kind: sahre\n", 1)
    path = tmp_path / "scheme.yaml"
    path.write_text(text)
    with pytest.raises(RuleError) as info:
        load_scheme(path)
    assert info.value.where.file == str(path)
    assert "sahre" in info.value.message and "flat" in info.value.hint
    bad_expr = SCHEME.read_text().replace('== "own_account"', "== 3", 1)
    path.write_text(bad_expr)
    with pytest.raises(RuleError) as info:
        load_scheme(path)
    assert info.value.code == "microsim.unit-mismatch"
    assert info.value.where.line == 8
