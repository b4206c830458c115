"""The Gini reduction: known values, the influence function as an exact derivative, jackknife."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest

from socialcover.errors import SocialcoverWarning
from socialcover.indicators import compute_indicators, prepare_variables
from socialcover.survey import Groups, gini_linearised
from socialcover.testing import synthetic_survey


def gini_scores(
    values: np.ndarray, weights: np.ndarray, groups: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Gini per group and the linearised variable per row (the survey package's)."""
    g = gini_linearised(values, weights, Groups([str(k) for k in range(n_groups)], groups))
    return g.estimate, g.z


def _gini(values: np.ndarray, weights: np.ndarray) -> float:
    g, _ = gini_scores(values, weights, np.zeros(values.size, np.int64), 1)
    return float(g[0])


def test_known_values() -> None:
    assert _gini(np.array([5.0, 5.0, 5.0]), np.ones(3)) == pytest.approx(0.0)
    # one person holds everything: (n - 1) / n with the finite-sample term of Langel-Tille
    assert _gini(np.array([0.0, 0.0, 0.0, 1.0]), np.ones(4)) == pytest.approx(0.75)
    # integer weights are the same as repeating the rows (up to the finite-sample term)
    a = _gini(np.array([1.0, 2.0, 6.0]), np.array([2.0, 1.0, 1.0]))
    b = _gini(np.array([1.0, 1.0, 2.0, 6.0]), np.ones(4))
    assert a == pytest.approx(b)


def test_linearised_values_are_the_derivative_with_respect_to_each_weight() -> None:
    rng = np.random.default_rng(4)
    n = 60
    y = rng.lognormal(0, 0.8, n)
    w = rng.uniform(1, 5, n)
    groups = rng.integers(0, 3, n).astype(np.int64)
    _, z = gini_scores(y, w, groups, 3)
    eps = 1e-6
    for j in range(0, n, 7):
        up, down = w.copy(), w.copy()
        up[j] += eps
        down[j] -= eps
        numeric = (gini_scores(y, up, groups, 3)[0] - gini_scores(y, down, groups, 3)[0]) / (
            2 * eps
        )
        assert numeric[groups[j]] == pytest.approx(z[j], rel=1e-5, abs=1e-9)
        others = [k for k in range(3) if k != groups[j]]
        assert np.allclose(numeric[others], 0.0, atol=1e-9)


def _reduction(pre: np.ndarray, post: np.ndarray, w: np.ndarray) -> float:
    g_pre, g_post = _gini(pre, w), _gini(post, w)
    return (g_pre - g_post) / g_pre * 100


def test_linearised_se_agrees_with_a_delete_one_psu_jackknife() -> None:
    survey = synthetic_survey(12_000, seed=21)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        table = compute_indicators(survey, codes=["aspire.gini_reduction"], disaggregations=[])
    se_lin = table.frame["se"][0]
    frame = prepare_variables(survey).frame
    pre = frame["welfare_pre"].to_numpy()
    post = frame["welfare"].to_numpy()
    w = frame["weight"].to_numpy()
    psu = frame["psu"].to_numpy()
    stratum = frame["strata"].to_numpy()
    full = _reduction(pre, post, w)
    assert table.frame["value"][0] == pytest.approx(full)
    var = 0.0
    for h in np.unique(stratum):
        psus = np.unique(psu[stratum == h])
        n_h = psus.size
        reps = []
        for p in psus:
            wr = w.copy()
            wr[psu == p] = 0.0
            wr[(stratum == h) & (psu != p)] *= n_h / (n_h - 1)
            reps.append(_reduction(pre, post, wr))
        reps_a = np.asarray(reps)
        var += (n_h - 1) / n_h * ((reps_a - reps_a.mean()) ** 2).sum()
    assert se_lin == pytest.approx(np.sqrt(var), rel=0.05)  # measured: within 0.3%


def test_domain_gini_is_the_gini_of_the_domain(survey: pl.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        table = compute_indicators(survey, codes=["aspire.gini_reduction"])
    frame = prepare_variables(survey).frame.filter(pl.col("urban") == "rural")
    expected = _reduction(
        frame["welfare_pre"].to_numpy(), frame["welfare"].to_numpy(), frame["weight"].to_numpy()
    )
    assert table.value("aspire.gini_reduction", "urban", "rural") == pytest.approx(expected)
