"""The rule expression language: a small, safe subset of Python expressions.

An expression is parsed with :func:`ast.parse` in ``eval`` mode and then *converted*, node by
node, into this module's own tree; any node type or function outside the allow-list is refused
with the file position. Nothing is ever passed to ``eval``. The tree is then evaluated by two
independent back-ends: NumPy (:mod:`socialcover.microsim.reference`) and SQL
(:mod:`socialcover.microsim.sql_compiler`).

Grammar (Python syntax)::

    literals      1, 2.5, True, False, "female"
    names         input variables (age, sex, welfare...), derived variables, programmes
    parameters    p.child_benefit.amount   (dotted path; resolved for the period)
    arithmetic    + - * / // ** and unary -      (x / 0 gives 0; documented)
    comparison    == != < <= > >=, chained (0 <= age < 18), x in ("a", "b"), not in
    logic         and, or, not
    conditional   a if cond else b
    functions     min(a, b, ...), max(a, b, ...), clip(x, lo, hi), abs(x), floor(x), ceil(x),
                  where(cond, a, b), annual(x), monthly(x)
    household     hh_sum(x), hh_max(x), hh_min(x), hh_count(cond), hh_any(cond), hh_all(cond),
                  hh_size()

The idea of rules as data with a safe expression subset follows OpenFisca and PolicyEngine's
YAML parameters and the "allow-list AST" technique (Python docs, ``ast`` module; Ronacher's
``simpleeval`` discusses why ``eval`` with restricted globals is not safe).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from socialcover.microsim._errors import Location, RuleError

__all__ = [
    "FUNCTIONS",
    "HOUSEHOLD_FUNCTIONS",
    "BinOp",
    "BoolOp",
    "Call",
    "Compare",
    "Const",
    "Expr",
    "IfElse",
    "InSet",
    "Not",
    "Param",
    "Var",
    "children",
    "parse_expression",
    "walk",
]

# name -> (min args, max args); None = no upper bound.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "clip": (3, 3),
    "abs": (1, 1),
    "floor": (1, 1),
    "ceil": (1, 1),
    "where": (3, 3),
    "annual": (1, 1),
    "monthly": (1, 1),
    "hh_sum": (1, 1),
    "hh_max": (1, 1),
    "hh_min": (1, 1),
    "hh_count": (1, 1),
    "hh_any": (1, 1),
    "hh_all": (1, 1),
    "hh_size": (0, 0),
}
HOUSEHOLD_FUNCTIONS = frozenset(k for k in FUNCTIONS if k.startswith("hh_"))
PARAMETER_ROOT = "p"


@dataclass(frozen=True, eq=False)
class Expr:
    """Base of expression nodes; ``where`` is the node's place in the rules file."""

    where: Location = field(default=Location(), kw_only=True, compare=False)


@dataclass(frozen=True, eq=False)
class Const(Expr):
    value: float | bool | str


@dataclass(frozen=True, eq=False)
class Var(Expr):
    name: str


@dataclass(frozen=True, eq=False)
class Param(Expr):
    path: str


@dataclass(frozen=True, eq=False)
class BinOp(Expr):
    op: str  # + - * / // **
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class Compare(Expr):
    op: str  # == != < <= > >=
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class InSet(Expr):
    operand: Expr
    values: tuple[float | str | bool, ...]
    negate: bool = False


@dataclass(frozen=True, eq=False)
class BoolOp(Expr):
    op: str  # and / or
    items: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class Not(Expr):
    operand: Expr


@dataclass(frozen=True, eq=False)
class IfElse(Expr):
    cond: Expr
    then: Expr
    other: Expr


@dataclass(frozen=True, eq=False)
class Call(Expr):
    func: str
    args: tuple[Expr, ...]


