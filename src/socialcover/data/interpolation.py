"""Interpolation kernels for population by age: 5-year groups to single ages, and in time.

Pure NumPy, vectorised over any leading axes (locations, years, sexes), so the whole world is
graduated in one matrix product and never in a Python loop over countries.

Methods
-------
Single ages (graduation)
    Sprague's fifth-difference osculatory multipliers (Sprague 1880), as tabulated in
    Siegel & Swanson (2004), *The Methods and Materials of Demography*, 2nd ed., table C-1,
    and used by the UN Population Division and R's DemoTools (``sprague()``). Each closed
    5-year group is split with the panel for its position (first, second, middle,
    next-to-last, last) from the five groups around it. Because every panel's rows for a group
    sum to 1 on that group and 0 on the others, the single ages of a group add up exactly to the
    group (to floating-point rounding). The open group 100+ is kept as age 100.

    Sprague can give small negative values where a group is tiny beside large neighbours
    (old ages of small countries). Negative single ages are set to 0 and the rest of the group is
    rescaled to the group's total, which keeps the group sum exact and everything non-negative.

In time
    Between two of WPP's 5-year points, each age-sex group is interpolated linearly, then all
    groups of a year are scaled by one factor so that the year's total equals the annual total
    given by the caller (WPP's 1 July totals). The factor is 1 at the 5-year points, so the
    published 5-year values are reproduced exactly there. See :func:`annual_groups`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

# Sprague multipliers: rows = the 5 single ages of the target group, columns = groups used.
_FIRST = np.array(
    [
        [0.3616, -0.2768, 0.1488, -0.0336, 0.0000],
        [0.2640, -0.0960, 0.0400, -0.0080, 0.0000],
        [0.1840, 0.0400, -0.0320, 0.0080, 0.0000],
        [0.1200, 0.1360, -0.0720, 0.0160, 0.0000],
        [0.0704, 0.1968, -0.0848, 0.0176, 0.0000],
    ]
)
_SECOND = np.array(
    [
        [0.0336, 0.2272, -0.0752, 0.0144, 0.0000],
        [0.0080, 0.2320, -0.0480, 0.0080, 0.0000],
        [-0.0080, 0.2160, -0.0080, 0.0000, 0.0000],
        [-0.0160, 0.1840, 0.0400, -0.0080, 0.0000],
        [-0.0176, 0.1408, 0.0912, -0.0144, 0.0000],
    ]
)
_MIDDLE = np.array(
    [
        [-0.0128, 0.0848, 0.1504, -0.0240, 0.0016],
        [-0.0016, 0.0144, 0.2224, -0.0416, 0.0064],
        [0.0064, -0.0336, 0.2544, -0.0336, 0.0064],
        [0.0064, -0.0416, 0.2224, 0.0144, -0.0016],
        [0.0016, -0.0240, 0.1504, 0.0848, -0.0128],
    ]
)
# The last two panels mirror the first two (ages and groups reversed).
_NEXT_TO_LAST = _SECOND[::-1, ::-1]
_LAST = _FIRST[::-1, ::-1]


def sprague_matrix(n_groups: int) -> FloatArray:
    """The (5 * n_groups, n_groups) matrix splitting closed 5-year groups into single ages.

    Parameters
    ----------
    n_groups
        Number of closed 5-year groups (at least 5).

    Examples
    --------
    >>> m = sprague_matrix(20)
    >>> m.shape
    (100, 20)
    >>> bool(np.allclose(m.reshape(20, 5, 20).sum(axis=1), np.eye(20)))
    True
    """
    if n_groups < 5:
        raise ValueError(f"Sprague needs at least 5 groups, got {n_groups}.")
    m = np.zeros((5 * n_groups, n_groups))
    for g in range(n_groups):
        rows = slice(5 * g, 5 * g + 5)
        if g == 0:
            m[rows, 0:5] = _FIRST
        elif g == 1:
            m[rows, 0:5] = _SECOND
        elif g == n_groups - 2:
            m[rows, n_groups - 5 : n_groups] = _NEXT_TO_LAST
        elif g == n_groups - 1:
            m[rows, n_groups - 5 : n_groups] = _LAST
        else:
            m[rows, g - 2 : g + 3] = _MIDDLE
    return m


def graduate(groups: FloatArray) -> FloatArray:
    """Split 5-year groups (last one open) into non-negative single ages.

    Parameters
    ----------
    groups
        Array ``(..., G)``: ``G - 1`` closed 5-year groups from age 0, then the open group.

    Returns
    -------
    numpy.ndarray
        Array ``(..., 5 * (G - 1) + 1)``: single ages 0 .. 5(G-1)-1, then the open group as is.
        Each closed group's single ages sum to the group (rounding aside); none is negative.
    """
    closed = groups[..., :-1]
    n = closed.shape[-1]
    single = closed @ sprague_matrix(n).T
    # Non-negativity: clip, then rescale the group to its published total.
    by_group = single.reshape(*single.shape[:-1], n, 5)
    clipped = np.clip(by_group, 0.0, None)
    sums = clipped.sum(axis=-1, keepdims=True)
    target = np.clip(closed, 0.0, None)[..., None]
    needs_fix = (by_group < 0).any(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rescaled = np.where(sums > 0, clipped * (target / sums), 0.0)
    fixed = np.where(needs_fix, rescaled, by_group)
    out = np.empty((*groups.shape[:-1], 5 * n + 1))
    out[..., :-1] = fixed.reshape(*single.shape)
    out[..., -1] = groups[..., -1]
    return out


def bracket(
    knot_years: NDArray[np.int64], years: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], FloatArray]:
    """For each year: the knot at or before it, the next knot, and the weight of the next one.

    A knot year gets weight 0 on itself (so it is reproduced exactly).
    """
    k = np.searchsorted(knot_years, years, side="right") - 1
    k = np.clip(k, 0, len(knot_years) - 2)
    span = (knot_years[k + 1] - knot_years[k]).astype(np.float64)
    w = (years - knot_years[k]).astype(np.float64) / span
    at_knot_right = w >= 1.0  # the last knot year itself
    k = np.where(at_knot_right, k + 1, k)
    w = np.where(at_knot_right, 0.0, w)
    k_next = np.minimum(k + 1, len(knot_years) - 1)
    return k, k_next, w


def annual_groups(
    knot_years: NDArray[np.int64],
    knot_values: FloatArray,
    years: NDArray[np.int64],
    totals: FloatArray | None = None,
) -> FloatArray:
    """Interpolate groups given at 5-year points to calendar years, matching annual totals.

    Parameters
    ----------
    knot_years
        Sorted years of the published points, shape ``(K,)``.
    knot_values
        Published values ``(L, K, ...)``: L locations, K points, any trailing axes (sex, age).
    years
        Requested years ``(Y,)``, within ``knot_years[0] .. knot_years[-1]``.
    totals
        Optional annual totals ``(L, Y)`` and ``(L, K)`` stacked as ``(L, Y + K)``: the totals of
        the requested years, then those of the knot years. NaN where unknown (no constraint).

    Returns
    -------
    numpy.ndarray
        ``(L, Y, ...)``. At a knot year the result is the knot value exactly. Between knots each
        cell is linear in time, then the year is scaled so that its total follows the annual
        totals: ``target(t) = total(t) / f(t)`` with ``f`` the ratio of the annual total to the
        sum of the published groups at the knots, interpolated linearly. ``f`` absorbs the small
        differences between WPP's annual totals and its 5-year group sums, so the series stays
        continuous and exact at the knots.
    """
    k, k_next, w = bracket(knot_years, years)
    shape_w = (1, len(years)) + (1,) * (knot_values.ndim - 2)
    wb = w.reshape(shape_w)
    out = knot_values[:, k] * (1.0 - wb) + knot_values[:, k_next] * wb
    if totals is None:
        return out
    n_years = len(years)
    year_total = totals[:, :n_years]
    knot_total = totals[:, n_years:]
    axes = tuple(range(2, knot_values.ndim))
    knot_sum = knot_values.sum(axis=axes)
    with np.errstate(divide="ignore", invalid="ignore"):
        f_knot = knot_total / knot_sum
        f = f_knot[:, k] * (1.0 - w) + f_knot[:, k_next] * w
        target = year_total / f
        scale = target / out.sum(axis=axes)
    ok = np.isfinite(scale) & (w > 0.0)
    scale = np.where(ok, scale, 1.0)
    return out * scale.reshape(scale.shape + (1,) * (knot_values.ndim - 2))
