"""The plain CSV export reads back unchanged, and a bad row of a plain CSV is named."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from socialcover.errors import InputError
from socialcover.monitor.rules import ObservationFileError
from socialcover.monitor.sdmx import read_csv, read_sdmx_csv, write_csv

pytestmark = [pytest.mark.shared_data, pytest.mark.usefixtures("installed_pack")]

FILES = Path(__file__).parent / "files"


def test_the_csv_export_reads_back_unchanged_formulas_included() -> None:
    frame = read_sdmx_csv(FILES / "sdmx_sdg131.csv", vintage="2024.Q4")
    first = pl.int_range(pl.len()) == 0
    footnotes = pl.when(first).then(pl.lit("=1+1")).otherwise("footnotes")
    frame = frame.with_columns(footnotes.alias("footnotes"))
    text = write_csv(frame)
    assert text is not None and "'=1+1" in text
    assert_frame_equal(read_csv(text.encode()), frame)


def test_a_bad_row_is_named_and_a_blank_vintage_filled() -> None:
    header = "indicator,area,year,sex,value,nature,source\n"
    good = "sdg131.children,KEN,2023,both,41.5,observed,ministry\n"
    assert read_csv((header + good).encode(), vintage="2025")["vintage"].to_list() == ["2025"]
    with pytest.raises(ObservationFileError, match="row 3"):
        read_csv((header + good + good.replace("KEN", "KEZ")).encode(), vintage="2025")
    with pytest.raises(InputError, match="lacks the column"):
        read_csv(b"indicator,area\nsdg131.children,KEN\n")
