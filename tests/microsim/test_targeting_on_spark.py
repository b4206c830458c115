"""Calibration, proxy means tests and schemes on Spark give the in-memory numbers.

The same small population runs in memory and on Spark (the test process's session: local[1],
or the standalone master CI starts): calibrated values, targeting errors and the scheme's
table (estimates, SEs and Monte Carlo bands) must agree to 1e-9.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from socialcover.errors import InputError, SocialcoverError
from socialcover.microsim import MicrosimDataError
from socialcover.microsim.calibration import calibrate, proxy_means_test
from socialcover.microsim.scheme import calibrate_take_up, run_scheme
from socialcover.survey import Design

from .populations import random_population

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "microsim"
SCHEME = EXAMPLES / "scheme_own_account.yaml"


def _close(a: float, b: float, tol: float = 1e-9) -> bool:
    return (a != a and b != b) or abs(a - b) <= tol * (1 + abs(a))


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, Path]:
    # a line of 6000 LCU a year: a fifth of the persons are poor
    df = random_population(120, 21).with_columns(poverty_line=pl.lit(6000.0))
    path = tmp_path_factory.mktemp("targeting-spark") / "persons.parquet"
    df.write_parquet(path)
    return df, path


def test_budget_calibration_on_spark_equals_memory(spark: Any, people: Any) -> None:
    df, _ = people
    kw: dict[str, Any] = dict(
        period=2025,
        parameter="child_benefit.amount",
        budget=2.0e6,
        xtol=1e-4,
        bracket=(0.0, 400.0),
    )
    rules = str(EXAMPLES / "universal_child_benefit.yaml")
    mem = calibrate(rules, df, **kw)
    on = calibrate(rules, spark.createDataFrame(df.to_arrow()), **kw)
    assert _close(on.value, mem.value) and _close(on.achieved, mem.achieved)
    # The same root search: sums added in another order differ in their last bits, and Brent's
    # method may then stop one step earlier or later (the target met exactly, or to 1e-15).
    assert abs(on.evaluations - mem.evaluations) <= 1


def test_poverty_calibration_reads_a_path_with_spark(spark: Any, people: Any) -> None:
    df, path = people
    kw: dict[str, Any] = dict(
        period=2025,
        parameter="transfer.base",
        poverty_reduction=0.02,
        measure="fgt1",
        line="poverty_line",
        xtol=1.0,
        bracket=(0.0, 20_000.0),
    )
    rules = str(EXAMPLES / "means_tested_transfer.yaml")
    mem = calibrate(rules, df, **kw)
    on = calibrate(rules, str(path), engine="spark", spark=spark, **kw)
    assert _close(on.value, mem.value) and _close(on.target, mem.target)
    assert _close(on.achieved, mem.achieved)


def test_pmt_on_spark_equals_memory(spark: Any, people: Any) -> None:
    df, _ = people
    formula = "8.0 - 0.2 * hh_size() + 0.3 * (urban == 'urban')"
    mem = proxy_means_test(df, formula, cutoff=7.3, poor="welfare < 1500")
    sdf = spark.createDataFrame(df.to_arrow())
    on = proxy_means_test(sdf, formula, cutoff=7.3, poor="welfare < 1500")
    assert type(on.scores).__module__.startswith("pyspark.sql")  # left lazy
    for ind in ("exclusion_error", "inclusion_error", "share_selected", "share_poor"):
        (a, sa), (b, sb) = mem.get(ind), on.get(ind)
        assert _close(a, b) and _close(sa, sb), ind
    assert mem.get("exclusion_error")[1] > 0
    # an element design (no PSUs) goes through the survey engine's Sample on Spark
    design = Design(weights="weight", strata="strata")
    mem = proxy_means_test(df, formula, cutoff=7.3, poor="welfare < 1500", design=design)
    on = proxy_means_test(sdf, formula, cutoff=7.3, poor="welfare < 1500", design=design)
    for ind in ("exclusion_error", "share_poor"):
        (a, sa), (b, sb) = mem.get(ind), on.get(ind)
        assert _close(a, b) and _close(sa, sb), ind


def test_scheme_on_spark_equals_memory(spark: Any, people: Any) -> None:
    df, path = people
    mem = run_scheme(SCHEME, df, draws=25, seed=3)
    on = run_scheme(SCHEME, str(path), draws=25, seed=3, engine="spark", spark=spark)
    assert type(on.persons).__module__.startswith("pyspark.sql")
    key = ["variant", "indicator", "group"]
    assert on.table.height == mem.table.height
    joined = mem.table.join(on.table, on=key, how="full", suffix="_s")
    assert joined["estimate"].null_count() == 0 and joined["estimate_s"].null_count() == 0
    for col in ("estimate", "se", "p5", "p95"):
        bad = [
            r
            for r in joined.iter_rows(named=True)
            if not _close(
                float("nan") if r[col] is None else r[col],
                float("nan") if r[f"{col}_s"] is None else r[f"{col}_s"],
            )
        ]
        assert not bad, (col, bad[:3])
    # not a test of zeros: people join, at a cost, with SEs
    members = on.get("as written", "members")
    assert members["estimate"] > 0 and members["se"] > 0 and members["p5"] < members["p95"]
    probs = on.persons.selectExpr("SUM(`take_up__as written`) AS s").first()["s"]
    assert np.isclose(probs, mem.persons["take_up__as written"].sum(), rtol=1e-9)


def test_take_up_intercept_on_spark_equals_memory(spark: Any, people: Any) -> None:
    df, _ = people
    eligible = run_scheme(SCHEME, df, draws=0).get("as written", "eligible")["estimate"]
    mem = calibrate_take_up(SCHEME, df, enrolment=0.2 * eligible)
    on = calibrate_take_up(SCHEME, spark.createDataFrame(df.to_arrow()), enrolment=0.2 * eligible)
    assert _close(on.value, mem.value) and _close(on.achieved, mem.achieved)
    assert on.relative_error < 1e-9


def test_spark_refusals_keep_their_codes(spark: Any, people: Any) -> None:
    df, _ = people
    sdf = spark.createDataFrame(df.drop("welfare").to_arrow())
    with pytest.raises(MicrosimDataError) as info:
        run_scheme(SCHEME, sdf, draws=0)
    assert info.value.code == "microsim.missing-column"
    with pytest.raises(InputError) as missing:
        run_scheme(SCHEME, df, mapping="map.yaml", engine="spark", spark=spark)
    assert missing.value.code == "survey.mapping-not-found"
    with pytest.raises(MicrosimDataError) as info:
        calibrate_take_up(SCHEME, df, enrolment=1.0, engine="hadoop")
    assert info.value.code == "microsim.bad-backend"
    # Spark's own failure (a weight it cannot cast) comes out as the project's error
    bad = spark.createDataFrame(df.head(30).with_columns(weight=pl.lit("heavy")).to_arrow())
    with pytest.raises(SocialcoverError) as failed:
        calibrate(
            str(EXAMPLES / "universal_child_benefit.yaml"),
            bad,
            period=2025,
            parameter="child_benefit.amount",
            budget=1e5,
            bracket=(0.0, 400.0),
        )
    assert failed.value.code == "survey.backend-error"
    assert "evaluating the rules for calibration" in failed.value.message
