"""The indicator frame's design, bound through the survey package, and the Gini reduction.

Every ratio indicator of a breakdown is estimated in one pass by the survey package
(:func:`socialcover.survey.unit_sums` and :func:`socialcover.survey.ratios`: score
z_i = w_i (y_i - R x_i) / X, as R's ``svyratio``). This module adds what is particular to
the indicators:

- the design of a frame in the standard concepts (columns ``weight``, and ``strata``,
  ``psu``, ``fpc`` when present);
- the Gini reduction (G_pre - G_post) / G_pre of ASPIRE, with the survey package's linearised
  Gini (:func:`socialcover.survey.gini_linearised`, Langel and Tillé 2013); its score is
  (G_post z_pre / G_pre - z_post) / G_pre. Persons with a missing welfare value before or
  after transfers are left out of both Ginis.

Degrees of freedom of a group: its PSUs minus its strata (R's ``degf`` on the subset).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from socialcover.survey import Design, Groups, LonelyPsuRule, RowDesign, bind_rows, gini_linearised

__all__ = ["GiniReduction", "bind_design", "estimate_gini_reduction"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def bind_design(frame: pl.DataFrame, *, lonely_psu: LonelyPsuRule = "fail") -> RowDesign:
    """Bind the design of persons in the standard concepts (rows are PSUs if no ``psu``).

    Raises
    ------
    socialcover.survey.DesignError
        As :class:`socialcover.survey.Sample` does (bad weights, lonely PSUs, nesting).
    """
    cols = frame.columns
    design = Design(
        weights="weight",
        strata="strata" if "strata" in cols else None,
        psu="psu" if "psu" in cols else None,
        fpc="fpc" if "fpc" in cols else None,
        lonely_psu=lonely_psu,
    )
    return bind_rows(frame, design)


@dataclass(frozen=True)
class GiniReduction:
    """Gini before and after transfers, and the reduction's variance, per group."""

    groups: list[str]
    gini_pre: F64
    gini_post: F64
    variance: F64
    n: F64
    df: F64


def estimate_gini_reduction(
    design: RowDesign,
    frame: pl.DataFrame,
    groups: Groups,
    pre: str,
    post: str,
    order_cache: dict[str, I64] | None = None,
) -> GiniReduction:
    """(G_pre - G_post) / G_pre per group with its linearised variance.

    ``order_cache`` keeps the sort of each welfare column between calls on the same frame.
    """
    cache = order_cache if order_cache is not None else {}
    y_pre = frame[pre].cast(pl.Float64).to_numpy()
    y_post = frame[post].cast(pl.Float64).to_numpy()
    keep = (groups.code >= 0) & ~np.isnan(y_pre) & ~np.isnan(y_post)
    kept = Groups(groups.levels, np.where(keep, groups.code, -1))
    for name, values in ((pre, y_pre), (post, y_post)):
        if name not in cache:
            cache[name] = np.argsort(values, kind="stable")
    g_pre = gini_linearised(y_pre, design.weights, kept, order=cache[pre])
    g_post = gini_linearised(y_post, design.weights, kept, order=cache[post])
    reduction = g_pre.reduction(g_post)
    variance, df = reduction.variance(design)
    return GiniReduction(
        list(groups.levels), g_pre.estimate, g_post.estimate, variance, reduction.n, df
    )
