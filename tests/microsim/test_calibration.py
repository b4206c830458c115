"""Calibration to a budget or a poverty target, and PMT targeting errors."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.errors import InputError
from socialcover.microsim.calibration import _Evaluator, calibrate, proxy_means_test
from socialcover.microsim.rules import load_rules

from .populations import random_population

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "microsim"


def test_budget_calibration_of_a_universal_benefit_is_exact() -> None:
    df = random_population(300, 2)
    children = float(df.filter(pl.col("age") < 18)["weight"].sum())
    budget = 3.0e7
    c = calibrate(
        str(EXAMPLES / "universal_child_benefit.yaml"),
        df,
        period=2025,
        parameter="child_benefit.amount",
        budget=budget,
        xtol=1e-6,
    )
    assert c.value == pytest.approx(budget / (12 * children), abs=1e-5)
    assert abs(c.gap) < 12 * children * 1e-5


def test_poverty_target_is_reached_at_the_level_found() -> None:
    df = random_population(300, 4)
    rules = load_rules(EXAMPLES / "means_tested_transfer.yaml")
    c = calibrate(
        rules,
        df,
        period=2025,
        parameter="transfer.base",
        poverty_reduction=0.02,
        line=6000.0,
        xtol=0.01,
        bracket=(0.0, 50_000.0),
    )
    ev = _Evaluator(rules, df, 2025, "weight", None)
    at = ev.poverty({"transfer.base": c.value + 0.01}, 6000.0, 0)
    before = ev.poverty({"transfer.base": c.value - 0.02}, 6000.0, 0)
    assert at <= c.target + 1e-12 < before


def test_unreachable_budget_says_so() -> None:
    df = random_population(20, 1)
    with pytest.raises(InputError) as info:
        calibrate(
            str(EXAMPLES / "universal_child_benefit.yaml"),
            df,
            period=2025,
            parameter="child_benefit.amount",
            budget=1e9,
            bracket=(0.0, 1.0),
        )
    assert info.value.code == "microsim.calibration-unreachable"


def test_pmt_errors_match_their_definitions() -> None:
    df = random_population(300, 5)
    r = proxy_means_test(
        df, "8.0 - 0.2 * hh_size() + 0.3 * (urban == 'urban')", cutoff=7.3, poor="welfare < 1500"
    )
    s = r.scores.with_columns(w=df["weight"])
    poor, sel = s["poor"].cast(float), s["selected"].cast(float)
    w = s["w"]
    exclusion = float((w * poor * (1 - sel)).sum() / (w * poor).sum())
    inclusion = float((w * sel * (1 - poor)).sum() / (w * sel).sum())
    assert r.get("exclusion_error")[0] == pytest.approx(exclusion, rel=1e-10)
    assert r.get("inclusion_error")[0] == pytest.approx(inclusion, rel=1e-10)
    assert r.get("exclusion_error")[1] > 0
    # household score: every member of a household has the same score
    assert s.group_by("hh_id").agg(pl.col("score").n_unique())["score"].max() == 1
