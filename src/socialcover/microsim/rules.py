"""A rule set: inputs, parameters, derived variables and programmes, loaded from YAML.

Loading checks everything before any data are read: YAML syntax, expression syntax, names,
units, entities and the dependency order (a benefit counted as income for another must not
depend on it in return). The result is an immutable :class:`RuleSet` whose :attr:`steps` list
the columns to compute, in order; both evaluators (NumPy and SQL) run these same steps.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialcover.microsim._errors import Location, RuleError
from socialcover.microsim.dependencies import order_definitions as _order
from socialcover.microsim.expression import (
    FUNCTIONS,
    PARAMETER_ROOT,
    BinOp,
    Call,
    Const,
    Expr,
    Var,
    parse_expression,
    walk,
)
from socialcover.microsim.inference import Kind, infer
from socialcover.microsim.parameters import Parameter, ParameterSet, parse_parameter
from socialcover.microsim.source import Node, load_yaml
from socialcover.microsim.units import BOOL, Unit, parse_unit

__all__ = ["STANDARD_INPUTS", "Programme", "RuleSet", "Step", "load_rules"]

_BENEFITS = (
    "child",
    "maternity",
    "disability",
    "unemployment",
    "old_age",
    "social_assistance",
    "employment_injury",
)
#: Standard survey concepts (socialcover.survey.io.concepts) usable without declaring them.
#: Missing values: a flag counts as false, a category as "" (no code); numbers must be present.
STANDARD_INPUTS: dict[str, tuple[str, str]] = {
    "age": ("years", "person"),
    "sex": ("category", "person"),
    "urban": ("category", "person"),
    "region": ("category", "person"),
    "labour_status": ("category", "person"),
    "status_in_employment": ("category", "person"),
    "informal": ("bool", "person"),
    "contributes": ("bool", "person"),
    "disabled": ("bool", "person"),
    "gave_birth": ("bool", "person"),
    "welfare": ("LCU/year", "person"),
    "welfare_scale": ("1", "person"),
    "poverty_line": ("LCU/year", "person"),
    **{f"receives_{b}": ("bool", "person") for b in _BENEFITS},
    **{f"amount_{b}": ("LCU/year", "person") for b in _BENEFITS},
}
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
#: Columns every rule set adds after its programmes (see :func:`_totals`).
TOTALS = ("income_before", "benefits", "disposable_income")
_RESERVED = (
    set(FUNCTIONS) | set(TOTALS) | {PARAMETER_ROOT, "hh_id", "person_id", "weight", "True", "False"}
)


@dataclass(frozen=True)
class InputSpec:
    """A column the rules read from the population."""

    name: str
    unit: Unit
    entity: str = "person"
    default: float | None = None
    where: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class Step:
    """One column to compute: ``name = expr`` per ``entity``, of ``unit``."""

    name: str
    expr: Expr
    entity: str
    unit: Unit
    role: str  # "variable", "eligibility" or "programme"
    where: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class Programme:
    """A benefit programme: who is eligible and how much they get (per year)."""

    name: str
    entity: str
    label: str
    eligibility: Expr
    amount: Expr
    where: Location = field(default=Location(), compare=False)


@dataclass(frozen=True)
class RuleSet:
    """Checked, ordered rules; build with :func:`load_rules` or :meth:`from_node`."""

    name: str
    parameters: ParameterSet
    inputs: Mapping[str, InputSpec]
    programmes: Mapping[str, Programme]
    steps: tuple[Step, ...]
    income_before: Expr
    source: Node = field(compare=False, repr=False)
    file: str = "<rules>"

    @property
    def programme_names(self) -> list[str]:
        return list(self.programmes)

    def steps_for(self, outputs: Sequence[str]) -> list[Step]:
        """The steps ``outputs`` depend on, in order (unused steps are not computed)."""
        by_name = {s.name: s for s in self.steps}
        unknown = [o for o in outputs if o not in by_name]
        if unknown:
            raise RuleError(
                f"no step named {', '.join(map(repr, unknown))} in the rules",
                code="microsim.unknown-output",
                hint=f"Steps: {', '.join(by_name)}.",
            )
        need = set(outputs)
        for step in reversed(self.steps):
            if step.name in need:
                read = {n.name for n in walk(step.expr) if isinstance(n, Var)}
                need |= read & by_name.keys()
        return [s for s in self.steps if s.name in need]

    def used_inputs(self, steps: Sequence[Step] | None = None) -> list[str]:
        """Inputs that the ``steps`` (all by default) actually read."""
        chosen = self.steps if steps is None else steps
        names = {n.name for s in chosen for n in walk(s.expr) if isinstance(n, Var)}
        return [k for k in self.inputs if k in names]

    @classmethod
    def from_node(cls, root: Node) -> RuleSet:
        return _build(root)


def load_rules(
    path: str | Path | None = None, *, text: str | None = None, name: str = "<rules>"
) -> RuleSet:
    """Load and check a rules file (or ``text``); errors carry ``file:line:column`` and a fix.

    Examples
    --------
    >>> rules = load_rules(text='''
    ... parameters:
    ...   cb.amount: {unit: LCU/month, values: {2020-01-01: 100}}
    ... programmes:
    ...   child_benefit:
    ...     entity: person
    ...     eligibility: age < 18
    ...     amount: annual(p.cb.amount)
    ... ''')
    >>> rules.programme_names
    ['child_benefit']
    """
    root = load_yaml(path if path is not None else name, text=text)
    return _build(root)


def _err(
    where: Location, message: str, hint: str, code: str = "microsim.bad-structure"
) -> RuleError:
    return RuleError(message, where=where, code=code, hint=hint)


def _check_keys(node: Node, allowed: set[str], what: str) -> dict[str, Node]:
    body = node.expect_mapping(what)
    for key, sub in body.items():
        if key not in allowed:
            from difflib import get_close_matches

            near = get_close_matches(key, allowed, n=1)
            extra = f"Did you mean {near[0]!r}? " if near else ""
            raise _err(
                sub.where,
                f"unknown key {key!r} in {what}",
                f"{extra}Allowed keys: {', '.join(sorted(allowed))}.",
            )
    return body


def _check_name(name: str, where: Location, what: str) -> None:
    if not _NAME.match(name) or keyword.iskeyword(name) or name in _RESERVED:
        raise _err(
            where,
            f"{name!r} cannot name a {what}",
            "Use lower-case letters, digits and _ (not a function name, 'p', or an id column).",
            "microsim.bad-name",
        )


def _flatten_parameters(node: Node, prefix: str, out: dict[str, Parameter]) -> None:
    body = node.expect_mapping("parameters")
    for key, sub in body.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(sub.value, dict) and not ({"values", "unit"} & set(sub.value)):
            _flatten_parameters(sub, name, out)  # a namespace: child_benefit: {amount: ...}
        else:
            out[name] = parse_parameter(name, sub)


def _expr(node: Node | None, where: Location, what: str) -> Expr:
    if node is None:
        raise _err(
            where,
            f"{what} is missing",
            f"Add {what.split()[0]}: <expression>.",
            "microsim.missing-key",
        )
    if not isinstance(node.value, (str, int, float, bool)):
        raise _err(
            node.where,
            f"{what} must be an expression, got {node.plain()!r}",
            "Write one expression on the line, e.g. age >= 65.",
            "microsim.syntax",
        )
    return parse_expression(node.value, node.where, node.style)


def _money_per_year(unit: Unit) -> bool:
    if unit.kind == "any":
        return True
    p = dict(unit.powers)
    return (
        unit.kind == "number"
        and p.get("year") == -1
        and len(p) == 2
        and all(v == 1 for k, v in p.items() if k != "year")
        and "month" not in p
    )


@dataclass
class _Def:
    name: str
    entity: str | None
    role: str
    exprs: dict[str, Expr]
    where: Location
    unit: Unit | None = None
    label: str = ""


def _programme_def(name: str, node: Node) -> _Def:
    body = _check_keys(
        node,
        {
            "entity",
            "label",
            "description",
            "eligibility",
            "amount",
            "means_test",
            "cap",
            "reference",
        },
        f"programme {name}",
    )
    ent_node = body.get("entity")
    entity = str(ent_node.value) if ent_node else "person"
    if entity not in ("person", "household"):
        raise _err(
            ent_node.where if ent_node else node.where,
            f"entity {entity!r} of programme {name} is neither person nor household",
            "Write entity: person or entity: household.",
            "microsim.bad-entity",
        )
    exprs = {
        "eligibility": _expr(
            body.get("eligibility"), node.where, f"eligibility of programme {name}"
        ),
        "amount": _expr(body.get("amount"), node.where, f"amount of programme {name}"),
    }
    if "means_test" in body:
        mt = _check_keys(
            body["means_test"],
            {"income", "disregard", "withdrawal_rate"},
            f"means_test of programme {name}",
        )
        exprs["income"] = _expr(
            mt.get("income"), body["means_test"].where, f"income of the means test of {name}"
        )
        exprs["withdrawal_rate"] = _expr(
            mt.get("withdrawal_rate"),
            body["means_test"].where,
            f"withdrawal_rate of the means test of {name}",
        )
        dis = mt.get("disregard")
        exprs["disregard"] = (
            _expr(dis, dis.where, "disregard")
            if dis
            else Const(0.0, where=body["means_test"].where)
        )
    if "cap" in body:
        exprs["cap"] = _expr(body["cap"], body["cap"].where, f"cap of programme {name}")
    label = body.get("label") or body.get("description")
    return _Def(
        name, entity, "programme", exprs, node.where, label=str(label.value) if label else name
    )


def _variable_def(name: str, node: Node) -> _Def:
    if not isinstance(node.value, dict):
        return _Def(name, None, "variable", {"formula": _expr(node, node.where, name)}, node.where)
    body = _check_keys(
        node, {"entity", "formula", "unit", "description", "label"}, f"variable {name}"
    )
    ent = body.get("entity")
    entity = str(ent.value) if ent else None
    if entity not in (None, "person", "household"):
        raise _err(
            ent.where if ent else node.where,
            f"entity {entity!r} of {name} is unknown",
            "Write entity: person or entity: household.",
            "microsim.bad-entity",
        )
    unit = None
    if "unit" in body:
        try:
            unit = parse_unit(body["unit"].value)
        except ValueError as exc:
            raise _err(
                body["unit"].where, str(exc), "Write e.g. LCU/year.", "microsim.bad-unit"
            ) from None
    return _Def(
        name,
        entity,
        "variable",
        {"formula": _expr(body.get("formula"), node.where, f"formula of {name}")},
        node.where,
        unit,
    )


def _max0(e: Expr) -> Expr:
    return Call("max", (Const(0.0, where=e.where), e), where=e.where)


def _build(root: Node) -> RuleSet:
    file = root.where.file
    body = _check_keys(
        root,
        {
            "name",
            "description",
            "period",
            "currency",
            "inputs",
            "parameters",
            "variables",
            "programmes",
            "income_before_programmes",
            "welfare_scale",
        },
        "the rules file",
    )
    params: dict[str, Parameter] = {}
    if "parameters" in body:
        _flatten_parameters(body["parameters"], "", params)
    inputs: dict[str, InputSpec] = {
        k: InputSpec(k, parse_unit(u), e) for k, (u, e) in STANDARD_INPUTS.items()
    }
    if "inputs" in body:
        for key, sub in body["inputs"].expect_mapping("inputs").items():
            _check_name(key, sub.where, "input")
            spec = (
                _check_keys(sub, {"unit", "entity", "default", "description"}, f"input {key}")
                if isinstance(sub.value, dict)
                else {"unit": sub}
            )
            if "unit" not in spec:
                raise _err(
                    sub.where,
                    f"input {key} has no unit",
                    "Add unit: (LCU/year, years, 1, bool or category).",
                    "microsim.missing-unit",
                )
            try:
                unit = parse_unit(spec["unit"].value)
            except ValueError as exc:
                raise _err(
                    spec["unit"].where, str(exc), "Write e.g. LCU/year.", "microsim.bad-unit"
                ) from None
            ent = str(spec["entity"].value) if "entity" in spec else "person"
            dflt = spec.get("default")
            default = None
            if dflt is not None:
                if not isinstance(dflt.value, (int, float, bool)):
                    raise _err(
                        dflt.where,
                        f"default of input {key} must be a number",
                        "Write default: 0.",
                        "microsim.bad-structure",
                    )
                default = float(dflt.value)
            inputs[key] = InputSpec(key, unit, ent, default, sub.where)
    defs: dict[str, _Def] = {}
    for section, maker in (("variables", _variable_def), ("programmes", _programme_def)):
        if section not in body:
            continue
        for key, sub in body[section].expect_mapping(section).items():
            _check_name(key, sub.where, section[:-1])
            if key in defs or key in inputs:
                raise _err(
                    sub.where,
                    f"{key!r} is defined twice (or is also an input)",
                    "Give each input, variable and programme its own name.",
                    "microsim.duplicate-name",
                )
            defs[key] = maker(key, sub)
    if not any(d.role == "programme" for d in defs.values()):
        raise _err(
            root.where,
            "the rules define no programme",
            "Add a programmes: section with at least one programme.",
            "microsim.no-programme",
        )

    kinds: dict[str, Kind] = {k: Kind(s.unit, s.entity) for k, s in inputs.items()}
    punits = {k: p.unit for k, p in params.items()}
    steps: list[Step] = []
    programmes: dict[str, Programme] = {}
    for name in _order(defs):
        d = defs[name]
        if d.role == "variable":
            expr = d.exprs["formula"]
            kind = infer(
                expr, kinds, punits, context=f"variable {name}", entity=d.entity or "person"
            )
            entity = d.entity or kind.entity or "person"
            unit = kind.unit
            if d.unit is not None:
                if unit.kind != "any" and unit != d.unit:
                    raise RuleError(
                        f"variable {name} is declared {d.unit} but its formula gives {unit}",
                        where=expr.where,
                        code="microsim.unit-mismatch",
                        hint="Fix the formula or the declared unit.",
                    )
                unit = d.unit
            kinds[name] = Kind(unit, entity)
            steps.append(Step(name, expr, entity, unit, "variable", d.where))
            continue
        ent = d.entity or "person"
        ctx = f"programme {name}"
        ek = infer(
            d.exprs["eligibility"], kinds, punits, context=f"eligibility of {ctx}", entity=ent
        )
        if ek.unit.kind != "bool":
            raise RuleError(
                f"eligibility of {ctx} is {ek.unit}, not a condition",
                where=d.exprs["eligibility"].where,
                code="microsim.unit-mismatch",
                hint="Write a condition such as age >= 65 (true/false).",
            )
        amount = d.exprs["amount"]
        ak = infer(amount, kinds, punits, context=f"amount of {ctx}", entity=ent)
        if not _money_per_year(ak.unit):
            hint = (
                "Wrap it in annual(...): programmes pay amounts per year."
                if dict(ak.unit.powers).get("month") == -1
                else "The amount must be money per year, e.g. a parameter with "
                "unit LCU/year, or annual(p.x) for a monthly one."
            )
            raise RuleError(
                f"amount of {ctx} is in {ak.unit}, not money per year",
                where=amount.where,
                code="microsim.unit-mismatch",
                hint=hint,
            )
        total: Expr = amount
        if "income" in d.exprs:
            for part in ("income", "disregard", "withdrawal_rate"):
                pk = infer(d.exprs[part], kinds, punits, context=f"{part} of {ctx}", entity=ent)
                if (part == "withdrawal_rate" and pk.unit.kind not in ("any", "number")) or (
                    part == "withdrawal_rate" and pk.unit.powers
                ):
                    raise RuleError(
                        f"withdrawal_rate of {ctx} is {pk.unit}, not a rate",
                        where=d.exprs[part].where,
                        code="microsim.unit-mismatch",
                        hint="A withdrawal rate is a pure number such as 0.5.",
                    )
                if part != "withdrawal_rate" and not _money_per_year(pk.unit):
                    raise RuleError(
                        f"{part} of {ctx} is {pk.unit}, not money per year",
                        where=d.exprs[part].where,
                        code="microsim.unit-mismatch",
                        hint="Use yearly money; annual(x) converts monthly money.",
                    )
            excess = _max0(
                BinOp("-", d.exprs["income"], d.exprs["disregard"], where=d.exprs["income"].where)
            )
            total = BinOp(
                "-",
                total,
                BinOp("*", d.exprs["withdrawal_rate"], excess, where=excess.where),
                where=amount.where,
            )
        total = _max0(total)
        if "cap" in d.exprs:
            ck = infer(d.exprs["cap"], kinds, punits, context=f"cap of {ctx}", entity=ent)
            if not _money_per_year(ck.unit):
                raise RuleError(
                    f"cap of {ctx} is {ck.unit}, not money per year",
                    where=d.exprs["cap"].where,
                    code="microsim.unit-mismatch",
                    hint="Use yearly money; annual(x) converts monthly money.",
                )
            total = Call("min", (total, d.exprs["cap"]), where=d.exprs["cap"].where)
        elig_name = f"{name}_eligible"
        final = Call(
            "where",
            (Var(elig_name, where=d.where), total, Const(0.0, where=d.where)),
            where=d.where,
        )
        steps.append(Step(elig_name, d.exprs["eligibility"], ent, BOOL, "eligibility", d.where))
        kinds[elig_name] = Kind(BOOL, ent)
        money = ak.unit if ak.unit.kind != "any" else parse_unit("LCU/year")
        steps.append(Step(name, final, ent, money, "programme", d.where))
        kinds[name] = Kind(money, ent)
        programmes[name] = Programme(name, ent, d.label, d.exprs["eligibility"], amount, d.where)

    ib_node = body.get("income_before_programmes")
    income_before = (
        _expr(ib_node, root.where, "income_before_programmes")
        if ib_node
        else Var("welfare", where=root.where)
    )
    ik = infer(
        income_before,
        {
            k: v
            for k, v in kinds.items()
            if k in inputs or any(s.name == k and s.role == "variable" for s in steps)
        },
        punits,
        context="income_before_programmes",
        entity="person",
    )
    if not _money_per_year(ik.unit):
        raise RuleError(
            f"income_before_programmes is {ik.unit}, not money per year",
            where=income_before.where,
            code="microsim.unit-mismatch",
            hint="Give per-capita income per year, e.g. welfare.",
        )
    steps += _totals(body, root, income_before, programmes, kinds, punits)
    name_node = body.get("name")
    return RuleSet(
        name=str(name_node.value) if name_node else Path(file).stem,
        parameters=ParameterSet(params),
        inputs=inputs,
        programmes=programmes,
        steps=tuple(steps),
        income_before=income_before,
        source=root,
        file=file,
    )


def _totals(
    body: dict[str, Node],
    root: Node,
    income_before: Expr,
    programmes: dict[str, Programme],
    kinds: dict[str, Kind],
    punits: dict[str, Unit],
) -> list[Step]:
    """Steps after the programmes: income before them, household benefits, disposable income.

    ``benefits`` is the household's total of all programmes (a household programme counted
    once); ``disposable_income`` adds the household's benefits, divided by the welfare scale
    (household size by default), to each member's per-capita income before the programmes.
    """
    where = root.where
    money = parse_unit("LCU/year")
    person_sum: Expr | None = None
    total: Expr | None = None
    for name, prog in programmes.items():
        var = Var(name, where=prog.where)
        if prog.entity == "person":
            person_sum = var if person_sum is None else BinOp("+", person_sum, var, where=where)
        else:
            total = var if total is None else BinOp("+", total, var, where=where)
    if person_sum is not None:
        hh = Call("hh_sum", (person_sum,), where=where)
        total = hh if total is None else BinOp("+", hh, total, where=where)
    assert total is not None
    scale_node = body.get("welfare_scale")
    scale = (
        _expr(scale_node, where, "welfare_scale")
        if scale_node
        else Call("hh_size", (), where=where)
    )
    sk = infer(scale, kinds, punits, context="welfare_scale", entity="household")
    if sk.unit.kind not in ("any", "number") or sk.unit.powers:
        raise RuleError(
            f"welfare_scale is {sk.unit}, not a pure number",
            where=scale.where,
            code="microsim.unit-mismatch",
            hint="Give household size, hh_size(), or an equivalence scale.",
        )
    disposable = BinOp(
        "+",
        Var("income_before", where=where),
        BinOp("/", Var("benefits", where=where), scale, where=where),
        where=where,
    )
    kinds["income_before"] = Kind(money, "person")
    kinds["benefits"] = Kind(money, "household")
    kinds["disposable_income"] = Kind(money, "person")
    return [
        Step("income_before", income_before, "person", money, "income", where),
        Step("benefits", total, "household", money, "total", where),
        Step("disposable_income", disposable, "person", money, "income", where),
    ]


def plain(rules: RuleSet) -> dict[str, Any]:
    """The rules as plain Python data (what the YAML said)."""
    out = rules.source.plain()
    return out if isinstance(out, dict) else {}
