"""The indicator table on Spark equals DuckDB's: same SQL, same survey-engine estimators.

The session is the test process's (``spark`` fixture: local[1], or the standalone master and
worker CI starts), passed as a user would; Parquet paths are read by Spark itself. Estimates,
SEs, intervals and the sums behind them agree to 1e-9 (relative: Spark adds its sums in
another order than DuckDB's one thread); counts, degrees of freedom, flags and notes exactly.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from socialcover.errors import InputError, SocialcoverWarning
from socialcover.indicators import compute_indicators
from socialcover.survey import LonelyPsuError, UnknownColumnError
from socialcover.survey.io import SurveyParameters
from socialcover.testing import synthetic_survey

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore::socialcover.errors.SocialcoverWarning"),
]

KEYS = ["code", "disaggregation", "group", "category"]
EXACT = ["n", "df", "flag", "reason", "note", "unit", "method"]
CLOSE = ["value", "se", "ci_low", "ci_high", "cv", "numerator", "denominator"]


@pytest.fixture(scope="module")
def persons(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, Path]:
    """6,000 persons with some missing values, as a frame and as a Parquet file."""
    data = synthetic_survey(6_000, seed=5)
    rng = np.random.default_rng(5)
    data = data.with_columns(
        pl.when(pl.Series(rng.random(data.height) < 0.08))
        .then(None)
        .otherwise(pl.col("contributes"))
        .alias("contributes"),
        pl.when(pl.Series(rng.random(data.height) < 0.04))
        .then(None)
        .otherwise(pl.col("age"))
        .alias("age"),
    )
    path = tmp_path_factory.mktemp("spark-indicators") / "persons.parquet"
    data.write_parquet(path)
    return data, path


def _assert_same(duck: pl.DataFrame, spark: pl.DataFrame) -> None:
    assert duck.select(KEYS).equals(spark.select(KEYS))
    for col in EXACT:
        assert duck[col].equals(spark[col]), col
    for col in CLOSE:
        a = duck[col].cast(pl.Float64).fill_null(np.nan).to_numpy()
        b = spark[col].cast(pl.Float64).fill_null(np.nan).to_numpy()
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=col)
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=0, err_msg=col)


def test_every_indicator_by_every_breakdown_and_a_domain(
    spark: Any, persons: tuple[pl.DataFrame, Path]
) -> None:
    data, path = persons
    duck = compute_indicators(path, by=["region"]).frame
    on_spark = compute_indicators(str(path), by=["region"], engine="spark", spark=spark)
    assert duck.height > 400
    assert duck["value"].is_not_null().sum() > 400
    assert duck["note"].drop_nulls().str.contains("without a numerator value").any()
    assert {"quintile", "region", "age_band"} <= set(duck["disaggregation"])
    _assert_same(duck, on_spark.frame)
    assert on_spark.design == compute_indicators(data, codes=["coverage.children"]).design


def test_a_spark_frame_pre_transfer_quintiles_fpc_and_lonely_psus(
    spark: Any, persons: tuple[pl.DataFrame, Path]
) -> None:
    data, _ = persons
    first = data["psu"].min()
    data = data.with_columns(
        pl.when(pl.col("psu") == first)
        .then(pl.lit("alone"))
        .otherwise(pl.col("strata"))
        .alias("strata"),
        (pl.col("weight").sum().over("strata") / 5).alias("fpc"),
    )
    sdf = spark.createDataFrame(data.to_arrow())
    kwargs: dict[str, Any] = {
        "codes": ["coverage.", "aspire.benefit_incidence", "aspire.gini_reduction"],
        "quintiles_of": "pre",
        "parameters": SurveyParameters(pensionable_age=60, child_age_max=17),
        "lonely_psu": "adjust",
    }
    duck = compute_indicators(data, **kwargs).frame
    assert (duck["disaggregation"] == "quintile").any()
    _assert_same(duck, compute_indicators(sdf, **kwargs).frame)
    with pytest.raises(LonelyPsuError) as duck_error:
        compute_indicators(data, codes=["coverage.children"])
    with pytest.raises(LonelyPsuError) as spark_error:
        compute_indicators(sdf, codes=["coverage.children"])
    assert str(spark_error.value) == str(duck_error.value)


def test_the_gini_reduction_with_ties_across_ranges_equals_duckdb(
    spark: Any, persons: tuple[pl.DataFrame, Path]
) -> None:
    # Welfare rounded to hundreds: long runs of tied values across households, split by the
    # ranges Spark's running sums cut (four per shuffle partition), in every group.
    data, _ = persons
    data = data.with_columns((pl.col("welfare") / 100).round() * 100)
    assert data["welfare"].n_unique() < data["hh_id"].n_unique() / 2
    sdf = spark.createDataFrame(data.to_arrow())
    kwargs: dict[str, Any] = {"codes": ["aspire.gini_reduction"], "by": ["region"]}
    duck = compute_indicators(data, **kwargs).frame
    assert duck.filter(pl.col("disaggregation") == "region").height > 1
    assert duck["value"].is_not_null().all()
    _assert_same(duck, compute_indicators(sdf, **kwargs).frame)


def test_the_user_session_keeps_its_views_and_no_cache_is_left(
    spark: Any, persons: tuple[pl.DataFrame, Path]
) -> None:
    from socialcover.indicators.bounded import open_workspace

    data, path = persons
    spark.createDataFrame([(1,)], ["x"]).createOrReplaceTempView("persons")
    before = {t.name for t in spark.catalog.listTables()}
    work = open_workspace(
        str(path),
        data.columns,
        parameters=None,
        contributory={"old_age"},
        quintiles_of="post",
        lonely_psu="fail",
        engine="spark",
        spark=spark,
    )
    try:
        # the design was bound on one row per sampling unit, not per person
        assert work.bound.unit.size == data["psu"].n_unique() < data.height / 5
    finally:
        work.close()
    assert {t.name for t in spark.catalog.listTables()} == before
    assert spark.table("persons").collect()[0].x == 1
    spark.catalog.dropTempView("persons")
    table = compute_indicators(str(path), codes=["coverage.older_persons"], spark=spark)
    assert 0 < (table.value("coverage.older_persons") or 0) < 100
    assert not any(t.name.startswith("sc_indicators_") for t in spark.catalog.listTables())


def test_what_cannot_run_on_spark_says_so(
    spark: Any, persons: tuple[pl.DataFrame, Path], tmp_path: Path
) -> None:
    _, path = persons
    sdf = spark.read.parquet(str(path))
    with pytest.raises(InputError) as err:
        compute_indicators(sdf.drop("psu"))
    assert err.value.code == "indicators.spark-needs-psu"
    with pytest.raises(InputError) as err:
        compute_indicators(sdf, engine="duckdb")
    assert err.value.code == "indicators.engine-mismatch"
    with pytest.raises(UnknownColumnError) as missing:
        compute_indicators(str(tmp_path / "none.parquet"), engine="spark", spark=spark)
    assert missing.value.code == "survey.file-not-found"
    zero = sdf.withColumn("welfare_scale", sdf["welfare_scale"] * 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        with pytest.raises(InputError) as err:
            compute_indicators(zero, codes=["aspire.adequacy"])
    assert err.value.code == "indicators.division-by-zero"
