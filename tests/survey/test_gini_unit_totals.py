"""The Gini's score totals per sampling unit from five sums per bin equal those of the rows."""

from __future__ import annotations

import numpy as np

from socialcover.survey import Groups, gini_linearised, gini_unit_totals


def test_unit_totals_equal_the_row_scores_summed_per_unit() -> None:
    rng = np.random.default_rng(5)
    n, n_units, n_dom = 5_000, 60, 3
    y = np.round(rng.lognormal(8, 1, n), -2)  # rounded: many ties
    w = rng.uniform(50, 400, n)
    unit = rng.integers(0, n_units, n)
    code = rng.integers(-1, n_dom, n)  # -1: in no group
    code[:40] = 2  # group 2 also
    y[code == 2] = 0.0  # one group where every value is 0: no Gini
    rows = gini_linearised(y, w, Groups(["a", "b", "c"], code))

    keep = code >= 0
    # per row: totals of w and w y over smaller values in its group, and weight of its ties
    n_lt = np.zeros(n)
    t_lt = np.zeros(n)
    w_eq = np.zeros(n)
    for g in range(n_dom):
        mine = code == g
        for value in np.unique(y[mine]):
            at = mine & (y == value)
            below = mine & (y < value)
            n_lt[at] = w[below].sum()
            t_lt[at] = (w[below] * y[below]).sum()
            w_eq[at] = w[at].sum()
    key = code[keep] * n_units + unit[keep]
    bins, inv = np.unique(key, return_inverse=True)

    def per_bin(v: np.ndarray) -> np.ndarray:
        return np.bincount(inv, weights=v[keep], minlength=bins.size)

    got = gini_unit_totals(
        (bins // n_units).astype(np.int64),
        n_dom,
        per_bin(w),
        per_bin(w * y),
        per_bin(w * y * (2 * n_lt + w_eq)),
        per_bin(2 * w * (y * n_lt - t_lt)),
    )
    np.testing.assert_allclose(got.estimate[:2], rows.estimate[:2], rtol=1e-12)
    assert np.isnan(got.estimate[2]) and np.isnan(rows.estimate[2])
    expected = per_bin(w * rows.z)
    scale = np.abs(expected).max()
    np.testing.assert_allclose(got.total, expected, rtol=0, atol=1e-12 * scale)
    assert np.abs(expected).max() > 0
