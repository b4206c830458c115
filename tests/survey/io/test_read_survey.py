"""Reading Stata, SPSS, CSV, Parquet and frames; clear coded errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from socialcover.errors import InputError
from socialcover.survey.io import read_survey, read_value_labels


def test_stata_file_keeps_codes_and_its_value_labels(dta_file: Path) -> None:
    df = read_survey(dta_file)
    assert df.height == 8
    assert df["sex"].to_list()[:3] == [1, 2, 1]
    labels = read_value_labels(dta_file)
    assert labels["status"][4] == "Family worker"
    assert labels["ss_emp"][9] == "Don't know"


def test_spss_file_keeps_codes_and_its_value_labels(sav_file: Path) -> None:
    df = read_survey(sav_file, columns=["pid", "area"])
    assert df.columns == ["pid", "area"]
    assert read_value_labels(sav_file)["area"] == {1.0: "Urban", 2.0: "Rural"}


def test_missing_codes_become_nulls(dta_file: Path) -> None:
    df = read_survey(dta_file)
    assert df["ilo"].null_count() == 2


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet"])
def test_text_and_parquet_files(tmp_path: Path, coded_frame: pd.DataFrame, suffix: str) -> None:
    frame = pl.from_pandas(coded_frame)
    path = tmp_path / f"lfs{suffix}"
    if suffix == ".parquet":
        frame.write_parquet(path)
    elif suffix == ".csv":
        frame.write_csv(path)
    else:
        import gzip

        path.write_bytes(gzip.compress(frame.write_csv().encode()))
    df = read_survey(path)
    assert df.shape == frame.shape
    assert df["wgt"].sum() == pytest.approx(frame["wgt"].sum())
    assert read_value_labels(path) == {}


def test_frames_in_memory(coded_frame: pd.DataFrame) -> None:
    assert read_survey(coded_frame).height == 8
    assert read_survey(pl.from_pandas(coded_frame).lazy(), columns=["age"]).columns == ["age"]
    assert read_survey(pa.Table.from_pandas(coded_frame)).height == 8


def test_corrupt_stata_file_gives_a_coded_error(tmp_path: Path, dta_file: Path) -> None:
    broken = tmp_path / "broken.dta"
    broken.write_bytes(dta_file.read_bytes()[:200])
    with pytest.raises(InputError) as info:
        read_survey(broken)
    assert info.value.code == "survey.unreadable-file"
    assert "broken.dta" in info.value.message and "Stata" in info.value.message
    assert "save it again" in info.value.hint


def test_text_renamed_to_dta_gives_a_coded_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.dta"
    fake.write_text("id,age\n1,30\n")
    with pytest.raises(InputError) as info:
        read_value_labels(fake)
    assert info.value.code == "survey.unreadable-file"


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_survey(tmp_path / "nope.dta")
    assert info.value.code == "survey.file-not-found"
    odd = tmp_path / "survey.xls"
    odd.write_bytes(b"x")
    with pytest.raises(InputError) as info:
        read_survey(odd)
    assert info.value.code == "survey.unknown-format"
    assert ".xls" in info.value.message


def test_unknown_object_is_refused() -> None:
    with pytest.raises(InputError) as info:
        read_survey(object())
    assert info.value.code == "survey.unknown-format"
