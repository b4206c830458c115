"""Properties over many synthetic surveys: shares stay in [0, 100], SEs are finite and >= 0."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcover.errors import SocialcoverWarning
from socialcover.indicators import compute_indicators
from socialcover.testing import synthetic_survey

SHARES = ("coverage.", "aspire.coverage.", "aspire.beneficiary_incidence", "targeting.")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), size=st.integers(3_000, 8_000))
def test_shares_are_shares_and_ses_are_finite(seed: int, size: int) -> None:
    survey = synthetic_survey(size, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SocialcoverWarning)
        frame = compute_indicators(survey, lonely_psu="adjust").frame
    valued = frame.filter(pl.col("value").is_not_null())
    assert np.isfinite(valued["value"].to_numpy()).all()
    se = valued["se"].to_numpy()
    assert np.isfinite(se).all() and (se >= 0).all()
    shares = valued.filter(pl.any_horizontal(pl.col("code").str.starts_with(p) for p in SHARES))[
        "value"
    ].to_numpy()
    assert ((shares >= 0) & (shares <= 100 + 1e-9)).all()
    # a cell without a value always says why
    empty = frame.filter(pl.col("value").is_null())
    assert empty["reason"].is_not_null().all()
