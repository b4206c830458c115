"""Reforms: validated completely before applying, never leaking into the baseline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcover.microsim import RuleError, load_rules, run_rules
from socialcover.microsim.reference import evaluate_reference
from socialcover.microsim.reform import Reform

from .populations import random_population

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "microsim"
RULE_FILES = sorted(p for p in EXAMPLES.glob("*.yaml") if "programmes:" in p.read_text())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40), which=st.integers(0, 100))
def test_empty_reform_reproduces_baseline_exactly(seed: int, n: int, which: int) -> None:
    rules = load_rules(RULE_FILES[which % len(RULE_FILES)])
    df = random_population(n, seed)
    for empty in (Reform.from_dict({}), Reform.from_dict(None), Reform.from_yaml(text="")):
        reformed = empty.apply(rules)
        names = [s.name for s in rules.steps]
        base = run_rules(rules, df, 2025, outputs=names, keep=["hh_id"], spread=True).persons
        same = run_rules(reformed, df, 2025, outputs=names, keep=["hh_id"], spread=True).persons
        assert base.equals(same)


def test_parameter_reform_changes_only_the_reform() -> None:
    rules = load_rules(EXAMPLES / "universal_child_benefit.yaml")
    reform = Reform.from_dict({"parameters": {"child_benefit.amount": 200}})
    reformed = reform.apply(rules)
    assert reformed.parameters["child_benefit.amount"].at(2025) == 200
    assert rules.parameters["child_benefit.amount"].at(2025) == 100  # baseline untouched
    assert rules.parameters["child_benefit.amount"].at(2026) == 110
    assert reformed.parameters["child_benefit.amount"].at(2026) == 200
    kids = {
        "hh_id": np.array([1, 1]),
        "age": np.array([3.0, 40.0]),
        "welfare": np.array([1.0, 1.0]),
    }
    assert evaluate_reference(reformed, kids, 2025)["child_benefit"].tolist() == [2400, 0]
    assert evaluate_reference(rules, kids, 2025)["child_benefit"].tolist() == [1200, 0]


def test_dated_parameter_change_keeps_earlier_values() -> None:
    rules = load_rules(EXAMPLES / "universal_child_benefit.yaml")
    reformed = Reform.from_dict(
        {"parameters": {"child_benefit.amount": {"2027-01-01": 150}}}
    ).apply(rules)
    p = reformed.parameters["child_benefit.amount"]
    assert (p.at(2025), p.at(2026), p.at(2027)) == (100, 110, 150)


def test_rule_reform_adds_changes_and_removes_programmes() -> None:
    rules = load_rules(EXAMPLES / "means_tested_transfer.yaml")
    reform = Reform.from_yaml(
        text="""
name: restructure
parameters:
  top_up.amount: {unit: LCU/year, values: {2020-01-01: 500}}
programmes:
  child_grant: null
  cash_transfer:
    means_test: {income: household_income, withdrawal_rate: 0.25}
  elderly_top_up:
    entity: person
    eligibility: age >= 80
    amount: p.top_up.amount
"""
    )
    new = reform.apply(rules)
    assert set(new.programmes) == {"cash_transfer", "elderly_top_up"}
    assert set(rules.programmes) == {"child_grant", "cash_transfer"}


BAD_REFORMS = {
    "unknown parameter": (
        "parameters:\n  child_benefit.amout: 5\n",
        2,
        "microsim.unknown-parameter",
        "Did you mean",
    ),
    "bad expression": (
        "programmes:\n  child_benefit:\n    eligibility: age <\n",
        3,
        "microsim.syntax",
        "Python expression",
    ),
    "unit mismatch": (
        "programmes:\n  child_benefit:\n    amount: p.child_benefit.amount\n",
        3,
        "microsim.unit-mismatch",
        "annual(",
    ),
    "unknown key": (
        "programmes:\n  child_benefit:\n    eligibilty: age < 5\n",
        3,
        "microsim.bad-reform",
        "Did you mean 'eligibility'",
    ),
    "remove unknown": ("programmes:\n  nothing_here: null\n", 2, "microsim.bad-reform", "Known"),
    "bad value": (
        "parameters:\n  child_benefit.amount: lots\n",
        2,
        "microsim.bad-parameter",
        "number",
    ),
}


@pytest.mark.parametrize("case", list(BAD_REFORMS), ids=list(BAD_REFORMS))
def test_bad_reform_fails_whole_with_its_line(case: str, tmp_path: Path) -> None:
    text, line, code, hint = BAD_REFORMS[case]
    path = tmp_path / "reform.yaml"
    path.write_text(text)
    rules = load_rules(EXAMPLES / "universal_child_benefit.yaml")
    before = rules.parameters.values_at(2025)
    with pytest.raises(RuleError) as info:
        Reform.from_yaml(path).apply(rules)
    assert info.value.code == code
    assert info.value.where.file == str(path)
    assert info.value.where.line == line
    assert hint in info.value.hint
    assert rules.parameters.values_at(2025) == before


def test_half_bad_reform_applies_nothing() -> None:
    rules = load_rules(EXAMPLES / "universal_child_benefit.yaml")
    reform = Reform.from_dict({"parameters": {"child_benefit.amount": 999, "no.such": 1}})
    with pytest.raises(RuleError):
        reform.apply(rules)
    assert rules.parameters["child_benefit.amount"].at(2025) == 100
