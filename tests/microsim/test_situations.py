"""Situation tests shipped with the docs run under pytest, one test per situation."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcover.microsim.situation import collect_situations, run_situation

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples" / "microsim"
SITUATIONS = collect_situations(sorted((EXAMPLES / "tests").glob("*.yaml")))


@pytest.mark.parametrize("situation", SITUATIONS, ids=[s.id for s in SITUATIONS])
def test_documented_situation(situation) -> None:  # type: ignore[no-untyped-def]
    outcome = run_situation(situation)
    assert outcome.error is None, outcome.error
    assert outcome.passed, "\n".join(outcome.failures)


def test_every_example_programme_has_situation_tests() -> None:
    tested = {s.rules_path.resolve() for s in SITUATIONS}
    for rules in EXAMPLES.glob("*.yaml"):
        if rules.name.startswith("reform_") or rules.name.startswith("scheme_"):
            continue
        if "programmes:" in rules.read_text():
            assert rules.resolve() in tested, f"{rules.name} has no situation tests"


def test_a_wrong_expectation_fails_with_its_line(tmp_path: Path) -> None:
    case = tmp_path / "wrong.yaml"
    case.write_text(
        f"rules: {EXAMPLES / 'universal_child_benefit.yaml'}\n"
        "tests:\n"
        "  - name: wrong on purpose\n"
        "    period: 2025\n"
        "    persons: [{age: 3}, {age: 30}]\n"
        "    expected:\n"
        "      child_benefit: [1000, 0]\n"
    )
    (situation,) = collect_situations([case])
    outcome = run_situation(situation)
    assert not outcome.passed
    assert len(outcome.failures) == 2  # numpy and duckdb each report it
    assert f"{case}:7:" in outcome.failures[0]
    assert "expected [1000, 0], got [1200.0, 0.0]" in outcome.failures[0]


def test_an_unknown_output_is_an_error(tmp_path: Path) -> None:
    case = tmp_path / "unknown.yaml"
    case.write_text(
        f"rules: {EXAMPLES / 'universal_child_benefit.yaml'}\n"
        "tests:\n"
        "  - name: typo\n"
        "    period: 2025\n"
        "    persons: [{age: 3}]\n"
        "    expected: {child_benefits: 1200}\n"
    )
    outcome = run_situation(collect_situations([case])[0])
    assert outcome.error is not None and "child_benefits" in outcome.error
