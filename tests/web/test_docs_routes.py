"""docs/web.md lists every route of the app with the action it needs, as the app declares it."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI

from socialcover.web.access import route_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def test_every_route_is_documented_with_its_action(app: FastAPI) -> None:
    documented = set(
        re.findall(r"^\| ([A-Z ]+) \| `([^`]+)` \| ([\w. ]+) \|$", DOC.read_text(), re.M)
    )
    actual = set()
    for path, methods, needs, is_api in route_table(app):
        if is_api:
            action = needs[0].action or ("signed in" if needs[0].signed_in else "public")
            actual.add((" ".join(sorted(methods)), path, action))
    assert actual == documented, {"undocumented": actual - documented, "stale": documented - actual}
