"""Sums per sampling unit asked of the back-end, and running sums by ranges on Spark.

``sum_units`` / ``sum_units_by`` (one statement, grouping sets for several breakdowns) with
``unit_design``, and ``estimate_units`` (element and replicate designs too), give
``Sample``'s means and totals; ``sum_units`` refuses replicate designs with a code.
``running_sums`` on Spark gives NumPy's sequential running sums in a stable sort order,
ties included, with ranges cut inside a run of tied values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest

from socialcover.survey import (
    Design,
    DesignError,
    ReplicateDesign,
    Sample,
    bind,
    estimate_units,
    ratios,
    running_sums,
    sum_units,
    sum_units_by,
    totals,
    unit_design,
)


def _persons(n: int = 240, seed: int = 2) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "w": rng.uniform(1, 4, n),
            "h": rng.integers(0, 4, n),
            "ea": np.arange(n) // 6,
            "sex": pl.Series(rng.choice(["f", "m", "x"], n)).replace("x", None),
            "band": rng.integers(0, 3, n),
            "y": rng.normal(10, 3, n),
        }
    )


DESIGN = Design(weights="w", strata="h", psu="ea", nest=True, lonely_psu="adjust")


@pytest.mark.parametrize("by", [None, "sex", "band"])
def test_unit_sums_in_sql_give_sample_means_and_totals(by: str | None) -> None:
    df = _persons()
    bound = bind(df, DESIGN)
    got = sum_units_by(bound, {"y": "y", "one": "1"}, [None, "sex", "band"], counts=["one"])
    alone = sum_units(bound, {"y": "y", "one": "1"}, by=by, counts=["one"])
    assert got[by].levels == alone.levels
    rows = unit_design(bound)
    r = ratios(rows, got[by], [("y", "one")])
    t = totals(rows, got[by], ["y"])
    mean = Sample(df, DESIGN).mean("y", by=by).to_polars()
    total = Sample(df, DESIGN).total("y", by=by).to_polars()
    if by is not None:
        mean, total = mean.filter(pl.col(by).is_not_null()), total.filter(pl.col(by).is_not_null())
    np.testing.assert_allclose(r.numerator[0] / r.denominator[0], mean["estimate"], rtol=1e-12)
    np.testing.assert_allclose(np.sqrt(r.variance[0]), mean["se"], rtol=1e-12)
    np.testing.assert_allclose(t.total[0], total["estimate"], rtol=1e-12)
    np.testing.assert_allclose(np.sqrt(t.variance[0]), total["se"], rtol=1e-12)


@pytest.mark.parametrize(
    "design",
    [
        Design(weights="w"),
        Design(weights="w", strata="h", lonely_psu="adjust"),
        DESIGN,
        ReplicateDesign(weights="w", replicate_weights=("r1", "r2", "r3"), type="bootstrap"),
        ReplicateDesign.from_design(DESIGN, type="JKn"),
    ],
    ids=["element", "stratified-element", "clusters", "bootstrap-columns", "jkn"],
)
def test_estimate_units_give_sample_means_and_totals(design: Any) -> None:
    """Element designs too (sums per (group, stratum), then the exact squared scores), and
    replicate designs (every replicate's sums per group)."""
    rng = np.random.default_rng(9)
    df = (
        _persons()
        .with_columns(
            [
                (pl.col("w") * pl.Series(rng.poisson(1.0, 240).astype(float))).alias(r)
                for r in ("r1", "r2", "r3")
            ]
        )
        .with_columns(one=pl.lit(1.0))
    )
    bound = bind(df, design)
    got = estimate_units(bound, {"y": "y"}, {"y": "y", "one": "one"}, [None, "sex", "band"])
    sample = Sample(df, design)
    for by, u in got.items():
        for kind, name in (("mean", "y"), ("mean", "one"), ("total", "y")):
            ref = (sample.mean if kind == "mean" else sample.total)(name, by=by).to_polars()
            if by is not None:
                ref = ref.filter(pl.col(by).is_not_null())
            est, var = (u.means if kind == "mean" else u.totals)[name]
            np.testing.assert_allclose(est, ref["estimate"], rtol=1e-12)
            # a constant's mean has SE 0, not the rounding of an expanded square
            np.testing.assert_allclose(np.sqrt(var), ref["se"], rtol=1e-10, atol=1e-15)


def test_unit_sums_refuse_replicate_designs() -> None:
    df = _persons().with_columns(r1=pl.col("w"), r2=pl.col("w") * 2)
    design = ReplicateDesign(weights="w", replicate_weights=("r1", "r2"), type="bootstrap")
    with pytest.raises(DesignError) as err:
        sum_units(bind(df, design), {"y": "y"})
    assert err.value.code == "survey.design-invalid"


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_running_sums_on_spark_equal_a_stable_sort(spark: Any) -> None:
    rng = np.random.default_rng(4)
    n = 600
    y = np.round(rng.exponential(2.0, n))  # long runs of tied values (0, 1, 2...)
    w = rng.uniform(0.5, 3.0, n)
    df = pl.DataFrame({"y": y, "row": np.arange(n, dtype=np.int64), "w": w, "h": np.arange(n) % 3})
    sdf = spark.createDataFrame(df.to_arrow())
    run = running_sums(
        sdf,
        ["y", "row"],
        {"n_k": "w", "t_k": "w * y"},
        products={"a": ("w * y", "n_k")},
        also={"b": "w * w * y"},
        ranges=7,
    )
    try:
        got = pl.from_arrow(run.frame.toArrow()).sort("row")
        order = np.argsort(y, kind="stable")
        n_k, t_k = np.empty(n), np.empty(n)
        n_k[order], t_k[order] = np.cumsum(w[order]), np.cumsum((w * y)[order])
        np.testing.assert_allclose(got["n_k"], n_k, rtol=1e-12)
        np.testing.assert_allclose(got["t_k"], t_k, rtol=1e-12)
        assert run.rows == n and run.ranges > 2
        assert run.totals["n_k"] == pytest.approx(w.sum(), rel=1e-12)
        assert run.products["a"] == pytest.approx(float(np.sum(w * y * n_k)), rel=1e-12)
        assert run.totals["b"] == pytest.approx(float(np.sum(w * w * y)), rel=1e-12)
        # the bound design on Spark gives the same unit sums as on DuckDB
        design = Design(weights="w", strata="h", psu="row")
        on_spark = sum_units(bind(sdf, design, backend="spark"), {"y": "y"}, by="h")
        on_duck = sum_units(bind(df, design), {"y": "y"}, by="h")
        assert on_spark.levels == on_duck.levels
        key = np.lexsort((on_spark.unit, on_spark.dom))
        ref = np.lexsort((on_duck.unit, on_duck.dom))
        np.testing.assert_allclose(on_spark.sums["y"][key], on_duck.sums["y"][ref], rtol=1e-12)
    finally:
        run.release()


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_running_sums_by_group_restart_in_every_group(spark: Any) -> None:
    rng = np.random.default_rng(5)
    n = 500
    y = np.round(rng.exponential(2.0, n))
    w = rng.uniform(0.5, 3.0, n)
    g = np.where(rng.uniform(size=n) < 0.8, "big", np.where(rng.uniform(size=n) < 0.5, "a", "z"))
    df = pl.DataFrame({"y": y, "row": np.arange(n, dtype=np.int64), "w": w, "g": g})
    sdf = spark.createDataFrame(df.to_arrow())
    run = running_sums(
        sdf,
        ["y", "row"],
        {"n_k": "w", "t_k": "w * y"},
        products={"a": ("w * y", "n_k")},
        also={"b": "w"},
        ranges=9,
        partition=["g"],
    )
    try:
        got = pl.from_arrow(run.frame.toArrow()).sort("row")
        assert got.columns == ["y", "row", "w", "g", "n_k", "t_k"]
        n_k, t_k = np.empty(n), np.empty(n)
        for level in ("a", "big", "z"):
            idx = np.flatnonzero(g == level)
            order = idx[np.argsort(y[idx], kind="stable")]
            n_k[order], t_k[order] = np.cumsum(w[order]), np.cumsum((w * y)[order])
        np.testing.assert_allclose(got["n_k"], n_k, rtol=1e-12)
        np.testing.assert_allclose(got["t_k"], t_k, rtol=1e-12)
        assert run.rows == n and run.ranges > 2  # the big group is split across ranges
        assert run.totals["n_k"] == pytest.approx(w.sum(), rel=1e-12)
        assert run.totals["b"] == pytest.approx(w.sum(), rel=1e-12)
        assert run.products["a"] == pytest.approx(float(np.sum(w * y * n_k)), rel=1e-12)
    finally:
        run.release()
