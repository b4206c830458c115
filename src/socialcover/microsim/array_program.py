"""Rules compiled to a vectorised NumPy program: the execution path for populations in memory.

The same checked expression trees that :mod:`socialcover.microsim.sql_compiler` turns into SQL
are compiled here into a chain of NumPy operations (closures), each node tagged at compile time
with its *level*: a constant, one value per person or one value per household. Household
functions reduce a person-level array to one value per household; a person rule reading a
household value gets it spread back to the members. Household rules run on one row per
household, so household results come one per household, as OpenFisca returns them.

Households are contiguous segments when the persons are sorted by ``hh_id`` (as survey files
are): a sorted check is one pass, segment starts come from ``hh_id[i] != hh_id[i-1]``, sums,
counts, "any", "all" and extremes are segmented reductions (``np.add.reduceat``,
``np.logical_or.reduceat``, ``np.maximum.reduceat``) and spreading back is ``np.repeat`` by
household size: no hashing, no sort, no per-person index. Unsorted persons get their household
index from ``np.unique`` (one sort); sums are ``np.bincount`` over it and a stable argsort puts
them in household order for the other reductions. This is the segmented-reduction view of a group-by
(Blelloch 1990, *Vector Models for Data-Parallel Computing*, ch. 4).

Categories stay dictionary-encoded (Arrow dictionary arrays: integer codes and a small list of
labels); ``x == "adult"`` compares codes with the label's code. Semantics are those of the SQL
back-end and :mod:`socialcover.microsim.reference` (``x / 0`` is 0, conditions count 1/0
in arithmetic, a missing category is ``""``, a missing flag is false), and
``tests/microsim/test_array_program_agrees.py`` checks all three agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
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
from socialcover.microsim.rules import RuleSet, Step

__all__ = [
    "Codes",
    "Households",
    "compile_arrays",
    "concat_pieces",
    "evaluate_arrays",
    "run_program",
]

Array = npt.NDArray[Any]
Value = Any  # an array, a Codes or a Python scalar
CONST, PERSON, HOUSEHOLD = 0, 1, 2  # levels: broadcast CONST < PERSON; HOUSEHOLD spreads


@dataclass(frozen=True)
class Codes:
    """A dictionary-encoded category column: ``labels[codes]`` are the values."""

    codes: Array
    labels: Array  # object array of str

    def code_of(self, label: object) -> int:
        hits = np.flatnonzero(self.labels == label)
        return int(hits[0]) if len(hits) else -1

    def decode(self) -> Array:
        out: Array = self.labels[self.codes]
        return out


def _is_sorted(hh: Array) -> bool:
    return bool(np.all(hh[1:] >= hh[:-1]))


class Households:
    """Persons grouped by household (households numbered 0..n-1 in ``hh_id`` order).

    Persons sorted by ``hh_id``: households are contiguous segments. Counts come from running
    counts, sums by ``np.bincount`` over the running household index, extremes by
    ``ufunc.reduceat``, spread back by ``np.repeat`` (programs run on pieces of tens of
    thousands of persons, so these temporaries stay small: at 10M persons every full-length one is
    tens of MB of fresh memory, which costs more than the arithmetic). Unsorted persons: each
    person's household index from ``np.unique``; sums, counts and "any" are ``np.bincount``
    over it, extremes are reduced after one stable argsort.
    """

    def __init__(self, hh_id: Array, is_sorted: bool | None = None) -> None:
        hh = np.asarray(hh_id)
        n = self.n_persons = len(hh)
        self.order: Array | None = None  # persons in household order, when not sorted
        if is_sorted is None:
            is_sorted = _is_sorted(hh)
        if n and is_sorted:
            # sorted: a household starts wherever the id changes (few, small temporaries:
            # at 10M persons each full-length array is tens of MB of fresh memory)
            start = np.empty(n, bool)
            start[0] = True
            np.not_equal(hh[1:], hh[:-1], out=start[1:])
            self.starts = np.flatnonzero(start)
            self.ids = hh[self.starts]
        else:
            self.ids, inv = np.unique(hh, return_inverse=True)
            self.__dict__["inv"] = inv.astype(np.intp).reshape(-1)
            self.order = np.argsort(self.inv, kind="stable")
            counts = np.bincount(self.inv, minlength=len(self.ids))
            self.starts = (np.cumsum(counts) - counts).astype(np.intp)
        self.n = len(self.starts)

    @cached_property
    def inv(self) -> Array:
        """Each person's household index (sorted persons: the running count of starts)."""
        out = np.zeros(self.n_persons, np.intp)
        out[self.starts[1:]] = 1
        np.cumsum(out, out=out)
        return out

    @cached_property
    def sizes(self) -> Array:
        """Members per household."""
        out: Array = np.diff(self.starts, append=self.n_persons)
        return out

    @cached_property
    def ends(self) -> Array:
        """Each household's last member (sorted persons)."""
        out = np.empty(self.n, np.intp)
        np.subtract(self.starts[1:], 1, out=out[:-1])
        out[-1] = self.n_persons - 1
        return out

    def _counts(self, x: Array) -> Array:
        """Members with the flag set, per household (sorted persons): differences of the
        running count at each household's last member. Exact (integers), and about twice as
        fast as ``ufunc.reduceat``, whose cost is per household as much as per person."""
        wide = np.int32 if self.n_persons < 2**31 else np.int64
        running = np.cumsum(x, dtype=wide)
        out: Array = running[self.ends]
        out[1:] -= running[self.ends[:-1]]
        return out

    def sum(self, x: Array) -> Array:
        """One value per household: the sum over its members (booleans count 1)."""
        if self.order is None and self.n:  # sorted
            if x.dtype == bool:
                return self._counts(x).astype(np.float64)
            # members added in order; about twice as fast as ``np.add.reduceat``, whose cost
            # is per household as much as per person
            out0: Array = np.bincount(self.inv, weights=x, minlength=self.n)
            return out0
        if x.dtype == bool:  # a count: only the members on the rarer side are touched
            if 2 * np.count_nonzero(x) <= len(x):
                return np.bincount(self.inv[x], minlength=self.n).astype(np.float64)
            off = np.bincount(self.inv[np.logical_not(x)], minlength=self.n)
            return (self.sizes - off).astype(np.float64)
        out: Array = np.bincount(self.inv, weights=np.asarray(x, np.float64), minlength=self.n)
        return out

    def any(self, x: Array) -> Array:
        """One flag per household: whether any member's flag is set."""
        if self.order is None and self.n:
            seg: Array = self._counts(np.asarray(x, bool)) > 0
            return seg
        out = np.zeros(self.n, bool)
        out[self.inv[np.asarray(x, bool)]] = True
        return out

    def reduce(self, ufunc: np.ufunc, x: Array) -> Array:
        """One value per household: ``ufunc`` reduced over each household's members."""
        if self.n == 0:
            return x[:0]
        seg = x if self.order is None else x[self.order]
        out: Array = ufunc.reduceat(seg, self.starts)
        return out

    def spread(self, h: Value) -> Value:
        """Household values given to every member (in the persons' order)."""
        if isinstance(h, Codes):
            return Codes(self.spread(h.codes), h.labels)
        if self.order is None:
            return np.repeat(h, self.sizes)
        return np.take(h, self.inv)

    def first(self, x: Value) -> Value:
        """A person-level value read once per household (its first member's)."""
        if isinstance(x, Codes):
            return Codes(self.first(x.codes), x.labels)
        first = self.starts if self.order is None else self.order[self.starts]
        return x[first]


