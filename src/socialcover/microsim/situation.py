"""Situation tests: small households with expected benefits, written by analysts in YAML.

The format follows OpenFisca's and PolicyEngine's YAML tests::

    rules: ../social_pension.yaml        # relative to this file
    tests:
      - name: A woman of 70 with no pension gets the full social pension
        period: 2025
        persons:
          - {age: 70, sex: female, welfare: 9000}
        expected:
          social_pension: [14400]        # one value per person, or one value for all
        tolerance: 0.01                  # absolute, in the output's unit (default 0.01)
      - name: a reform applies too
        period: 2025
        reform: {parameters: {social_pension.age: 60}}
        households:                      # several households: id -> persons
          h1: [{age: 61}, {age: 30}]
        expected:
          social_pension: [14400, 0]

A file may also be a plain list of tests, each naming its ``rules``. Inputs a person omits take
the input's ``default`` or else 0 (numbers), false (flags) or "" (codes), as OpenFisca does.
``expected`` may name programmes, ``<programme>_eligible``, derived variables,
``benefits`` (household total of all programmes) and ``disposable_income`` (per person).
Tests run through :func:`~socialcover.microsim.execution.run_rules` on the array program and,
unless ``engines`` says otherwise, on DuckDB too (``engines: [arrays, duckdb]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from socialcover.microsim._errors import Location, RuleError
from socialcover.microsim.execution import run_rules
from socialcover.microsim.reform import Reform
from socialcover.microsim.rules import RuleSet, load_rules
from socialcover.microsim.source import Node, load_yaml

__all__ = ["Situation", "SituationOutcome", "collect_situations", "run_situation"]

_TEST_KEYS = {
    "name",
    "period",
    "rules",
    "reform",
    "persons",
    "households",
    "expected",
    "tolerance",
    "engines",
    "description",
}


@dataclass(frozen=True)
class Situation:
    """One situation test, as read from its file."""

    name: str
    period: str
    rules_path: Path
    persons: list[dict[str, Any]]
    expected: dict[str, Node]
    tolerance: float
    where: Location
    reform: Node | None = None
    engines: tuple[str, ...] = ("arrays", "duckdb")

    @property
    def id(self) -> str:
        return f"{Path(self.where.file).name}:{self.where.line}:{self.name}"


@dataclass
class SituationOutcome:
    """The result of running one :class:`Situation`."""

    situation: Situation
    failures: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        return not self.failures and self.error is None


def _scalar(node: Node | None, default: Any) -> Any:
    return default if node is None else node.value


def _situation(node: Node, default_rules: Path | None, base_dir: Path) -> Situation:
    body = node.expect_mapping("a situation test")
    for key, sub in body.items():
        if key not in _TEST_KEYS:
            raise RuleError(
                f"unknown key {key!r} in a situation test",
                where=sub.where,
                code="microsim.bad-situation",
                hint=f"Keys: {', '.join(sorted(_TEST_KEYS))}.",
            )
    name = str(_scalar(body.get("name"), f"test at line {node.where.line}"))
    rules_node = body.get("rules")
    rules_path = (base_dir / str(rules_node.value)) if rules_node else default_rules
    if rules_path is None:
        raise RuleError(
            f"situation {name!r} names no rules file",
            where=node.where,
            code="microsim.bad-situation",
            hint="Add rules: path/to/rules.yaml (at the top of the file or in the "
            "test), or pass --rules.",
        )
    if "period" not in body:
        raise RuleError(
            f"situation {name!r} has no period",
            where=node.where,
            code="microsim.bad-situation",
            hint="Add period: 2025.",
        )
    persons: list[dict[str, Any]] = []
    if "persons" in body:
        plist = body["persons"].plain()
        if not isinstance(plist, list) or not all(isinstance(p, dict) for p in plist):
            raise RuleError(
                "persons: must be a list of mappings",
                where=body["persons"].where,
                code="microsim.bad-situation",
                hint="Write persons: [{age: 70}, {age: 68}].",
            )
        persons = [{"hh_id": "h1", **p} for p in plist]
    elif "households" in body:
        for hh, members in body["households"].expect_mapping("households").items():
            plist = members.plain()
            if not isinstance(plist, list) or not all(isinstance(p, dict) for p in plist):
                raise RuleError(
                    f"household {hh} must be a list of persons",
                    where=members.where,
                    code="microsim.bad-situation",
                    hint="Write h1: [{age: 30}, {age: 3}].",
                )
            persons += [{"hh_id": hh, **p} for p in plist]
    if not persons:
        raise RuleError(
            f"situation {name!r} has no persons",
            where=node.where,
            code="microsim.bad-situation",
            hint="Add persons: [...] or households: {h1: [...]}.",
        )
    expected = body.get("expected")
    if expected is None:
        raise RuleError(
            f"situation {name!r} expects nothing",
            where=node.where,
            code="microsim.bad-situation",
            hint="Add expected: {programme_name: value}.",
        )
    engines = body.get("engines")
    chosen = tuple(engines.plain()) if engines else ("arrays", "duckdb")
    if engines and (not chosen or any(e not in ("arrays", "duckdb") for e in chosen)):
        raise RuleError(
            f"situation {name!r} names engines {list(chosen)!r}",
            where=engines.where,
            code="microsim.bad-situation",
            hint="Use engines: [arrays, duckdb] (or one of them).",
        )
    return Situation(
        name=name,
        period=str(body["period"].value),
        rules_path=rules_path,
        persons=persons,
        expected=expected.expect_mapping("expected"),
        tolerance=float(_scalar(body.get("tolerance"), 0.01)),
        where=node.where,
        reform=body.get("reform"),
        engines=chosen,
    )


def collect_situations(
    paths: Iterable[str | Path], *, rules: str | Path | None = None
) -> list[Situation]:
    """Every situation test in ``paths`` (files, or folders searched for ``*.yaml``)."""
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        files += sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    out: list[Situation] = []
    for file in files:
        root = load_yaml(file)
        default_rules = Path(rules) if rules else None
        items: Sequence[Node]
        if isinstance(root.value, list):
            items = root.value
        else:
            body = root.expect_mapping("a situation file")
            if "rules" in body and default_rules is None:
                default_rules = file.parent / str(body["rules"].value)
            tests = body.get("tests")
            if tests is None or not isinstance(tests.value, list):
                raise RuleError(
                    "a situation file needs tests: (a list)",
                    where=root.where,
                    code="microsim.bad-situation",
                    hint="Write tests: followed by '- name: ...' items.",
                )
            items = tests.value
        out += [_situation(item, default_rules, file.parent) for item in items]
    return out


def _population(rules: RuleSet, persons: list[dict[str, Any]]) -> dict[str, Any]:
    hh_codes = {h: i for i, h in enumerate(dict.fromkeys(str(p["hh_id"]) for p in persons))}
    data: dict[str, Any] = {"hh_id": np.array([hh_codes[str(p["hh_id"])] for p in persons])}
    for name, spec in rules.inputs.items():
        given = [p.get(name) for p in persons]
        if spec.unit.kind == "category":
            data[name] = np.array(["" if v is None else str(v) for v in given], dtype=object)
        elif spec.unit.kind == "bool":
            data[name] = np.array([bool(v) for v in given])
        else:
            fill = spec.default if spec.default is not None else 0.0
            data[name] = np.array([fill if v is None else float(v) for v in given])
    return data


def _outputs(rules: RuleSet, data: dict[str, Any], period: str, engine: str) -> dict[str, Any]:
    names = [s.name for s in rules.steps]
    frame = run_rules(rules, data, period, outputs=names, spread=True, backend=engine).persons
    return {c: frame[c].to_numpy() for c in frame.columns}


def run_situation(situation: Situation) -> SituationOutcome:
    """Run one situation test on each of its engines and compare with ``expected``."""
    outcome = SituationOutcome(situation)
    try:
        rules = load_rules(situation.rules_path)
        if situation.reform is not None:
            reform_node = situation.reform
            if isinstance(reform_node.value, str):
                reform = Reform.from_yaml(Path(situation.where.file).parent / reform_node.value)
            else:
                reform = Reform.from_node(reform_node)
            rules = reform.apply(rules)
        data = _population(rules, situation.persons)
        for engine in situation.engines:
            got = _outputs(rules, data, situation.period, engine)
            for name, node in situation.expected.items():
                if name not in got:
                    raise RuleError(
                        f"expected output {name!r} is not computed by the rules",
                        where=node.where,
                        code="microsim.bad-situation",
                        hint=f"Outputs: {', '.join(sorted(got))}.",
                    )
                outcome.failures += _compare(name, node, got[name], situation.tolerance, engine)
    except RuleError as exc:
        outcome.error = f"{exc.message} {exc.hint}".strip()
    return outcome


def _compare(name: str, node: Node, got: Any, tol: float, engine: str) -> list[str]:
    want = node.plain()
    values = np.asarray(got)
    wants = np.asarray(want if isinstance(want, list) else [want] * len(values))
    if len(wants) != len(values):
        return [
            f"{node.where}: {name}: expected {len(wants)} values (one per person), the "
            f"situation has {len(values)} persons"
        ]
    if values.dtype == bool or wants.dtype == bool:
        ok = np.array_equal(values.astype(bool), wants.astype(bool))
    else:
        ok = bool(np.all(np.abs(values.astype(float) - wants.astype(float)) <= tol))
    if ok:
        return []
    shown = [round(float(v), 4) if values.dtype != bool else bool(v) for v in values]
    return [f"{node.where}: {name} [{engine}]: expected {want!r}, got {shown} (tolerance {tol})"]
