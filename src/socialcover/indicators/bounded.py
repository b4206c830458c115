"""The indicator table in memory bounded by sampling units, not persons: DuckDB or Spark.

The Polars path (:mod:`.table`) builds every analysis variable of every person in memory,
about 2 GB per million persons. Here an SQL engine (a store, :mod:`.stores`: DuckDB in
process, or the user's Spark cluster) computes them (:mod:`.variables_sql`, one dialect for
both) over a Parquet file, a frame or a Spark DataFrame and keeps them where it keeps data
(DuckDB spills to disk beyond its memory limit; Spark persists them on its executors); Python
only ever holds, per breakdown, the weighted sums of the variables per (group, sampling unit),
and the estimators are those of the survey engine on those sums
(:func:`socialcover.survey.ratios`, :meth:`socialcover.survey.RowDesign.variance` and ``df``).
Memory is bounded by PSUs x groups x indicators, on either engine.

- The design is checked and bound (:func:`socialcover.survey.bind_rows`) on one row per
  sampling unit (strata, PSU, fpc, the smallest weight, and every row without a weight), so
  the checks and their messages are those of the survey engine; each person gets its unit's
  index by a join.
- The welfare quintiles' cut-offs are found by the survey engine's quantile search
  (:func:`socialcover.survey.quantile_search.locate_windows`): a few scans of bin sums, then
  the values of a narrow window; no list of persons' welfare comes back.
- The Gini reduction: the Gini's linearised variable z is linear in running sums per row, so
  one window query gives five sums per (group, unit) and
  :func:`socialcover.survey.gini_unit_totals` the Ginis and their score totals per unit.

An element design (no ``psu``: every person is a sampling unit) has as many units as
persons; :func:`~socialcover.indicators.compute_indicators` uses the Polars path for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from socialcover.indicators.definitions import Indicator
from socialcover.indicators.estimation import GiniReduction
from socialcover.indicators.stores import DuckStore, SparkStore, Store, spark_errors
from socialcover.indicators.variables import Prepared
from socialcover.indicators.variables_sql import q, quintile_sql, sql_variables
from socialcover.survey import (
    Design,
    LonelyPsuRule,
    Ratios,
    RowDesign,
    UnitSums,
    bind_rows,
    gini_unit_totals,
    locate_windows,
    ratios,
)
from socialcover.survey.io import SurveyParameters

__all__ = ["SqlWorkspace", "open_workspace"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
PAIRS_PER_CALL = 4  # ratios per call of the survey engine: bounds its score arrays
QUINTILES = (0.2, 0.4, 0.6, 0.8)
ZERO = "CAST(0 AS DOUBLE)"


@dataclass
class SqlWorkspace:
    """The persons' analysis variables in a store, and the design bound on sampling units.

    Gives :mod:`.table` what its Polars workspace gives: ``pairs`` and ``notes`` of the
    ratios, :meth:`ratios` and :meth:`reduction` (the Gini reduction) per breakdown.
    """

    store: Store
    prepared: Prepared
    bound: RowDesign
    pairs: dict[tuple[str, str | None], tuple[str, str]] = field(default_factory=dict)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    exprs: dict[str, str] = field(default_factory=dict)  # variable of a pair -> SQL
    donor: UnitSums | None = None
    _query: str = ""  # the persons with every variable and their unit, not yet stored
    _basis: str | None = None  # the welfare column the quintiles cut

    @property
    def persons(self) -> str:
        """The stored persons with their quintile."""
        return self.store.prefix + "persons"

    def close(self) -> None:
        """Free the store (DuckDB's files, Spark's cached persons and views)."""
        self.store.close()

    def ratio_pairs(self, members: list[Indicator]) -> list[tuple[Indicator, str | None]]:
        return [
            (ind, cat)
            for ind in members
            if ind.kind == "ratio"
            for cat in (ind.categories or (None,))
        ]

    def _store(self, indicators: list[Indicator], breakdowns: list[str]) -> None:
        """Store the variables the indicators and breakdowns need (DuckDB compresses and
        spills them to disk, Spark persists them), and the quintile once its cut-offs are
        known."""
        keep = ["_u", "weight", *(b for b in breakdowns if b not in ("total", "quintile"))]
        for ind in indicators:
            if ind.kind == "gini_reduction":
                keep += ["welfare_pre", "welfare"]
            else:
                keep += [ind.numerator_var, ind.denominator_var]
        if self._basis is not None:
            keep.append(self._basis)
        cols = ", ".join(q(c) for c in dict.fromkeys(keep))
        base = self.store.prefix + "persons_base"
        self.store.keep(base, f"SELECT {cols} FROM ({self._query}) AS _q")
        self.store.forget(self.store.prefix + "_units")
        if isinstance(self.store, DuckStore):  # Spark's cache still reads its source
            self.store.forget(self.store.source)
        quintile = ""
        if self._basis is not None:
            cuts = _cuts(self.store, base, self._basis)
            quintile = f", {quintile_sql(self._basis, cuts)} AS quintile"
        self.store.view(self.persons, f"SELECT *{quintile} FROM {base}")

    # -- ratios -----------------------------------------------------------------------
    def set_pairs(self, indicators: list[Indicator], breakdowns: list[str]) -> None:
        """Store the variables, and name the (numerator, denominator) of every ratio;
        persons with a missing numerator or denominator leave both (complete cases), as in
        the Polars path."""
        self._store(indicators, breakdowns)
        raw: list[tuple[tuple[str, str | None], str, str]] = []
        for ind in indicators:
            if ind.kind != "ratio":
                continue
            for cat in ind.categories or (None,):
                y = ind.numerator_var if cat is None else f"{ind.numerator_var}__{cat}"
                if cat is not None:
                    self.exprs[y] = (
                        f"COALESCE({q(ind.numerator_var)} * CAST(quintile = '{cat}' AS DOUBLE), "
                        f"{ZERO})"
                    )
                else:
                    self.exprs.setdefault(y, q(y))
                self.exprs.setdefault(ind.denominator_var, q(ind.denominator_var))
                raw.append(((ind.code, cat), y, ind.denominator_var))
        names = list(dict.fromkeys(n for _, y, x in raw for n in (y, x)))
        nulls = self._one(
            [f"COUNT(*) - COUNT({self.exprs[n]})" for n in names]
            + [
                f"SUM(CASE WHEN ({self.exprs[y]} IS NULL OR {self.exprs[x]} IS NULL) AND "
                f"COALESCE({self.exprs[x]}, 0) != 0 THEN 1 ELSE 0 END)"
                for _, y, x in raw
            ]
        )
        missing = dict(zip(names, nulls[: len(names)], strict=True))
        for k, (key, y, x) in enumerate(raw):
            if not missing[y] and not missing[x]:
                self.pairs[key] = (y, x)
                continue
            yn, xn = f"{y}__cc", f"{x}__cc_{y}"
            ye, xe = self.exprs[y], self.exprs[x]
            self.exprs[yn] = f"COALESCE({ye}, {ZERO})"
            self.exprs[xn] = (
                f"CASE WHEN {ye} IS NOT NULL AND {xe} IS NOT NULL THEN {xe} ELSE {ZERO} END"
            )
            self.pairs[key] = (yn, xn)
            gone = int(nulls[len(names) + k] or 0)
            if gone:
                self.notes[(yn, xn)] = f"{gone:,} persons without a numerator value were left out."

    def _one(self, selects: list[str]) -> list[Any]:
        if not selects:
            return []
        named = ", ".join(f"{e} AS c{i}" for i, e in enumerate(selects))
        return list(self.store.frame(f"SELECT {named} FROM {self.persons}").row(0))

    def ratios(
        self, breakdown: str, pairs: list[tuple[str, str]], total_pairs: list[tuple[str, str]]
    ) -> Ratios:
        """Every ratio of ``pairs`` per group of ``breakdown``, from unit sums in SQL."""
        if breakdown == "total" and self.donor is not None:
            sums = self.donor
        else:
            by = None if breakdown == "total" else breakdown
            wanted = list(pairs)
            donor = by is not None and self.donor is None and not self._has_nulls(by)
            if donor:
                wanted = list(dict.fromkeys([*pairs, *total_pairs]))
            sums = self._unit_sums(by, wanted)
            if donor:  # keep only the small per-unit totals for the "total" breakdown
                self.donor = sums.collapse(self.bound.n_units)
        unique = list(dict.fromkeys(pairs))
        parts = [
            ratios(self.bound, sums, unique[i : i + PAIRS_PER_CALL])
            for i in range(0, len(unique), PAIRS_PER_CALL)
        ]
        return Ratios(
            parts[0].levels,
            np.concatenate([r.numerator for r in parts]),
            np.concatenate([r.denominator for r in parts]),
            np.concatenate([r.variance for r in parts]),
            np.concatenate([r.n for r in parts]),
            parts[0].df,
        )

    def _has_nulls(self, by: str) -> bool:
        return bool(self._one([f"COUNT(*) - COUNT({q(by)})"])[0])

    def _grouped(self, by: str | None, selects: list[str], where: str = "TRUE") -> str:
        """Sums per (value of ``by``, unit) of the persons in a group (``by`` not missing)."""
        value = "0" if by is None else q(by)
        cond = where if by is None else f"{q(by)} IS NOT NULL AND ({where})"
        return (
            f"SELECT {value} AS _v, _u, {', '.join(selects)} FROM {self.persons} "
            f"WHERE {cond} GROUP BY ALL"
        )

    def _bins(
        self, by: str | None, got: dict[str, Any], found: pl.Series | None = None
    ) -> tuple[list[str], I64, I64]:
        """Levels (as :func:`~socialcover.survey.groups_of`: sorted values, as text), and each
        bin's group and unit; sorts every column of ``got`` by (group, unit). ``found``: the
        values of ``by`` when some have no bin."""
        values = got.pop("_v")
        unit = got.pop("_u").astype(np.int64)
        if by is None:
            levels, dom = ["all"], np.zeros(unit.size, dtype=np.int64)
        else:
            found = (values if found is None else found).unique().sort()
            levels = [str(v) for v in found.to_list()]
            dom = values.replace_strict(found, range(found.len()), return_dtype=pl.Int64)
            dom = dom.to_numpy().astype(np.int64)
        order = np.argsort(dom * self.bound.n_units + unit, kind="stable")
        for name in got:
            got[name] = got[name][order]
        return levels, dom[order], unit[order]

    def _unit_sums(self, by: str | None, pairs: list[tuple[str, str]]) -> UnitSums:
        cols = list(dict.fromkeys([*(y for y, _ in pairs), *(x for _, x in pairs)]))
        xs = list(dict.fromkeys(x for _, x in pairs))
        selects = [f"SUM(weight * ({self.exprs[c]})) AS s{i}" for i, c in enumerate(cols)]
        selects += [
            f"CAST(SUM(CASE WHEN ({self.exprs[x]}) != 0 THEN 1 ELSE 0 END) AS DOUBLE) AS c{i}"
            for i, x in enumerate(xs)
        ]
        got = self._fetch(self._grouped(by, selects))
        levels, dom, unit = self._bins(by, got)
        return UnitSums(
            levels,
            dom,
            unit,
            {c: got.pop(f"s{i}") for i, c in enumerate(cols)},
            {x: got.pop(f"c{i}") for i, x in enumerate(xs)},
        )

    def _fetch(self, sql: str) -> dict[str, Any]:
        """The result's columns as NumPy arrays (``_v``, the group's value: a Polars series),
        read in batches (never two copies of the whole result)."""
        parts: dict[str, list[Any]] = {}
        for batch in self.store.batches(sql):
            for name, col in zip(batch.schema.names, batch.columns, strict=True):
                part = pl.from_arrow(col) if name == "_v" else col.to_numpy(zero_copy_only=False)
                parts.setdefault(name, []).append(part)
        out: dict[str, Any] = {}
        for name in list(parts):
            chunks = parts.pop(name)
            if name == "_v":
                out[name] = pl.concat(chunks)
            else:
                out[name] = chunks[0] if len(chunks) == 1 else np.concatenate(chunks)
        return out

    # -- Gini reduction -------------------------------------------------------------------
    def reduction(self, breakdown: str) -> GiniReduction:
        """(G_pre - G_post) / G_pre per group with its linearised variance."""
        by = None if breakdown == "total" else breakdown
        found = None
        if by is not None:
            found = self.store.frame(
                f"SELECT DISTINCT {q(by)} AS v FROM {self.persons} WHERE {q(by)} IS NOT NULL"
            )["v"]
        value = "0" if by is None else q(by)
        cond = "welfare_pre IS NOT NULL AND welfare IS NOT NULL" + (
            "" if by is None else f" AND {q(by)} IS NOT NULL"
        )
        est: dict[str, F64] = {}
        t: dict[str, F64] = {}
        for tag, y in (("pre", "welfare_pre"), ("post", "welfare")):
            if isinstance(self.store, SparkStore):
                sums = _spark_gini_sums(
                    self.store, self, self.persons, value, q(y), cond, partition=by is not None
                )
            else:
                sums = self._fetch(
                    _gini_sums(self.persons, value, q(y), cond, partition=by is not None)
                )
            levels, dom, unit = self._bins(by, sums, found)
            n_dom = len(levels)
            g = gini_unit_totals(dom, n_dom, sums["w"], sums["wy"], sums["wa"], sums["wd"])
            est[tag], t[tag] = g.estimate, g.total
        pre, post = est["pre"], est["post"]
        with np.errstate(divide="ignore", invalid="ignore"):
            score = (post[dom] * t["pre"] / pre[dom] - t["post"]) / pre[dom]
        score = np.where(np.isfinite(score), score, 0.0)
        counts = sums["n"].astype(np.float64)
        n = np.asarray(np.bincount(dom, weights=counts, minlength=n_dom), dtype=np.float64)
        variance = self.bound.variance(dom, unit, score, n_dom)
        df = self.bound.df(dom, unit, n_dom)
        return GiniReduction(levels, pre, post, variance, n, df)


def _gini_sums(persons: str, value: str, y: str, cond: str, *, partition: bool) -> str:
    """Sums per (group, unit) for :func:`socialcover.survey.gini_unit_totals`.

    Persons are first summed per (group, value, unit), then per (group, value): the running
    sums over values (N_<, T_<: weight and weight x value of smaller values in the group)
    sort only the distinct values, not the persons. Tied persons share their value's N_<
    and T_< (every tie counts half of the value's weight in ``wa``).
    """
    win = ("PARTITION BY _v " if partition else "") + (
        "ORDER BY y ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING"
    )
    return (
        f"WITH a AS ({_gini_units(persons, value, y, cond)}), b AS ({_GINI_VALUES}), "
        f"c AS (SELECT _v, y, bw, COALESCE(SUM(bw) OVER ({win}), 0) AS n_lt, "
        f"COALESCE(SUM(bwy) OVER ({win}), 0) AS t_lt FROM b) {_GINI_TOTALS}"
    )


def _gini_units(persons: str, value: str, y: str, cond: str) -> str:
    """Weight, weight x value and persons per (group, value, unit)."""
    return (
        f"SELECT {value} AS _v, {y} AS y, _u, SUM(weight) AS sw, "
        f"SUM(weight * {y}) AS swy, COUNT(*) AS n FROM {persons} WHERE {cond} GROUP BY ALL"
    )


#: Weight and weight x value per (group, value), from ``a`` (:func:`_gini_units`).
_GINI_VALUES = "SELECT _v, y, SUM(sw) AS bw, SUM(swy) AS bwy FROM a GROUP BY ALL"
#: The sums per (group, unit), from ``a`` and ``c`` (N_< and T_< per (group, value)).
_GINI_TOTALS = (
    "SELECT a._v AS _v, a._u AS _u, SUM(a.sw) AS w, SUM(a.swy) AS wy, "
    "SUM(a.swy * (2 * c.n_lt + c.bw)) AS wa, "
    "SUM(2 * (a.swy * c.n_lt - a.sw * c.t_lt)) AS wd, SUM(a.n) AS n "
    "FROM a JOIN c ON a._v = c._v AND a.y = c.y GROUP BY ALL"
)


def _spark_gini_sums(
    store: SparkStore,
    ws: SqlWorkspace,
    persons: str,
    value: str,
    y: str,
    cond: str,
    *,
    partition: bool,
) -> dict[str, Any]:
    """:func:`_gini_sums` on Spark, without a window holding a whole group in one task.

    The same (group, value) sums, but N_< and T_< come from
    :func:`socialcover.survey.running_sums`: the distinct (group, value) rows are cut into
    ranges of (group, value), each range is summed in its own task and offsets per
    (range, group) are added, so no task holds more than a range whatever the group's size.
    N_< = N_<= - (the value's weight): the same ties as DuckDB's window, up to rounding.
    """
    from socialcover.survey import running_sums

    units = _gini_units(persons, value, y, cond)
    # cached while running_sums counts, samples and ranges it (three reads)
    values = store.dataframe(f"WITH a AS ({units}) {_GINI_VALUES}").persist()
    name = store.prefix + "gini_values"
    try:
        with spark_errors("computing the Gini reduction's running sums"):
            run = running_sums(
                values,
                ["y"],
                {"_n_le": "bw", "_t_le": "bwy"},
                partition=["_v"] if partition else (),
            )
        try:
            store.name(name, run.frame)
            return ws._fetch(
                f"WITH a AS ({units}), c AS (SELECT _v, y, bw, _n_le - bw AS n_lt, "
                f"_t_le - bwy AS t_lt FROM {name}) {_GINI_TOTALS}"
            )
        finally:
            store.forget(name)
            run.release()
    finally:
        values.unpersist()


def open_workspace(
    source: Any,
    columns: Sequence[str],
    *,
    parameters: SurveyParameters | None,
    contributory: set[str],
    quintiles_of: str,
    lonely_psu: LonelyPsuRule,
    engine: str = "duckdb",
    spark: Any = None,
) -> SqlWorkspace:
    """Compute the analysis variables in the engine and bind the design on sampling units.

    ``source``: a Polars frame or a Parquet path (DuckDB), or a Spark DataFrame or a path
    Spark reads (``engine="spark"``, with the session ``spark`` or the active one).
    """
    store: Store = (
        SparkStore(source, spark)
        if engine == "spark"
        else DuckStore(source if isinstance(source, pl.DataFrame) else Path(source))
    )
    try:
        src = store.source
        cols = list(columns)
        amount_cols = [c for c in cols if c.startswith("amount_")]
        counts = (
            store.frame(
                f"SELECT {', '.join(f'COUNT({q(c)}) AS n{i}' for i, c in enumerate(amount_cols))} "
                f"FROM {src}"
            ).row(0)
            if amount_cols
            else ()
        )
        with_amounts = [c[len("amount_") :] for c, n in zip(amount_cols, counts, strict=True) if n]
        variables = sql_variables(
            cols,
            with_amounts,
            parameters,
            contributory=contributory,
            quintiles_of=quintiles_of,
        )
        bound, units = _bind_units(store, cols, lonely_psu)
        unit_table = store.prefix + "_units"
        store.register(unit_table, units)
        keys = [c for c in ("strata", "psu") if c in cols]
        on = " AND ".join(f"_v.{q(k)} = _un.{q(k)}" for k in keys)
        query = (
            f"SELECT _v.*, _un._u AS _u FROM ({variables.query(src, cols)}) AS _v "
            f"JOIN {unit_table} AS _un ON {on}"
        )
        names = list(dict.fromkeys([*cols, *variables.names]))
        prepared = Prepared(
            pl.DataFrame(schema=dict.fromkeys(names, pl.Float64)),
            frozenset(variables.available),
            variables.benefits,
            variables.notes,
        )
        return SqlWorkspace(store, prepared, bound, _query=query, _basis=variables.basis)
    except BaseException:
        store.close()
        raise


def _bind_units(
    store: Store, cols: list[str], lonely_psu: LonelyPsuRule
) -> tuple[RowDesign, pl.DataFrame]:
    """The design bound on one row per sampling unit, and each unit's index ``_u``."""
    keys = [c for c in ("strata", "psu", "fpc") if c in cols]
    k = ", ".join(q(c) for c in keys)
    src = store.source
    units = store.frame(
        f"SELECT {k}, MIN(weight) AS weight FROM {src} WHERE weight IS NOT NULL GROUP BY {k} "
        f"UNION ALL SELECT {k}, weight FROM {src} WHERE weight IS NULL"
    )
    design = Design(
        weights="weight",
        strata="strata" if "strata" in cols else None,
        psu="psu",
        fpc="fpc" if "fpc" in cols else None,
        lonely_psu=lonely_psu,
    )
    bound = bind_rows(units, design)
    ids = [c for c in ("strata", "psu") if c in cols]
    table = units.select(ids).with_columns(pl.Series("_u", bound.unit)).unique(ids)
    return bound, table


@dataclass(frozen=True)
class _Scanned:
    """A stored table as the survey engine's quantile search reads it (its back-end and
    the weight as SQL)."""

    store: Store
    table: str
    weight_sql: str = "weight"

    @property
    def backend(self) -> _Scanned:
        return self

    def quote(self, name: str) -> str:
        return q(name)

    def query(self, sql: str) -> pl.DataFrame:
        return self.store.frame(sql)


def _cuts(store: Store, table: str, basis: str) -> list[float]:
    """Weighted quintile cut-offs of ``basis``: the smallest value whose cumulative weight
    reaches p x the total (as :func:`~socialcover.indicators.variables._weighted_cutoffs`),
    located by the survey engine's quantile search, which brings back bin sums and the
    distinct values of a narrow window, not the persons."""
    requests = [((), p) for p in QUINTILES]
    windows = locate_windows(_Scanned(store, table), q(basis), (), None, requests, "math")
    cuts = []
    for window, p in zip(windows, QUINTILES, strict=True):
        if window is None:  # no person has a value: every quintile is missing anyway
            cuts.append(float("nan"))
            continue
        j = int(np.searchsorted(window.cumw, p * window.total, side="left"))
        cuts.append(float(window.x[min(j, window.x.size - 1)]))
    return cuts
