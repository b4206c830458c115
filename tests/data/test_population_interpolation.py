"""The interpolation kernels against mathematics, not against themselves.

- Sprague's multipliers reproduce any cubic age curve exactly (a fifth-degree osculatory
  formula on the cumulative is exact for polynomials of degree <= 4 of the cumulative).
- Graduation keeps every group's total and never returns a negative value.
- Time interpolation returns the knots exactly and is linear between them without totals.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from socialcover.data.interpolation import annual_groups, graduate, sprague_matrix


def test_sprague_reproduces_cubics() -> None:
    ages = np.arange(100.0)
    f = 5000 + 40 * ages - 1.5 * ages**2 + 0.01 * ages**3
    groups = f.reshape(20, 5).sum(axis=1)
    np.testing.assert_allclose(sprague_matrix(20) @ groups, f, rtol=0, atol=1e-8)


def test_sprague_panels_preserve_groups() -> None:
    m = sprague_matrix(20)
    np.testing.assert_allclose(m.reshape(20, 5, 20).sum(axis=1), np.eye(20), atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.float64,
        (3, 21),
        elements=st.floats(0, 1e7, allow_nan=False, allow_infinity=False),
    )
)
def test_graduate_keeps_totals_and_is_non_negative(groups: np.ndarray) -> None:
    single = graduate(groups)
    assert single.shape == (3, 101)
    assert (single >= 0).all()
    np.testing.assert_allclose(
        single[:, :100].reshape(3, 20, 5).sum(axis=-1), groups[:, :20], rtol=1e-9, atol=1e-6
    )
    np.testing.assert_array_equal(single[:, 100], groups[:, 20])


def test_graduate_fixes_a_spike_next_to_zeros() -> None:
    groups = np.zeros(21)
    groups[10] = 1000.0  # Sprague alone would make negative neighbours
    raw = sprague_matrix(20) @ groups[:20]
    assert (raw < 0).any()
    single = graduate(groups)
    assert (single >= 0).all()
    assert abs(single[50:55].sum() - 1000.0) < 1e-9


def test_annual_groups_exact_at_knots_and_linear_between() -> None:
    knots = np.array([2020, 2025, 2030])
    values = np.array([[[10.0, 20.0], [15.0, 30.0], [5.0, 60.0]]])  # (L=1, K=3, G=2)
    years = np.array([2020, 2022, 2025, 2028, 2030])
    out = annual_groups(knots, values, years)
    np.testing.assert_array_equal(out[0, [0, 2, 4]], values[0])
    np.testing.assert_allclose(out[0, 1], [12.0, 24.0])
    np.testing.assert_allclose(out[0, 3], [9.0, 48.0])


def test_annual_groups_follow_totals_between_knots() -> None:
    knots = np.array([2020, 2025])
    values = np.array([[[10.0, 30.0], [20.0, 40.0]]])  # sums 40 and 60, totals agree at knots
    years = np.array([2021, 2024])
    totals = np.array([[50.0, 55.0, 40.0, 60.0]])  # years' totals, then knots' totals
    out = annual_groups(knots, values, years, totals)
    np.testing.assert_allclose(out[0].sum(axis=-1), [50.0, 55.0])
    # shares within the year are those of the linear interpolation
    np.testing.assert_allclose(out[0, 0] / out[0, 0].sum(), np.array([12.0, 32.0]) / 44.0)