def _num(x: Value) -> Value:
    if isinstance(x, Codes):
        return x.decode()
    if isinstance(x, np.ndarray) and x.dtype == bool:
        return x.astype(np.float64)
    if isinstance(x, (bool, np.bool_)):
        return float(x)
    return x


def _plain(x: Value) -> Value:
    return x.decode() if isinstance(x, Codes) else x


def _is_bool(x: Value) -> bool:
    return isinstance(x, (bool, np.bool_)) or (isinstance(x, np.ndarray) and x.dtype == bool)


def _scales(cond: Value, x: Value, y: Value) -> bool:
    """Whether ``where(cond, x, 0)`` is ``cond * x``: flags per person or household, ``x`` a
    finite number of at least 0 (else 0 * x would be NaN or -0.0), ``y`` exactly +0."""
    return bool(
        isinstance(cond, np.ndarray)
        and cond.dtype == bool
        and isinstance(x, (int, float, np.integer, np.floating))
        and isinstance(y, (int, float, np.integer, np.floating))
        and not isinstance(x, (bool, np.bool_))
        and not isinstance(y, (bool, np.bool_))
        and math.isfinite(x)
        and x >= 0
        and y == 0
        and math.copysign(1.0, y) > 0
    )


def _divide(a: Value, b: Value, floor: bool) -> Array:
    a_arr, b_arr = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64))
    out = np.zeros(a_arr.shape, np.float64)
    np.divide(a_arr, b_arr, out=out, where=b_arr != 0)
    return np.floor(out) if floor else out


