"""Persons and households as two queries, when no person rule reads a household value.

The general compiler (:mod:`socialcover.microsim.sql_compiler`) joins every household
aggregate back to the persons. When the person rules never read a household value (as with a
person benefit and a household benefit computed side by side), the rules split into a person
query (projections only) and a household query (one ``GROUP BY hh_id`` over the persons, then
the household rules on one row per household): no join at all, and household results come one
row per household, as OpenFisca returns them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from socialcover.microsim.expression import HOUSEHOLD_FUNCTIONS, Call, Expr, Var, children
from socialcover.microsim.rules import RuleSet, Step
from socialcover.microsim.sql_compiler import (
    Dialect,
    DuckDBDialect,
    _Col,
    _Compiler,
    _ctes,
    input_select,
)

__all__ = ["SplitQuery", "compile_split"]


@dataclass(frozen=True)
class SplitQuery:
    """``persons`` SQL (keep + person outputs) and ``households`` SQL (hh_id + household ones).

    The persons query is projections only, so on DuckDB (``preserve_insertion_order``, the
    default) its rows come in the order of the input table; the households query comes in any
    order, with ``hh_id``.
    """

    persons: str
    households: str
    person_outputs: list[str]
    household_outputs: list[str]


def _refs(expr: Expr, inside_hh: bool = False) -> list[tuple[str, bool]]:
    """(name, read inside a household function?) for every variable in ``expr``."""
    if isinstance(expr, Var):
        return [(expr.name, inside_hh)]
    inner = inside_hh or (isinstance(expr, Call) and expr.func in HOUSEHOLD_FUNCTIONS)
    out: list[tuple[str, bool]] = []
    for child in children(expr):
        out += _refs(child, inner)
    return out


def _has_hh_call(expr: Expr) -> bool:
    if isinstance(expr, Call) and expr.func in HOUSEHOLD_FUNCTIONS:
        return True
    return any(_has_hh_call(c) for c in children(expr))


def _splittable(steps: Sequence[Step]) -> bool:
    entity = {s.name: s.entity for s in steps}
    for s in steps:
        refs = _refs(s.expr)
        if s.entity == "person":
            if _has_hh_call(s.expr) or any(entity.get(n) == "household" for n, _ in refs):
                return False
        else:
            for name, inside in refs:
                if inside and entity.get(name) == "household":
                    return False  # an aggregate of a household value: nested levels
                if not inside and entity.get(name) != "household":
                    return False  # a bare person column or input in a household rule
    return True


def compile_split(
    rules: RuleSet,
    period: int | str,
    *,
    table: str,
    present: Sequence[str],
    outputs: Sequence[str],
    keep: Sequence[str] = ("hh_id",),
    dialect: Dialect | None = None,
    params: Mapping[str, Any] | None = None,
) -> SplitQuery | None:
    """Two queries for ``outputs``, or ``None`` when a person rule reads a household value."""
    d = dialect or DuckDBDialect()
    steps = rules.steps_for(outputs)
    if not _splittable(steps):
        return None
    values = dict(rules.parameters.values_at(period))
    if params:
        values.update(params)
    units = {k: s.unit for k, s in rules.inputs.items()}
    units.update({s.name: s.unit for s in rules.steps})
    shown = list(keep)  # the persons query returns these (DuckDB keeps the input row order)
    keep = list(dict.fromkeys(["hh_id", *keep]))
    person = [s for s in steps if s.entity == "person"]
    household = [s for s in steps if s.entity == "household"]
    pc = _Compiler(d, values, units)
    for step in person:
        sql, lv, is_bool = pc.c(step.expr)
        if step.unit.kind not in ("bool", "category") and is_bool:
            sql = f"CAST({sql} AS DOUBLE)"
        pc.cols.append(_Col(step.name, sql, lv + 1))
        pc.levels[step.name] = lv + 1
    base = ", ".join(input_select(rules, present, d, keep, steps))
    person_ctes = _ctes(d, f"SELECT {base} FROM {table}", pc.cols, "p")
    top = max((c.level for c in pc.cols), default=0)
    last = f"p{top}"
    # Household rules: every household function becomes an aggregate of the GROUP BY over
    # the last person layer (level 0 of the household chain).
    hc = _Compiler(d, values, units)
    aggregates: list[_Col] = []

    def lift(sql: str, level: int) -> tuple[str, int]:
        if sql in hc.lifted:
            return hc.lifted[sql]
        name = f"_a{len(aggregates) + 1}"
        aggregates.append(_Col(name, sql, 0))
        hc.lifted[sql] = (d.ident(name), 0)
        return hc.lifted[sql]

    hc.lift = lift  # type: ignore[method-assign]
    for step in household:
        sql, lv, is_bool = hc.c(step.expr)
        if step.unit.kind not in ("bool", "category") and is_bool:
            sql = f"CAST({sql} AS DOUBLE)"
        hc.cols.append(_Col(step.name, sql, lv + 1))
        hc.levels[step.name] = lv + 1
    hh = d.ident(d.hh)
    aggs = "".join(f", {c.sql} AS {d.ident(c.name)}" for c in aggregates)
    h_base = f"SELECT {hh}{aggs} FROM {last} GROUP BY {hh}"
    h_ctes = _ctes(d, h_base, hc.cols, "h")
    h_top = max((c.level for c in hc.cols), default=0)
    p_out = [o for o in outputs if any(s.name == o for s in person)]
    h_out = [o for o in outputs if any(s.name == o for s in household)]
    p_sel = ", ".join(d.ident(c) for c in [*shown, *p_out])
    h_sel = ", ".join(d.ident(c) for c in [d.hh, *h_out])
    return SplitQuery(
        persons=f"WITH {', '.join(person_ctes)} SELECT {p_sel} FROM {last}",
        households=f"WITH {', '.join([*person_ctes, *h_ctes])} SELECT {h_sel} FROM h{h_top}",
        person_outputs=p_out,
        household_outputs=h_out,
    )
