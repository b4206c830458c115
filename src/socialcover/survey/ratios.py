"""Many weighted totals and ratios of totals by group in one pass, with their Taylor variances.

A table of indicators asks for dozens of ratios Y / X in each of several breakdowns. Rather
than one query per ratio, :func:`unit_sums` sums every weighted variable per (group, sampling
unit) with dense bincounts, and :func:`ratios` (or :func:`totals`) forms the linearised score
of every statistic on those unit totals and sends them all to the design's variance in one
call.

- Total Y: its score is w_i y_i itself (R's ``svytotal``).
- Ratio R = Y / X of weighted totals: score z_i = w_i (y_i - R x_i) / X (Woodruff 1971;
  Wolter 2007, sec. 6.5), what R's ``svyratio`` (and ``svymean`` on a domain, with x = 1)
  computes.

The tests check equality with :meth:`~socialcover.survey.Sample.ratio` and
:meth:`~socialcover.survey.Sample.total` to 1e-10.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from socialcover.survey.rows import Groups, RowDesign

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Ratios", "Totals", "UnitSums", "ratios", "totals", "unit_sums"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class UnitSums:
    """Weighted sums of variables per (group, sampling unit) holding rows.

    Attributes
    ----------
    levels
        The groups' levels.
    dom, unit
        Per bin: its group and its finest sampling unit.
    sums
        Per variable, the sum of w * v in each bin.
    counts
        Per count variable, the rows with v != 0 in each bin.
    squares
        Per variable asked for, the sum of (w * v)^2 in each bin (element designs bound where
        the data lie, whose bins are strata: :func:`~socialcover.survey.sum_units_by`).
    """

    levels: list[str]
    dom: I64
    unit: I64
    sums: dict[str, F64]
    counts: dict[str, F64]
    squares: dict[str, F64] = field(default_factory=dict)

    def collapse(self, n_units: int) -> UnitSums:
        """The same sums over all groups together (valid when no row lacks a group).

        Saves a second pass over the rows for the total of a breakdown that covers everyone.
        """
        rows = np.bincount(self.unit, minlength=n_units)
        present = np.flatnonzero(rows)

        def total(values: F64) -> F64:
            out = np.bincount(self.unit, weights=values, minlength=n_units)[present]
            return np.asarray(out, dtype=np.float64)

        return UnitSums(
            ["all"],
            np.zeros(present.size, dtype=np.int64),
            present.astype(np.int64),
            {c: total(v) for c, v in self.sums.items()},
            {c: total(v) for c, v in self.counts.items()},
        )


def unit_sums(
    design: RowDesign,
    frame: pl.DataFrame,
    groups: Groups,
    columns: Sequence[str],
    count_columns: Sequence[str] = (),
) -> UnitSums:
    """Sum ``w * v`` for each column, and count ``v != 0`` for each count column, per bin.

    One dense bin per (group, sampling unit): plain bincounts, no hashing or sorting. Rows
    outside every group (code -1) go to one extra bin that is dropped.

    Parameters
    ----------
    design
        The design bound to ``frame`` (:func:`~socialcover.survey.bind_rows`).
    frame
        The rows, in the order they were bound.
    groups
        The breakdown (:func:`~socialcover.survey.groups_of`).
    columns, count_columns
        Numeric columns to sum, and columns whose non-zero rows to count.
    """
    import polars as pl

    n_dom = groups.n
    codes = groups.code
    n_units = design.n_units
    n_bins = n_dom * n_units
    key = np.where(codes >= 0, codes * n_units + design.unit, n_bins)
    rows = np.bincount(key, minlength=n_bins + 1)[:n_bins]
    present = np.flatnonzero(rows)
    weight = design.weights

    def column(name: str) -> F64:
        series = frame[name]
        out: F64 = (series if series.dtype == pl.Float64 else series.cast(pl.Float64)).to_numpy()
        return out

    def binned(values: F64) -> F64:
        out = np.bincount(key, weights=values, minlength=n_bins + 1)[present]
        return np.asarray(out, dtype=np.float64)

    return UnitSums(
        list(groups.levels),
        (present // n_units).astype(np.int64),
        (present % n_units).astype(np.int64),
        {c: binned(column(c) * weight) for c in columns},
        {x: binned((column(x) != 0).astype(np.float64)) for x in count_columns},
    )


@dataclass(frozen=True)
class Ratios:
    """Ratios of one breakdown: arrays indexed [pair, group] (``df`` by group).

    Attributes
    ----------
    levels
        The groups' levels.
    numerator, denominator
        Weighted totals Y and X.
    variance
        Taylor variance of Y / X.
    n
        Rows with x != 0 (the unweighted size of the denominator).
    df
        Degrees of freedom of each group.
    """

    levels: list[str]
    numerator: F64
    denominator: F64
    variance: F64
    n: F64
    df: F64


def ratios(design: RowDesign, sums: UnitSums, pairs: Sequence[tuple[str, str]]) -> Ratios:
    """Ratios Y / X per group for every (y, x) pair, with their Taylor variances.

    Each ``x`` must be a count column of ``sums`` (for ``n``). A ratio with X = 0 has value 0
    and score 0; the caller reports it as missing.

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.survey import Design, bind_rows, groups_of
    >>> df = pl.DataFrame({"w": [1.0, 2.0, 1.0, 2.0], "h": [1, 1, 2, 2],
    ...                    "y": [1.0, 0.0, 1.0, 1.0], "one": [1.0, 1.0, 1.0, 1.0]})
    >>> rows = bind_rows(df, Design(weights="w", strata="h"))
    >>> sums = unit_sums(rows, df, groups_of(df, None), ["y", "one"], ["one"])
    >>> r = ratios(rows, sums, [("y", "one")])
    >>> round(float(r.numerator[0, 0] / r.denominator[0, 0]), 4), r.df.tolist()
    (0.6667, [2.0])
    """
    n_dom = len(sums.levels)
    dom, unit, values = sums.dom, sums.unit, sums.sums
    k = len(pairs)
    num = np.zeros((k, n_dom))
    den = np.zeros((k, n_dom))
    n = np.zeros((k, n_dom))
    scores = np.zeros((k, dom.size))
    for j, (y, x) in enumerate(pairs):
        yd = np.bincount(dom, weights=values[y], minlength=n_dom)
        xd = np.bincount(dom, weights=values[x], minlength=n_dom)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(xd != 0, yd / xd, 0.0)
            scores[j] = np.where(xd[dom] != 0, (values[y] - r[dom] * values[x]) / xd[dom], 0.0)
        num[j], den[j] = yd, xd
        n[j] = np.bincount(dom, weights=sums.counts[x], minlength=n_dom)
    var = design.variance(
        (np.arange(k)[:, None] * n_dom + dom[None, :]).ravel(),
        np.tile(unit, k),
        scores.ravel(),
        k * n_dom,
    ).reshape(k, n_dom)
    return Ratios(list(sums.levels), num, den, var, n, design.df(dom, unit, n_dom))


@dataclass(frozen=True)
class Totals:
    """Weighted totals of one breakdown: arrays indexed [variable, group] (``df`` by group).

    Attributes
    ----------
    levels
        The groups' levels.
    total
        Weighted totals.
    variance
        Their Taylor variances.
    df
        Degrees of freedom of each group.
    """

    levels: list[str]
    total: F64
    variance: F64
    df: F64


def totals(design: RowDesign, sums: UnitSums, columns: Sequence[str]) -> Totals:
    """Weighted totals per group of each column of ``sums``, with their Taylor variances.

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.survey import Design, bind_rows, groups_of
    >>> df = pl.DataFrame({"w": [1.0, 2.0, 1.0, 2.0], "h": [1, 1, 2, 2], "y": [1.0, 0.0, 1.0, 1.0]})
    >>> rows = bind_rows(df, Design(weights="w", strata="h"))
    >>> t = totals(rows, unit_sums(rows, df, groups_of(df, None), ["y"]), ["y"])
    >>> t.total.tolist(), t.variance.round(6).tolist()
    ([[4.0]], [[2.0]])
    """
    n_dom = len(sums.levels)
    dom, unit = sums.dom, sums.unit
    k = len(columns)
    total = np.zeros((k, n_dom))
    for j, y in enumerate(columns):
        total[j] = np.bincount(dom, weights=sums.sums[y], minlength=n_dom)
    scores = np.concatenate([sums.sums[y] for y in columns]) if k else np.zeros(0)
    var = design.variance(
        (np.arange(k)[:, None] * n_dom + dom[None, :]).ravel(),
        np.tile(unit, k),
        scores,
        k * n_dom,
    ).reshape(k, n_dom)
    return Totals(list(sums.levels), total, var, design.df(dom, unit, n_dom))
