"""Files are hostile: bounded rows and uncompressed size, gzip bombs refused, formulas escaped."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from socialcover.errors import InputError
from socialcover.monitor.csvfile import escape_formula, read_table, unescape_formula
from socialcover.monitor.ilostat import read_ilostat
from socialcover.monitor.sdmx import read_sdmx_csv, write_csv, write_sdmx_csv

ROW = b"KEN,SDG_0131_SEX_SOC_RT_A,SEX_T,SOC_CONTIG_TOTAL,2021,9.0\n"
HEAD = b"ref_area,indicator,sex,classif1,time,obs_value\n"


def test_too_many_rows_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_table(HEAD + ROW * 11, max_rows=10)
    assert caught.value.code == "monitor.too-many-rows"
    assert read_table(HEAD + ROW * 10, max_rows=10).height == 10


def test_too_many_bytes_are_refused_on_disk_and_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(HEAD + ROW * 100)
    for source in (path, path.read_bytes()):
        with pytest.raises(InputError) as caught:
            read_table(source, max_bytes=1_000)
        assert caught.value.code == "monitor.file-too-large"


def test_a_gzip_bomb_stops_at_the_bound() -> None:
    bomb = gzip.compress(HEAD + b"\0" * 64 * 2**20)  # 64 MiB of zeros in about 64 KiB
    assert len(bomb) < 2**20
    with pytest.raises(InputError, match="once decompressed") as caught:
        read_table(bomb, max_bytes=2**20)
    assert caught.value.code == "monitor.file-too-large"


def test_broken_gzip_text_and_header_are_refused(tmp_path: Path) -> None:
    cases = {
        b"\x1f\x8b\x08\x00garbage": "monitor.bad-gzip",
        HEAD.replace(b"ref_area", b"r\xe9f") + ROW: "monitor.not-utf8",
        b"a,a\n1,2\n": "monitor.bad-header",
        b"": "monitor.bad-header",
    }
    for data, code in cases.items():
        with pytest.raises(InputError) as caught:
            read_table(data)
        assert caught.value.code == code
    with pytest.raises(InputError) as caught:
        read_table(tmp_path / "absent.csv")
    assert caught.value.code == "monitor.no-file"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_get_a_quote_and_lose_it_again(text: str) -> None:
    assert escape_formula(text) == "'" + text
    assert unescape_formula(escape_formula(text)) == text
    assert escape_formula("Kenya") == unescape_formula("Kenya") == "Kenya"


@pytest.mark.shared_data
@pytest.mark.usefixtures("installed_pack")
def test_exported_text_cells_cannot_run_as_formulas() -> None:
    notes = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tx", "\rx"]
    frame = pl.concat(
        read_sdmx_csv(
            b"DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE,COMMENT_OBS,SOURCE_DETAIL\n"
            b"X:Y(1.0),SI_COV_BENFTS,404,%d,9.5,x,-ILO\n" % year
        ).with_columns(footnotes=pl.lit(note))
        for year, note in zip(range(2015, 2021), notes, strict=True)
    )
    for text in (write_csv(frame), write_sdmx_csv(frame)):
        assert text is not None
        cells = [row for row in csv.reader(io.StringIO(text, newline=""))][1:]
        written = {cell for row in cells for cell in row}
        assert {"'" + note for note in notes} <= written
        assert "'-ILO" in written
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in written)
        assert "9.5" in written  # numbers stay numbers
    assert_frame_equal(read_sdmx_csv(write_sdmx_csv(frame).encode()), frame)  # type: ignore[union-attr]


@pytest.mark.shared_data
@pytest.mark.usefixtures("installed_pack")
def test_importers_take_the_bounds() -> None:
    with pytest.raises(InputError, match="more than 2 data rows"):
        read_ilostat(HEAD + ROW * 3, max_rows=2)
    with pytest.raises(InputError, match="larger than 100 bytes"):
        read_sdmx_csv(HEAD + ROW * 3, max_bytes=100)


def test_a_row_wider_than_the_header_is_refused_and_a_shorter_one_padded() -> None:
    with pytest.raises(InputError, match="row 3 has 3") as caught:
        read_table(b"a,b\n1,2\n1,2,3\n1\n")
    assert caught.value.code == "monitor.bad-row-width"
    assert read_table(b"a,b\n1\n").rows() == [("1", "", 2)]


def test_a_quoted_cell_over_two_lines_is_one_row() -> None:
    table = read_table(b'a,b\n1,"two\nlines"\n3,4\n')
    assert table.rows() == [("1", "two\nlines", 2), ("3", "4", 3)]
