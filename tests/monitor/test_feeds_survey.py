"""A survey indicator table as observations: values, SEs and intervals are the table's, flags
and n are in the footnotes, codes are the registry's; published, approved and read back."""

from __future__ import annotations

import warnings
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.data import install_demo
from socialcover.errors import InputError
from socialcover.indicators import IndicatorTable, compute_indicators
from socialcover.monitor import (
    KEY,
    OBSERVATION_SCHEMA,
    approve_data_set,
    get_indicator,
    observations,
    submit_data_set,
)
from socialcover.monitor.feeds import observations_from_indicator_table, publish_survey_results
from socialcover.store import SystemActor, create_user, session_scope
from socialcover.store.testing import db_engine, db_url, postgres_database
from socialcover.testing import synthetic_survey

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")
LABELS = {"source": "Demoland Household Survey", "vintage": "2024 round"}


@pytest.fixture(scope="module")
def table() -> IndicatorTable:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # small cells: flagged, and checked below
        return compute_indicators(
            synthetic_survey(1_500, seed=1),
            disaggregations=["sex", "urban"],
            lonely_psu="adjust",
        )


def _publish(table: IndicatorTable | pl.DataFrame) -> pl.DataFrame:
    return observations_from_indicator_table(table, area="XDM", year=2024, **LABELS)


def test_values_ses_and_intervals_are_the_tables(table: IndicatorTable) -> None:
    """Equal, but for interval ends outside the indicator's bounds, which are clipped."""
    frame = _publish(table)
    low = pl.col("code").map_elements(lambda c: get_indicator(c).bounds[0], pl.Float64)
    high = pl.col("code").map_elements(lambda c: get_indicator(c).bounds[1], pl.Float64)
    cells = (
        table.frame.filter(
            pl.col("category").is_null()
            & pl.col("value").is_not_null()
            & pl.col("disaggregation").is_in(["total", "sex"])
        )
        .with_columns(
            sex=pl.when(pl.col("disaggregation") == "total")
            .then(pl.lit("both"))
            .otherwise(pl.col("group"))
        )
        .select(
            pl.col("code").alias("indicator"),
            "sex",
            "value",
            "se",
            pl.max_horizontal("ci_low", low).alias("lower"),
            pl.min_horizontal("ci_high", high).alias("upper"),
        )
    )
    assert frame.schema == pl.Schema(OBSERVATION_SCHEMA)
    assert frame.height == cells.height > 0
    assert_frame_equal(
        frame.select(cells.columns).sort("indicator", "sex"),
        cells.sort("indicator", "sex"),
        check_exact=True,
    )
    # shares carry logit intervals (inside their bounds), so nothing here needs clipping
    clipped = frame.filter(pl.col("footnotes").str.contains("of the interval raised to 0"))
    assert (clipped["lower"] == 0).all()
    share = frame.filter(pl.col("indicator") == "coverage.at_least_one")["footnotes"]
    assert share.str.contains("interval on the logit scale").all()
    assert set(frame["nature"]) == {"survey_estimate"}
    assert set(frame["area"]) == {"XDM"} and set(frame["year"]) == {2024}
    assert set(frame["source"]) == {LABELS["source"]} and set(frame["vintage"]) == {"2024 round"}


def test_codes_are_the_registrys_and_other_breakdowns_are_left_out(table: IndicatorTable) -> None:
    frame = _publish(table)
    for code in frame["indicator"].unique():
        assert get_indicator(code).origin.startswith("Survey engine")
    assert (
        frame.filter(pl.col("indicator") == "coverage.children")["footnotes"]
        .str.ends_with("survey counterpart of sdg131.children")
        .all()
    )
    assert (
        not frame["footnotes"]
        .filter(frame["indicator"] == "aspire.coverage.any")
        .str.contains("counterpart")
        .any()
    )
    assert set(frame["sex"]) == {"both", "female", "male"}  # urban and quintiles stay out
    assert "aspire.beneficiary_incidence" not in frame["indicator"]  # shares by quintile
    totals = observations_from_indicator_table(
        table, area="XDM", year=2024, sexes=["both"], **LABELS
    )
    assert totals.equals(frame.filter(pl.col("sex") == "both"))