def _power(a: Value, b: Value) -> Value:
    with np.errstate(invalid="ignore"):
        return np.power(np.asarray(a, np.float64), b)


_ARITH: dict[str, Callable[[Value, Value], Value]] = {
    # in double precision, as SQL's DOUBLE (integer inputs are read without a copy)
    "+": lambda a, b: np.add(a, b, dtype=np.float64),
    "-": lambda a, b: np.subtract(a, b, dtype=np.float64),
    "*": lambda a, b: np.multiply(a, b, dtype=np.float64),
    "/": lambda a, b: _divide(a, b, False),
    "//": lambda a, b: _divide(a, b, True),
    "**": _power,
}
_COMPARE: dict[str, Callable[[Value, Value], Value]] = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


def _whole(x: Value, other: Value) -> Value:
    """``x`` as an integer when it is a whole number compared with integers: NumPy would
    otherwise cast every person's integer (ages, counts) to double first (exact either way,
    for integers of magnitude under 2**53)."""
    if (
        isinstance(x, (float, np.floating))
        and isinstance(other, np.ndarray)
        and other.dtype.kind in "iu"
        and float(x).is_integer()
        and abs(float(x)) < 2**53
    ):
        return int(x)
    return x


def _compare(op: str, a: Value, b: Value) -> Value:
    if op in ("==", "!=") and (isinstance(a, Codes) != isinstance(b, Codes)):
        codes, label = (a, b) if isinstance(a, Codes) else (b, a)
        if not isinstance(label, np.ndarray):
            # compare codes with the label's code: no string is touched per person
            hit = codes.codes == codes.code_of(label)
            return hit if op == "==" else ~hit
    a, b = _plain(a), _plain(b)
    return _COMPARE[op](_whole(a, b), _whole(b, a))


class _Env:
    def __init__(self, columns: dict[str, Value], households: Households) -> None:
        self.columns = columns
        self.hh = households


Fn = Callable[[_Env], Value]


