"""The in-memory facet columns follow every commit, and never keep a rolled-back state."""

from __future__ import annotations

from typing import Any

import pytest

from socialcover.knowledge import create_practice, publish_practice, search
from socialcover.store import SystemActor, create_user, session_scope

ADMIN = SystemActor("test")
DOC: dict[str, Any] = {
    "title": "Zanzibar universal pension",
    "country_iso3": "TZA",
    "guarantee": "old_age",
    "mechanism": "universal pension",
    "summary": "A universal pension for residents aged 70 and over.",
    "assessment": "good",
}


def test_new_edited_and_rolled_back_records(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        reviewer = create_user(s, ADMIN, "r@example.org", "long passphrase", "reviewer")
    with session_scope(write=False) as s:
        assert search(s, None, "zanzibar").total == 0
    with session_scope(reviewer) as s:
        pid = create_practice(s, reviewer, DOC).id
        publish_practice(s, reviewer, pid)
    with session_scope(write=False) as s:
        found = search(s, None, "zanzibar")
        assert found.total == 1 and found.facets["country"][0].value == "TZA"
    with pytest.raises(RuntimeError), session_scope(reviewer) as s:
        other = create_practice(s, reviewer, DOC | {"country_iso3": "KEN"})
        publish_practice(s, reviewer, other.id)
        inside = search(s, None, "zanzibar")  # sees its own uncommitted write
        assert inside.total == 2
        raise RuntimeError("roll back")
    with session_scope(write=False) as s:
        after = search(s, None, "zanzibar")
        assert after.total == 1
        assert [f.value for f in after.facets["country"]] == ["TZA"]
    with session_scope(reviewer) as s:
        from socialcover.knowledge import update_practice

        update_practice(s, reviewer, pid, {"country_iso3": "KEN"})
    with session_scope(write=False) as s:
        assert [f.value for f in search(s, None, "zanzibar").facets["country"]] == ["KEN"]
