"""The reference evaluator: a plain, independent reading of the rules that checks the back-ends.

It walks the same checked expression trees as :mod:`socialcover.microsim.sql_compiler` and
:mod:`socialcover.microsim.array_program`, written apart from both and as simply as possible:
NumPy arrays held in memory, one array per column, households handled with
``np.unique(..., return_inverse=True)`` and ``np.bincount``. The tests run it beside every
back-end of :func:`~socialcover.microsim.execution.run_rules` on random populations
(hypothesis) and require equal results; it is not part of the package's public surface.

Semantics shared with the back-ends (documented in docs/microsim.md): ``x / 0`` is 0;
``clip(x, lo, hi)`` is ``min(max(x, lo), hi)``; conditions count 1/0 in arithmetic; household
functions return their value to every member.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

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
from socialcover.microsim.rules import RuleSet

__all__ = ["evaluate_reference"]

Array = npt.NDArray[Any]
Value = Any  # an array or a Python scalar


def _num(x: Value) -> Value:
    if isinstance(x, np.ndarray) and x.dtype == bool:
        return x.astype(np.float64)
    if isinstance(x, (bool, np.bool_)):
        return float(x)
    return x


class _Households:
    def __init__(self, hh_id: Array) -> None:
        _, self.inv = np.unique(hh_id, return_inverse=True)
        self.n = int(self.inv.max()) + 1 if len(self.inv) else 0
        self.size = np.bincount(self.inv, minlength=self.n).astype(np.float64)

    def full(self, x: Value) -> Array:
        return np.broadcast_to(np.asarray(x), self.inv.shape)

    def sum(self, x: Value) -> Array:
        w = self.full(_num(x)).astype(np.float64)
        return np.bincount(self.inv, weights=w, minlength=self.n)[self.inv]

    def extreme(self, x: Value, use_max: bool) -> Array:
        v = self.full(_num(x)).astype(np.float64)
        out = np.full(self.n, -np.inf if use_max else np.inf)
        (np.maximum if use_max else np.minimum).at(out, self.inv, v)
        return out[self.inv]


class _Evaluator:
    def __init__(
        self, columns: dict[str, Value], params: Mapping[str, Any], households: _Households
    ) -> None:
        self.columns = columns
        self.params = params
        self.hh = households

    def run(self, e: Expr) -> Value:
        if isinstance(e, Const):
            return e.value
        if isinstance(e, Var):
            return self.columns[e.name]
        if isinstance(e, Param):
            return self.params[e.path]
        if isinstance(e, BinOp):
            a, b = _num(self.run(e.left)), _num(self.run(e.right))
            if e.op == "+":
                return np.add(a, b)
            if e.op == "-":
                return np.subtract(a, b)
            if e.op == "*":
                return np.multiply(a, b)
            if e.op in ("/", "//"):
                a_arr, b_arr = np.broadcast_arrays(
                    np.asarray(a, np.float64), np.asarray(b, np.float64)
                )
                out = np.zeros(a_arr.shape, np.float64)
                np.divide(a_arr, b_arr, out=out, where=b_arr != 0)
                return np.floor(out) if e.op == "//" else out
            with np.errstate(invalid="ignore"):
                return np.power(np.asarray(a, np.float64), b)
        if isinstance(e, Compare):
            a, b = self.run(e.left), self.run(e.right)
            ops = {
                "==": np.equal,
                "!=": np.not_equal,
                "<": np.less,
                "<=": np.less_equal,
                ">": np.greater,
                ">=": np.greater_equal,
            }
            return ops[e.op](a, b)
        if isinstance(e, InSet):
            a = self.hh.full(self.run(e.operand))
            found = np.isin(
                a, np.array(e.values, dtype=object if isinstance(e.values[0], str) else np.float64)
            )
            return ~found if e.negate else found
        if isinstance(e, BoolOp):
            vals = [self.run(i) for i in e.items]
            f = np.logical_and if e.op == "and" else np.logical_or
            acc = vals[0]
            for v in vals[1:]:
                acc = f(acc, v)
            return acc
        if isinstance(e, Not):
            return np.logical_not(self.run(e.operand))
        if isinstance(e, IfElse):
            return self.where(e.cond, e.then, e.other)
        if isinstance(e, Call):
            return self.call(e)
        raise RuleError(f"cannot evaluate {e!r}", where=e.where)  # pragma: no cover

    def where(self, c: Expr, a: Expr, b: Expr) -> Value:
        cond = self.run(c)
        x, y = self.run(a), self.run(b)
        if not (_is_bool(x) and _is_bool(y)):
            x, y = _num(x), _num(y)
        return np.where(cond, x, y)

    def call(self, e: Call) -> Value:
        f = e.func
        if f == "where":
            return self.where(*e.args)
        if f == "hh_size":
            return self.hh.size[self.hh.inv]
        args = [self.run(a) for a in e.args]
        if f == "hh_sum":
            return self.hh.sum(args[0])
        if f == "hh_count":
            return self.hh.sum(args[0])
        if f == "hh_any":
            return self.hh.sum(args[0]) > 0
        if f == "hh_all":
            return self.hh.sum(args[0]) == self.hh.size[self.hh.inv]
        if f in ("hh_max", "hh_min"):
            return self.hh.extreme(args[0], f == "hh_max")
        nums = [_num(a) for a in args]
        if f == "min":
            acc = nums[0]
            for v in nums[1:]:
                acc = np.minimum(acc, v)
            return acc
        if f == "max":
            acc = nums[0]
            for v in nums[1:]:
                acc = np.maximum(acc, v)
            return acc
        if f == "clip":
            return np.minimum(np.maximum(nums[0], nums[1]), nums[2])
        if f == "abs":
            return np.abs(nums[0])
        if f == "floor":
            return np.floor(nums[0])
        if f == "ceil":
            return np.ceil(nums[0])
        if f == "annual":
            return np.multiply(nums[0], 12.0)
        if f == "monthly":
            return np.divide(nums[0], 12.0)
        raise RuleError(f"unknown function {f}()", where=e.where)  # pragma: no cover


def _is_bool(x: Value) -> bool:
    return isinstance(x, (bool, np.bool_)) or (isinstance(x, np.ndarray) and x.dtype == bool)


def prepare_inputs(rules: RuleSet, data: Mapping[str, Any]) -> dict[str, Array]:
    """Input arrays with the types the rules expect (numbers as float, flags as bool)."""
    from socialcover.microsim.frames import missing_columns_error, missing_values_error

    out: dict[str, Array] = {}
    n = len(np.asarray(data["hh_id"]))
    for name in rules.used_inputs():
        spec = rules.inputs[name]
        if name not in data:
            if spec.default is None:
                raise missing_columns_error([name], list(data))
            out[name] = np.full(n, spec.default)
            continue
        raw = np.asarray(data[name])
        if spec.unit.kind == "category":
            codes = raw.astype(object)
            codes[np.array([c is None for c in codes], dtype=bool)] = ""
            out[name] = codes
        elif spec.unit.kind == "bool":
            if raw.dtype == bool:
                out[name] = raw
            else:
                flags = raw.astype(np.float64)
                out[name] = (flags != 0) & ~np.isnan(flags)
        else:
            arr = (
                np.array([np.nan if v is None else v for v in raw], np.float64)
                if (raw.dtype == object)
                else raw.astype(np.float64)
            )
            gaps = np.isnan(arr)
            if spec.default is not None:
                arr = np.where(gaps, spec.default, arr)
            elif gaps.any():
                raise missing_values_error(name, int(gaps.sum()))
            out[name] = arr
    return out


def evaluate_reference(
    rules: RuleSet,
    data: Mapping[str, Any],
    period: int | str,
    *,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Array]:
    """Evaluate every step of ``rules`` for ``period`` on columns held in memory.

    Parameters
    ----------
    rules
        A checked :class:`RuleSet`.
    data
        Column name -> 1-D array (or list), one row per person; must hold ``hh_id`` and the
        inputs the rules use.
    period
        The period whose parameter values apply (``2025``).
    params
        Parameter values to use instead of those in force at ``period`` (used by calibration).

    Returns
    -------
    dict
        Step name -> array, one value per person (household values repeated for members).
    """
    values = dict(rules.parameters.values_at(period))
    if params:
        values.update(params)
    hh = _Households(np.asarray(data["hh_id"]))
    columns: dict[str, Value] = dict(prepare_inputs(rules, data))
    ev = _Evaluator(columns, values, hh)
    out: dict[str, Array] = {}
    for step in rules.steps:
        with np.errstate(all="ignore"):  # IEEE results (inf, nan) without warnings, as in SQL
            result = hh.full(ev.run(step.expr))
        if step.unit.kind == "bool":
            result = result.astype(bool)
        elif step.unit.kind != "category":
            result = result.astype(np.float64)
        columns[step.name] = result
        out[step.name] = result
    return out