class _Compiler:
    """Expression -> (closure over an environment, level of its result)."""

    def __init__(self, params: Mapping[str, Any], levels: dict[str, int]) -> None:
        self.params = params
        self.levels = levels  # column -> level

    def at(self, fn: Fn, level: int, want: int) -> Fn:
        """``fn``'s value at level ``want`` (a household value spread to persons)."""
        if level == HOUSEHOLD and want == PERSON:
            return lambda env: env.hh.spread(fn(env))
        return fn

    def join(self, parts: Sequence[tuple[Fn, int]]) -> tuple[list[Fn], int]:
        level = max(lv for _, lv in parts)
        if PERSON in [lv for _, lv in parts]:
            level = PERSON  # mixing persons and households: computed per person
        return [self.at(f, lv, level) for f, lv in parts], level

    def c(self, e: Expr) -> tuple[Fn, int]:
        if isinstance(e, Const):
            value = e.value
            return (lambda env: value), CONST
        if isinstance(e, Param):
            pv = self.params[e.path]
            return (lambda env: pv), CONST
        if isinstance(e, Var):
            name = e.name
            return (lambda env: env.columns[name]), self.levels.get(name, PERSON)
        if isinstance(e, BinOp):
            (fa, fb), lv = self.join([self.c(e.left), self.c(e.right)])
            arith = _ARITH[e.op]
            return (lambda env: arith(_num(fa(env)), _num(fb(env)))), lv
        if isinstance(e, Compare):
            (fa, fb), lv = self.join([self.c(e.left), self.c(e.right)])
            op = e.op
            return (lambda env: _compare(op, fa(env), fb(env))), lv
        if isinstance(e, InSet):
            fo, lv = self.c(e.operand)
            return self.inset(fo, e), lv
        if isinstance(e, BoolOp):
            fns, lv = self.join([self.c(i) for i in e.items])
            f = np.logical_and if e.op == "and" else np.logical_or

            def boolop(env: _Env) -> Value:
                acc = fns[0](env)
                for g in fns[1:]:
                    acc = f(acc, g(env))
                return acc

            return boolop, lv
        if isinstance(e, Not):
            fo, lv = self.c(e.operand)
            return (lambda env: np.logical_not(fo(env))), lv
        if isinstance(e, IfElse):
            return self.where(e.cond, e.then, e.other)
        if isinstance(e, Call):
            return self.call(e)
        raise RuleError(f"cannot compile {e!r}", where=e.where)  # pragma: no cover

    def inset(self, fo: Fn, e: InSet) -> Fn:
        values = e.values
        negate = e.negate

        def run(env: _Env) -> Value:
            a = fo(env)
            if isinstance(a, Codes):
                wanted = [a.code_of(v) for v in values]
                found = np.isin(a.codes, [w for w in wanted if w >= 0])
            else:
                kind = object if isinstance(values[0], str) else np.float64
                found = np.isin(np.asarray(a), np.array(values, dtype=kind))
            return ~found if negate else found

        return run

    def where(self, c: Expr, a: Expr, b: Expr) -> tuple[Fn, int]:
        (fc, fa, fb), lv = self.join([self.c(c), self.c(a), self.c(b)])

        def run(env: _Env) -> Value:
            cond = fc(env)
            x, y = _plain(fa(env)), _plain(fb(env))
            if not (_is_bool(x) and _is_bool(y)):
                x, y = _num(x), _num(y)
                if _scales(cond, x, y):
                    # a constant amount or nothing (every flat programme): the flag times the
                    # amount, the same numbers as np.where at half its time
                    return np.multiply(cond, float(x))
            return np.where(cond, x, y)

        return run, lv

    def reduce(self, arg: Expr, how: Callable[[Households, Value], Array]) -> tuple[Fn, int]:
        fa, la = self.c(arg)
        fp = self.at(fa, la, PERSON)
        if la == CONST:
            return (lambda env: how(env.hh, np.full(env.hh.n_persons, _num(fa(env))))), HOUSEHOLD
        return (lambda env: how(env.hh, fp(env))), HOUSEHOLD

    def call(self, e: Call) -> tuple[Fn, int]:
        f = e.func
        if f == "where":
            return self.where(*e.args)
        if f == "hh_size":
            return (lambda env: env.hh.sizes.astype(np.float64)), HOUSEHOLD
        if f in ("hh_sum", "hh_count"):
            return self.reduce(e.args[0], lambda hh, x: hh.sum(np.asarray(x)))
        if f in ("hh_max", "hh_min"):
            ufunc = np.maximum if f == "hh_max" else np.minimum
            return self.reduce(
                e.args[0], lambda hh, x: hh.reduce(ufunc, np.asarray(_num(x), np.float64))
            )
        if f == "hh_any":
            return self.reduce(e.args[0], lambda hh, x: hh.any(x))
        if f == "hh_all":
            return self.reduce(e.args[0], lambda hh, x: ~hh.any(np.logical_not(x)))
        (*fns,), lv = self.join([self.c(a) for a in e.args])
        elementwise = _ELEMENTWISE.get(f)
        if elementwise is None:
            raise RuleError(f"unknown function {f}()", where=e.where)  # pragma: no cover
        return (lambda env: elementwise(*[_num(g(env)) for g in fns])), lv


