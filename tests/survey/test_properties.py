"""Property tests: invariances every design-based estimator must keep."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcover.survey import Design, Sample


@st.composite
def surveys(draw: st.DrawFn) -> pl.DataFrame:
    n_strata = draw(st.integers(1, 4))
    rows = []
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    psu = 0
    for h in range(n_strata):
        for _ in range(draw(st.integers(2, 4))):
            psu += 1
            for _ in range(draw(st.integers(1, 5))):
                rows.append(
                    {
                        "h": h,
                        "psu": psu,
                        "w": float(rng.uniform(0.5, 20)),
                        "y": float(rng.integers(0, 2)),
                        "x": float(rng.normal(10, 3)),
                        "g": int(rng.integers(0, 2)),
                    }
                )
    return pl.DataFrame(rows)


SETTINGS = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@SETTINGS
@given(df=surveys(), c=st.floats(0.1, 50))
def test_scaling_weights_keeps_means_and_scales_totals(df: pl.DataFrame, c: float) -> None:
    a = Sample(df, Design(weights="w", strata="h", psu="psu"))
    b = Sample(df.with_columns(pl.col("w") * c), Design(weights="w", strata="h", psu="psu"))
    assert b.mean("x").estimate[0] == pytest.approx(a.mean("x").estimate[0], rel=1e-9)
    assert b.mean("x").se[0] == pytest.approx(a.mean("x").se[0], rel=1e-7, abs=1e-12)
    assert b.total("x").estimate[0] == pytest.approx(c * a.total("x").estimate[0], rel=1e-9)
    assert b.total("x").se[0] == pytest.approx(c * a.total("x").se[0], rel=1e-7, abs=1e-9)


@SETTINGS
@given(df=surveys())
def test_shares_stay_in_unit_interval_and_by_equals_where(df: pl.DataFrame) -> None:
    s = Sample(df, Design(weights="w", strata="h", psu="psu"))
    by = s.mean("y", by="g").to_polars()
    assert ((by["estimate"] >= 0) & (by["estimate"] <= 1)).all()
    for row in by.iter_rows(named=True):
        one = s.mean("y", where=f"g = {row['g']}").to_dicts()[0]
        assert one["estimate"] == pytest.approx(row["estimate"], rel=1e-12)
        assert one["se"] == pytest.approx(row["se"], rel=1e-9, abs=1e-12)


@SETTINGS
@given(df=surveys())
def test_domain_totals_add_up_to_the_total(df: pl.DataFrame) -> None:
    s = Sample(df, Design(weights="w", strata="h", psu="psu"))
    parts = s.total("x", by="g").estimate.sum()
    assert parts == pytest.approx(s.total("x").estimate[0], rel=1e-9)
