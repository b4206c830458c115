"""The one aggregate query behind every estimator.

For the variables of a call (v_0 = 1, then each variable as a column or SQL expression), one
statement computes, per (domain, finest sampling unit[, post-stratum]) row, the sums an
:class:`~socialcover.survey.aggregate.Aggregate` holds. The statement is plain SQL that DuckDB
and Spark both run; calibrated weights are applied afterwards, per cell, in NumPy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from socialcover.survey._errors import EstimateError
from socialcover.survey.aggregate import Aggregate
from socialcover.survey.arrays import dense, match, plain_keys
from socialcover.survey.bound import BoundDesign
from socialcover.survey.result import Columns
from socialcover.survey.structure import check_columns

if TYPE_CHECKING:
    import polars as pl

__all__ = ["aggregate", "aggregate_arrays", "array_path", "collect", "collect_arrays", "levels"]

# The aggregate's rows: a Polars frame (:func:`aggregate`) or NumPy columns (no Polars).
_Rows = TypeVar("_Rows", "pl.DataFrame", dict[str, Any])


def aggregate(
    bound: BoundDesign,
    variables: list[str],
    by: list[str],
    where: str | None,
    na_rm: bool,
    *,
    bounds: bool = False,
    score_sql: str | None = None,
    score_join: tuple[str, list[str]] | None = None,
) -> tuple[pl.DataFrame, list[str]]:
    """Run the aggregate query; returns its frame and the domain key columns.

    With ``score_sql`` (element designs), the exact sum of squared scores per group instead;
    ``score_join`` (a registered table and its key columns ``_b0``, ...) is joined to the rows
    so ``score_sql`` can read per-domain coefficients from it (one hash join, linear in rows,
    whatever the number of domains).
    """
    import polars as pl

    def with_n(agg: pl.DataFrame) -> pl.DataFrame:
        return agg if "_n" in agg.columns else agg.with_columns(pl.col("_nall").alias("_n"))

    fetch = bound.backend.query
    return _run(fetch, with_n, bound, variables, by, where, na_rm, bounds, score_sql, score_join)


def aggregate_arrays(
    bound: BoundDesign,
    variables: list[str],
    by: list[str],
    where: str | None,
    na_rm: bool,
    *,
    bounds: bool = False,
    score_sql: str | None = None,
    score_join: tuple[str, list[str]] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """:func:`aggregate` with the result as NumPy columns (no Polars)."""

    def with_n(agg: dict[str, Any]) -> dict[str, Any]:
        if "_n" not in agg:
            agg["_n"] = agg["_nall"]
        return agg

    fetch = bound.backend.query_arrays
    return _run(fetch, with_n, bound, variables, by, where, na_rm, bounds, score_sql, score_join)


def _run(
    fetch: Callable[[str], _Rows],
    with_n: Callable[[_Rows], _Rows],
    bound: BoundDesign,
    variables: list[str],
    by: list[str],
    where: str | None,
    na_rm: bool,
    bounds: bool,
    score_sql: str | None,
    score_join: tuple[str, list[str]] | None,
) -> tuple[_Rows, list[str]]:
    """The aggregate query run by ``fetch``: unless it sums scores, every row gets its count
    ``_n`` (``with_n``) and missing values are refused when ``na_rm`` is off."""
    sql, group, k = _aggregate_sql(
        bound, variables, by, where, na_rm, bounds, score_sql, score_join
    )
    agg = fetch(sql)
    if score_sql is not None:
        return agg, group
    agg = with_n(agg)
    if not na_rm and k > 1 and len(agg["_nall"]):
        for j, v in enumerate(variables, start=1):
            _check_missing(v, int((np.asarray(agg["_nall"]) - np.asarray(agg[f"_c{j}"])).sum()))
    return agg, [f"_b{i}" for i in range(len(by))]


def _check_missing(variable: str, miss: int) -> None:
    if miss:
        raise EstimateError(
            f"Variable {variable!r} has {miss} missing values in the rows asked for.",
            code="survey.missing-values",
            hint="Pass na_rm=True to leave them out of the domain (as R's na.rm).",
            variable=variable,
        )


def _aggregate_sql(
    bound: BoundDesign,
    variables: list[str],
    by: list[str],
    where: str | None,
    na_rm: bool,
    bounds: bool = False,
    score_sql: str | None = None,
    score_join: tuple[str, list[str]] | None = None,
) -> tuple[str, list[str], int]:
    """The aggregate statement, its group columns and the number of sums per variable set."""
    eng = bound.backend
    q = eng.quote
    check_columns(bound.columns, by, "in by=")
    bound.check_names(by, "in by=")
    bound.check_names([where], "in where=")
    st = bound.structure
    inner = [f"{q(b)} AS _b{i}" for i, b in enumerate(by)]
    inner += [f"{e} AS {a}" for e, a in st.key_sql]
    cal = bound.calibration
    if cal is not None:
        inner += [f"{q(c)} AS _k{i}" for i, c in enumerate(cal.columns)]
    vexpr = [f"CAST({bound.expr(v)} AS DOUBLE)" for v in variables]
    if na_rm and vexpr:
        # rows with a missing value stay in the domain's design (df, presence) with weight 0
        ok = " AND ".join(f"{e} IS NOT NULL" for e in vexpr)
        inner.append(f"CASE WHEN {ok} THEN {bound.weight_sql} ELSE 0.0 END AS _w")
        inner.append(f"CASE WHEN {ok} THEN 1 ELSE 0 END AS _ok")
        inner.append(f"{bound.weight_sql} AS _wa")
        inner += [f"COALESCE({e}, 0.0) AS _v{j + 1}" for j, e in enumerate(vexpr)]
        if bound.replicates is not None:
            inner += bound.replicates.inner_sql(ok)
    else:
        inner.append(f"{bound.weight_sql} AS _w")
        inner += [f"{e} AS _v{j + 1}" for j, e in enumerate(vexpr)]
        if bound.replicates is not None:
            inner += bound.replicates.inner_sql()
    k = len(variables) + 1
    vs = ["1"] + [f"_v{j}" for j in range(1, k)]
    outer = [f"_b{i}" for i in range(len(by))] + [a for _, a in st.key_sql]
    if cal is not None:
        outer += [f"_k{i}" for i in range(len(cal.columns))]
    group = list(outer)
    outer.append("COUNT(*) AS _nall")
    if na_rm and k > 1:
        outer.append("SUM(_ok) AS _n")
        outer.append("SUM(_wa) AS _sall")
    outer.append("SUM(_w) AS _s0")
    outer += [f"SUM(_w * _v{j}) AS _s{j}" for j in range(1, k)]
    if not na_rm:
        outer += [f"COUNT(_v{j}) AS _c{j}" for j in range(1, k)]
    if cal is not None and cal.kind == "rake":
        ok = " * _ok" if na_rm and k > 1 else ""
        outer += [f"SUM(_v{j}{ok}) AS _u{j}" for j in range(1, k)]
    for i in range(1, k):
        for j in range(i, k):
            outer.append(f"SUM(_w * _v{i} * _v{j}) AS _q{i}_{j}")
    if bounds:
        outer += [f"MIN(_v{j}) AS _lo{j}, MAX(_v{j}) AS _hi{j}" for j in range(1, k)]
    if st.element:
        for i in range(k):
            for j in range(i, k):
                outer.append(f"SUM(_w * _w * {vs[i]} * {vs[j]}) AS _m{i}_{j}")
    if bound.replicates is not None:
        outer += bound.replicates.outer_sql(k)
    sql = f"SELECT {', '.join(inner)} FROM {eng.table}"
    if where:
        sql += f" WHERE ({where})"
    if score_sql is not None:
        # second pass of element designs: the exact sum of squared scores per group
        keys = ", ".join(f"_sc_in.{g}" for g in group)
        sel = ", ".join(
            [*(f"_sc_in.{g}" for g in group), f"SUM(POWER(_w * ({score_sql}), 2)) AS _t2"]
        )
        full = f"SELECT {sel} FROM ({sql}) AS _sc_in"
        if score_join is not None:
            table, on = score_join
            cond = " AND ".join(f"_sc_in.{c} IS NOT DISTINCT FROM _sc_co.{c}" for c in on)
            full += f" JOIN {table} AS _sc_co ON {cond}"
        return full + (f" GROUP BY {keys}" if group else ""), group, k
    full = f"SELECT {', '.join(outer)} FROM ({sql}) AS _sc_in"
    if group:
        full += " GROUP BY " + ", ".join(group)
    return full, group, k


def levels(bound: BoundDesign, by: list[str], where: str | None) -> pl.DataFrame | None:
    """Domains that must show even without rows.

    A ``by`` column with declared levels (a Polars Enum or Categorical, a pandas Categorical)
    keeps every level: the domains are then every combination of the columns' levels
    (declared ones, or those in the whole data), as R's ``svyby(..., drop.empty.groups =
    FALSE)`` over factors. Otherwise, with ``where=``, the level combinations found in the
    whole data (so domains emptied by ``where=`` show).
    """
    if not by:
        return None
    import polars as pl

    eng = bound.backend
    q = eng.quote
    declared = [eng.declared_levels(b) for b in by]
    if any(d is not None for d in declared):
        product: pl.DataFrame | None = None
        for i, (b, lv) in enumerate(zip(by, declared, strict=True)):
            if lv is None:
                col = eng.query(f"SELECT DISTINCT {q(b)} AS _b{i} FROM {eng.table}")
            else:
                col = pl.DataFrame({f"_b{i}": lv})
            product = col if product is None else product.join(col, how="cross")
        return product
    if not where:
        return None
    return eng.query(_found_sql(bound, by))


def _found_sql(bound: BoundDesign, by: list[str]) -> str:
    """The level combinations of ``by`` found in the whole data (``where=`` left out)."""
    eng = bound.backend
    cols = ", ".join(f"{eng.quote(b)} AS _b{i}" for i, b in enumerate(by))
    return f"SELECT DISTINCT {cols} FROM {eng.table}"


def collect(
    bound: BoundDesign,
    variables: list[str],
    by: list[str],
    where: str | None,
    na_rm: bool,
    *,
    bounds: bool = False,
) -> Aggregate:
    """The aggregate of ``variables`` per domain of ``by`` within ``where``, as arrays."""
    import polars as pl

    agg, b = aggregate(bound, variables, by, where, na_rm, bounds=bounds)
    st = bound.structure
    k = len(variables) + 1
    all_levels = levels(bound, by, where)
    if b:
        doms = agg.select(b).unique()
        if all_levels is not None:
            doms = pl.concat([doms, all_levels.cast(doms.schema)]).unique()
        doms = doms.sort(b, nulls_last=True).with_row_index("_dom")
        agg = agg.join(doms, on=b, how="left", nulls_equal=True)
    else:
        doms = pl.DataFrame({"_dom": [0]}, schema={"_dom": pl.UInt32})
        agg = agg.with_columns(pl.lit(0, dtype=pl.UInt32).alias("_dom"))
    keys = [a for _, a in st.key_sql]
    if keys:
        agg = agg.join(st.units, on=keys, how="left")
    else:
        agg = agg.with_columns(pl.lit(0, dtype=pl.Int64).alias("_u"))
    dom = agg["_dom"].to_numpy().astype(np.int64)
    unit = agg["_u"].to_numpy().astype(np.int64)
    s = np.column_stack([agg[f"_s{j}"].to_numpy().astype(float) for j in range(k)])
    qm, m = _cross_products(s, lambda c: agg[c].to_numpy().astype(float), st.element)
    cell = None
    s_old = s
    cal = bound.calibration
    if cal is not None:
        kc = [f"_k{i}" for i in range(len(cal.columns))]
        agg = agg.join(cal.cells, on=kc, how="left", nulls_equal=True)
        cell = agg["_cell"].to_numpy().astype(np.int64)
        gr = cal.g[cell]
        s = s_old * gr[:, None]
        qm = qm * gr[:, None, None]
    return Aggregate(
        domains=doms.drop("_dom"),
        dom=dom,
        unit=unit,
        n=agg["_n"].to_numpy().astype(float),
        nall=agg["_nall"].to_numpy().astype(float),
        s=s,
        q=qm,
        m=m,
        extra=agg,
        cell=cell,
        s_old=s_old,
        call=(tuple(variables), tuple(by), where, na_rm),
    )


def _cross_products(s: Any, column: Callable[[str], Any], element: bool) -> tuple[Any, Any]:
    """Per aggregate row, the weighted cross-products of (1, v_1, ...) as matrices: ``q``
    from the sums ``s`` and the ``_q`` columns, and for element designs ``m`` (squared
    weights) from the ``_m`` columns, each read as floats by ``column``."""
    height, k = s.shape
    qm = np.zeros((height, k, k))
    qm[:, 0, 0] = s[:, 0]
    for j in range(1, k):
        qm[:, 0, j] = qm[:, j, 0] = s[:, j]
        for i in range(j, k):
            qm[:, j, i] = qm[:, i, j] = column(f"_q{j}_{i}")
    m = None
    if element:
        m = np.zeros((height, k, k))
        for i in range(k):
            for j in range(i, k):
                m[:, i, j] = m[:, j, i] = column(f"_m{i}_{j}")
    return qm, m


def array_path(bound: BoundDesign, by: list[str]) -> bool:
    """Whether :func:`collect_arrays` serves this call: DuckDB, a design without replicate
    weights or calibration, and ``by`` columns without declared levels.

    Everything else (replicates, calibrated samples, Spark, Enum/Categorical domains) goes
    through :func:`collect` and Polars.
    """
    if bound.backend.name != "duckdb" or bound.replicates is not None:
        return False
    if bound.calibration is not None:
        return False
    return all(bound.backend.declared_levels(b) is None for b in by)


def _float(x: Any) -> Any:
    """A fetched column as floats, NaN where missing (as Polars' ``to_numpy``)."""
    if isinstance(x, np.ma.MaskedArray):
        return np.ma.filled(x.astype(float), np.nan)
    return np.asarray(x, dtype=float)


def collect_arrays(
    bound: BoundDesign,
    variables: list[str],
    by: list[str],
    where: str | None,
    na_rm: bool,
    *,
    bounds: bool = False,
) -> Aggregate | None:
    """:func:`collect` without Polars (see :func:`array_path` for when it applies).

    The domain table and the raw aggregate are :class:`~socialcover.survey.result.Columns`.
    Returns ``None`` when a domain value is missing or not a number, boolean or text: the
    caller then uses :func:`collect`, which orders such values as Polars does.
    """
    agg, b = aggregate_arrays(bound, variables, by, where, na_rm, bounds=bounds)
    st = bound.structure
    k = len(variables) + 1
    height = len(agg["_nall"])
    if b:
        keys = [agg[c] for c in b]
        if where:
            found = bound.backend.query_arrays(_found_sql(bound, by))
            more = [found[c] for c in b]
            if not plain_keys(more):
                return None
            pairs = zip(keys, more, strict=True)
            keys = [np.concatenate([np.asarray(x), np.asarray(y)]) for x, y in pairs]
        if not plain_keys(keys):
            return None
        ids = dense(keys)
        n_dom = int(ids.max()) + 1 if ids.size else 0
        first = np.full(n_dom, -1, dtype=np.int64)
        first[ids[::-1]] = np.arange(ids.size, dtype=np.int64)[::-1]
        domains = Columns({c: np.asarray(x)[first] for c, x in zip(b, keys, strict=True)}, n_dom)
        dom = ids[:height].astype(np.int64)
    else:
        domains = Columns({}, 1)
        dom = np.zeros(height, dtype=np.int64)
    ukeys = [a for _, a in st.key_sql]
    if ukeys:
        rows = match([agg[a] for a in ukeys], [st.unit_keys[a] for a in ukeys])
        unit = np.asarray(st.unit_keys["_u"])[rows].astype(np.int64)
    else:
        unit = np.zeros(height, dtype=np.int64)
    s = np.column_stack([_float(agg[f"_s{j}"]) for j in range(k)]) if height else np.zeros((0, k))
    qm, m = _cross_products(s, lambda c: _float(agg[c]), st.element)
    return Aggregate(
        domains=domains,
        dom=dom,
        unit=unit,
        n=_float(agg["_n"]),
        nall=_float(agg["_nall"]),
        s=s,
        q=qm,
        m=m,
        extra=Columns(agg, height),
        cell=None,
        s_old=s,
        call=(tuple(variables), tuple(by), where, na_rm),
    )
