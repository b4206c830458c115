"""No value with a reason (never 0 or inf); fragile cells flagged with a coded warning."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest

from socialcover.errors import InputError, SocialcoverWarning
from socialcover.indicators import compute_indicators


def _quiet(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        return compute_indicators(*args, **kwargs)  # type: ignore[arg-type]


def test_zero_denominator_gives_no_value_and_says_why(survey: pl.DataFrame) -> None:
    no_unemployed = survey.with_columns(
        pl.when(pl.col("labour_status") == "unemployed")
        .then(pl.lit("inactive"))
        .otherwise(pl.col("labour_status"))
        .alias("labour_status")
    )
    table = _quiet(no_unemployed, codes=["coverage.unemployed"]).frame
    total = table.filter(pl.col("disaggregation") == "total")
    assert total["value"][0] is None and total["se"][0] is None
    assert total["reason"][0] == "zero denominator: no unemployed persons in this group"
    assert total["flag"][0] == "no_value"
    values = table["value"].drop_nulls().to_numpy()
    assert np.isfinite(values).all()


def test_unmapped_concept_gives_no_value_with_the_concept_named(survey: pl.DataFrame) -> None:
    table = _quiet(survey.drop("contributes"), codes=["coverage.contributors_employed"]).frame
    assert table.height == 1
    assert table["value"][0] is None
    assert table["reason"][0].startswith("needs contributes, not in the data")


def test_missing_numerators_leave_the_denominator_too(survey: pl.DataFrame) -> None:
    holes = survey.with_columns(
        pl.when(pl.col("person_id") % 10 == 0)
        .then(None)
        .otherwise(pl.col("receives_old_age"))
        .alias("receives_old_age")
    )
    full = _quiet(survey, codes=["coverage.older_persons"])
    cc = _quiet(holes, codes=["coverage.older_persons"])
    row = cc.frame.filter(pl.col("disaggregation") == "total")
    kept = holes.filter((pl.col("age") >= 65) & pl.col("receives_old_age").is_not_null())
    assert row["n"][0] == kept.height
    assert "persons without a numerator value were left out" in row["note"][0]
    expected = (kept["weight"] * kept["receives_old_age"]).sum() / kept["weight"].sum() * 100
    assert cc.value("coverage.older_persons") == pytest.approx(expected)
    assert full.value("coverage.older_persons") != cc.value("coverage.older_persons")


def test_small_cells_are_flagged_and_warned(survey: pl.DataFrame) -> None:
    tiny = survey.head(3_000)
    with pytest.warns(SocialcoverWarning) as caught:
        table = compute_indicators(tiny, codes=["coverage.unemployed"], lonely_psu="adjust").frame
    assert any(getattr(w.message, "code", "") == "indicators.small-cell" for w in caught)
    flagged = table.filter((pl.col("n") < 30) & pl.col("value").is_not_null())
    assert flagged.height > 0
    assert flagged["flag"].str.contains("small_cell").all()
    high = table.filter(pl.col("cv") > 0.3)
    assert high["flag"].str.contains("high_cv").all()


def test_values_match_a_direct_weighted_ratio(survey: pl.DataFrame) -> None:
    table = _quiet(survey, codes=["coverage.children"])
    kids = survey.filter(pl.col("age") <= 14)
    hh = survey.group_by("hh_id").agg(pl.col("receives_child").max().alias("hh_child"))
    kids = kids.join(hh, on="hh_id")
    expected = (kids["weight"] * kids["hh_child"]).sum() / kids["weight"].sum() * 100
    assert table.value("coverage.children") == pytest.approx(expected)


def test_unknown_breakdown_and_missing_weight_are_input_errors(survey: pl.DataFrame) -> None:
    with pytest.raises(InputError) as info:
        compute_indicators(survey, by=["province"])
    assert info.value.code == "indicators.unknown-breakdown"
    with pytest.raises(InputError) as info:
        compute_indicators(survey.drop("weight"))
    assert info.value.code == "indicators.no-weight"
