"""Every ratio indicator equals the survey engine's own ``Sample.ratio`` on the same variables."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest

from socialcover.errors import SocialcoverWarning
from socialcover.indicators import compute_indicators, get_indicator, prepare_variables
from socialcover.survey import Design, Sample, proportion_interval

CASES = [
    ("coverage.older_persons", "sex"),
    ("coverage.at_least_one", "quintile"),
    ("coverage.contributors_employed", "formality"),
    ("aspire.coverage.child", "labour_status"),
    ("aspire.adequacy", "age_band"),
    ("aspire.poverty_gap_reduction", "urban"),
    ("targeting.inclusion_error", "total"),
    ("aspire.benefit_cost_ratio", "sex"),
]


@pytest.fixture(scope="module")
def results(survey: pl.DataFrame) -> tuple[pl.DataFrame, Sample]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        table = compute_indicators(survey).frame
    prepared = prepare_variables(survey).frame
    return table, Sample(prepared, Design(weights="weight", strata="strata", psu="psu"))


@pytest.mark.parametrize(("code", "breakdown"), CASES)
def test_value_se_and_interval_equal_the_engine(
    results: tuple[pl.DataFrame, Sample], code: str, breakdown: str
) -> None:
    table, sample = results
    ind = get_indicator(code)
    by = None if breakdown == "total" else breakdown
    # the indicator table documents Student's t with the domain's design df (docs/indicators.md)
    engine = sample.ratio(ind.numerator_var, ind.denominator_var, by=by, df="design").to_polars()
    if by:
        engine = engine.filter(pl.col(by).is_not_null()).sort(by)
    ours = table.filter((pl.col("code") == code) & (pl.col("disaggregation") == breakdown)).sort(
        "group"
    )
    f = ind.factor
    np.testing.assert_allclose(
        ours["value"].to_numpy(), engine["estimate"].to_numpy() * f, rtol=1e-10
    )
    np.testing.assert_allclose(ours["se"].to_numpy(), engine["se"].to_numpy() * f, rtol=1e-8)
    if ind.proportion:  # the engine's logit interval for a proportion (R's svyciprop)
        lo, hi = proportion_interval(
            engine["estimate"].to_numpy(),
            engine["se"].to_numpy(),
            np.maximum(engine["df"].to_numpy(), 1.0),
            engine["n"].to_numpy(),
            0.95,
            "logit",
        )
        assert "logit" in ours["method"][0]
    else:
        lo, hi = engine["ci_low"].to_numpy(), engine["ci_high"].to_numpy()
        assert "Student's t" in ours["method"][0]
    np.testing.assert_allclose(ours["ci_low"].to_numpy(), lo * f, rtol=1e-8)
    np.testing.assert_allclose(ours["ci_high"].to_numpy(), hi * f, rtol=1e-8)
    np.testing.assert_allclose(ours["df"].to_numpy(), engine["df"].to_numpy())


def test_proportions_intervals_stay_inside_0_and_100(results: tuple[pl.DataFrame, Sample]) -> None:
    table, _ = results
    shares = [c for c in table["code"].unique() if get_indicator(c).proportion]
    rows = table.filter(pl.col("code").is_in(shares) & pl.col("value").is_not_null())
    assert rows.height > 100
    assert rows["ci_low"].min() >= 0.0 and rows["ci_high"].max() <= 100.0
    assert (rows["ci_low"] <= rows["value"]).all() and (rows["value"] <= rows["ci_high"]).all()


def test_shares_over_quintiles_add_up_to_100(results: tuple[pl.DataFrame, Sample]) -> None:
    table, _ = results
    for code in ("aspire.beneficiary_incidence", "aspire.benefit_incidence"):
        sums = (
            table.filter(pl.col("code") == code)
            .group_by("disaggregation", "group")
            .agg(pl.col("value").sum())
        )
        np.testing.assert_allclose(sums["value"].to_numpy(), 100.0)


def test_scaling_weights_changes_nothing(survey: pl.DataFrame) -> None:
    codes = ["coverage.older_persons", "aspire.gini_reduction", "aspire.adequacy"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        a = compute_indicators(survey, codes=codes).frame
        b = compute_indicators(survey.with_columns(pl.col("weight") * 7.5), codes=codes).frame
    np.testing.assert_allclose(a["value"].to_numpy(), b["value"].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(a["se"].to_numpy(), b["se"].to_numpy(), rtol=1e-8)


def test_a_breakdown_by_any_column(survey: pl.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        t = compute_indicators(survey, codes=["coverage.older_persons"], by=["region"]).frame
    regions = t.filter(pl.col("disaggregation") == "region")
    assert sorted(regions["group"].to_list()) == sorted(survey["region"].unique().to_list())
