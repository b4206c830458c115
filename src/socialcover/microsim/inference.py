"""Static checks of rule expressions: names, units and entities, before any data are read.

Each node gets a :class:`Kind`: its :class:`~socialcover.microsim.units.Unit` and its entity
("person", "household" or None for a constant). A household programme may only read person
variables through a household function (``hh_sum(...)``), the same rule as OpenFisca's
``household.members(...)`` projections.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches

from socialcover.microsim._errors import RuleError
from socialcover.microsim.expression import (
    HOUSEHOLD_FUNCTIONS,
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
    children,
)
from socialcover.microsim.units import ANY, BOOL, CATEGORY, DIMENSIONLESS, Unit

__all__ = ["Kind", "infer"]


@dataclass(frozen=True)
class Kind:
    unit: Unit
    entity: str | None = None  # "person", "household" or None (constant)


def _entity(*kinds: Kind) -> str | None:
    ents = {k.entity for k in kinds}
    if "person" in ents:
        return "person"
    if "household" in ents:
        return "household"
    return None


def _arith(u: Unit) -> Unit:
    # A condition inside arithmetic counts as a 0/1 multiplier that takes its partner's unit.
    return ANY if u.kind == "bool" else u


def _same(a: Unit, b: Unit) -> Unit | None:
    """The common unit of two operands of + - or a comparison, None if they differ."""
    if a.kind == "any":
        return b
    if b.kind == "any":
        return a
    return a if a == b else None


def _mismatch(node: Expr, what: str, a: Unit, b: Unit) -> RuleError:
    hint = "Make both sides the same unit."
    if {p[0] for p in a.powers} ^ {p[0] for p in b.powers} == {"month", "year"}:
        hint = "Convert monthly money with annual(x) (x 12) or yearly money with monthly(x)."
    elif a.kind == "category" or b.kind == "category":
        hint = 'Compare text codes with text, e.g. sex == "female".'
    elif a.kind == "bool" or b.kind == "bool":
        hint = "A condition (true/false) cannot be compared with an amount; check the brackets."
    return RuleError(
        f"unit mismatch in {what}: {a} vs {b}",
        where=node.where,
        code="microsim.unit-mismatch",
        hint=hint,
    )


class _Checker:
    def __init__(
        self, variables: Mapping[str, Kind], parameters: Mapping[str, Unit], context: str
    ) -> None:
        self.variables = variables
        self.parameters = parameters
        self.context = context

    def unknown_variable(self, node: Var) -> RuleError:
        near = get_close_matches(node.name, list(self.variables), n=1)
        extra = f"Did you mean {near[0]!r}? " if near else ""
        return RuleError(
            f"unknown variable {node.name!r} in {self.context}",
            where=node.where,
            code="microsim.unknown-variable",
            hint=f"{extra}Declare it under inputs: (with its unit) if it is a column of the "
            "data, or define it under variables: or programmes:.",
        )

    def check(self, node: Expr) -> Kind:
        if isinstance(node, Const):
            if isinstance(node.value, str):
                return Kind(CATEGORY)
            if isinstance(node.value, bool):
                return Kind(BOOL)
            return Kind(ANY)
        if isinstance(node, Var):
            kind = self.variables.get(node.name)
            if kind is None:
                raise self.unknown_variable(node)
            return kind
        if isinstance(node, Param):
            unit = self.parameters.get(node.path)
            if unit is None:
                near = get_close_matches(node.path, list(self.parameters), n=1)
                extra = f"Did you mean p.{near[0]}? " if near else ""
                raise RuleError(
                    f"unknown parameter p.{node.path} in {self.context}",
                    where=node.where,
                    code="microsim.unknown-parameter",
                    hint=f"{extra}Declare it under parameters: with unit and dated values.",
                )
            return Kind(unit)
        if isinstance(node, BinOp):
            return self.binop(node)
        if isinstance(node, Compare):
            a, b = self.check(node.left), self.check(node.right)
            if a.unit.kind == "bool" and b.unit.kind == "bool" and node.op in ("==", "!="):
                return Kind(BOOL, _entity(a, b))
            if (a.unit.kind == "category") != (b.unit.kind == "category") or _same(
                a.unit, b.unit
            ) is None:
                raise _mismatch(node, f"comparison '{node.op}'", a.unit, b.unit)
            if a.unit.kind == "category" and node.op not in ("==", "!="):
                raise RuleError(
                    f"text codes cannot be ordered with '{node.op}'",
                    where=node.where,
                    code="microsim.unit-mismatch",
                    hint="Use == or != (or 'in') with text codes.",
                )
            return Kind(BOOL, _entity(a, b))
        if isinstance(node, InSet):
            a = self.check(node.operand)
            texts = {isinstance(v, str) for v in node.values}
            if len(texts) > 1 or (a.unit.kind == "category") != (texts == {True}):
                raise RuleError(
                    f"'in' compares {a.unit} with values {list(node.values)!r}",
                    where=node.where,
                    code="microsim.unit-mismatch",
                    hint="Compare text codes with quoted text, numbers with numbers.",
                )
            return Kind(BOOL, a.entity)
        if isinstance(node, BoolOp):
            kinds = [self.check(i) for i in node.items]
            for item, k in zip(node.items, kinds, strict=True):
                self.need_bool(item, k, f"'{node.op}'")
            return Kind(BOOL, _entity(*kinds))
        if isinstance(node, Not):
            k = self.check(node.operand)
            self.need_bool(node.operand, k, "'not'")
            return Kind(BOOL, k.entity)
        if isinstance(node, IfElse):
            return self.branches(node, node.cond, node.then, node.other)
        if isinstance(node, Call):
            return self.call(node)
        raise RuleError(f"cannot check {node!r}", where=node.where)  # pragma: no cover

    def need_bool(self, node: Expr, kind: Kind, what: str) -> None:
        if kind.unit.kind != "bool":
            raise RuleError(
                f"{what} needs a condition (true/false), got {kind.unit}",
                where=node.where,
                code="microsim.unit-mismatch",
                hint="Compare the value, e.g. income > 0, or use it in arithmetic instead.",
            )

    def need_number(self, node: Expr, kind: Kind, what: str) -> Unit:
        if kind.unit.kind == "category":
            raise RuleError(
                f"{what} needs a number, got a text code",
                where=node.where,
                code="microsim.unit-mismatch",
                hint='Compare text codes first, e.g. (sex == "female").',
            )
        return _arith(kind.unit)

    def binop(self, node: BinOp) -> Kind:
        a, b = self.check(node.left), self.check(node.right)
        ua = self.need_number(node.left, a, f"'{node.op}'")
        ub = self.need_number(node.right, b, f"'{node.op}'")
        ent = _entity(a, b)
        if node.op in ("+", "-"):
            same = _same(ua, ub)
            if same is None:
                raise _mismatch(node, f"'{node.op}'", ua, ub)
            return Kind(same, ent)
        # A literal times a pure number (a count, a rate) keeps the literal's freedom:
        # p.amount + 100 * children is fine, the 100 being money.
        if node.op in ("*", "/", "//") and (
            (ua.kind == "any" and not ub.powers) or (ub.kind == "any" and not ua.powers)
        ):
            return Kind(ANY, ent)
        if node.op == "*":
            if ua.kind == "any":
                return Kind(ub, ent)
            if ub.kind == "any":
                return Kind(ua, ent)
            return Kind(ua * ub, ent)
        if node.op in ("/", "//"):
            if ub.kind == "any":
                return Kind(ua, ent)
            if ua.kind == "any":
                return Kind(ub.inverse(), ent)
            return Kind(ua / ub, ent)
        # power: dimensionless base, or an integer constant exponent
        if ua.kind == "any" or not ua.powers:
            return Kind(ua, ent)
        if (
            isinstance(node.right, Const)
            and isinstance(node.right.value, float)
            and float(node.right.value).is_integer()
        ):
            n = int(node.right.value)
            return Kind(Unit.of({k: v * n for k, v in ua.powers}), ent)
        raise RuleError(
            f"{ua} raised to a non-integer power has no unit",
            where=node.where,
            code="microsim.unit-mismatch",
            hint="Raise only pure numbers, or use an integer constant exponent.",
        )

    def branches(self, node: Expr, cond: Expr, then: Expr, other: Expr) -> Kind:
        c = self.check(cond)
        self.need_bool(cond, c, "the condition")
        a, b = self.check(then), self.check(other)
        if a.unit.kind == "bool" and b.unit.kind == "bool":
            return Kind(BOOL, _entity(c, a, b))
        ua, ub = _arith(a.unit), _arith(b.unit)
        same = _same(ua, ub)
        if same is None:
            raise _mismatch(node, "the two branches", ua, ub)
        return Kind(same, _entity(c, a, b))

    def call(self, node: Call) -> Kind:
        f, args = node.func, node.args
        if f == "where":
            return self.branches(node, *args)
        if f == "hh_size":
            return Kind(DIMENSIONLESS, "household")
        kinds = [self.check(a) for a in args]
        if f in HOUSEHOLD_FUNCTIONS:
            k = kinds[0]
            if f in ("hh_count", "hh_any", "hh_all"):
                self.need_bool(args[0], k, f"{f}()")
                return Kind(DIMENSIONLESS if f == "hh_count" else BOOL, "household")
            u = self.need_number(args[0], k, f"{f}()")
            if f == "hh_sum" and k.unit.kind == "bool":
                u = DIMENSIONLESS
            return Kind(u, "household")
        units = [self.need_number(a, k, f"{f}()") for a, k in zip(args, kinds, strict=True)]
        ent = _entity(*kinds)
        if f in ("min", "max", "clip"):
            acc = units[0]
            for a, u in zip(args[1:], units[1:], strict=True):
                same = _same(acc, u)
                if same is None:
                    raise _mismatch(a, f"{f}()", acc, u)
                acc = same
            return Kind(acc, ent)
        if f in ("abs", "floor", "ceil"):
            return Kind(units[0], ent)
        if f in ("annual", "monthly"):
            u = units[0]
            src, dst = ("month", "year") if f == "annual" else ("year", "month")
            if u.kind == "any":
                return Kind(ANY, ent)
            if dict(u.powers).get(src) != -1:
                raise RuleError(
                    f"{f}() converts money per {src} but got {u}",
                    where=node.where,
                    code="microsim.unit-mismatch",
                    hint=f"Drop {f}() (the value is not per {src}) or fix the parameter's unit.",
                )
            return Kind(u.replace(src, dst), ent)
        raise RuleError(f"unknown function {f}()", where=node.where)  # pragma: no cover


def infer(
    expr: Expr,
    variables: Mapping[str, Kind],
    parameters: Mapping[str, Unit],
    *,
    context: str,
    entity: str,
) -> Kind:
    """Check ``expr`` and return its kind; a household context forbids bare person variables."""
    checker = _Checker(variables, parameters, context)
    kind = checker.check(expr)
    if entity == "household":
        _check_household(expr, variables, context)
    return kind


def _check_household(expr: Expr, variables: Mapping[str, Kind], context: str) -> None:
    """Find a person variable used outside any hh_* function in a household rule."""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Call) and node.func in HOUSEHOLD_FUNCTIONS:
            continue
        if isinstance(node, Var) and variables[node.name].entity == "person":
            raise RuleError(
                f"{node.name!r} is a person variable, used bare in {context}, which is "
                "computed per household",
                where=node.where,
                code="microsim.entity-mismatch",
                hint=f"Aggregate it over the household: hh_sum({node.name}), "
                f"hh_max({node.name}) or hh_count({node.name} > 0)"
                + ("; or make the programme entity: person." if "programme" in context else "."),
            )
        stack.extend(children(node))