_BINOPS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Pow: "**",
}
_CMPOPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of ``expr``."""
    if isinstance(expr, (BinOp, Compare)):
        return (expr.left, expr.right)
    if isinstance(expr, (InSet, Not)):
        return (expr.operand,)
    if isinstance(expr, BoolOp):
        return expr.items
    if isinstance(expr, IfElse):
        return (expr.cond, expr.then, expr.other)
    if isinstance(expr, Call):
        return expr.args
    return ()


def walk(expr: Expr) -> list[Expr]:
    """Every node of ``expr``, parents before children."""
    out: list[Expr] = [expr]
    for child in children(expr):
        out += walk(child)
    return out


class _Converter:
    def __init__(self, text: str, locate: _Locator) -> None:
        self.text = text
        self.locate = locate

    def at(self, node: ast.AST) -> Location:
        return self.locate(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))

    def fail(self, node: ast.AST, message: str, hint: str, code: str) -> RuleError:
        return RuleError(message, where=self.at(node), code=code, hint=hint)

    def convert(self, node: ast.AST) -> Expr:
        where = self.at(node)
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, (bool, int, float, str)):
                return Const(
                    float(v) if isinstance(v, int) and not isinstance(v, bool) else v, where=where
                )
            raise self.fail(
                node,
                f"the constant {v!r} is not allowed",
                "Use numbers, True/False or quoted text.",
                "microsim.syntax",
            )
        if isinstance(node, ast.Name):
            if node.id == PARAMETER_ROOT:
                raise self.fail(
                    node,
                    "'p' alone is not a parameter",
                    "Name a parameter by its path, e.g. p.child_benefit.amount.",
                    "microsim.syntax",
                )
            return Var(node.id, where=where)
        if isinstance(node, ast.Attribute):
            parts: list[str] = []
            cur: ast.AST = node
            while isinstance(cur, ast.Attribute):
                parts.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name) and cur.id == PARAMETER_ROOT:
                return Param(".".join(reversed(parts)), where=where)
            raise self.fail(
                node,
                f"'{ast.unparse(node)}' is not allowed: only parameters (p.some.path) use dots",
                "Write parameters as p.<path>; variables are plain names.",
                "microsim.syntax",
            )
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                raise self.fail(
                    node,
                    f"the operator in '{ast.unparse(node)}' is not allowed",
                    "Use + - * / // ** only.",
                    "microsim.syntax",
                )
            return BinOp(op, self.convert(node.left), self.convert(node.right), where=where)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                inner = self.convert(node.operand)
                if isinstance(inner, Const) and isinstance(inner.value, float):
                    return Const(-inner.value, where=where)
                return BinOp("-", Const(0.0, where=where), inner, where=where)
            if isinstance(node.op, ast.UAdd):
                return self.convert(node.operand)
            if isinstance(node.op, ast.Not):
                return Not(self.convert(node.operand), where=where)
            raise self.fail(
                node, "bitwise '~' is not allowed", "Use 'not' for conditions.", "microsim.syntax"
            )
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return BoolOp(op, tuple(self.convert(v) for v in node.values), where=where)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.IfExp):
            return IfElse(
                self.convert(node.test),
                self.convert(node.body),
                self.convert(node.orelse),
                where=where,
            )
        if isinstance(node, ast.Call):
            return self.call(node)
        kind = type(node).__name__
        raise self.fail(
            node,
            f"'{ast.unparse(node)}' ({kind}) is not part of the rule language",
            "Use arithmetic, comparisons, and/or/not, 'a if c else b' and the "
            "functions listed in docs/microsim.md.",
            "microsim.syntax",
        )

    def compare(self, node: ast.Compare) -> Expr:
        items: list[Expr] = []
        left = self.convert(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)):
                if not isinstance(right_node, (ast.Tuple, ast.List, ast.Set)) or not all(
                    isinstance(e, ast.Constant) and isinstance(e.value, (bool, int, float, str))
                    for e in right_node.elts
                ):
                    raise self.fail(
                        right_node,
                        "'in' needs a list of constants",
                        'Write e.g. labour_status in ("own_account", "domestic").',
                        "microsim.syntax",
                    )
                values: tuple[float | str | bool, ...] = tuple(
                    float(e.value)
                    if isinstance(e.value, int) and not isinstance(e.value, bool)
                    else e.value
                    for e in right_node.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, (bool, int, float, str))
                )
                items.append(InSet(left, values, isinstance(op, ast.NotIn), where=self.at(node)))
                if len(node.ops) > 1:
                    raise self.fail(
                        node,
                        "'in' cannot be chained with other comparisons",
                        "Join the tests with 'and'.",
                        "microsim.syntax",
                    )
                continue
            sym = _CMPOPS.get(type(op))
            if sym is None:
                raise self.fail(
                    node, "'is' comparisons are not allowed", "Use == or !=.", "microsim.syntax"
                )
            right = self.convert(right_node)
            items.append(Compare(sym, left, right, where=self.at(node)))
            left = right
        if len(items) == 1:
            return items[0]
        return BoolOp("and", tuple(items), where=self.at(node))

    def call(self, node: ast.Call) -> Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(
                node,
                f"'{ast.unparse(node.func)}' cannot be called",
                f"Call one of: {', '.join(sorted(FUNCTIONS))}.",
                "microsim.syntax",
            )
        name = node.func.id
        if name not in FUNCTIONS:
            from difflib import get_close_matches

            near = get_close_matches(name, FUNCTIONS, n=1)
            extra = f"Did you mean {near[0]}()? " if near else ""
            raise self.fail(
                node,
                f"unknown function {name}()",
                f"{extra}Functions: {', '.join(sorted(FUNCTIONS))}.",
                "microsim.unknown-function",
            )
        if node.keywords:
            raise self.fail(
                node,
                f"{name}() takes no keyword arguments",
                "Pass arguments by position.",
                "microsim.syntax",
            )
        lo, hi = FUNCTIONS[name]
        n = len(node.args)
        if n < lo or (hi is not None and n > hi):
            want = f"{lo}" if lo == hi else f"at least {lo}" if hi is None else f"{lo} to {hi}"
            raise self.fail(
                node,
                f"{name}() takes {want} argument(s), got {n}",
                "See the function list in docs/microsim.md.",
                "microsim.syntax",
            )
        return Call(name, tuple(self.convert(a) for a in node.args), where=self.at(node))


class _Locator:
    """Maps (1-based line, 0-based col) of the expression text to a file Location."""

    def __init__(self, base: Location, block: bool = False, quoted: bool = False) -> None:
        self.base = base
        self.block = block
        self.quoted = quoted

    def __call__(self, line: int, col: int) -> Location:
        b = self.base
        if self.block:
            return Location(b.file, b.line + line, col + 1)
        if line == 1:
            return Location(b.file, b.line, b.column + col + (1 if self.quoted else 0))
        return Location(b.file, b.line + line - 1, col + 1)


def parse_expression(
    text: str | float | bool, where: Location | None = None, style: str | None = None
) -> Expr:
    """Parse one rule expression; errors point at ``where`` plus the offset inside ``text``.

    Examples
    --------
    >>> e = parse_expression("max(0, p.sa.amount - 0.5 * income)")
    >>> type(e).__name__, e.func
    ('Call', 'max')
    """
    base = where or Location()
    if isinstance(text, (bool, int, float)):
        return Const(float(text) if not isinstance(text, bool) else text, where=base)
    locate = _Locator(base, block=style in ("|", ">"), quoted=style in ("'", '"'))
    source = str(text).strip() if style not in ("|", ">") else str(text).rstrip()
    if not source:
        raise RuleError(
            "the expression is empty",
            where=base,
            code="microsim.syntax",
            hint="Write an expression, e.g. age >= 65.",
        )
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        where_err = locate(exc.lineno or 1, max((exc.offset or 1) - 1, 0))
        raise RuleError(
            f"syntax error in {source!r}: {exc.msg}",
            where=where_err,
            code="microsim.syntax",
            hint="Rules use Python expression syntax: and/or/not, 'a if cond else b', "
            "== for equality, and balanced brackets.",
        ) from None
    return _Converter(source, locate).convert(tree.body)
