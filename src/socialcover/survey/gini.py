"""The weighted Gini index per group, with its linearised variable.

G = (2 sum_k w_k y_k N_k - sum_k w_k^2 y_k) / (N T) - 1, with rows sorted by y, N_k the
cumulated weights, N and T the totals of w and w y (Langel and Tillé 2013, *J. R. Stat. Soc.
A* 176(2), "Variance estimation of the Gini index: revisiting a result several times
published"); it equals the mean absolute difference over twice the mean, and does not depend
on how tied values are ordered. Its linearised variable, the derivative of G with respect to
each row's weight (Binder and Kovacevic 1995, *Survey Methodology* 21(2)), is

    z_k = [2 y_k N_k + 2 (T - T_k) - (G + 1)(T + N y_k)] / (N T)

with T_k the cumulated w y (the tests check it against numerical derivatives). A group whose
N T is 0 has no Gini (NaN) and z = 0.

The variance needs only the totals of w z per (group, sampling unit), and z is linear in
y_k N_k - T_k and y_k: :func:`gini_unit_totals` forms them from four sums per (group, unit),
which a database computes with running sums over the distinct values, without bringing rows
into memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from socialcover.survey.linearised import Linearised
from socialcover.survey.rows import Groups

__all__ = ["GiniUnitTotals", "gini_linearised", "gini_unit_totals"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def gini_linearised(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    groups: Groups | None = None,
    *,
    order: I64 | None = None,
) -> Linearised:
    """The weighted Gini of ``values`` per group, with each row's linearised variable.

    Parameters
    ----------
    values, weights
        One value and one weight per row.
    groups
        The groups (:func:`~socialcover.survey.groups_of`); rows with code -1 are left out
        (give rows with a missing value code -1). One group of all rows by default.
    order
        ``numpy.argsort(values, kind="stable")`` over all rows, when already known (it is the
        costly part; a caller estimating several breakdowns sorts once).

    Returns
    -------
    Linearised
        The Gini per group, and z per row; its :meth:`~Linearised.variance` gives the SE.

    Examples
    --------
    >>> import numpy as np
    >>> g = gini_linearised(np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4))
    >>> round(float(g.estimate[0]), 4), round(float(g.z.sum()), 12)
    (0.25, 0.0)
    """
    y_all = np.asarray(values, dtype=np.float64)
    w_all = np.asarray(weights, dtype=np.float64)
    if groups is None:
        code = np.zeros(y_all.size, dtype=np.int64)
        n_groups = 1
    else:
        code, n_groups = groups.code, groups.n
    keep = code >= 0
    full = np.argsort(y_all, kind="stable") if order is None else order
    if keep.all():
        by_value = full
        values_k, w, groups_k = y_all, w_all, code
    else:
        position = np.cumsum(keep) - 1
        by_value = position[full[keep[full]]].astype(np.int64)
        values_k, w, groups_k = y_all[keep], w_all[keep], code[keep]
    # A stable sort of small group codes keeps the value order within each group.
    if n_groups > 1:
        small = groups_k.astype(np.int16) if n_groups < 30_000 else groups_k
        sorted_rows = by_value[np.argsort(small[by_value], kind="stable")]
    else:
        sorted_rows = by_value
    y = values_k[sorted_rows]
    ws = w[sorted_rows]
    grp = groups_k[sorted_rows]
    wy = ws * y
    big_n = np.bincount(grp, weights=ws, minlength=n_groups)
    big_t = np.bincount(grp, weights=wy, minlength=n_groups)
    first = np.searchsorted(grp, np.arange(n_groups), side="left")
    cw = np.cumsum(ws)
    cwy = np.cumsum(wy)
    before_w = np.where(first > 0, cw[np.maximum(first - 1, 0)], 0.0)
    before_wy = np.where(first > 0, cwy[np.maximum(first - 1, 0)], 0.0)
    n_k = cw - before_w[grp]
    t_k = cwy - before_wy[grp]
    a = np.bincount(grp, weights=wy * n_k, minlength=n_groups)
    b = np.bincount(grp, weights=ws * wy, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        gini = (2 * a - b) / (big_n * big_t) - 1
        nt = (big_n * big_t)[grp]
        z_sorted = (
            2 * y * n_k + 2 * (big_t[grp] - t_k) - (gini[grp] + 1) * (big_t[grp] + big_n[grp] * y)
        ) / nt
    none = big_n * big_t == 0
    gini = np.where(none, np.nan, gini)
    z_sorted = np.where(none[grp], 0.0, z_sorted)
    z_kept = np.empty_like(z_sorted)
    z_kept[sorted_rows] = z_sorted
    z = z_kept if keep.all() else np.zeros(y_all.size)
    if not keep.all():
        z[keep] = z_kept
    return Linearised(np.asarray(gini, dtype=np.float64), z, code)


@dataclass(frozen=True)
class GiniUnitTotals:
    """The Gini per group, and the totals of its scores w z per (group, sampling unit).

    Attributes
    ----------
    estimate
        The Gini of each group (NaN for a group whose N T is 0).
    total
        Per (group, unit) bin, the sum of w_k z_k over its rows (0 in a group with no Gini).
    """

    estimate: F64
    total: F64


def gini_unit_totals(
    dom: I64,
    n_dom: int,
    w: F64,
    wy: F64,
    wa: F64,
    wd: F64,
) -> GiniUnitTotals:
    """The weighted Gini per group and its score totals per bin, from sums over the bin's rows.

    For a row of value y in its group, let N_< and T_< be the totals of w and w y over the
    group's rows with a smaller value, and W_= the total weight of its rows with value y.
    Per (group, unit) bin the inputs are ``w`` = sum w, ``wy`` = sum w y,
    ``wa`` = sum w y (2 N_< + W_=) and ``wd`` = sum 2 w (y N_< - T_<). Then
    G = sum wa / (N T) - 1 (Langel and Tillé's 2 sum w y N_k - sum w^2 y, with ties summed)
    and the bin's sum of w z is [wd + 2 T w - (G + 1)(T w + N wy)] / (N T), since
    y N_k - T_k = y N_< - T_< for every row: the sum over the bin's rows of the scores of
    :func:`gini_linearised`. A database computes the inputs from the distinct values, with
    running sums, without the rows in memory.

    Parameters
    ----------
    dom
        Each bin's group index.
    n_dom
        Number of groups.
    w, wy, wa, wd
        The sums per bin.

    Examples
    --------
    >>> import numpy as np
    >>> y, w = np.array([1.0, 2.0, 2.0, 4.0]), np.ones(4)
    >>> n_lt, t_lt = np.array([0.0, 1, 1, 3]), np.array([0.0, 1, 1, 5])  # smaller values
    >>> w_eq = np.array([1.0, 2, 2, 1])                                    # tied values
    >>> bins = np.array([0, 0, 1, 1])            # two sampling units of one group
    >>> def per_bin(v):
    ...     return np.bincount(bins, weights=v)
    >>> g = gini_unit_totals(np.zeros(2, dtype=np.int64), 1, per_bin(w), per_bin(w * y),
    ...                      per_bin(w * y * (2 * n_lt + w_eq)),
    ...                      per_bin(2 * w * (y * n_lt - t_lt)))
    >>> rows = gini_linearised(y, w)
    >>> same_gini = bool(np.isclose(g.estimate[0], rows.estimate[0]))
    >>> same_totals = bool(np.allclose(g.total, per_bin(w * rows.z)))
    >>> same_gini, same_totals
    (True, True)
    """
    big_n = np.bincount(dom, weights=w, minlength=n_dom)
    big_t = np.bincount(dom, weights=wy, minlength=n_dom)
    a = np.bincount(dom, weights=wa, minlength=n_dom)
    with np.errstate(divide="ignore", invalid="ignore"):
        gini = a / (big_n * big_t) - 1
        total = (wd + 2 * big_t[dom] * w - (gini[dom] + 1) * (big_t[dom] * w + big_n[dom] * wy)) / (
            big_n * big_t
        )[dom]
    none = big_n * big_t == 0
    return GiniUnitTotals(
        np.asarray(np.where(none, np.nan, gini), dtype=np.float64),
        np.asarray(np.where(none[dom], 0.0, total), dtype=np.float64),
    )
