"""The same estimators on Apache Spark give R's numbers, as DuckDB does.

The session is the test process's (``spark`` fixture: local[1], or the standalone master and
worker CI starts, or ``local-cluster``), passed to the product as a user would; data are read
by Spark itself from Parquet paths.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from survey_oracle import GOLDEN, compare, design_of, estimate_case, read_fixture

from socialcover.survey import Design, Sample

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
    "clus1-quantile-by",
    "strat-quantile-hf7",
    "srs_fpc-quantile-ci-xlogit",
    "nhanes-quantile-where",
    "clus1_jk1-quantile-reps-by",
    "jk1_cols-quantile-by",  # each domain's df: rank of its replicate-weight columns
]


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden fixtures as Parquet files (what a statistics office hands over)."""
    out = tmp_path_factory.mktemp("golden-parquet")
    names = {CASES[c]["data"] for c in SPARK_CASES}
    for name in names:
        read_fixture(name).write_parquet(out / f"{name}.parquet")
    return out


@pytest.mark.parametrize("case_id", SPARK_CASES)
def test_spark_matches_r_and_duckdb(spark: Any, parquet_dir: Path, case_id: str) -> None:
    case = CASES[case_id]
    data = read_fixture(case["data"])
    path = parquet_dir / f"{case['data']}.parquet"
    sample = Sample(str(path), design_of(case["design"]), spark=spark)
    assert sample.backend == "spark"
    est = estimate_case(case, data, sample=sample)
    problems = compare(case, est)
    assert not problems, "\n".join(problems)
    duck = estimate_case(case, data).to_polars()
    mine = est.to_polars()
    assert mine.columns == duck.columns
    for col in ("estimate", "se", "df"):
        a, b = mine[col].fill_null(float("nan")), duck[col].fill_null(float("nan"))
        assert a.to_list() == pytest.approx(b.to_list(), rel=1e-11, nan_ok=True), col


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


def test_spark_reads_globs_folders_and_partitions(spark: Any, tmp_path: Path) -> None:
    """Paths are read by Spark: a glob, a folder of files and a partitioned folder agree."""
    df = read_fixture("apistrat")
    d = Design(weights="pw", strata="stype", fpc="fpc")
    ref = Sample(df, d).mean("api00", by="stype").to_polars()
    parts = tmp_path / "parts"
    parts.mkdir()
    half = df.height // 2
    df[:half].write_parquet(parts / "a.parquet")
    df[half:].write_parquet(parts / "b.parquet")
    hive = tmp_path / "hive"
    df.write_parquet(hive, partition_by="stype")  # hive layout: stype=E/..., read back by Spark
    for data in (str(parts / "*.parquet"), str(parts), [parts / "a.parquet", parts / "b.parquet"]):
        got = Sample(data, d, spark=spark).mean("api00", by="stype").to_polars()
        assert got["estimate"].to_list() == pytest.approx(ref["estimate"].to_list(), rel=1e-12)
        assert got["se"].to_list() == pytest.approx(ref["se"].to_list(), rel=1e-11)
    got = Sample(str(hive), d, spark=spark).mean("api00", by="stype").to_polars()
    assert got["se"].to_list() == pytest.approx(ref["se"].to_list(), rel=1e-11)


def test_spark_missing_path_is_a_clear_error(spark: Any, tmp_path: Path) -> None:
    from socialcover.survey import UnknownColumnError

    with pytest.raises(UnknownColumnError) as err:
        Sample(str(tmp_path / "nope.parquet"), Design(weights="pw"), spark=spark)
    assert err.value.code == "survey.file-not-found"
    assert "nope.parquet" in err.value.message


def test_spark_uses_the_active_session_and_keeps_its_settings(spark: Any) -> None:
    """backend="spark" with no session takes the active one; nothing of its config changes."""
    before = dict(spark.sparkContext.getConf().getAll())
    shuffle = spark.conf.get("spark.sql.shuffle.partitions")
    s = Sample(read_fixture("apiclus1"), Design(weights="pw", psu="dnum"), backend="spark")
    assert s.backend == "spark"
    s.mean("api00")
    from pyspark.sql import SparkSession

    assert SparkSession.getActiveSession() is spark
    assert dict(spark.sparkContext.getConf().getAll())["spark.master"] == before["spark.master"]
    assert spark.conf.get("spark.sql.shuffle.partitions") == shuffle


def test_spark_java_failures_become_project_errors() -> None:
    """A driver out of memory or a lost driver, as Py4J raises them, gets a coded error."""
    from socialcover.survey import BackendError
    from socialcover.survey.backend.spark import spark_error

    class Py4JJavaError(Exception):  # the shape py4j raises: the Java trace in str()
        pass

    oom = spark_error(
        Py4JJavaError(
            "An error occurred while calling o123.collectToPython.\n"
            ": java.lang.OutOfMemoryError: Java heap space"
        )
    )
    assert isinstance(oom, BackendError) and isinstance(oom, RuntimeError)
    assert oom.code == "survey.spark-out-of-memory"
    assert "spark.driver.memory" in oom.hint
    big = spark_error(
        Py4JJavaError(
            "An error occurred while calling o9.collect.\n: org.apache.spark.SparkException: "
            "Job aborted: Total size of serialized results of 3 tasks (1100.0 MiB) is bigger "
            "than spark.driver.maxResultSize (1024.0 MiB)"
        )
    )
    assert big.code == "survey.spark-out-of-memory"
    assert "maxResultSize" in big.hint
    gone = spark_error(ConnectionRefusedError("[Errno 111] Connection refused"))
    assert gone.code == "survey.spark-driver-lost"
    other = spark_error(Py4JJavaError("An error occurred: java.io.IOException: disk full"))
    assert other.code == "survey.backend-error" and "disk full" in other.message


def test_spark_locates_quantiles_without_collecting_rows(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The large-data quantile path on Spark gives DuckDB's numbers (median, 60 % of it)."""
    import socialcover.survey.quantile as quantile_module
    import socialcover.survey.quantile_search as search
    from socialcover.testing import synthetic_survey

    path = synthetic_survey(30_000, seed=5, path=tmp_path / "persons.parquet")
    d = Design(weights="weight", strata="strata", psu="psu")
    ref = Sample(str(path), d).quantile("welfare", [0.5, 0.6], by="urban").to_polars()
    monkeypatch.setattr(quantile_module, "ROWS_IN_MEMORY", -1)
    monkeypatch.setattr(search, "FETCH_ROWS", 2_000)
    got = Sample(str(path), d, spark=spark).quantile("welfare", [0.5, 0.6], by="urban")
    mine = got.to_polars()
    for col in ("estimate", "ci_low", "ci_high"):
        assert mine[col].to_list() == ref[col].to_list(), col
    assert mine["se"].to_list() == pytest.approx(ref["se"].to_list(), rel=1e-12)
