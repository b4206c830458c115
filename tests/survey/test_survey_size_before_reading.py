"""What a survey file expands to is read from its metadata, and refused beyond limits.

Each format declares or counts its rows without decoding the data: a Parquet footer, a Stata or
SPSS header (pyreadstat, metadata only), a CSV (or gzip'd CSV) counted by streaming.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest

from socialcover.survey.io import (
    SurveyTooLargeError,
    check_survey_size,
    read_survey,
    survey_size,
)

FRAME = pl.DataFrame(
    {
        "hhid": list(range(1, 1001)),
        "weight": [1.5] * 1000,
        "region": ["North", "South"] * 500,
    }
)


def _write(tmp_path: Path, suffix: str) -> Path:
    path = tmp_path / f"survey{suffix}"
    if suffix == ".parquet":
        FRAME.write_parquet(path)
    elif suffix == ".csv":
        FRAME.write_csv(path)
    elif suffix == ".csv.gz":
        path.write_bytes(gzip.compress(FRAME.write_csv().encode()))
    elif suffix == ".dta":
        pyreadstat.write_dta(FRAME.to_pandas(), str(path))
    else:
        pyreadstat.write_sav(FRAME.to_pandas(), str(path))
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".csv.gz", ".dta", ".sav"])
def test_rows_and_columns_match_what_the_reader_reads(tmp_path: Path, suffix: str) -> None:
    path = _write(tmp_path, suffix)
    size = survey_size(path)
    frame = read_survey(path)
    assert (size.rows, size.columns) == (frame.height, frame.width) == (1000, 3)
    assert size.complete
    # at least 8 bytes a value, as the frame holds them
    assert size.decoded_bytes >= 1000 * 3 * 8
    assert check_survey_size(path, max_rows=1000, max_bytes=10**9) == size


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".csv.gz", ".dta", ".sav"])
def test_over_the_row_limit_is_refused_with_the_count(tmp_path: Path, suffix: str) -> None:
    path = _write(tmp_path, suffix)
    with pytest.raises(SurveyTooLargeError) as err:
        check_survey_size(path, max_rows=999, max_bytes=10**9)
    assert err.value.code == "survey.too-large"
    assert "1,000 rows" in err.value.message and "999" in err.value.message
    assert err.value.hint


def test_over_the_byte_limit_is_refused_with_the_size(tmp_path: Path) -> None:
    path = _write(tmp_path, ".parquet")
    with pytest.raises(
        SurveyTooLargeError, match=r"expands to [0-9,]+ bytes once read \(1,000 rows x 3 columns\)"
    ):
        check_survey_size(path, max_rows=10**6, max_bytes=1000)


def test_a_csv_is_counted_only_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with path.open("w") as fh:
        fh.write("a,b\n")
        for _ in range(300):
            fh.write("1,2\n" * 10_000)  # 3M rows, 12 MB
    size = survey_size(path, stop_rows=100_000)
    assert not size.complete and 100_000 < size.rows < 3_000_000
    with pytest.raises(SurveyTooLargeError, match="at least"):
        check_survey_size(path, max_rows=100_000, max_bytes=10**10)
    assert survey_size(path).rows == 3_000_000


def test_a_small_parquet_of_50m_rows_is_refused_from_its_footer(tmp_path: Path) -> None:
    """300 KB of zstd Parquet declaring 50 million rows: refused without decoding a page."""
    path = tmp_path / "bomb.parquet"
    block = pa.table({"x": pa.array([7] * 1_000_000, type=pa.int64())})
    with pq.ParquetWriter(path, block.schema, compression="zstd") as writer:
        for _ in range(50):
            writer.write_table(block, row_group_size=1_000_000)
    assert path.stat().st_size < 1_000_000
    size = survey_size(path)
    assert size.rows == 50_000_000 and size.decoded_bytes >= 400_000_000
    with pytest.raises(SurveyTooLargeError, match="50,000,000 rows"):
        check_survey_size(path, max_rows=10_000_000, max_bytes=2**30)


def test_an_unreadable_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not parquet at all")
    with pytest.raises(Exception) as err:
        survey_size(path)
    assert getattr(err.value, "code", None) == "survey.unreadable-file"
