"""Every write is audited with before/after; history lists versions; revert is an audited write."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from socialcover.store import (
    AuditEntry,
    ConflictError,
    Organisation,
    PermissionDeniedError,
    SystemActor,
    User,
    ValidationError,
    create_user,
    flush_audited,
    history,
    recent_activity,
    revert,
    session_scope,
)

ADMIN = SystemActor("test-admin")


def _org() -> int:
    with session_scope(ADMIN) as s:
        org = Organisation(name="Caisse nationale", actor_type="social_security_institution")
        s.add(org)
        s.flush()
        return org.id


def test_create_and_update_leave_versions_with_before_and_after(db_url: str) -> None:
    oid = _org()
    with session_scope(ADMIN) as s:
        org = s.get(Organisation, oid)
        assert org is not None and org.version == 1
        org.description = "Pays pensions"
    with session_scope(write=False) as s:
        entries = history(s, "organisations", oid)
    assert [(e.action, e.version, e.actor) for e in entries] == [
        ("create", 1, "test-admin"),
        ("update", 2, "test-admin"),
    ]
    assert entries[0].before is None and entries[0].after is not None
    assert entries[1].before is not None and entries[1].before["description"] == ""
    assert entries[1].after is not None and entries[1].after["description"] == "Pays pensions"
    assert "description" in entries[1].changed_fields()


def test_revert_restores_an_old_version_as_a_new_audited_version(db_url: str) -> None:
    oid = _org()
    for text in ("first", "second"):
        with session_scope(ADMIN) as s:
            org = s.get(Organisation, oid)
            assert org is not None
            org.description = text
    with session_scope(ADMIN) as s:
        revert(s, ADMIN, "organisations", oid, 2, comment="undo vandalism")
    with session_scope(write=False) as s:
        org = s.get(Organisation, oid)
        assert org is not None and org.description == "first" and org.version == 4
        last = history(s, "organisations", oid)[-1]
    assert (last.action, last.version, last.comment) == ("revert", 4, "undo vandalism")
    with session_scope(ADMIN) as s, pytest.raises(ValidationError, match="no version 9"):
        revert(s, ADMIN, "organisations", oid, 9)


def test_contributors_cannot_revert_or_read_the_log(db_url: str) -> None:
    oid = _org()
    with session_scope(ADMIN) as s:
        user = create_user(s, ADMIN, "c@example.org", "long enough pw", "contributor")
        with pytest.raises(PermissionDeniedError):
            revert(s, user, "organisations", oid, 1)
        with pytest.raises(PermissionDeniedError):
            recent_activity(s, user)
        assert recent_activity(s, ADMIN, entity_type="organisations")[0].entity_id == oid


def test_a_failed_transaction_leaves_neither_record_nor_audit_row(db_url: str) -> None:
    with pytest.raises(RuntimeError), session_scope(ADMIN) as s:
        s.add(Organisation(name="Half written", actor_type="university"))
        s.flush()
        raise RuntimeError("crash before commit")
    with session_scope(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Organisation)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_concurrent_edit_of_the_same_version_is_refused(db_url: str) -> None:
    oid = _org()
    with pytest.raises(ConflictError) as info, session_scope(ADMIN, write=False) as first:
        stale = first.get(Organisation, oid)
        assert stale is not None
        with session_scope(ADMIN, write=False) as second:
            fresh = second.get(Organisation, oid)
            assert fresh is not None
            fresh.description = "second editor wins the race"
        stale.description = "first editor, too late"
    # PostgreSQL: the version check finds the row changed; SQLite: the snapshot is stale.
    assert info.value.code in {"store.stale", "store.busy"}
    with session_scope(write=False) as s:
        org = s.get(Organisation, oid)
        assert org is not None and org.description == "second editor wins the race"


def test_secrets_never_reach_the_audit_log(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        user = create_user(s, ADMIN, "s@example.org", "secret passphrase", "reviewer")
        user.password_hash = "changed-hash"
    with session_scope(write=False) as s:
        for row in s.scalars(select(AuditEntry)):
            assert "hash" not in str(row.before) + str(row.after)
        assert s.scalars(select(User)).one().version == 2


def test_flush_audited_names_the_writes_it_flushes_and_only_those(db_url: str) -> None:
    oid = _org()
    with session_scope(ADMIN) as s:
        org = s.get(Organisation, oid)
        assert org is not None
        org.description = "flushed before the call"
        s.flush()
        org.website = "https://example.org"
        flush_audited(s, "actor.update", "a reason")
        assert "audit_action" not in s.info
    with session_scope(write=False) as s:
        rows = history(s, "organisations", oid)
    assert [(r.action, r.comment) for r in rows] == [
        ("create", ""),
        ("update", ""),
        ("actor.update", "a reason"),
    ]
