"""docs/platform-data.md documents every permission, error code and command of this part."""

from __future__ import annotations

import re
from pathlib import Path

from socialcover.cli import admin, db
from socialcover.store import PERMISSIONS, Role

DOC = (Path(__file__).resolve().parents[2] / "docs" / "platform-data.md").read_text()
SRC = Path(__file__).resolve().parents[2] / "src" / "socialcover"


def test_the_permissions_table_in_the_docs_is_the_one_in_the_code() -> None:
    roles = [Role.READER, Role.CONTRIBUTOR, Role.REVIEWER, Role.ADMINISTRATOR]
    for action, allowed in PERMISSIONS.items():
        row = f"| `{action}` | " + " | ".join("yes" if r in allowed else "" for r in roles) + " |"
        assert row in DOC, f"docs/platform-data.md: missing or wrong row for {action}"


def test_every_error_code_raised_here_is_documented() -> None:
    codes: set[str] = set()
    for pkg in ("store", "knowledge", "actors"):
        for path in (SRC / pkg).rglob("*.py"):
            text = path.read_text()
            codes |= set(re.findall(r'code="([a-z]+\.[a-z-]+)"', text))
            codes |= set(re.findall(r'default_code = "([a-z]+\.[a-z-]+)"', text))
    missing = sorted(c for c in codes if f"`{c}`" not in DOC)
    assert not missing, f"undocumented error codes: {missing}"


def test_every_db_and_admin_command_is_mentioned() -> None:
    for app, group in ((db.app, "db"), (admin.app, "admin")):
        for command in app.registered_commands:
            name = command.name or ""
            assert f"socialcover {group} {name}" in DOC, (
                f"socialcover {group} {name} is not in docs/platform-data.md"
            )
