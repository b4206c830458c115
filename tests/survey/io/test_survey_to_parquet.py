"""Stata and SPSS files streamed to Parquet in chunks, and read that way by Spark."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from socialcover.errors import InputError
from socialcover.survey import BackendError, Design, Sample
from socialcover.survey.backend.spark import _as_parquet
from socialcover.survey.io import read_survey, survey_to_parquet


@pytest.mark.parametrize("fixture", ["dta_file", "sav_file"])
def test_chunks_make_the_same_table(
    fixture: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    source = request.getfixturevalue(fixture)
    out = survey_to_parquet(source, tmp_path / "out.parquet", chunk_rows=3)  # 8 rows: 3 chunks
    assert_frame_equal(pl.read_parquet(out), read_survey(source))


def test_only_stata_and_spss_are_converted(tmp_path: Path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("w\n1\n")
    with pytest.raises(InputError) as info:
        survey_to_parquet(csv, tmp_path / "a.parquet")
    assert info.value.code == "survey.unknown-format"
    bad = tmp_path / "b.dta"
    bad.write_text("not stata")
    with pytest.raises(InputError) as info:
        survey_to_parquet(bad, tmp_path / "b.parquet")
    assert info.value.code == "survey.unreadable-file"


def test_a_driver_file_is_refused_for_a_remote_master(dta_file: Path) -> None:
    # A session of a cluster on other machines: only its master URL is read before refusing.
    remote = SimpleNamespace(sparkContext=SimpleNamespace(master="spark://head-node:7077"))
    with pytest.raises(BackendError) as info:
        _as_parquet(str(dta_file), remote)
    assert info.value.code == "survey.spark-driver-file"
    assert "hdfs dfs -put" in (info.value.hint or "")
    assert _as_parquet("hdfs:///surveys/p/", remote) == "hdfs:///surveys/p/"


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
@pytest.mark.parametrize("fixture", ["dta_file", "sav_file"])
def test_spark_reads_stata_and_spss_files(
    spark: Any, fixture: str, request: pytest.FixtureRequest
) -> None:
    source = request.getfixturevalue(fixture)
    design = Design(weights="wgt", psu="ea")
    on_spark = Sample(str(source), design, spark=spark)
    assert on_spark.backend == "spark"
    duck = Sample(read_survey(source), design)
    got = on_spark.mean("cons_pc", by="sex").to_polars()
    want = duck.mean("cons_pc", by="sex").to_polars()
    assert got["estimate"].to_list() == pytest.approx(want["estimate"].to_list(), rel=1e-12)
    assert got["se"].to_list() == pytest.approx(want["se"].to_list(), rel=1e-9)
