"""The indicator table on DuckDB (bounded memory) equals the in-memory Polars table.

Ratio indicators agree to 1e-12 (relative); the Gini reduction (G_pre - G_post) / G_pre is a
difference of two Ginis whose running sums are added in another order, so the two Ginis agree
to 1e-12 and the reduction, which loses about two digits to the subtraction, to 1e-10.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from socialcover.errors import InputError, SocialcoverWarning
from socialcover.indicators import IndicatorTable, compute_indicators
from socialcover.survey import LonelyPsuError
from socialcover.testing import synthetic_survey

KEYS = ["code", "disaggregation", "group", "category"]
EXACT = ["n", "df", "flag", "reason", "note", "unit", "method"]
CLOSE = ["value", "se", "ci_low", "ci_high", "cv", "numerator", "denominator"]


def _both(data: pl.DataFrame, **kwargs: object) -> tuple[pl.DataFrame, pl.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        old = compute_indicators(data, engine="polars", **kwargs).frame  # type: ignore[arg-type]
        new = compute_indicators(data, engine="duckdb", **kwargs).frame  # type: ignore[arg-type]
    return old, new


def _assert_same(old: pl.DataFrame, new: pl.DataFrame) -> None:
    assert old.select(KEYS).equals(new.select(KEYS))
    for col in EXACT:
        assert old[col].equals(new[col]), col
    gini = (old["code"] == "aspire.gini_reduction").to_numpy()
    for col in CLOSE:
        a = old[col].cast(pl.Float64).fill_null(np.nan).to_numpy()
        b = new[col].cast(pl.Float64).fill_null(np.nan).to_numpy()
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=col)
        np.testing.assert_allclose(b[~gini], a[~gini], rtol=1e-12, atol=0, err_msg=col)
        np.testing.assert_allclose(b[gini], a[gini], rtol=1e-10, atol=0, err_msg=col)
    # the two Ginis themselves: G_pre (denominator) and G_post (denominator - numerator)
    g_old = old.filter(pl.col("code") == "aspire.gini_reduction")
    g_new = new.filter(pl.col("code") == "aspire.gini_reduction")
    for frame in (g_old, g_new):
        assert frame["denominator"].is_not_null().all()
    np.testing.assert_allclose(g_new["denominator"], g_old["denominator"], rtol=1e-12)
    post_old = g_old["denominator"] - g_old["numerator"]
    post_new = g_new["denominator"] - g_new["numerator"]
    np.testing.assert_allclose(post_new, post_old, rtol=1e-12)


def test_every_indicator_by_every_breakdown_and_a_domain(survey: pl.DataFrame) -> None:
    old, new = _both(survey, by=["region"])
    assert old.height > 400
    assert (old["disaggregation"] == "region").sum() > 0
    assert old["value"].is_not_null().sum() > 400
    _assert_same(old, new)


def test_pre_transfer_quintiles_and_other_ages(survey: pl.DataFrame) -> None:
    from socialcover.survey.io import SurveyParameters

    params = SurveyParameters(pensionable_age=60, child_age_max=17)
    old, new = _both(survey, quintiles_of="pre", parameters=params, disaggregations=["quintile"])
    _assert_same(old, new)


def test_missing_values_give_the_same_complete_cases_and_notes() -> None:
    data = synthetic_survey(8_000, seed=3)
    rng = np.random.default_rng(3)
    holes = rng.random(data.height) < 0.1
    data = data.with_columns(
        pl.when(pl.Series(holes)).then(None).otherwise(pl.col("contributes")).alias("contributes"),
        pl.when(pl.Series(rng.random(data.height) < 0.05))
        .then(None)
        .otherwise(pl.col("welfare"))
        .alias("welfare"),
        pl.when(pl.Series(rng.random(data.height) < 0.05))
        .then(None)
        .otherwise(pl.col("age"))
        .alias("age"),
    )
    old, new = _both(data)
    notes = old["note"].drop_nulls()
    assert notes.str.contains("without a numerator value were left out").any()
    _assert_same(old, new)


def test_a_design_with_fpc_and_lonely_psus(survey: pl.DataFrame) -> None:
    # one PSU alone in its stratum, and a finite population correction per stratum
    first = survey["psu"].min()
    data = survey.with_columns(
        pl.when(pl.col("psu") == first)
        .then(pl.lit("alone"))
        .otherwise(pl.col("strata"))
        .alias("strata"),
        (pl.col("weight").sum().over("strata") / 5).alias("fpc"),
    )
    for rule in ("adjust", "certainty", "average"):
        old, new = _both(data, lonely_psu=rule, codes=["coverage.", "aspire.gini_reduction"])
        _assert_same(old, new)
    with pytest.raises(LonelyPsuError) as polars_error:
        compute_indicators(data, engine="polars", codes=["coverage.children"])
    with pytest.raises(LonelyPsuError) as duckdb_error:
        compute_indicators(data, engine="duckdb", codes=["coverage.children"])
    assert str(duckdb_error.value) == str(polars_error.value)


def test_a_parquet_file_is_read_in_place(survey: pl.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "persons.parquet"
    survey.write_parquet(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        from_file = compute_indicators(path, by=["region"])
        from_frame = compute_indicators(survey, by=["region"], engine="polars")
    _assert_same(from_frame.frame, from_file.frame)
    assert from_file.design == from_frame.design


def test_the_duckdb_workspace_holds_sampling_units_not_persons(survey: pl.DataFrame) -> None:
    from socialcover.indicators.bounded import open_workspace

    work = open_workspace(
        survey,
        survey.columns,
        parameters=None,
        contributory={"old_age"},
        quintiles_of="post",
        lonely_psu="fail",
    )
    try:
        assert work.prepared.frame.height == 0
        assert work.bound.unit.size == survey["psu"].n_unique() < survey.height / 5
    finally:
        work.close()


def test_auto_engine_and_its_errors(survey: pl.DataFrame, tmp_path: Path) -> None:
    element = survey.drop("psu").head(3_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        table = compute_indicators(element, codes=["coverage.children"])
    assert isinstance(table, IndicatorTable)
    assert "psu=rows" in table.design
    with pytest.raises(InputError) as err:
        compute_indicators(element, engine="duckdb")
    assert err.value.code == "indicators.duckdb-needs-psu"
    with pytest.raises(InputError) as err:
        compute_indicators(survey, engine="sparks")  # type: ignore[arg-type]
    assert err.value.code == "indicators.unknown-engine"
    with pytest.raises(InputError) as err:
        compute_indicators(tmp_path / "none.parquet")
    assert err.value.code == "indicators.no-file"
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    with pytest.raises(InputError) as err:
        compute_indicators(bad)
    assert err.value.code == "indicators.unreadable"
