"""Property: any valid observation frame survives SDMX-CSV and CSV text, whatever its text."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from socialcover.monitor.csvfile import escape_formula, read_table, unescape_formula
from socialcover.monitor.frame import NATURES, OBSERVATION_SCHEMA, SEXES
from socialcover.monitor.registry import indicator_codes
from socialcover.monitor.sdmx import read_sdmx_csv, write_csv, write_sdmx_csv

pytestmark = [pytest.mark.shared_data, pytest.mark.usefixtures("installed_pack")]

# Text as people paste it: separators, quotes, line breaks, formula starts, accents.
TEXT = st.text(st.sampled_from([*"ab Z,;\"'=+-@|[]:\t\r\n", "é", "ø", "中"]), max_size=12)
PERCENT = st.floats(0, 100, allow_nan=False)


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    keys = draw(
        st.lists(
            st.tuples(
                st.sampled_from(indicator_codes()),
                st.sampled_from(["KEN", "UGA", "World", "Africa", "Low income"]),
                st.integers(2000, 2030),
                st.sampled_from(SEXES),
            ),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    rows = []
    for indicator, area, year, sex in keys:
        value = draw(PERCENT)
        half = draw(st.none() | st.floats(0, 10, allow_nan=False))
        rows.append(
            {
                "indicator": indicator,
                "area": area,
                "year": year,
                "sex": sex,
                "value": value,
                "se": half,
                "lower": None if half is None else max(value - half, 0.0),
                "upper": None if half is None else min(value + half, 100.0),
                "nature": draw(st.sampled_from(NATURES)),
                "source": "x" + draw(TEXT),  # a source is required
                "vintage": draw(TEXT),
                "footnotes": draw(TEXT) + " break",  # no jump warnings
            }
        )
    return pl.DataFrame(rows, schema=OBSERVATION_SCHEMA)


def _consistent(frame: pl.DataFrame) -> bool:
    """The sexes rule holds (the property is about text, not about that rule)."""
    by = frame.group_by("indicator", "area", "year").agg(
        both=pl.col("value").filter(pl.col("sex") == "both").first(),
        low=pl.col("value").filter(pl.col("sex") != "both").min(),
        high=pl.col("value").filter(pl.col("sex") != "both").max(),
        n=(pl.col("sex") != "both").sum(),
    )
    bad = by.filter(
        (pl.col("n") == 2) & ((pl.col("both") < pl.col("low")) | (pl.col("both") > pl.col("high")))
    )
    return bad.height == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames())
def test_sdmx_csv_round_trip_keeps_every_cell(frame: pl.DataFrame) -> None:
    if not _consistent(frame):
        return
    for version in ("1.0", "2.0"):
        text = write_sdmx_csv(frame, version=version)  # type: ignore[arg-type]
        assert text is not None
        assert_frame_equal(read_sdmx_csv(text.encode()), frame, check_exact=True)


@settings(max_examples=60, deadline=None)
@given(frames())
def test_plain_csv_cells_read_back_and_never_start_a_formula(frame: pl.DataFrame) -> None:
    text = write_csv(frame)
    assert text is not None
    for row in list(csv.reader(io.StringIO(text, newline="")))[1:]:
        assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row)
    back = read_table(text.encode()).drop("_row")
    assert back["footnotes"].to_list() == frame["footnotes"].to_list()
    assert back["source"].to_list() == frame["source"].to_list()


@given(TEXT)
def test_unescape_undoes_escape(text: str) -> None:
    assert unescape_formula(escape_formula(text)) == text
