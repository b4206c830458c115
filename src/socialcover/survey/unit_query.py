"""Weighted sums per (group, sampling unit) of many SQL expressions, where the data lie.

:func:`~socialcover.survey.unit_sums` sums in-memory columns per (group, sampling unit);
engines whose rows stay in DuckDB or on a Spark cluster (a reform's impact on Spark, the
indicator table) ask the bound design's back-end for the same sums instead:
:func:`sum_units` runs one aggregate statement over the bound table and returns a
:class:`~socialcover.survey.UnitSums`, which :func:`~socialcover.survey.ratios`,
:func:`~socialcover.survey.totals` and the variance of :func:`unit_design` take as they take
the in-memory ones. Several breakdowns share one statement (SQL ``GROUPING SETS``), so a
Spark job's fixed cost is paid once for all of them.

Only the sums come back (at most groups x sampling units rows). An element design (no
``psu``) is summed per (group, stratum), with squares for its variance
(:func:`estimate_units` finishes it). A replicate design's variance comes from replicate
weights: estimate those with :class:`~socialcover.survey.Sample`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from socialcover.survey._errors import DesignError
from socialcover.survey.backend.base import sql_literal
from socialcover.survey.bound import BoundDesign
from socialcover.survey.design import Design
from socialcover.survey.ratios import UnitSums, ratios, totals
from socialcover.survey.rows import RowDesign

__all__ = ["UnitEstimates", "estimate_units", "sum_units", "sum_units_by", "unit_design"]

F64 = np.ndarray
_ONE = "\x00one"


@dataclass(frozen=True)
class UnitEstimates:
    """Weighted totals and means of one breakdown, from sums where the data lie.

    Attributes
    ----------
    levels
        The groups' levels (sorted values, as text).
    totals, means
        Per name: the estimate per group and its variance per group (a mean whose group has
        no weight is NaN).
    """

    levels: list[str]
    totals: dict[str, tuple[F64, F64]]
    means: dict[str, tuple[F64, F64]]


def estimate_units(
    bound: BoundDesign,
    totals_of: Mapping[str, str],
    means_of: Mapping[str, str],
    breakdowns: Sequence[str | None],
    *,
    where: str | None = None,
) -> dict[str | None, UnitEstimates]:
    """Weighted totals and means of many SQL expressions for several breakdowns, with their
    Taylor variances, from sums the back-end computes (one statement for all of them).

    A design with cluster ids needs one statement (:func:`sum_units_by`, then
    :func:`~socialcover.survey.totals` and :func:`~socialcover.survey.ratios`). An element
    design (no ``psu``: every row a unit) is summed per (group, stratum) with the squares of
    the weighted values, and a second statement sums the exact squared scores of the means
    (``w (v - mean)``, centred at each group's mean, as :class:`~socialcover.survey.Sample`
    does), so no row comes back. A replicate design sums the full sample and every
    replicate per group (replicates made from PSUs: per (group, PSU), times their factors;
    replicate-weight columns: per group) and takes the variance of the replicates'
    statistics, as R's ``svrVar`` (calibrated designs are not taken).

    Parameters
    ----------
    bound
        The design bound to the data (:func:`~socialcover.survey.bind`).
    totals_of, means_of
        Name -> SQL expression of the totals and of the means wanted.
    breakdowns
        Columns whose values are the groups; ``None`` for the whole data.
    where
        An SQL condition keeping rows, or ``None``.

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.survey import Design, bind
    >>> df = pl.DataFrame({"w": [1.0, 2.0, 1.0, 2.0], "h": [1, 1, 2, 2],
    ...                    "y": [1.0, 0.0, 1.0, 1.0]})
    >>> got = estimate_units(bind(df, Design(weights="w", strata="h")), {"y": "y"},
    ...                      {"y": "y"}, [None])[None]
    >>> got.totals["y"][0].tolist(), [round(float(v), 4) for v in got.means["y"][0]]
    ([4.0], [0.6667])
    """
    _uncalibrated(bound)
    if bound.replicates is not None:
        return _replicate_estimates(bound, totals_of, means_of, breakdowns, where)
    rows = unit_design(bound)
    names = {**totals_of, **means_of, _ONE: "1"}
    element = bound.structure.element
    squares = list(totals_of) if element else []
    got = _sum_units_by(bound, names, breakdowns, [_ONE], where, squares)
    out: dict[str | None, UnitEstimates] = {}
    ratio: dict[str | None, dict[str, tuple[F64, F64]]] = {}
    for by, (sums, _) in got.items():
        n_dom = len(sums.levels)
        y = {m: np.bincount(sums.dom, weights=sums.sums[m], minlength=n_dom) for m in means_of}
        x = np.bincount(sums.dom, weights=sums.sums[_ONE], minlength=n_dom)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio[by] = {m: (np.where(x != 0, y[m] / x, np.nan), x) for m in means_of}
        if not element:
            t = totals(rows, sums, list(totals_of))
            r = ratios(rows, sums, [(m, _ONE) for m in means_of])
            out[by] = UnitEstimates(
                sums.levels,
                {n: (t.total[j], t.variance[j]) for j, n in enumerate(totals_of)},
                {m: (ratio[by][m][0], r.variance[j]) for j, m in enumerate(means_of)},
            )
            continue
        tot = {
            n: (
                np.bincount(sums.dom, weights=sums.sums[n], minlength=n_dom),
                rows.variance(sums.dom, sums.unit, sums.sums[n], n_dom, sums.squares[n]),
            )
            for n in totals_of
        }
        out[by] = UnitEstimates(sums.levels, tot, {})
    if not element or not means_of:
        return out
    # element designs: the exact squared scores of the means, centred at each group's mean
    cols = [b for b in dict.fromkeys(breakdowns) if b is not None]
    extra: list[str] = []
    where_e: dict[tuple[str | None, str], int] = {}
    for by, (_, part) in got.items():
        values = None if by is None else part[f"_g{cols.index(by)}"].unique().sort().to_list()
        for j, m in enumerate(means_of):
            r = np.nan_to_num(ratio[by][m][0])
            if by is None:
                centre = sql_literal(float(r[0]))
            else:
                arms = " ".join(
                    f"WHEN {sql_literal(v)} THEN {sql_literal(float(c))}"
                    for v, c in zip(values or [], r, strict=True)
                )
                centre = f"CASE _g{cols.index(by)} {arms} END"
            where_e[(by, m)] = len(extra)
            extra.append(f"SUM(POWER(_w * (_v{j} - {centre}), 2))")
    second = _sum_units_by(bound, dict(means_of), breakdowns, [], where, extra=extra)
    for by, (sums, part) in second.items():
        n_dom = len(sums.levels)
        first = got[by][0]
        n_u = int(max(first.unit.max(initial=0), sums.unit.max(initial=0))) + 1
        at = {int(k): i for i, k in enumerate(sums.dom * n_u + sums.unit)}
        pick = np.array([at[int(k)] for k in first.dom * n_u + first.unit], dtype=np.int64)
        for m in means_of:
            est, x = ratio[by][m]
            xd = x[first.dom]
            e = part[f"_e{where_e[(by, m)]}"].fill_null(0.0).to_numpy().astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                score = np.where(
                    xd != 0,
                    (first.sums[m] - np.nan_to_num(est)[first.dom] * first.sums[_ONE]) / xd,
                    0.0,
                )
                t2 = np.where(xd != 0, e[pick] / (xd * xd), 0.0)
            var = rows.variance(first.dom, first.unit, score, n_dom, t2)
            out[by].means[m] = (est, var)
    return out


def unit_design(bound: BoundDesign) -> RowDesign:
    """The design of ``bound`` for sums computed by its back-end (no rows in memory).

    Its :meth:`~socialcover.survey.RowDesign.variance` and
    :meth:`~socialcover.survey.RowDesign.df` take the (group, unit) bins of
    :func:`sum_units`; ``unit`` and ``weights`` are empty. An element design's bins are
    (group, stratum): its variance needs the squared scores too (``t2``), and ``df`` does
    not apply (use :func:`estimate_units`).

    Raises
    ------
    socialcover.survey.DesignError
        A replicate design (code ``survey.design-invalid``).
    """
    _check(bound)
    assert isinstance(bound.design, Design)
    return RowDesign(bound.design, np.zeros(0, np.int64), np.zeros(0), bound)


def sum_units(
    bound: BoundDesign,
    sums: Mapping[str, str],
    *,
    by: str | None = None,
    counts: Sequence[str] = (),
    where: str | None = None,
) -> UnitSums:
    """Sum ``weight * expression`` per (group of ``by``, finest sampling unit), in SQL.

    Parameters
    ----------
    bound
        A Taylor design with cluster ids, bound to the data (:func:`~socialcover.survey.bind`).
    sums
        Name -> SQL expression over the bound table's columns (cast to DOUBLE).
    by
        A column whose values are the groups (rows where it is missing are in no group);
        one group ``"all"`` when ``None``.
    counts
        Names of ``sums`` whose rows with a non-zero value are counted per bin (for the
        ``n`` of :func:`~socialcover.survey.ratios`).
    where
        An SQL condition keeping rows, or ``None``.

    Returns
    -------
    UnitSums
        Levels sorted by value (as text), and per bin its group, unit, sums and counts.

    Raises
    ------
    socialcover.survey.DesignError
        A replicate design (code ``survey.design-invalid``).

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.survey import Design, bind, ratios, unit_design
    >>> df = pl.DataFrame({"w": [1.0, 2.0, 1.0, 2.0], "h": [1, 1, 2, 2], "ea": [1, 2, 3, 4],
    ...                    "y": [1.0, 0.0, 1.0, 1.0]})
    >>> bound = bind(df, Design(weights="w", strata="h", psu="ea"))
    >>> s = sum_units(bound, {"y": "y", "one": "1"}, counts=["one"])
    >>> r = ratios(unit_design(bound), s, [("y", "one")])
    >>> round(float(r.numerator[0, 0] / r.denominator[0, 0]), 4), r.df.tolist()
    (0.6667, [2.0])
    """
    return sum_units_by(bound, sums, [by], counts=counts, where=where)[by]


def sum_units_by(
    bound: BoundDesign,
    sums: Mapping[str, str],
    breakdowns: Sequence[str | None],
    *,
    counts: Sequence[str] = (),
    where: str | None = None,
    squares: Sequence[str] = (),
) -> dict[str | None, UnitSums]:
    """:func:`sum_units` for several breakdowns at once, in one SQL statement.

    ``None`` among ``breakdowns`` is the whole data (group ``"all"``). Returns the sums of
    each breakdown, keyed as given. ``squares``: names of ``sums`` whose sum of
    ``(weight * expression)^2`` per bin is wanted too (``UnitSums.squares``; element designs,
    whose bins are (group, stratum), need it for a total's variance).
    """
    return {
        b: u for b, (u, _) in _sum_units_by(bound, sums, breakdowns, counts, where, squares).items()
    }


def _sum_units_by(
    bound: BoundDesign,
    sums: Mapping[str, str],
    breakdowns: Sequence[str | None],
    counts: Sequence[str],
    where: str | None,
    squares: Sequence[str] = (),
    extra: Sequence[str] = (),
    inner_extra: Sequence[str] = (),
    replicates: bool = False,
) -> dict[str | None, tuple[UnitSums, pl.DataFrame]]:
    """The sums of each breakdown, with its part of the aggregate (``extra`` aggregates of
    ``_w``, ``_v{i}``, ``_g{j}`` and the ``inner_extra`` columns, as columns ``_e{k}``)."""
    if not replicates:
        _check(bound)
    eng = bound.backend
    q = eng.quote
    st = bound.structure
    names = list(sums)
    keys = [a for _, a in st.key_sql]
    inner = [f"{e} AS {a}" for e, a in st.key_sql]
    inner.append(f"{bound.weight_sql} AS _w")
    inner += list(inner_extra)
    wanted = list(dict.fromkeys(breakdowns))
    cols = [b for b in wanted if b is not None]
    inner += [f"{q(b)} AS _g{i}" for i, b in enumerate(cols)]
    inner += [f"CAST(({sums[n]}) AS DOUBLE) AS _v{i}" for i, n in enumerate(names)]
    outer = [*keys, *(f"_g{i}" for i in range(len(cols)))]
    several = len(wanted) > 1
    if several:
        outer += [f"GROUPING(_g{i}) AS _x{i}" for i in range(len(cols))]
    outer += [f"SUM(_w * _v{i}) AS _s{i}" for i in range(len(names))]
    outer += [
        f"SUM(CASE WHEN _v{names.index(c)} <> 0 THEN 1.0 ELSE 0.0 END) AS _n{j}"
        for j, c in enumerate(counts)
    ]
    outer += [f"SUM(POWER(_w * _v{names.index(c)}, 2)) AS _q{j}" for j, c in enumerate(squares)]
    outer += [f"{e} AS _e{k}" for k, e in enumerate(extra)]
    sets = [[*keys, *([f"_g{cols.index(b)}"] if b is not None else [])] for b in wanted]
    body = f"SELECT {', '.join(inner)} FROM {eng.table}" + (f" WHERE ({where})" if where else "")
    sql = f"SELECT {', '.join(outer)} FROM ({body}) AS _sc_in"
    if several:
        sql += " GROUP BY GROUPING SETS (" + ", ".join(f"({', '.join(s)})" for s in sets) + ")"
    elif sets[0]:
        sql += " GROUP BY " + ", ".join(sets[0])
    agg = eng.query(sql)
    if keys:
        agg = agg.join(st.units.cast({k: agg.schema[k] for k in keys}), on=keys, how="left")
    else:
        agg = agg.with_columns(_u=pl.lit(0, pl.Int64))
    out: dict[str | None, tuple[UnitSums, pl.DataFrame]] = {}
    for b in wanted:
        part = agg
        if several:  # the rows of this grouping set: its column grouped, the others not
            cond = [pl.col(f"_x{i}") == (0 if c == b else 1) for i, c in enumerate(cols)] or [
                pl.lit(True)
            ]
            part = agg.filter(pl.all_horizontal(cond))
        group = None if b is None else f"_g{cols.index(b)}"
        if group is not None:
            part = part.filter(pl.col(group).is_not_null())
        out[b] = (_unit_sums(part, names, counts, squares, group), part)
    return out


def _unit_sums(
    agg: pl.DataFrame,
    names: Sequence[str],
    counts: Sequence[str],
    squares: Sequence[str],
    group: str | None,
) -> UnitSums:
    if group is None:
        levels: list[str] = ["all"]
        dom = np.zeros(agg.height, dtype=np.int64)
    else:
        agg = agg.filter(pl.col(group).is_not_null())
        found = agg[group].unique().sort()
        levels = [str(v) for v in found.to_list()]
        dom = (
            agg[group]
            .replace_strict(found, list(range(found.len())), return_dtype=pl.Int64)
            .to_numpy()
            .astype(np.int64)
        )

    def column(name: str) -> np.ndarray:
        return agg[name].fill_null(0.0).to_numpy().astype(np.float64)

    return UnitSums(
        levels,
        dom,
        agg["_u"].to_numpy().astype(np.int64),
        {n: column(f"_s{i}") for i, n in enumerate(names)},
        {c: column(f"_n{j}") for j, c in enumerate(counts)},
        {c: column(f"_q{j}") for j, c in enumerate(squares)},
    )


#: replicate sums per statement (R x variables columns): a long list of variables is split
REPLICATE_SUMS = 2000


def _replicate_estimates(
    bound: BoundDesign,
    totals_of: Mapping[str, str],
    means_of: Mapping[str, str],
    breakdowns: Sequence[str | None],
    where: str | None,
) -> dict[str | None, UnitEstimates]:
    """Totals and means of a replicate design: the full-sample and every replicate's
    totals per group, and the variance of the replicates' statistics (R's ``svrVar``).

    Replicates made from PSUs multiply the sums per (group, PSU) by their factors; replicate
    weight columns are summed per group (one statement per block of variables)."""
    rep = bound.replicates
    assert rep is not None
    names = {**totals_of, **means_of, _ONE: "1"}
    order = list(names)
    n_rep = rep.n_rep
    full: dict[str | None, tuple[list[str], np.ndarray, np.ndarray]] = {}
    if rep.factors is not None:
        got = _sum_units_by(bound, names, breakdowns, [], where, replicates=True)
        for by, (sums, _) in got.items():
            n_dom = len(sums.levels)
            s = np.column_stack([sums.sums[n] for n in order])  # (bins, k)
            f = rep.factors[bound.structure.unit_maps[0][sums.unit]]  # (bins, R)
            y = np.zeros((n_dom, len(order)))
            np.add.at(y, sums.dom, s)
            yr = np.zeros((n_dom, n_rep, len(order)))
            np.add.at(yr, sums.dom, f[:, :, None] * s[:, None, :])
            full[by] = (sums.levels, y, yr)
    else:
        step = max(1, REPLICATE_SUMS // max(n_rep, 1))
        inner = rep.inner_sql()
        parts: dict[str | None, list[tuple[np.ndarray, np.ndarray]]] = {}
        levels: dict[str | None, list[str]] = {}
        for at in range(0, len(order), step):
            block = order[at : at + step]
            extra = [f"SUM(_r{r} * _v{j})" for j in range(len(block)) for r in range(n_rep)]
            got = _sum_units_by(
                bound,
                {n: names[n] for n in block},
                breakdowns,
                [],
                where,
                extra=extra,
                inner_extra=inner,
                replicates=True,
            )
            for by, (sums, part) in got.items():
                n_dom = len(sums.levels)
                levels[by] = sums.levels
                y = np.zeros((n_dom, len(block)))
                np.add.at(y, sums.dom, np.column_stack([sums.sums[n] for n in block]))
                e = np.column_stack(
                    [
                        part[f"_e{k}"].fill_null(0.0).to_numpy().astype(np.float64)
                        for k in range(len(extra))
                    ]
                ).reshape(part.height, len(block), n_rep)
                yr = np.zeros((n_dom, n_rep, len(block)))
                np.add.at(yr, sums.dom, np.transpose(e, (0, 2, 1)))
                parts.setdefault(by, []).append((y, yr))
        for by, blocks in parts.items():
            full[by] = (
                levels[by],
                np.concatenate([b[0] for b in blocks], axis=1),
                np.concatenate([b[1] for b in blocks], axis=2),
            )
    out: dict[str | None, UnitEstimates] = {}
    one = order.index(_ONE)
    for by, (lv, y, yr) in full.items():
        tot, mean = {}, {}
        for n in totals_of:
            j = order.index(n)
            tot[n] = (y[:, j], rep.svrvar(yr[:, :, j], y[:, j]))
        with np.errstate(divide="ignore", invalid="ignore"):
            for n in means_of:
                j = order.index(n)
                theta = y[:, j] / y[:, one]
                mean[n] = (theta, rep.svrvar(yr[:, :, j] / yr[:, :, one], theta))
        out[by] = UnitEstimates(lv, tot, mean)
    return out


def _uncalibrated(bound: BoundDesign) -> None:
    if bound.calibration is not None:
        raise DesignError(
            "Sums per sampling unit take the design's sampling weights; this design is calibrated.",
            code="survey.design-invalid",
            hint="Estimate calibrated designs with Sample (poststratify, rake).",
        )


def _check(bound: BoundDesign) -> None:
    _uncalibrated(bound)
    if bound.replicates is not None or not isinstance(bound.design, Design):
        raise DesignError(
            "Sums per sampling unit need a Taylor design; this one has replicate weights.",
            code="survey.design-invalid",
            hint="Estimate replicate designs with Sample (each estimate from its replicates).",
        )
