"""Design-based estimation has one home: the survey package, reached through its public names.

Indicators and microsimulation used to carry their own bound designs and Gini estimators,
reaching into the survey package's modules; they now call what ``socialcover.survey`` exports.
This test keeps it so: outside ``survey``, code imports only from the public packages
``socialcover.survey`` and ``socialcover.survey.io``, never a private name, and the linearised
Gini is defined once.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import socialcover

SRC = Path(socialcover.__file__).parent
PUBLIC = {"socialcover.survey", "socialcover.survey.io"}


def _outside_survey() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if "survey" not in p.relative_to(SRC).parts[:1]]


def test_only_public_survey_names_are_used_outside_the_package() -> None:
    bad = []
    for path in _outside_survey():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(SRC.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "socialcover.survey"
            ):
                if node.module not in PUBLIC:
                    bad.append(f"{where}: from {node.module} import ...")
                bad += [
                    f"{where}: {a.name} is private" for a in node.names if a.name.startswith("_")
                ]
            elif isinstance(node, ast.Import):
                bad += [
                    f"{where}: import {a.name}"
                    for a in node.names
                    if a.name.startswith("socialcover.survey") and a.name not in PUBLIC
                ]
    assert not bad, "Use names exported by socialcover.survey (or .io):\n" + "\n".join(bad)


def test_the_linearised_gini_is_defined_once() -> None:
    definition = re.compile(r"^\s*def (gini\w*)\(", re.MULTILINE)
    found = [
        f"{path.relative_to(SRC.parent)}: {name}"
        for path in sorted(SRC.rglob("*.py"))
        for name in definition.findall(path.read_text(encoding="utf-8"))
    ]
    assert found == [
        "socialcover/survey/gini.py: gini_linearised",
        "socialcover/survey/gini.py: gini_unit_totals",
    ], found