def test_flags_and_n_are_in_the_footnotes(table: IndicatorTable) -> None:
    frame = _publish(table)
    cells = table.frame.filter(pl.col("disaggregation").is_in(["total", "sex"]))
    for row in cells.filter(pl.col("value").is_not_null()).iter_rows(named=True):
        if row["category"] is not None:
            continue
        sex = "both" if row["disaggregation"] == "total" else row["group"]
        notes = frame.filter((pl.col("indicator") == row["code"]) & (pl.col("sex") == sex))
        (footnotes,) = notes["footnotes"]
        assert f"unweighted n = {row['n']}" in footnotes
        assert ("small cell" in footnotes) == ("small_cell" in row["flag"])
        assert ("read with caution" in footnotes) == ("high_cv" in row["flag"])
    assert frame["footnotes"].str.contains("read with caution").any()
    assert frame["footnotes"].str.contains("small cell").any()


def test_an_interval_crossing_zero_is_clipped_and_says_so(table: IndicatorTable) -> None:
    cells = table.frame.with_columns(
        ci_low=pl.when((pl.col("code") == "coverage.unemployed") & (pl.col("group") == "all"))
        .then(pl.lit(-1.5))
        .otherwise(pl.col("ci_low"))
    )
    row = _publish(cells).filter(
        (pl.col("indicator") == "coverage.unemployed") & (pl.col("sex") == "both")
    )
    assert row["lower"].to_list() == [0.0]
    assert "lower end -1.5 of the interval raised to 0" in row["footnotes"][0]


def test_a_frame_that_is_not_an_indicator_table_is_refused() -> None:
    with pytest.raises(InputError) as info:
        _publish(pl.DataFrame({"code": ["coverage.children"], "value": [1.0]}))
    assert info.value.code == "monitor.not-an-indicator-table"


def test_published_approved_and_read_back(db_url: str, table: IndicatorTable) -> None:
    install_demo()
    with session_scope(ADMIN) as s:
        author = create_user(s, ADMIN, "entry@example.org", "long passphrase", "contributor")
        reviewer = create_user(s, ADMIN, "approver@example.org", "long passphrase", "reviewer")
    stored = table.to_polars()  # what a survey job keeps in result.parquet
    with session_scope(author) as s:
        report = publish_survey_results(s, author, stored, area="XDM", year=2024, **LABELS)
    (data_set,) = report.data_sets
    with session_scope(write=False) as s:
        assert observations(s, None, area="XDM").is_empty()  # entered: not public
    with session_scope(author) as s:
        submit_data_set(s, author, data_set)
    with session_scope(reviewer) as s:
        approve_data_set(s, reviewer, data_set)
    with session_scope(write=False) as s:
        public = observations(s, None, area="XDM")
    expected = _publish(stored)
    assert report.new == expected.height
    assert_frame_equal(public.sort(KEY), expected.sort(KEY), check_exact=True)


def test_the_command_enters_a_jobs_result_file(
    db_url: str, table: IndicatorTable, tmp_path: Path
) -> None:
    install_demo()
    results = tmp_path / "result.parquet"
    table.to_polars().write_parquet(results)
    args = ["monitor", "publish-survey", str(results), "--area", "XDM", "--year", "2024"]
    args += ["--source", LABELS["source"], "--vintage", LABELS["vintage"], "--url", db_url]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    assert "approve them to publish them" in out.output
    with session_scope(write=False) as s:
        entered = observations(s, ADMIN, area="XDM", approved_only=False)
    assert entered.height == _publish(table).height
    bad = CliRunner().invoke(app, [*args[:2], str(tmp_path / "none.parquet"), *args[3:]])
    assert bad.exit_code != 0
    assert getattr(bad.exception, "code", None) == "monitor.bad-results-file"


def test_an_interval_end_outside_the_bounds_is_clipped_with_a_footnote(
    table: IndicatorTable,
) -> None:
    """A Wald interval (non-share indicators) can cross a bound: it is clipped and said so."""
    row = (pl.col("code") == "coverage.at_least_one") & (pl.col("disaggregation") == "total")
    crossed = table.frame.with_columns(
        ci_low=pl.when(row).then(pl.lit(-3.0)).otherwise(pl.col("ci_low"))
    )
    frame = _publish(crossed)
    clipped = frame.filter(pl.col("footnotes").str.contains("of the interval raised to 0"))
    assert clipped.height == 1 and clipped["lower"][0] == 0
    assert clipped["indicator"][0] == "coverage.at_least_one" and clipped["sex"][0] == "both"
