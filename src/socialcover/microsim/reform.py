"""Reforms as data: parameter and rule changes, validated completely before anything applies.

Like PolicyEngine's ``Reform.from_dict``, a reform is a mapping::

    name: Double the child benefit, lower the pension age
    parameters:
      child_benefit.amount: 1000              # this value in every period
      social_pension.age: {2026-01-01: 60}    # a dated change, earlier values kept
      new.top_up: {unit: LCU/year, values: {2020-01-01: 100}}   # a new parameter
    programmes:
      child_benefit: {eligibility: age < 16}  # change some fields of a programme
      old_grant: null                         # remove a programme
      top_up: {entity: person, eligibility: age >= 80, amount: p.new.top_up}  # add one
    variables:
      hh_income: {formula: hh_sum(welfare)}

:meth:`Reform.apply` builds a new, fully checked :class:`RuleSet` (names, units, cycles) and
never touches the baseline; any error, with the reform file's line, leaves nothing applied. An
empty reform rebuilds the same rules and so reproduces the baseline exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from socialcover.microsim._errors import Location, RuleError
from socialcover.microsim.parameters import Parameter, ParameterSet, parse_parameter
from socialcover.microsim.rules import RuleSet
from socialcover.microsim.source import Node, load_yaml

__all__ = ["Reform", "node_from_plain"]

_PROGRAMME_KEYS = {
    "entity",
    "label",
    "description",
    "eligibility",
    "amount",
    "means_test",
    "cap",
    "reference",
}
_VARIABLE_KEYS = {"entity", "formula", "unit", "description", "label"}


def node_from_plain(value: Any, where: Location) -> Node:
    """Wrap plain Python data (a dict given in code) as :class:`Node` values at ``where``."""
    if isinstance(value, dict):
        return Node(
            {
                str(k) if not isinstance(k, dt.date) else k.isoformat()[:10]: node_from_plain(
                    v, where
                )
                for k, v in value.items()
            },
            where,
        )
    if isinstance(value, (list, tuple)):
        return Node([node_from_plain(v, where) for v in value], where)
    return Node(value, where)


@dataclass(frozen=True)
class Reform:
    """Parameter and rule changes to a :class:`RuleSet`; see the module docstring."""

    name: str
    parameters: dict[str, Node] = field(default_factory=dict)
    programmes: dict[str, Node] = field(default_factory=dict)
    variables: dict[str, Node] = field(default_factory=dict)
    where: Location = field(default=Location("<reform>"))

    @property
    def is_empty(self) -> bool:
        return not (self.parameters or self.programmes or self.variables)

    @classmethod
    def from_node(cls, root: Node) -> Reform:
        body = root.value if isinstance(root.value, dict) else None
        if body is None:
            raise RuleError(
                "a reform must be a mapping with parameters:, programmes: or variables:",
                where=root.where,
                code="microsim.bad-reform",
                hint="See docs/microsim.md, section Reforms.",
            )
        allowed = {"name", "description", "parameters", "programmes", "variables"}
        for key, sub in body.items():
            if key not in allowed:
                near = get_close_matches(key, allowed, n=1)
                extra = f"Did you mean {near[0]!r}? " if near else ""
                raise RuleError(
                    f"unknown key {key!r} in the reform",
                    where=sub.where,
                    code="microsim.bad-reform",
                    hint=f"{extra}A reform has: {', '.join(sorted(allowed))}.",
                )
        sections: dict[str, dict[str, Node]] = {}
        for key in ("parameters", "programmes", "variables"):
            sub = body.get(key)
            sections[key] = sub.expect_mapping(key) if sub is not None and sub.value else {}
        name = body.get("name")
        return cls(
            str(name.value) if name else Path(root.where.file).stem,
            sections["parameters"],
            sections["programmes"],
            sections["variables"],
            root.where,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, *, name: str = "<reform>") -> Reform:
        """A reform from a Python dict (``{}`` or ``None`` is the empty reform)."""
        return cls.from_node(node_from_plain(data or {}, Location(name)))

    @classmethod
    def from_yaml(cls, path: str | Path | None = None, *, text: str | None = None) -> Reform:
        root = load_yaml(path if path is not None else "<reform>", text=text)
        if root.value in (None, {}):
            return cls(Path(str(path)).stem if path else "empty", where=root.where)
        return cls.from_node(root)

    def apply(self, rules: RuleSet) -> RuleSet:
        """A new rule set with the changes; raises :class:`RuleError` and changes nothing."""
        new_params, changed = self._parameters(rules)
        tree = self._tree(rules, new_params)
        rebuilt = RuleSet.from_node(tree)
        items = dict(rebuilt.parameters.items)
        items.update(changed)
        return replace(rebuilt, parameters=ParameterSet(items))

    def _parameters(self, rules: RuleSet) -> tuple[dict[str, Node], dict[str, Parameter]]:
        added: dict[str, Node] = {}
        changed: dict[str, Parameter] = {}
        for path, node in self.parameters.items():
            if isinstance(node.value, dict) and {"unit", "values"} & set(node.value):
                parse_parameter(path, node)  # checks it now, with the reform's line
                added[path] = node
                continue
            if path not in rules.parameters:
                near = get_close_matches(path, list(rules.parameters.names()), n=1)
                extra = f"Did you mean {near[0]!r}? " if near else ""
                raise RuleError(
                    f"the reform changes parameter {path!r}, which the rules do not have",
                    where=node.where,
                    code="microsim.unknown-parameter",
                    hint=f"{extra}To add a parameter give its unit and values: "
                    "{unit: LCU/year, values: {2025-01-01: 100}}.",
                )
            old = rules.parameters[path]
            spec = {"unit": Node(old.unit_text, node.where)}
            if isinstance(node.value, dict):
                spec["values"] = node
                dated = parse_parameter(path, Node(spec, node.where))
                changed[path] = old.with_values(dict(dated.values))
            else:
                spec["values"] = Node({"1900-01-01": node}, node.where)
                changed[path] = replace(
                    parse_parameter(path, Node(spec, node.where)),
                    description=old.description,
                    reference=old.reference,
                    where=old.where,
                )
            if (old.unit.kind == "bool") != any(
                isinstance(v, bool) for _, v in changed[path].values
            ):
                raise RuleError(
                    f"parameter {path} is {old.unit_text}; the reform gives {node.plain()!r}",
                    where=node.where,
                    code="microsim.unit-mismatch",
                    hint="Give true/false for a bool parameter, a number otherwise.",
                )
        return added, changed

    def _tree(self, rules: RuleSet, added: dict[str, Node]) -> Node:
        root = rules.source
        body = dict(root.expect_mapping("the rules file"))
        if added:
            params = dict(body["parameters"].value) if "parameters" in body else {}
            params.update(added)
            body["parameters"] = Node(params, body.get("parameters", root).where)
        for section, keys in (("programmes", _PROGRAMME_KEYS), ("variables", _VARIABLE_KEYS)):
            changes = self.programmes if section == "programmes" else self.variables
            if not changes:
                continue
            current = dict(body[section].value) if section in body else {}
            for name, change in changes.items():
                if change.value is None or change.value is False:
                    if name not in current:
                        raise RuleError(
                            f"the reform removes {section[:-1]} {name!r}, which "
                            "the rules do not have",
                            where=change.where,
                            code="microsim.bad-reform",
                            hint=f"Known: {', '.join(sorted(current)) or 'none'}.",
                        )
                    del current[name]
                    continue
                fields = change.expect_mapping(f"the change to {name}")
                for key, sub in fields.items():
                    if key not in keys:
                        near = get_close_matches(key, keys, n=1)
                        extra = f"Did you mean {near[0]!r}? " if near else ""
                        raise RuleError(
                            f"unknown key {key!r} in the change to {name}",
                            where=sub.where,
                            code="microsim.bad-reform",
                            hint=f"{extra}Keys: {', '.join(sorted(keys))}.",
                        )
                old = current.get(name)
                merged = (
                    dict(old.value)
                    if old is not None and isinstance(old.value, dict)
                    else ({"formula": old} if old is not None else {})
                )
                merged.update(fields)
                current[name] = Node(merged, change.where)
            body[section] = Node(current, body.get(section, root).where)
        return Node(body, root.where, root.style)
