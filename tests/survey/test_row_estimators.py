"""Estimators over a design bound row by row: the same numbers as Sample, examples that run."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import polars as pl
import pytest

from socialcover.survey import (
    Design,
    EstimateError,
    Sample,
    bind_rows,
    gini_linearised,
    groups_of,
    ratios,
    totals,
    unit_sums,
)


@pytest.mark.parametrize("module", ["rows", "ratios", "gini", "linearised"])
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"socialcover.survey.{module}"))
    assert result.attempted > 0
    assert result.failed == 0


DESIGNS = {
    "stratified": ("apistrat", Design(weights="pw", strata="stype", psu="snum", fpc="fpc")),
    "element": ("apistrat", Design(weights="pw", strata="stype", fpc="fpc")),
    "two-stage": ("apiclus2", Design(weights="pw", psu=("dnum", "snum"), fpc=("fpc1", "fpc2"))),
}


@pytest.mark.parametrize("name", list(DESIGNS))
def test_ratios_and_totals_by_group_equal_sample(api: dict[str, pl.DataFrame], name: str) -> None:
    data_name, d = DESIGNS[name]
    data = api[data_name].with_columns(pl.col("enroll").cast(pl.Float64), pl.lit(1.0).alias("one"))
    data = data.filter(pl.col("enroll").is_not_null())
    rows = bind_rows(data, d)
    groups = groups_of(data, "awards")
    sums = unit_sums(rows, data, groups, ["api00", "enroll", "one"], ["enroll", "one"])
    pairs = [("api00", "enroll"), ("enroll", "one")]
    got = ratios(rows, sums, pairs)
    tot = totals(rows, sums, ["api00", "enroll"])
    sample = Sample(data, d)
    for j, (y, x) in enumerate(pairs):
        want = sample.ratio(y, x, by="awards", df="design").to_polars().sort("awards")
        np.testing.assert_allclose(
            got.numerator[j] / got.denominator[j], want["estimate"].to_numpy(), rtol=1e-12
        )
        np.testing.assert_allclose(np.sqrt(got.variance[j]), want["se"].to_numpy(), rtol=1e-10)
        np.testing.assert_array_equal(got.df, want["df"].to_numpy())
    for j, y in enumerate(["api00", "enroll"]):
        want = sample.total(y, by="awards", df="design").to_polars().sort("awards")
        np.testing.assert_allclose(tot.total[j], want["estimate"].to_numpy(), rtol=1e-12)
        np.testing.assert_allclose(np.sqrt(tot.variance[j]), want["se"].to_numpy(), rtol=1e-10)
        np.testing.assert_array_equal(tot.df, want["df"].to_numpy())


def test_a_difference_of_ginis_on_the_same_rows_has_the_paired_se() -> None:
    rng = np.random.default_rng(1)
    n = 400
    frame = pl.DataFrame(
        {"w": rng.uniform(1, 3, n), "h": np.arange(n) // 5 % 4, "ea": np.arange(n) // 5}
    )
    rows = bind_rows(frame, Design(weights="w", strata="h", psu="ea"))
    y = rng.lognormal(0, 1, n)
    base = gini_linearised(y, rows.weights)
    same = gini_linearised(y, rows.weights)
    change = same - base
    var, df = change.variance(rows)
    assert change.estimate[0] == 0.0
    assert var[0] == 0.0
    assert df[0] == float(frame["ea"].n_unique() - 4)


def test_statistics_on_different_rows_do_not_combine() -> None:
    a = gini_linearised(np.array([1.0, 2.0, 3.0]), np.ones(3))
    b = gini_linearised(np.array([1.0, 2.0]), np.ones(2))
    with pytest.raises(EstimateError, match="same rows"):
        _ = a - b


def test_a_group_without_income_has_no_gini() -> None:
    g = gini_linearised(np.zeros(3), np.ones(3))
    assert np.isnan(g.estimate[0])
    assert not g.z.any()
