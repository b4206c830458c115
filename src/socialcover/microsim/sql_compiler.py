"""Compile a rule set to one SQL query, run by DuckDB (default) or Spark SQL.

Each step becomes a column expression. Household functions become aggregates over households
(``SUM(x) ... GROUP BY hh_id``) joined back to the persons; since aggregates cannot nest, every
household aggregate is lifted into its own column, and columns are stacked in layers: a column
sits one layer above the highest layer it reads. The query is a chain of common table
expressions, one per layer; a layer that adds household aggregates joins its predecessor
(materialised once) to that predecessor grouped by household. On DuckDB a GROUP BY and a join
are about three times faster than the equivalent ``SUM(x) OVER (PARTITION BY hh_id)`` window.
Parameters are inlined as literals for the period, so a reform is a different query over the
same data.

A :class:`Dialect` holds the few spellings that differ between engines (identifier quoting,
boolean aggregation), so adding an engine is a small subclass (see :class:`SparkDialect`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from socialcover.microsim._errors import RuleError
from socialcover.microsim.expression import (
    BinOp,
    BoolOp,
    Call,
    Compare,
    Const,
    Expr,
    IfElse,
    InSet,
    Not,
    Param,
    Var,
)
from socialcover.microsim.rules import RuleSet, Step
from socialcover.microsim.units import Unit

__all__ = [
    "CompiledQuery",
    "Dialect",
    "DuckDBDialect",
    "SparkDialect",
    "compile_rules",
]


# The start of the query error raised when a numeric input without a default has a gap.
MISSING_MARK = "socialcover: missing values in input "


class Dialect:
    """SQL spellings; the defaults are ANSI and DuckDB."""

    def required(self, value: str, name: str) -> str:
        """``value`` of an input that has no default (gaps are not checked here)."""
        return value

    name = "duckdb"
    hh = "hh_id"

    def ident(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def string(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def number(self, value: float) -> str:
        if value != value or value in (float("inf"), float("-inf")):  # NaN / inf
            raise RuleError(
                f"the value {value} cannot be used in a rule", hint="Use a finite number."
            )
        return f"CAST({value!r} AS DOUBLE)"

    def aggregate(self, func: str, arg: str) -> str:
        return f"{func}({arg})"

    def bool_any(self, arg: str) -> str:
        return self.aggregate("BOOL_OR", arg)

    def bool_all(self, arg: str) -> str:
        return self.aggregate("BOOL_AND", arg)

    def join_hint(self, table: str) -> str:
        """A hint on how to join the household table ``table`` back to the persons."""
        return ""

    def materialized(self) -> str:
        """Keyword that makes a CTE computed once (DuckDB); empty where unsupported."""
        return "MATERIALIZED "


class DuckDBDialect(Dialect):
    name = "duckdb"

    def required(self, value: str, name: str) -> str:
        """``value``, or a query error naming the input when it is missing (the caller counts
        the gaps and says so: :data:`MISSING_MARK`)."""
        stop = f"error({self.string(MISSING_MARK + name)})"
        return f"(CASE WHEN {value} IS NULL THEN {stop} ELSE {value} END)"


class SparkDialect(Dialect):
    name = "spark"

    def join_hint(self, table: str) -> str:
        # a shuffled join: Spark would otherwise broadcast a small-looking household table,
        # built on the driver (millions of households exhaust its default 1 GB)
        return f"/*+ MERGE({table}) */ "

    def materialized(self) -> str:
        return ""

    def ident(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"


@dataclass
class _Col:
    name: str
    sql: str
    level: int
    household: bool = False  # an aggregate over the household (GROUP BY hh_id)


@dataclass
class CompiledQuery:
    """The SQL of a rule set over a table, with the output columns it adds."""

    sql: str
    outputs: list[str]
    layers: int
    columns: list[_Col] = field(default_factory=list, repr=False)


class _Compiler:
    def __init__(
        self, dialect: Dialect, params: Mapping[str, Any], units: Mapping[str, Unit]
    ) -> None:
        self.d = dialect
        self.params = params
        self.units = units  # column -> unit (to cast booleans in arithmetic)
        self.levels: dict[str, int] = {}
        self.cols: list[_Col] = []
        self.n_lift = 0
        self.lifted: dict[str, tuple[str, int]] = {}  # window SQL -> column (computed once)

    # Each compile returns (sql, level, is_bool).
    def c(self, e: Expr) -> tuple[str, int, bool]:
        d = self.d
        if isinstance(e, Const):
            if isinstance(e.value, bool):
                return ("TRUE" if e.value else "FALSE"), 0, True
            if isinstance(e.value, str):
                return d.string(e.value), 0, False
            return d.number(float(e.value)), 0, False
        if isinstance(e, Var):
            unit = self.units.get(e.name)
            return d.ident(e.name), self.levels.get(e.name, 0), bool(unit and unit.kind == "bool")
        if isinstance(e, Param):
            v = self.params[e.path]
            if isinstance(v, bool):
                return ("TRUE" if v else "FALSE"), 0, True
            return d.number(float(v)), 0, False
        if isinstance(e, BinOp):
            a, la = self.num(e.left)
            b, lb = self.num(e.right)
            lv = max(la, lb)
            if e.op in ("+", "-", "*"):
                return f"({a} {e.op} {b})", lv, False
            if e.op in ("/", "//"):
                q = f"(CASE WHEN {b} = 0 THEN CAST(0 AS DOUBLE) ELSE {a} / {b} END)"
                return (f"FLOOR{q}" if e.op == "//" else q), lv, False
            return f"POWER({a}, {b})", lv, False
        if isinstance(e, Compare):
            a, la, _ab = self.c(e.left)
            b, lb, _bb = self.c(e.right)
            op = {"==": "=", "!=": "<>"}.get(e.op, e.op)
            return f"({a} {op} {b})", max(la, lb), True
        if isinstance(e, InSet):
            a, la, _ = self.c(e.operand)
            vals = ", ".join(
                d.string(v) if isinstance(v, str) else d.number(float(v)) for v in e.values
            )
            neg = "NOT " if e.negate else ""
            return f"({a} {neg}IN ({vals}))", la, True
        if isinstance(e, BoolOp):
            parts = [self.c(i) for i in e.items]
            joiner = " AND " if e.op == "and" else " OR "
            return "(" + joiner.join(p[0] for p in parts) + ")", max(p[1] for p in parts), True
        if isinstance(e, Not):
            a, la, _ = self.c(e.operand)
            return f"(NOT {a})", la, True
        if isinstance(e, IfElse):
            return self.case(e.cond, e.then, e.other)
        if isinstance(e, Call):
            return self.call(e)
        raise RuleError(f"cannot compile {e!r}", where=e.where)  # pragma: no cover

    def num(self, e: Expr) -> tuple[str, int]:
        sql, lv, is_bool = self.c(e)
        return (f"CAST({sql} AS DOUBLE)" if is_bool else sql), lv

    def case(self, cond: Expr, then: Expr, other: Expr) -> tuple[str, int, bool]:
        c, lc, _ = self.c(cond)
        a, la, ab = self.c(then)
        b, lb, bb = self.c(other)
        if not (ab and bb):
            if ab:
                a = f"CAST({a} AS DOUBLE)"
            if bb:
                b = f"CAST({b} AS DOUBLE)"
        return f"(CASE WHEN {c} THEN {a} ELSE {b} END)", max(lc, la, lb), ab and bb

    def lift(self, sql: str, level: int) -> tuple[str, int]:
        if sql in self.lifted:
            return self.lifted[sql]
        self.n_lift += 1
        name = f"_hh{self.n_lift}"
        self.cols.append(_Col(name, sql, level + 1, household=True))
        self.levels[name] = level + 1
        self.lifted[sql] = (self.d.ident(name), level + 1)
        return self.lifted[sql]

    def call(self, e: Call) -> tuple[str, int, bool]:
        f = e.func
        d = self.d
        if f == "where":
            return self.case(*e.args)
        if f == "hh_size":
            s, lv = self.lift(f"CAST({d.aggregate('COUNT', '*')} AS DOUBLE)", 0)
            return s, lv, False
        if f in ("hh_sum", "hh_count", "hh_max", "hh_min"):
            a, la = self.num(e.args[0])
            func = {"hh_sum": "SUM", "hh_count": "SUM", "hh_max": "MAX", "hh_min": "MIN"}[f]
            s, lv = self.lift(d.aggregate(func, a), la)
            return s, lv, False
        if f in ("hh_any", "hh_all"):
            a, la, _ = self.c(e.args[0])
            s, lv = self.lift(d.bool_any(a) if f == "hh_any" else d.bool_all(a), la)
            return s, lv, True
        parts = [self.num(a) for a in e.args]
        lv = max(p[1] for p in parts)
        sq = [p[0] for p in parts]
        if f == "min":
            return f"LEAST({', '.join(sq)})", lv, False
        if f == "max":
            return f"GREATEST({', '.join(sq)})", lv, False
        if f == "clip":
            return f"LEAST(GREATEST({sq[0]}, {sq[1]}), {sq[2]})", lv, False
        if f in ("abs", "floor", "ceil"):
            return f"{f.upper()}({sq[0]})", lv, False
        if f == "annual":
            return f"({sq[0]} * CAST(12 AS DOUBLE))", lv, False
        if f == "monthly":
            return f"({sq[0]} / CAST(12 AS DOUBLE))", lv, False
        raise RuleError(f"unknown function {f}()", where=e.where)  # pragma: no cover


def _is_nan(col: str) -> str:
    """SQL: whether ``col`` is not a number. The CASE hides the column's statistics: DuckDB
    otherwise folds isnan() to false on a Parquet column whose min/max leave NaN out and that
    has no NULL (DuckDB 2.0.1)."""
    dbl = f"CAST({col} AS DOUBLE)"
    return f"isnan(CASE WHEN {dbl} IS NULL THEN NULL ELSE {dbl} END)"


def input_select(
    rules: RuleSet,
    present: Sequence[str],
    dialect: Dialect,
    keep: Sequence[str],
    steps: Sequence[Step] | None = None,
) -> list[str]:
    """SELECT items for the inputs: typed, defaults filled; plus ``keep`` columns as they are."""
    from socialcover.microsim.frames import missing_columns_error

    d = dialect
    items = [d.ident(k) for k in keep]
    missing = []
    for name in rules.used_inputs(steps):
        if name in keep:
            continue
        spec = rules.inputs[name]
        if name not in present:
            if spec.default is None:
                missing.append(name)
                continue
            items.append(f"{d.number(spec.default)} AS {d.ident(name)}")
            continue
        col = d.ident(name)
        # not-a-number is missing, as in the array program and the reference evaluator
        num = f"(CASE WHEN {_is_nan(col)} THEN NULL ELSE CAST({col} AS DOUBLE) END)"
        if spec.unit.kind == "category":
            text = "VARCHAR" if d.name == "duckdb" else "STRING"
            items.append(f"COALESCE(CAST({col} AS {text}), '') AS {col}")
        elif spec.unit.kind == "bool":
            items.append(f"COALESCE({num} <> 0, FALSE) AS {col}")
        elif spec.default is not None:
            items.append(f"COALESCE({num}, {d.number(spec.default)}) AS {col}")
        else:
            items.append(f"{d.required(num, name)} AS {col}")
    if missing:
        raise missing_columns_error(missing, list(present))
    return items


def _layers(d: Dialect, base: str, cols: Sequence[_Col], prefix: str = "l") -> str:
    """``WITH l0 AS (...), l1 AS (...), ...`` stacking the columns by level."""
    return "WITH " + ", ".join(_ctes(d, base, cols, prefix))


def _ctes(d: Dialect, base: str, cols: Sequence[_Col], prefix: str = "l") -> list[str]:
    top = max((c.level for c in cols), default=0)
    hh = d.ident(d.hh)
    # Layers read twice (by the GROUP BY and by the join) are computed once; l0 is a plain
    # projection of the table, cheaper to read twice than to materialise.
    grouped_from = {c.level - 1 for c in cols if c.household} - {0}
    ctes = [f"{prefix}0 AS ({base})"]
    for level in range(1, top + 1):
        scalar = [
            f"{c.sql} AS {d.ident(c.name)}" for c in cols if c.level == level and not c.household
        ]
        households = [c for c in cols if c.level == level and c.household]
        prev = f"{prefix}{level - 1}"
        g = f"{prefix}g{level}"
        items = ", ".join(["p.*", *[f"{g}.{d.ident(c.name)}" for c in households], *scalar])
        mat = d.materialized() if level in grouped_from else ""
        if households:
            aggs = ", ".join(f"{c.sql} AS {d.ident(c.name)}" for c in households)
            ctes.append(f"{g} AS (SELECT {hh}, {aggs} FROM {prev} GROUP BY {hh})")
            body = f"SELECT {d.join_hint(g)}{items} FROM {prev} AS p JOIN {g} ON p.{hh} = {g}.{hh}"
        else:
            body = f"SELECT {items} FROM {prev} AS p"
        ctes.append(f"{prefix}{level} AS {mat}({body})")
    return ctes


def compile_rules(
    rules: RuleSet,
    period: int | str,
    *,
    table: str,
    present: Sequence[str],
    keep: Sequence[str] = ("hh_id",),
    dialect: Dialect | None = None,
    params: Mapping[str, Any] | None = None,
    outputs: Sequence[str] | None = None,
) -> CompiledQuery:
    """Compile ``rules`` for ``period`` into one SELECT over ``table``.

    ``present`` lists the table's columns; ``keep`` are passed through (``hh_id`` always is);
    ``outputs`` restricts the step columns returned (all steps by default).

    Examples
    --------
    >>> from socialcover.microsim import load_rules
    >>> rules = load_rules(text="programmes: {old: {eligibility: age >= 65, amount: 100}}")
    >>> q = compile_rules(rules, 2025, table="people", present=["hh_id", "age", "welfare"])
    >>> "GROUP BY" in q.sql
    True
    """
    d = dialect or DuckDBDialect()
    keep = list(dict.fromkeys(["hh_id", *keep]))
    values = dict(rules.parameters.values_at(period))
    if params:
        values.update(params)
    units = {k: s.unit for k, s in rules.inputs.items()}
    units.update({s.name: s.unit for s in rules.steps})
    comp = _Compiler(d, values, units)
    names = list(outputs) if outputs is not None else [s.name for s in rules.steps]
    needed = rules.steps_for(names)
    for step in needed:
        sql, lv, is_bool = comp.c(step.expr)
        if step.unit.kind not in ("bool", "category") and is_bool:
            sql = f"CAST({sql} AS DOUBLE)"
        comp.cols.append(_Col(step.name, sql, lv + 1))
        comp.levels[step.name] = lv + 1
    base = ", ".join(input_select(rules, present, d, keep, needed))
    query = _layers(d, f"SELECT {base} FROM {table}", comp.cols)
    top = max((c.level for c in comp.cols), default=0)
    final = ", ".join(d.ident(c) for c in [*keep, *names])
    return CompiledQuery(f"{query} SELECT {final} FROM l{top}", names, top, comp.cols)
