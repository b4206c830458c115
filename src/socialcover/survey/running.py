"""Running sums in a sort order over a Spark DataFrame, divided across executors.

A weighted rank (the share of the weight at or below each row), the Gini's N_k and T_k and
any cumulative weight in sort order need, per row, the sum of a column over every row before
it. A window ordered over the whole frame (``SUM(w) OVER (ORDER BY y)``) gives that, but
Spark runs a window without a partition in one task: every row moves to one executor. Here
the rows are split into ordered ranges and summed by range, as a distributed sort does:

1. a sample of the sort keys (a few dozen rows per range, never the rows themselves) comes
   to the driver, which picks the range bounds; each row's range is a binary search over
   the bounds written in SQL (no sampling is repeated, so every later pass agrees);
2. a window per range sums each column in order (the ranges are sorted in parallel);
3. one aggregate per range brings the ranges' totals back, and each row's running sum is
   its range's local sum plus the totals of the ranges before it.

The sort order must be total (add a unique row number as the last key): rows then have one
place, and running sums are those of a sequential pass, up to the rounding of the sums
(added by range, then across ranges).

With ``partition`` (group columns), the sums restart in every group, as ``SUM(...) OVER
(PARTITION BY group ORDER BY ...)`` would, but a large group is still split: the rows are
sorted by (group, order) and cut into ranges, each range sums each of its groups in order,
and a row's offset is the total of its group in the ranges before its own (one offset per
(range, group) pair, sent back as a small broadcast table).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from socialcover.survey.backend.base import sql_literal

__all__ = ["RunningSums", "running_sums"]

#: Sampled sort keys per range (the bounds are the sample's quantiles).
SAMPLE_PER_RANGE = 40
_RANGE = "_sc_range"


@dataclass
class RunningSums:
    """Running sums added to a Spark DataFrame, and their totals.

    Attributes
    ----------
    frame
        The input's columns, plus one column per running sum (lazy; it reads a cached copy
        of the ranged rows until :meth:`release`).
    totals
        Per running sum, its total over all rows; per entry of ``also``, its total.
    products
        Per entry of ``products``, the total over rows of the expression times the running
        sum it names.
    rows
        Number of rows.
    ranges
        Number of ranges the rows were split into.
    """

    frame: Any
    totals: dict[str, float]
    products: dict[str, float]
    rows: int
    ranges: int
    _cached: list[Any] = field(default_factory=list, repr=False)

    def release(self) -> None:
        """Drop the cached copy of the ranged rows from the executors."""
        for df in self._cached:
            df.unpersist()
        self._cached.clear()


def running_sums(
    frame: Any,
    order: Sequence[str],
    sums: Mapping[str, str],
    *,
    products: Mapping[str, tuple[str, str]] | None = None,
    also: Mapping[str, str] | None = None,
    ranges: int | None = None,
    rows: int | None = None,
    seed: int = 0,
    partition: Sequence[str] = (),
) -> RunningSums:
    """Add, per row, the sum of each expression over the rows up to it in ``order``.

    Parameters
    ----------
    frame
        A Spark DataFrame.
    order
        SQL expressions sorted ascending, with no missing values; the last should be a
        unique row number, so the order is total.
    sums
        Name -> SQL expression (DOUBLE): column ``name`` gets the expression's running sum,
        the current row included.
    products
        Name -> (SQL expression f, name of a running sum S): the total of f * S over the
        rows, computed in the same pass (a weighted Gini's sum of w y N_k).
    also
        Name -> SQL expression: its total over the rows, in the same pass.
    ranges
        Number of ranges (by default four per shuffle partition, at least 2).
    rows
        The frame's number of rows, when known (saves a count).
    seed
        Seed of the sample the range bounds come from.
    partition
        Column names (no missing values): the running sums restart in each group of their
        values, as a window ``PARTITION BY`` them would; ``order`` then needs to be total
        within a group only. Totals and ``products`` are still over all rows.

    Returns
    -------
    RunningSums
        The frame with the running sums (call :meth:`RunningSums.release` when done), their
        totals, and the totals of ``products`` and ``also``; three Spark jobs at most (a
        count when ``rows`` is not given, the sample, the ranges' totals).

    Examples
    --------
    >>> from pyspark.sql import SparkSession  # doctest: +SKIP
    >>> spark = SparkSession.builder.master("local[1]").getOrCreate()  # doctest: +SKIP
    >>> df = spark.createDataFrame([(3.0, 0, 1.0), (1.0, 1, 2.0), (2.0, 2, 1.0)],
    ...                            "y double, row long, w double")  # doctest: +SKIP
    >>> r = running_sums(df, ["y", "row"], {"n_k": "w"})  # doctest: +SKIP
    >>> sorted(tuple(x) for x in r.frame.select("y", "n_k").collect())  # doctest: +SKIP
    [(1.0, 2.0), (2.0, 3.0), (3.0, 4.0)]
    """
    products = dict(products or {})
    also = dict(also or {})
    groups = [f"`{c}`" for c in partition]
    split = _split(frame, order, groups, sums, products, also, ranges, rows, seed)
    try:
        if partition:
            return _partitioned(frame, split, list(sums), products, partition)
        return _unpartitioned(frame, split, list(sums), products)
    except BaseException:
        split.frame.unpersist()
        raise


def _unpartitioned(
    frame: Any, split: _Split, names: list[str], products: dict[str, tuple[str, str]]
) -> RunningSums:
    """:func:`running_sums` over all rows: a running sum's offset in a range is its total
    over the ranges before it."""
    got, size = split.got, split.size
    per: dict[str, np.ndarray] = {}
    for i, n in enumerate(names):
        per[n] = _dense(got, f"_t{i}", size)
    offsets = {n: np.concatenate([[0.0], np.cumsum(per[n])[:-1]]) for n in names}
    totals = {n: float(per[n].sum()) for n in names} | split.also
    prods = {}
    for j, (name, (_, of)) in enumerate(products.items()):
        p, f = _dense(got, f"_p{j}", size), _dense(got, f"_f{j}", size)
        prods[name] = float(np.sum(p + offsets[of] * f))
    out = split.frame.selectExpr(
        *[f"`{c}`" for c in frame.columns],
        *[
            f"{split.local[n]} + element_at(array({_doubles(offsets[n])}), "
            f"CAST({_RANGE} AS INT) + 1) AS `{n}`"
            for n in names
        ],
    )
    return RunningSums(out, totals, prods, split.count, size, [split.frame])


def _partitioned(
    frame: Any,
    split: _Split,
    names: list[str],
    products: dict[str, tuple[str, str]],
    partition: Sequence[str],
) -> RunningSums:
    """:func:`running_sums` restarting in every group of ``partition``: ranges of (group,
    order), a window per (range, group), offsets per (range, group)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType, StructField, StructType

    got, gcols = split.got, split.gcols
    # ``got`` has the ranges in order within each group: a group's offset in a range is the
    # total of the group in the ranges before it.
    first = got.select(pl.struct(gcols).is_first_distinct()).to_series().to_numpy()
    seg = np.cumsum(first) - 1  # the pair's group, numbered in order
    offsets: dict[str, np.ndarray] = {}
    for i, n in enumerate(names):
        t = got[f"_t{i}"].fill_null(0.0).to_numpy().astype(np.float64)
        offsets[n] = _exclusive_by_segment(t, seg)
    totals = {n: float(got[f"_t{i}"].fill_null(0.0).sum()) for i, n in enumerate(names)}
    totals |= split.also
    prods = {}
    for j, (name, (_, of)) in enumerate(products.items()):
        p = got[f"_p{j}"].fill_null(0.0).to_numpy().astype(np.float64)
        f = got[f"_f{j}"].fill_null(0.0).to_numpy().astype(np.float64)
        prods[name] = float(np.sum(p + offsets[of] * f))
    offs = [f"_sc_off_{i}" for i in range(len(names))]
    schema = StructType(
        [StructField(_RANGE, split.schema["_r"].dataType, False)]
        + [split.schema[a] for a in gcols]
        + [StructField(o, DoubleType(), False) for o in offs]
    )
    table = [
        (r, *g, *(float(offsets[n][k]) for n in names))
        for k, (r, *g) in enumerate(got.select(["_r", *gcols]).iter_rows())
    ]
    small = frame.sparkSession.createDataFrame(table, schema)
    cond = F.col(f"_sc_x.{_RANGE}") == F.col(f"_sc_o.{_RANGE}")
    for g, a in zip(partition, gcols, strict=True):
        cond = cond & F.col(f"_sc_x.`{g}`").eqNullSafe(F.col(f"_sc_o.{a}"))
    joined = split.frame.alias("_sc_x").join(F.broadcast(small.alias("_sc_o")), cond, "left")
    out = joined.selectExpr(
        *[f"_sc_x.`{c}`" for c in frame.columns],
        *[
            f"_sc_x.{split.local[n]} + COALESCE(_sc_o.{o}, 0D) AS `{n}`"
            for n, o in zip(names, offs, strict=True)
        ],
    )
    return RunningSums(out, totals, prods, split.count, split.size, [split.frame])


@dataclass
class _Split:
    """Rows cut into ranges, with their running sums within a range and the totals per
    range (per (range, group) pair with groups), collected to the driver."""

    frame: Any  # the input's rows, their range and local sums (persisted: the caller releases)
    local: dict[str, str]  # running sum's name -> column of its sum within the range
    gcols: list[str]  # the columns of ``got`` that hold the groups
    got: pl.DataFrame  # per range or pair: _r, groups, _n, _t (sums), _p, _f (products), _a
    schema: Any  # Spark schema of ``got``
    size: int  # number of ranges
    count: int  # number of rows
    also: dict[str, float]  # total of each entry of ``also``


def _split(
    frame: Any,
    order: Sequence[str],
    groups: Sequence[str],
    sums: Mapping[str, str],
    products: dict[str, tuple[str, str]],
    also: dict[str, str],
    ranges: int | None,
    rows: int | None,
    seed: int,
) -> _Split:
    """Cut the rows, sorted by (groups, order), into ranges; sum each expression in order
    within each (range, group); aggregate per (range, group) and collect, sorted by group
    then range. Two Spark jobs at most (three without ``rows``)."""
    from pyspark.sql import functions as F

    if ranges is None:
        conf = frame.sparkSession.conf
        parts = int(conf.get("spark.sql.shuffle.partitions", "200") or 200)
        ranges = max(2, 4 * parts)
    if rows is None:
        rows = int(frame.count())
    keys = [*groups, *order]
    bounds = _bounds(frame, keys, ranges, rows, seed)
    names = list(sums)
    win = (
        f"(PARTITION BY {', '.join([_RANGE, *groups])} ORDER BY {', '.join(order)} "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    )
    local = {n: f"_sc_local_{i}" for i, n in enumerate(names)}
    gcols = [f"_sc_g{i}" for i in range(len(groups))]
    ranged = frame.selectExpr("*", f"{_range_sql(keys, bounds)} AS {_RANGE}")
    ranged = ranged.selectExpr(
        "*", *[f"SUM({sums[n]}) OVER {win} AS {local[n]}" for n in names]
    ).persist()
    try:
        aggs = ["COUNT(*) AS _n"]
        aggs += [f"SUM({sums[n]}) AS _t{i}" for i, n in enumerate(names)]
        for j, (expr, of) in enumerate(products.values()):
            aggs += [f"SUM(({expr}) * {local[of]}) AS _p{j}", f"SUM({expr}) AS _f{j}"]
        aggs += [f"SUM({expr}) AS _a{k}" for k, expr in enumerate(also.values())]
        per_pair = ranged.groupBy(
            F.col(_RANGE).alias("_r"),
            *[F.col(g).alias(a) for g, a in zip(groups, gcols, strict=True)],
        ).agg(*[F.expr(a) for a in aggs])
        got = pl.from_arrow(per_pair.toArrow())
        assert isinstance(got, pl.DataFrame)
        got = got.sort([*gcols, "_r"])
        totals = {a: float(got[f"_a{k}"].fill_null(0.0).sum()) for k, a in enumerate(also)}
        count = int(got["_n"].sum())
    except BaseException:
        ranged.unpersist()
        raise
    return _Split(ranged, local, gcols, got, per_pair.schema, len(bounds) + 1, count, totals)


def _exclusive_by_segment(values: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """Per position, the sum of the values before it in its segment (segments contiguous);
    each segment is summed on its own, so one group's sums never absorb another's."""
    out = np.zeros_like(values)
    if values.size == 0:
        return out
    start = [int(i) for i in np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])]
    for a, b in zip(start, [*start[1:], values.size], strict=True):
        out[a + 1 : b] = np.cumsum(values[a : b - 1])
    return out


def _dense(got: pl.DataFrame, col: str, size: int) -> np.ndarray:
    """A per-range column as an array over every range (0 for a range without rows)."""
    out = np.zeros(size)
    idx = got["_r"].to_numpy().astype(np.int64)
    out[idx] = got[col].fill_null(0.0).to_numpy().astype(np.float64)
    return out


def _doubles(values: np.ndarray) -> str:
    return ", ".join(sql_literal(float(v)) for v in values)


def _bounds(
    frame: Any, order: Sequence[str], ranges: int, rows: int, seed: int
) -> list[tuple[Any, ...]]:
    """Range bounds: the sort keys at evenly spaced positions of a sample (distinct)."""
    if rows <= 1 or ranges <= 1:
        return []
    fraction = min(1.0, SAMPLE_PER_RANGE * ranges / rows)
    keys = frame.selectExpr(*[f"{o} AS _k{i}" for i, o in enumerate(order)])
    picked = keys if fraction >= 1.0 else keys.sample(False, fraction, seed)
    sample = pl.from_arrow(picked.toArrow())
    assert isinstance(sample, pl.DataFrame)
    cols = [f"_k{i}" for i in range(len(order))]
    sample = sample.drop_nulls().unique().sort(cols)
    if sample.height < 2:
        return []
    n_cut = min(ranges - 1, sample.height - 1)
    at = np.unique(((np.arange(1, n_cut + 1) * sample.height) // (n_cut + 1)).astype(np.int64))
    return [tuple(sample.row(int(i))) for i in at]


def _less(order: Sequence[str], bound: tuple[Any, ...]) -> str:
    """The sort key is lexicographically below ``bound``."""
    lit = [sql_literal(v) for v in bound]
    expr = f"{order[-1]} < {lit[-1]}"
    for o, v in zip(reversed(order[:-1]), reversed(lit[:-1]), strict=True):
        expr = f"({o} < {v} OR ({o} = {v} AND {expr}))"
    return expr


def _range_sql(order: Sequence[str], bounds: list[tuple[Any, ...]]) -> str:
    """The range of a row: the number of bounds at or below its key (a binary search)."""

    def node(lo: int, hi: int) -> str:
        if lo == hi:
            return str(lo)
        mid = (lo + hi) // 2
        below = _less(order, bounds[mid])
        return f"CASE WHEN {below} THEN {node(lo, mid)} ELSE {node(mid + 1, hi)} END"

    return node(0, len(bounds))