def _fold(ufunc: np.ufunc) -> Callable[..., Value]:
    def run(*xs: Value) -> Value:
        acc = xs[0]
        for v in xs[1:]:
            acc = ufunc(acc, v)
        return acc

    return run


_ELEMENTWISE: dict[str, Callable[..., Value]] = {
    "min": _fold(np.minimum),
    "max": _fold(np.maximum),
    "clip": lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi),
    "abs": np.abs,
    "floor": np.floor,
    "ceil": np.ceil,
    "annual": lambda x: np.multiply(x, 12.0),
    "monthly": lambda x: np.divide(x, 12.0),
}


@dataclass(frozen=True)
class ArrayProgram:
    """Compiled steps: (name, closure, level, unit kind), in dependency order."""

    steps: tuple[tuple[str, Fn, int, str], ...]
    inputs: tuple[str, ...]


def compile_arrays(
    rules: RuleSet,
    period: int | str,
    steps: Sequence[Step] | None = None,
    *,
    params: Mapping[str, Any] | None = None,
) -> ArrayProgram:
    """Compile ``steps`` (all by default) of ``rules`` for ``period`` to a NumPy program."""
    values = dict(rules.parameters.values_at(period))
    if params:
        values.update(params)
    chosen = list(rules.steps if steps is None else steps)
    comp = _Compiler(values, {})
    out: list[tuple[str, Fn, int, str]] = []
    for step in chosen:
        fn, level = comp.c(step.expr)
        if step.entity == "person":
            fn, level = comp.at(fn, level, PERSON), PERSON
        elif level == CONST:
            level = HOUSEHOLD
        comp.levels[step.name] = level
        out.append((step.name, fn, level, step.unit.kind))
    return ArrayProgram(tuple(out), tuple(rules.used_inputs(chosen)))


def evaluate_arrays(
    program: ArrayProgram, columns: Mapping[str, Value], households: Households
) -> dict[str, tuple[Value, int]]:
    """Run ``program`` on prepared input ``columns``: step name -> (value, level).

    Person-level values have one entry per person, household-level ones one per household
    (in the order of ``households.ids``).
    """
    env = _Env(dict(columns), households)
    out: dict[str, tuple[Value, int]] = {}
    for name, fn, level, kind in program.steps:
        size = households.n_persons if level == PERSON else households.n
        with np.errstate(all="ignore"):  # IEEE results (inf, nan) without warnings, as in SQL
            value = fn(env)
        if isinstance(value, Codes):
            pass
        elif kind == "bool":
            value = np.broadcast_to(np.asarray(value, bool), (size,))
        elif kind != "category":
            value = np.broadcast_to(np.asarray(_num(value), np.float64), (size,))
        else:
            value = np.broadcast_to(np.asarray(value), (size,))
        env.columns[name] = value
        out[name] = (value, level)
    return out


# Persons per piece: runs of whole households of about this size are evaluated one after the
# other (on every core), so that each step's temporaries (half a MB for 64K doubles) stay in
# the core's own cache and are reused by the allocator, instead of tens of MB of fresh memory
# per step at 10M persons (the kernel's time to hand out fresh pages exceeded the arithmetic).
# Measured on the OpenFisca template's rules at 10M persons: 64K pieces 0.11-0.12 s of CPU,
# 128K 0.14-0.16 s, 256K 0.19 s, 1M 0.24-0.25 s (a 2-core machine with 1 MB of L2 per core).
PIECE_PERSONS = 1 << 16


