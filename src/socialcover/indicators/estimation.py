"""Many ratios of totals and Gini reductions at once, with the survey engine's Taylor variance.

The indicator table asks for some fifty ratios in each of a handful of breakdowns. Rather than
one query per ratio, each breakdown is one aggregation of all weighted variables per (group,
sampling unit); the linearised scores of every ratio are then formed on those unit totals and
handed together to the survey engine's variance
(:func:`socialcover.survey.variance.taylor.linear_variance`, which reproduces R's
``svyrecvar``), with the sampling structure built by the engine
(:func:`socialcover.survey.structure.build_structure`). Domains keep the whole design: a
group's score is zero outside the group, so strata keep all their PSUs.

- Ratio R = Y / X of weighted totals: score z_i = w_i (y_i - R x_i) / X (Woodruff 1971;
  Wolter 2007, sec. 6.5); this is what R's ``svyratio`` and ``svymean`` on a domain compute.
- Gini index (Langel and Tillé 2013, *J. R. Stat. Soc. A* 176, eq. for the weighted Gini):
  G = (2 sum_k w_k y_k N_k - sum_k w_k^2 y_k) / (N T) - 1, with persons sorted by y, N_k the
  cumulated weights and T = sum w y. Its linearised variable is the derivative of G with
  respect to each weight: z_k = [2 y_k N_k + 2 (T - T_k) - (G + 1)(T + N y_k)] / (N T),
  with T_k the cumulated w y (checked against numerical derivatives in the tests).
  The reduction (G_pre - G_post) / G_pre has score (G_post z_pre / G_pre - z_post) / G_pre.
- Degrees of freedom of a group: its PSUs minus its strata (R's ``degf`` on the subset);
  intervals use Student's t with them, as the engine does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from socialcover.survey.design import Design, LonelyPsuRule
from socialcover.survey.engine.base import open_engine
from socialcover.survey.structure import Structure, build_structure
from socialcover.survey.variance.taylor import linear_variance

__all__ = [
    "Binned",
    "BoundDesign",
    "GiniReduction",
    "GroupRatios",
    "bin_columns",
    "bind_design",
    "estimate_gini_reduction",
    "estimate_ratios",
    "gini_scores",
    "group_codes",
    "ratios_from_bins",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
ROW = "_sc_row"


@dataclass(frozen=True)
class BoundDesign:
    """The engine's sampling structure for a person frame, and each row's sampling unit."""

    structure: Structure
    unit: I64  # finest sampling unit of each row
    rule: str
    design: Design

    @property
    def psu_of_unit(self) -> I64:
        return self.structure.unit_maps[0]

    @property
    def stratum_of_psu(self) -> I64:
        return self.structure.stages[0].group_of_unit


def bind_design(
    frame: pl.DataFrame,
    *,
    weight: str = "weight",
    strata: str | None = "strata",
    psu: str | None = "psu",
    fpc: str | None = None,
    lonely_psu: LonelyPsuRule = "fail",
) -> BoundDesign:
    """Build the engine's sampling structure of ``frame`` (one stage; rows are PSUs if no psu).

    Raises
    ------
    socialcover.survey.DesignError
        As :class:`socialcover.survey.Sample` does (bad weights, lonely PSUs, nesting).
    """
    strata = strata if strata in frame.columns else None
    psu = psu if psu in frame.columns else None
    fpc = fpc if fpc in frame.columns else None
    cols = [c for c in (weight, strata, psu, fpc) if c is not None]
    sub = frame.select(cols)
    if psu is None:  # element sampling: each row is its own PSU (same variance as R's ids=~1)
        sub = sub.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
        psu = ROW
    design = Design(weights=weight, strata=strata, psu=psu, fpc=fpc, lonely_psu=lonely_psu)
    engine = open_engine(sub)
    structure = build_structure(engine, design, f"CAST({engine.quote(weight)} AS DOUBLE)")
    # The engine identifies units by the key columns it kept (strata may be dropped when PSU
    # ids are unique across strata).
    named = {"_s": strata, "_p1": psu}
    keys = {a: c for a, c in named.items() if c is not None and a in structure.units.columns}
    units = structure.units.select([*keys, "_u"])
    units = units.cast({alias: sub.schema[col] for alias, col in keys.items()}).rename(keys)
    joined = sub.select(list(keys.values())).join(
        units, on=list(keys.values()), how="left", maintain_order="left"
    )
    return BoundDesign(structure, joined["_u"].to_numpy().astype(np.int64), lonely_psu, design)


@dataclass(frozen=True)
class GroupRatios:
    """Ratios of one breakdown: arrays indexed [pair, group]."""

    groups: list[str]
    numerator: F64
    denominator: F64
    variance: F64
    n: F64
    df: F64


def _group_df(bound: BoundDesign, dom: I64, unit: I64, n_dom: int) -> F64:
    psu = bound.psu_of_unit[unit]
    stratum = bound.stratum_of_psu[psu]
    n_psu = max(int(bound.psu_of_unit.max()) + 1, 1)
    n_str = max(int(bound.stratum_of_psu.max()) + 1, 1)
    psus = np.bincount(np.unique(dom * n_psu + psu) // n_psu, minlength=n_dom)
    strata = np.bincount(np.unique(dom * n_str + stratum) // n_str, minlength=n_dom)
    out: F64 = (psus - strata).astype(np.float64)
    return out


def group_codes(frame: pl.DataFrame, by: str | None) -> tuple[list[str], I64]:
    """Sorted levels of ``by`` and each row's level index (-1 for a missing level)."""
    if by is None:
        return ["all"], np.zeros(frame.height, dtype=np.int64)
    col = frame[by]
    levels = col.drop_nulls().unique().sort().to_list()
    codes = col.replace_strict(levels, list(range(len(levels))), default=-1, return_dtype=pl.Int64)
    return [str(v) for v in levels], codes.to_numpy().astype(np.int64)


