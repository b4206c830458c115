"""Weighted quantiles of large data without bringing rows to the driver.

R's step rules (``math``/``hf1``, ``school``/``hf2``, ``hf3``) pick the smallest value whose
cumulative weight reaches ``p`` times the domain's total (``school`` and ``hf3`` also look at
the next distinct value when the share falls exactly on ``p``). That value can be found from
aggregates alone, so on large data the back-end (DuckDB, or Spark on a cluster) does the work
and only small tables come back:

1. per domain: the smallest and largest value, the total weight and the row count;
2. per requested (domain, probability): split the current value window into equal-width bins
   and sum the weights per bin (one grouped statement for every request at once); the bin
   where the cumulative weight first reaches the target becomes the new window (its smallest
   and largest values), and the weight below it is carried;
3. once a window holds few rows (or one value), the distinct values in it and the next value
   above it are fetched with their summed weights and returned as a :class:`Window`; R's rule
   then runs on it exactly as on the whole domain (:mod:`.quantile`), with cumulative weights
   offset by the weight below the window.

Each pass is one scan of the data; a pass narrows the window by the number of bins (4,096), so
two or three passes find a median among 50 million values.

Ties on the boundary: R accumulates weights in extended precision and compares the cumulative
share with ``p`` exactly (with equal weights the median's share falls exactly on 0.5, and R
takes the lower value). The back-end sums weights as ``DECIMAL(38, 18)`` (exact sums of the
weights to 18 decimals) and the cumulative sums are rounded to doubles once, so the
comparisons fall as R's do; they could differ only where R's own long-double sum is off by
more than half a unit in the last place of a double.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any, Protocol

import numpy as np
import polars as pl

from socialcover.survey.backend.base import sql_literal

__all__ = ["STEP_RULES", "Scanned", "Window", "locate_windows"]

STEP_RULES = ("math", "school", "hf1", "hf2", "hf3")
BINS = 4096
#: A window with at most this many rows is fetched (as distinct values with summed weights).
FETCH_ROWS = 50_000
MAX_PASSES = 12


class _Engine(Protocol):
    @property
    def table(self) -> str: ...

    def quote(self, identifier: str) -> str: ...

    def query(self, sql: str) -> pl.DataFrame: ...


class Scanned(Protocol):
    """What the search reads: a table on a back-end, and the weight as SQL (a bound design,
    or the indicator table's stored persons)."""

    @property
    def backend(self) -> _Engine: ...

    @property
    def weight_sql(self) -> str: ...


@dataclass(frozen=True)
class Window:
    """The part of a domain's distribution where a quantile lies.

    Attributes
    ----------
    x
        Distinct values of the window in order, and the next value above it.
    n
        Rows holding each value.
    cumw
        The domain's cumulative weight at each value (exact sums, rounded once).
    below
        Weight of the domain's rows under the window.
    total
        The domain's weight.
    distinct_below
        Distinct values under the window.
    """

    x: np.ndarray
    n: np.ndarray
    cumw: np.ndarray
    below: float
    total: float
    distinct_below: int


@dataclass
class _Request:
    key: tuple[Any, ...]
    p: float
    target: float
    lo: float
    hi: float
    below: Decimal
    rows: int
    total: Decimal
    distinct_below: int = 0


def locate_windows(
    bound: Scanned,
    xexpr: str,
    by: Sequence[str],
    where: str | None,
    requests: Sequence[tuple[tuple[Any, ...], float]],
    qrule: str,
    *,
    fetch_rows: int | None = None,
) -> list[Window | None]:
    """The window holding the ``qrule`` quantile of each (domain key, probability).

    Parameters
    ----------
    bound
        The bound design, or any table with a weight (its back-end runs the statements).
    xexpr
        The variable as SQL, cast to DOUBLE.
    by
        Domain columns (the keys of ``requests`` follow their order).
    where
        An SQL condition restricting the rows, or ``None``.
    requests
        (domain key, probability) pairs; a domain with no rows, or ``p`` outside [0, 1],
        gives ``None``.
    qrule
        One of :data:`STEP_RULES`.
    fetch_rows
        Fetch a window's values once it holds at most this many rows (default
        :data:`FETCH_ROWS`).
    """
    limit = FETCH_ROWS if fetch_rows is None else fetch_rows
    eng = bound.backend
    q = eng.quote
    cond = f"{xexpr} IS NOT NULL" + (f" AND {where}" if where else "")
    bsel = [f"{q(b)} AS _b{i}" for i, b in enumerate(by)]
    stats = eng.query(
        f"SELECT {', '.join([*bsel, f'MIN({xexpr}) AS _lo', f'MAX({xexpr}) AS _hi'])}, "
        f"SUM({_exact(bound.weight_sql)}) AS _tw, COUNT(*) AS _n FROM {eng.table} WHERE {cond}"
        + (f" GROUP BY {', '.join(q(b) for b in by)}" if by else "")
    )
    per_domain = {
        tuple(r[: len(by)]): (float(r[-4]), float(r[-3]), Decimal(r[-2]), int(r[-1]))
        for r in stats.iter_rows()
        if r[-1]
    }
    out: list[Window | None] = [None] * len(requests)
    live: dict[int, _Request] = {}
    for i, (key, p) in enumerate(requests):
        if key not in per_domain or not np.isfinite(p) or not 0 <= p <= 1:
            continue
        lo, hi, total, n = per_domain[key]
        live[i] = _Request(key, p, p * float(total), lo, hi, Decimal(0), n, total)
    with localcontext() as ctx:
        ctx.prec = 60  # exact: sums of DECIMAL(38, 18) values
        passes = 0
        while passes < MAX_PASSES:
            narrow = {i: r for i, r in live.items() if r.rows > limit and r.hi > r.lo}
            if not narrow:
                break
            passes += 1
            for i, rows in _bin_sums(bound, xexpr, by, cond, narrow, qrule == "hf3").items():
                r = narrow[i]
                cum = _cumulative(r.below, [row[1] for row in rows])
                j = int(np.searchsorted(_doubles(cum), r.target, side="left"))
                j = min(j, len(rows) - 1)
                if j > 0:
                    r.below = cum[j - 1]
                    r.distinct_below += sum(int(row[5]) for row in rows[:j])
                r.lo, r.hi, r.rows = float(rows[j][3]), float(rows[j][4]), int(rows[j][2])
        for i, (xs, ws, ns) in _window_values(bound, xexpr, by, cond, live).items():
            r = live[i]
            out[i] = Window(
                np.asarray(xs, dtype=float),
                np.asarray(ns, dtype=float),
                _doubles(_cumulative(r.below, ws)),
                float(r.below),
                float(r.total),
                r.distinct_below,
            )
    return out


def _exact(weight_sql: str) -> str:
    return f"CAST({weight_sql} AS DECIMAL(38, 18))"


def _cumulative(below: Decimal, sums: Sequence[Any]) -> list[Decimal]:
    out = []
    acc = below
    for v in sums:
        acc += Decimal(v)
        out.append(acc)
    return out


def _doubles(values: Sequence[Decimal]) -> np.ndarray:
    """Decimals rounded once to the nearest double."""
    return np.array([float(v) for v in values], dtype=float)


def _requests_sql(bound: Scanned, by: Sequence[str], reqs: dict[int, _Request]) -> str:
    """The requests as an inline table ``_r(_id, _k0.., _lo, _hi)``."""
    rows = []
    for i, r in reqs.items():
        vals = [str(i), *(sql_literal(k) for k in r.key), sql_literal(r.lo), sql_literal(r.hi)]
        rows.append("(" + ", ".join(vals) + ")")
    names = ["_id", *(f"_k{j}" for j in range(len(by))), "_lo", "_hi"]
    return f"(VALUES {', '.join(rows)}) AS _r({', '.join(names)})"


def _join(bound: Scanned, by: Sequence[str]) -> str:
    q = bound.backend.quote
    tests = [f"_d.{q(b)} IS NOT DISTINCT FROM _r._k{j}" for j, b in enumerate(by)]
    return " AND ".join(tests) if tests else "TRUE"


def _rows(bound: Scanned, xexpr: str, cond: str) -> str:
    """The rows in scope with the variable ``_x`` and the exact weight ``_w``."""
    return (
        f"(SELECT *, {xexpr} AS _x, {_exact(bound.weight_sql)} AS _w "
        f"FROM {bound.backend.table} WHERE {cond}) AS _d"
    )


def _bin_sums(
    bound: Scanned,
    xexpr: str,
    by: Sequence[str],
    cond: str,
    reqs: dict[int, _Request],
    distinct: bool,
) -> dict[int, list[tuple[Any, ...]]]:
    """Per request: (bin, weight, rows, min x, max x, distinct x) of its window's bins."""
    width = f"((_r._hi - _r._lo) / {BINS})"
    binx = f"LEAST(CAST(FLOOR((_d._x - _r._lo) / {width}) AS BIGINT), {BINS - 1})"
    sql = (
        f"SELECT _r._id AS _id, {binx} AS _bin, SUM(_d._w) AS _sw, COUNT(*) AS _n, "
        "MIN(_d._x) AS _mn, MAX(_d._x) AS _mx, "
        + ("COUNT(DISTINCT _d._x)" if distinct else "0")
        + f" AS _nd FROM {_rows(bound, xexpr, cond)} "
        f"JOIN {_requests_sql(bound, by, reqs)} ON {_join(bound, by)} "
        "AND _d._x >= _r._lo AND _d._x <= _r._hi GROUP BY 1, 2"
    )
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in bound.backend.query(sql).sort(["_id", "_bin"]).iter_rows():
        out.setdefault(int(row[0]), []).append(row[1:])
    return out


def _window_values(
    bound: Scanned, xexpr: str, by: Sequence[str], cond: str, reqs: dict[int, _Request]
) -> dict[int, tuple[list[float], list[Any], list[int]]]:
    """Per request: the distinct values of its window and the next value above, with their
    summed weights and row counts."""
    if not reqs:
        return {}
    eng = bound.backend
    data = _rows(bound, xexpr, cond)
    nxt = eng.query(
        f"SELECT _r._id AS _id, MIN(_d._x) AS _nx FROM {data} "
        f"JOIN {_requests_sql(bound, by, reqs)} ON {_join(bound, by)} AND _d._x > _r._hi "
        "GROUP BY 1"
    )
    upper = {int(i): float(v) for i, v in nxt.iter_rows()}
    wide = {
        i: _Request(r.key, r.p, r.target, r.lo, upper.get(i, r.hi), r.below, r.rows, r.total)
        for i, r in reqs.items()
    }
    vals = eng.query(
        f"SELECT _r._id AS _id, _d._x AS _x, SUM(_d._w) AS _sw, COUNT(*) AS _n FROM {data} "
        f"JOIN {_requests_sql(bound, by, wide)} ON {_join(bound, by)} "
        "AND _d._x >= _r._lo AND _d._x <= _r._hi GROUP BY 1, 2"
    ).sort(["_id", "_x"])
    out: dict[int, tuple[list[float], list[Any], list[int]]] = {i: ([], [], []) for i in reqs}
    for i, x, w, n in vals.iter_rows():
        xs, ws, ns = out[int(i)]
        xs.append(float(x))
        ws.append(w)
        ns.append(int(n))
    return out
