"""The same estimators on Apache Spark (local mode) give R's numbers, as DuckDB does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from survey_oracle import GOLDEN, compare, estimate_case, read_fixture

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

CASES = {c["id"]: c for c in json.loads((GOLDEN / "parity.json").read_text())["cases"]}
SPARK_CASES = [
    "srs_fpc-mean",
    "strat-total-by",
    "clus1_fpc-ratio-by",
    "clus2_fpc-mean-where-by",
    "nhanes-mean-by-age",
    "nhanes-diff-sex",
    "lonely-average-fpc-total-by",
    "lonely-adjust-where",
    "clus1_fpc-prop-beta",
    "clus1_fpc-quantile-math",
    "clus1_ps-mean-by-awards",
    "clus1_rake-mean-by",
    "strat_jkn-mean",
    "nhanes_jkn-mean-by",
    "boot_cols-total-by",
]


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pyspark = pytest.importorskip("pyspark", reason="pyspark not installed (the spark extra)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("socialcover-survey-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    assert pyspark.__version__
    yield session
    session.stop()


@pytest.mark.parametrize("case_id", SPARK_CASES)
def test_spark_matches_r_and_duckdb(spark: Any, case_id: str) -> None:
    case = CASES[case_id]
    data = read_fixture(case["data"])
    sdf = spark.createDataFrame(data.to_pandas())
    est = estimate_case(case, sdf)
    problems = compare(case, est)
    assert not problems, "\n".join(problems)
    duck = estimate_case(case, data).to_polars()
    mine = est.to_polars()
    assert mine.columns == duck.columns
    for col in ("estimate", "se", "df"):
        a, b = mine[col].to_list(), duck[col].to_list()
        assert a == pytest.approx(b, rel=1e-11, nan_ok=True), col


def test_spark_backend_is_chosen_for_spark_frames(spark: Any) -> None:
    from socialcover.survey import Design, Sample

    sdf = spark.createDataFrame(read_fixture("apistrat").to_pandas())
    s = Sample(sdf, Design(weights="pw", strata="stype", fpc="fpc"))
    assert s.backend == "spark"
    from socialcover.survey import UnknownColumnError

    with pytest.raises(UnknownColumnError):
        s.mean("nope + 1")


def test_backend_spark_sends_a_polars_frame_to_spark(spark: Any) -> None:
    from socialcover.survey import Design, Sample

    df = read_fixture("apiclus1")
    d = Design(weights="pw", psu="dnum", fpc="fpc")
    s = Sample(df, d, backend="spark")
    assert s.backend == "spark"
    ref = Sample(df, d).mean("api00", by="stype").se
    assert s.mean("api00", by="stype").se == pytest.approx(ref, rel=1e-11)
