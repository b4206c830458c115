"""The one permissions table: every action has roles, and `can` reads only that table."""

from __future__ import annotations

import pytest

from socialcover.store import ACTIONS, PERMISSIONS, PermissionDeniedError, Role, can, require


def test_every_action_names_known_roles_and_administrators_may_do_everything() -> None:
    for action, roles in PERMISSIONS.items():
        assert roles, action
        assert all(isinstance(r, Role) for r in roles)
        assert Role.ADMINISTRATOR in roles, action


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [*Role, None])
def test_can_follows_the_table(role: Role | None, action: str) -> None:
    expected = (role or Role.READER) in PERMISSIONS[action]
    assert can(role, action) is expected


def test_readers_only_read_and_contributors_cannot_publish() -> None:
    reader_actions = {a for a in ACTIONS if can(None, a)}
    assert reader_actions == {
        "practice.read_published",
        "publication.read_published",
        "actor.read",
        "search.read",
    }
    assert not can("contributor", "practice.publish")
    assert can("reviewer", "practice.publish")
    assert not can("reviewer", "user.manage")


def test_unknown_action_and_role() -> None:
    with pytest.raises(KeyError, match="Unknown action"):
        can("reviewer", "practice.fly")
    assert can("superuser", "practice.read_published") is False


def test_require_says_which_roles_are_needed() -> None:
    with pytest.raises(PermissionDeniedError) as info:
        require("contributor", "record.revert")
    assert info.value.code == "auth.forbidden"
    assert "administrator, reviewer" in info.value.hint