def _pieces(hh_id: Array, cores: int, is_sorted: bool | None = None) -> list[slice]:
    """Runs of whole households (persons sorted by ``hh_id``) of about ``PIECE_PERSONS``
    persons each, at least one per core when there are enough persons; one piece when the
    persons are few or not sorted."""
    n = len(hh_id)
    k = max(n // PIECE_PERSONS, min(cores, n // max(PIECE_PERSONS // 4, 1)))
    if k < 2 or not (_is_sorted(hh_id) if is_sorted is None else is_sorted):
        return [slice(0, n)]
    # each cut moved back to the start of the household it falls in
    at = np.searchsorted(hh_id, hh_id[np.arange(1, k) * n // k], side="left")
    cuts = [0, *sorted(set(int(x) for x in at if x > 0))]
    return [slice(a, b) for a, b in zip(cuts, [*cuts[1:], n], strict=True)]


def _slice(value: Value, piece: slice) -> Value:
    return Codes(value.codes[piece], value.labels) if isinstance(value, Codes) else value[piece]


def concat_pieces(parts: Sequence[Value]) -> Value:
    if len(parts) == 1:
        return parts[0]
    if all(isinstance(p, Codes) and p.labels is parts[0].labels for p in parts):
        return Codes(np.concatenate([p.codes for p in parts]), parts[0].labels)
    return np.concatenate([_plain(p) for p in parts])


def run_program(
    program: ArrayProgram,
    columns: Mapping[str, Value],
    hh_id: Array,
    outputs: Sequence[str],
    entity: Mapping[str, str],
    spread: bool,
    cores: int = 1,
    join: bool = True,
    is_sorted: bool | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``outputs`` of ``program``: (person outputs, one per person in input order; household
    outputs with ``hh_id``, one per household in ``hh_id`` order). With ``spread``, household
    outputs are given to members in the person outputs too.

    Households never span two pieces, and every rule reads only its own person or household,
    so persons sorted by ``hh_id`` are cut into ``cores`` runs of whole households evaluated in
    parallel (NumPy releases the GIL) and joined: the same values, in the same order. With
    ``join=False`` every output is the list of its pieces' values, in order, not copied into
    one array (Arrow and Parquet take them as chunks). ``is_sorted``: whether the caller has
    already found the persons sorted by ``hh_id`` (checked here otherwise)."""
    if is_sorted is None:
        is_sorted = _is_sorted(hh_id)  # checked once, for every piece
    is_sorted = is_sorted and len(hh_id) > 0

    def one(piece: slice) -> tuple[dict[str, Value], dict[str, Value]]:
        households = Households(hh_id[piece], is_sorted)
        values = evaluate_arrays(
            program, {k: _slice(v, piece) for k, v in columns.items()}, households
        )
        persons: dict[str, Value] = {}
        homes: dict[str, Value] = {"hh_id": households.ids}
        for name in outputs:
            value, level = values[name]
            if entity[name] == "person":
                persons[name] = value
                continue
            homes[name] = value if level == HOUSEHOLD else households.first(value)
            if spread:
                persons[name] = households.spread(value) if level == HOUSEHOLD else value
        return persons, homes

    pieces = _pieces(hh_id, cores, is_sorted)
    if len(pieces) == 1:
        persons1, homes1 = one(pieces[0])
        if join:
            return persons1, homes1
        return {k: [v] for k, v in persons1.items()}, {k: [v] for k, v in homes1.items()}
    if cores < 2:
        done = [one(piece) for piece in pieces]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(cores, len(pieces))) as pool:
            done = list(pool.map(one, pieces))
    glue = concat_pieces if join else list
    persons = {k: glue([p[k] for p, _ in done]) for k in done[0][0]}
    homes = {k: glue([h[k] for _, h in done]) for k in done[0][1]}
    return persons, homes