@dataclass(frozen=True)
class Binned:
    """Weighted sums of variables per (group, sampling unit) present in the data."""

    levels: list[str]
    dom: I64
    unit: I64
    sums: dict[str, F64]  # sum of w * v per bin
    counts: dict[str, F64]  # rows with v != 0 per bin

    def collapse(self, n_units: int) -> Binned:
        """The same sums over all groups together (valid when no row lacks a group)."""
        rows = np.bincount(self.unit, minlength=n_units)
        present = np.flatnonzero(rows)

        def total(values: F64) -> F64:
            out = np.bincount(self.unit, weights=values, minlength=n_units)[present]
            return np.asarray(out, dtype=np.float64)

        return Binned(
            ["all"],
            np.zeros(present.size, dtype=np.int64),
            present.astype(np.int64),
            {c: total(v) for c, v in self.sums.items()},
            {c: total(v) for c, v in self.counts.items()},
        )


def bin_columns(
    bound: BoundDesign,
    frame: pl.DataFrame,
    levels: list[str],
    codes: I64,
    columns: list[str],
    count_columns: list[str],
) -> Binned:
    """Sum ``w * v`` for each column, and count ``v != 0`` for each count column, per bin.

    One dense bin per (group, sampling unit): plain bincounts, no hashing or sorting. Rows
    outside every group (code -1) go to one extra bin that is dropped.
    """
    n_dom = len(levels)
    n_units = max(int(bound.unit.max()) + 1, 1)
    n_bins = n_dom * n_units
    key = np.where(codes >= 0, codes * n_units + bound.unit, n_bins)
    rows = np.bincount(key, minlength=n_bins + 1)[:n_bins]
    present = np.flatnonzero(rows)
    weight = frame["weight"].cast(pl.Float64).to_numpy()

    def column(name: str) -> F64:
        series = frame[name]
        out: F64 = (series if series.dtype == pl.Float64 else series.cast(pl.Float64)).to_numpy()
        return out

    def binned(values: F64) -> F64:
        out = np.bincount(key, weights=values, minlength=n_bins + 1)[present]
        return np.asarray(out, dtype=np.float64)

    return Binned(
        levels,
        (present // n_units).astype(np.int64),
        (present % n_units).astype(np.int64),
        {c: binned(column(c) * weight) for c in columns},
        {x: binned((column(x) != 0).astype(np.float64)) for x in count_columns},
    )


def ratios_from_bins(bound: BoundDesign, b: Binned, pairs: list[tuple[str, str]]) -> GroupRatios:
    """Ratios Y / X per group, with their Taylor variances from the engine."""
    n_dom = len(b.levels)
    dom, unit, sums = b.dom, b.unit, b.sums
    k = len(pairs)
    num = np.zeros((k, n_dom))
    den = np.zeros((k, n_dom))
    n = np.zeros((k, n_dom))
    scores = np.zeros((k, dom.size))
    for j, (y, x) in enumerate(pairs):
        yd = np.bincount(dom, weights=sums[y], minlength=n_dom)
        xd = np.bincount(dom, weights=sums[x], minlength=n_dom)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(xd != 0, yd / xd, 0.0)
            scores[j] = np.where(xd[dom] != 0, (sums[y] - r[dom] * sums[x]) / xd[dom], 0.0)
        num[j], den[j] = yd, xd
        n[j] = np.bincount(dom, weights=b.counts[x], minlength=n_dom)
    var = linear_variance(
        bound.structure,
        (np.arange(k)[:, None] * n_dom + dom[None, :]).ravel(),
        np.tile(unit, k),
        scores.ravel(),
        k * n_dom,
        bound.rule,
    ).reshape(k, n_dom)
    return GroupRatios(list(b.levels), num, den, var, n, _group_df(bound, dom, unit, n_dom))


def estimate_ratios(
    bound: BoundDesign,
    frame: pl.DataFrame,
    pairs: list[tuple[str, str]],
    by: str | None,
) -> GroupRatios:
    """Weighted totals, ratios' variances and counts for every (y, x) pair and group of ``by``.

    ``n`` counts the rows with x != 0 in the group (the unweighted size of the denominator).
    """
    xs = list(dict.fromkeys(x for _, x in pairs))
    cols = list(dict.fromkeys([*(y for y, _ in pairs), *xs]))
    levels, codes = group_codes(frame, by)
    return ratios_from_bins(bound, bin_columns(bound, frame, levels, codes, cols, xs), pairs)


@dataclass(frozen=True)
class GiniReduction:
    """Gini before and after transfers, and the reduction's variance, per group."""

    groups: list[str]
    gini_pre: F64
    gini_post: F64
    variance: F64
    n: F64
    df: F64


def gini_scores(
    values: F64, weights: F64, groups: I64, n_groups: int, order: I64 | None = None
) -> tuple[F64, F64]:
    """Gini of ``values`` per group, and each row's linearised value z (rows in input order).

    Weighted Gini of Langel and Tillé (2013) with persons sorted by value within each group;
    z is the derivative of the group's Gini with respect to the row's weight. ``order`` may
    pass ``argsort(values)`` when it is already known.

    Examples
    --------
    >>> import numpy as np
    >>> g, _ = gini_scores(np.array([1.0, 1.0, 1.0]), np.ones(3), np.zeros(3, np.int64), 1)
    >>> float(g[0])
    0.0
    """
    by_value = np.argsort(values, kind="stable") if order is None else order
    # A stable sort of small group codes keeps the value order within each group.
    if n_groups > 1:
        small = groups.astype(np.int16) if n_groups < 30_000 else groups
        order = by_value[np.argsort(small[by_value], kind="stable")]
    else:
        order = by_value
    y = values[order]
    w = weights[order]
    grp = groups[order]
    wy = w * y
    big_n = np.bincount(grp, weights=w, minlength=n_groups)
    big_t = np.bincount(grp, weights=wy, minlength=n_groups)
    first = np.searchsorted(grp, np.arange(n_groups), side="left")
    cw = np.cumsum(w)
    cwy = np.cumsum(wy)
    before_w = np.where(first > 0, cw[np.maximum(first - 1, 0)], 0.0)
    before_wy = np.where(first > 0, cwy[np.maximum(first - 1, 0)], 0.0)
    n_k = cw - before_w[grp]
    t_k = cwy - before_wy[grp]
    a = np.bincount(grp, weights=wy * n_k, minlength=n_groups)
    b = np.bincount(grp, weights=w * wy, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        gini = (2 * a - b) / (big_n * big_t) - 1
        nt = (big_n * big_t)[grp]
        z_sorted = (
            2 * y * n_k + 2 * (big_t[grp] - t_k) - (gini[grp] + 1) * (big_t[grp] + big_n[grp] * y)
        ) / nt
    z = np.empty_like(z_sorted)
    z[order] = z_sorted
    return gini, z


def _kept_order(values: F64, keep: npt.NDArray[np.bool_], cache: dict[str, I64], name: str) -> I64:
    """argsort of values[keep], from one cached argsort of all values."""
    if name not in cache:
        cache[name] = np.argsort(values, kind="stable")
    full = cache[name]
    position = np.cumsum(keep) - 1
    out: I64 = position[full[keep[full]]].astype(np.int64)
    return out


def estimate_gini_reduction(
    bound: BoundDesign,
    frame: pl.DataFrame,
    by: str | None,
    pre: str,
    post: str,
    order_cache: dict[str, I64] | None = None,
    codes_of: tuple[list[str], I64] | None = None,
) -> GiniReduction:
    """(G_pre - G_post) / G_pre per group of ``by`` with its linearised variance.

    ``order_cache`` keeps the sort of each welfare column between calls on the same frame.
    """
    cache = order_cache if order_cache is not None else {}
    levels, codes = group_codes(frame, by) if codes_of is None else codes_of
    y_pre = frame[pre].cast(pl.Float64).to_numpy()
    y_post = frame[post].cast(pl.Float64).to_numpy()
    keep = (codes >= 0) & ~np.isnan(y_pre) & ~np.isnan(y_post)
    grp = codes[keep]
    w = frame["weight"].cast(pl.Float64).to_numpy()[keep]
    unit = bound.unit[keep]
    n_dom = len(levels)
    g_pre, z_pre = gini_scores(
        y_pre[keep], w, grp, n_dom, _kept_order(np.nan_to_num(y_pre), keep, cache, pre)
    )
    g_post, z_post = gini_scores(
        y_post[keep], w, grp, n_dom, _kept_order(np.nan_to_num(y_post), keep, cache, post)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        score = w * (g_post[grp] * z_pre / g_pre[grp] - z_post) / g_pre[grp]
    score = np.where(np.isfinite(score), score, 0.0)
    n_units = max(int(bound.unit.max()) + 1, 1)
    key, inv = np.unique(grp * n_units + unit, return_inverse=True)
    t = np.asarray(np.bincount(inv, weights=score, minlength=key.size), dtype=np.float64)
    dom = (key // n_units).astype(np.int64)
    units = (key % n_units).astype(np.int64)
    var = linear_variance(bound.structure, dom, units, t, n_dom, bound.rule)
    n = np.bincount(grp, minlength=n_dom).astype(np.float64)
    return GiniReduction(levels, g_pre, g_post, var, n, _group_df(bound, dom, units, n_dom))
