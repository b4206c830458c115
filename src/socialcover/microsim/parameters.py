"""Parameters: dated values with a unit, a description and a reference.

As in PolicyEngine and OpenFisca, a parameter is a named series of values each in force from a
date (``values: {2024-01-01: 500, 2026-01-01: 600}``); a rule asks for the value in force at the
start of the simulated period (an instant), so the same rules serve any year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from socialcover.microsim._errors import Location, RuleError
from socialcover.microsim.source import Node
from socialcover.microsim.units import Unit, parse_unit

__all__ = ["Parameter", "ParameterSet", "period_start"]

Value = float | bool


def period_start(period: int | str | dt.date) -> dt.date:
    """The instant a period starts: ``2025`` -> 2025-01-01, ``"2025-07"`` -> 2025-07-01."""
    if isinstance(period, dt.datetime):
        return period.date()
    if isinstance(period, dt.date):
        return period
    text = str(period).strip()
    try:
        if len(text) == 4:
            return dt.date(int(text), 1, 1)
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise RuleError(
            f"{period!r} is not a period",
            code="microsim.bad-period",
            hint="Write a year (2025), a month (2025-07) or a date (2025-07-01).",
        ) from None


@dataclass(frozen=True)
class Parameter:
    """One parameter: its values by start date, unit, description and legal reference."""

    name: str
    values: tuple[tuple[dt.date, Value], ...]
    unit: Unit
    unit_text: str = "1"
    description: str = ""
    reference: str = ""
    where: Location = field(default=Location(), compare=False)

    def at(self, period: int | str | dt.date) -> Value:
        """The value in force at the start of ``period``."""
        instant = period_start(period)
        found: Value | None = None
        for start, value in self.values:
            if start <= instant:
                found = value
        if found is None:
            first = self.values[0][0].isoformat()
            raise RuleError(
                f"parameter {self.name} has no value in force on {instant.isoformat()} "
                f"(its first value starts {first})",
                where=self.where,
                code="microsim.parameter-no-value",
                hint=f"Add a value dated on or before {instant.isoformat()} under values:, "
                "or simulate a later period.",
            )
        return found

    def with_values(self, updates: Mapping[dt.date, Value]) -> Parameter:
        merged = dict(self.values)
        merged.update(updates)
        return replace(self, values=tuple(sorted(merged.items())))


def _date(key: str, where: Location, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(key)[:10]) if len(str(key)) >= 10 else period_start(key)
    except (ValueError, RuleError):
        raise RuleError(
            f"{key!r} under parameter {name} is not a date",
            where=where,
            code="microsim.bad-date",
            hint="Date each value: values: {2025-01-01: 500}.",
        ) from None


def _number(node: Node, name: str) -> Value:
    v = node.value
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        # PyYAML (YAML 1.1) reads 1e-05 as text; accept any number written as text.
        try:
            return float(v.replace("_", ""))
        except ValueError:
            pass
    raise RuleError(
        f"value {v!r} of parameter {name} is not a number",
        where=node.where,
        code="microsim.bad-parameter",
        hint="Write a number (500, 0.25) or true/false.",
    )


def parse_parameter(name: str, node: Node) -> Parameter:
    """Build a :class:`Parameter` from its YAML mapping (values, unit, description, reference)."""
    if not isinstance(node.value, dict):
        # Shorthand: `name: 500` is a value in force since forever, unit 1.
        return Parameter(
            name,
            ((dt.date(1900, 1, 1), _number(node, name)),),
            parse_unit("1"),
            "1",
            where=node.where,
        )
    body = node.value
    allowed = {"values", "unit", "description", "reference", "label"}
    for key, sub in body.items():
        if key not in allowed:
            raise RuleError(
                f"unknown key {key!r} in parameter {name}",
                where=sub.where,
                code="microsim.bad-structure",
                hint=f"Parameter keys are: {', '.join(sorted(allowed))}.",
            )
    unit_node = body.get("unit")
    if unit_node is None:
        raise RuleError(
            f"parameter {name} has no unit",
            where=node.where,
            code="microsim.missing-unit",
            hint="Add unit: LCU/year, LCU/month, years, 1 (rates and shares) or bool.",
        )
    try:
        unit = parse_unit(unit_node.value)
    except ValueError as exc:
        raise RuleError(
            str(exc),
            where=unit_node.where,
            code="microsim.bad-unit",
            hint="Write e.g. LCU/year, LCU/month, years, 1 or bool.",
        ) from None
    values_node = body.get("values")
    if values_node is None or not isinstance(values_node.value, dict) or not values_node.value:
        raise RuleError(
            f"parameter {name} has no dated values",
            where=(values_node or node).where,
            code="microsim.bad-parameter",
            hint="Add values: {2025-01-01: 500} (a value in force from each date).",
        )
    values = sorted(
        (_date(k, v.where, name), _number(v, name)) for k, v in values_node.value.items()
    )
    desc = body.get("description")
    ref = body.get("reference")
    return Parameter(
        name,
        tuple(values),
        unit,
        str(unit_node.value),
        str(desc.value) if desc else "",
        str(ref.value) if ref else "",
        node.where,
    )


@dataclass(frozen=True)
class ParameterSet:
    """All parameters of a rule set, by dotted name."""

    items: Mapping[str, Parameter] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.items

    def __getitem__(self, name: str) -> Parameter:
        return self.items[name]

    def names(self) -> Iterable[str]:
        return self.items.keys()

    def values_at(self, period: int | str | dt.date) -> dict[str, Value]:
        """Every parameter's value at ``period`` (what the evaluators receive)."""
        return {k: p.at(period) for k, p in self.items.items()}

    def to_records(self) -> list[dict[str, Any]]:
        """One row per parameter and start date (for documentation and export)."""
        rows: list[dict[str, Any]] = []
        for p in self.items.values():
            for start, value in p.values:
                rows.append(
                    {
                        "parameter": p.name,
                        "from": start.isoformat(),
                        "value": value,
                        "unit": p.unit_text,
                        "description": p.description,
                        "reference": p.reference,
                    }
                )
        return rows
