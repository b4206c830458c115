"""The one permissions table: every action has roles, and `can` reads only that table."""

from __future__ import annotations

import pytest

from socialcover.store import ACTIONS, PERMISSIONS, PermissionDeniedError, Role, can, require


def test_each_action_is_allowed_from_one_role_upwards() -> None:
    # Roles only add rights (reader < contributor < reviewer < administrator), so an
    # administrator may do everything and no action skips a role in between.
    order = list(Role)
    for action, roles in PERMISSIONS.items():
        assert roles, action
        lowest = min(order.index(r) for r in roles)
        assert roles == set(order[lowest:]), action


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
        "monitor.read_approved",
        "evaluation.read_published",
        "event.read_published",
        # the one thing a reader writes: a registration for a published, open event
        "event.register",
        "press.read_published",
        "statement.read_published",
        "scenario.read_published",
        "engagement.read_published",
        "training.read",
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
