"""Contributors draft, reviewers publish or return; only published practices are public."""

from __future__ import annotations

from typing import Any

import pytest

from socialcover.knowledge import (
    create_practice,
    get_practice,
    list_practices,
    publish_practice,
    return_practice,
    submit_practice,
    update_practice,
)
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    User,
    ValidationError,
    create_user,
    history,
    session_scope,
)

ADMIN = SystemActor("test")

DRAFT: dict[str, Any] = {
    "title": "Demoland: universal old-age pension",
    "country_iso3": "xdm",
    "region": "Africa",
    "guarantee": "old_age",
    "mechanism": "universal pension",
    "target_groups": ["older persons", "informal economy workers"],
    "period_start": 2010,
    "summary": "A tax-financed flat pension for everyone aged 70 and over.",
    "assessment": "good",
    "sources": [{"title": "Demoland pension review", "publisher": "Ministry", "year": 2015}],
}


def _people() -> tuple[User, User, User]:
    with session_scope(ADMIN) as s:
        return (
            create_user(s, ADMIN, "author@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "other@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "reviewer@example.org", "long passphrase", "reviewer"),
        )


def test_the_whole_workflow_is_audited_step_by_step(db_url: str) -> None:
    author, other, reviewer = _people()
    with session_scope(author) as s:
        pid = create_practice(s, author, DRAFT).id
    with session_scope(write=False) as s:
        with pytest.raises(RecordNotFoundError):
            get_practice(s, None, pid)
        with pytest.raises(RecordNotFoundError):
            get_practice(s, other, pid)
        assert list_practices(s, None) == []
        assert [p.id for p in list_practices(s, author, mine=True)] == [pid]
    with session_scope(author) as s:
        submit_practice(s, author, pid)
    with session_scope(author) as s, pytest.raises(PermissionDeniedError):
        publish_practice(s, author, pid)
    with session_scope(reviewer) as s, pytest.raises(ValidationError, match="needs a comment"):
        return_practice(s, reviewer, pid, "  ")
    with session_scope(reviewer) as s:
        return_practice(s, reviewer, pid, "Add the coverage rate and its source.")
    with session_scope(author) as s:
        p = update_practice(s, author, pid, {"results": "Coverage reached 95% of people 70+."})
        assert p.status == "returned" and p.review_comment.startswith("Add the coverage")
        submit_practice(s, author, pid)
    with session_scope(reviewer) as s:
        publish_practice(s, reviewer, pid, "Thanks.")
    with session_scope(write=False) as s:
        public = get_practice(s, None, pid)
        assert public.status == "published" and public.reviewed_by_id == reviewer.id
        assert public.country_iso3 == "XDM"
        steps = [(h.action, h.actor) for h in history(s, "practices", pid)]
    assert steps == [
        ("practice.create", "author@example.org"),
        ("practice.submit", "author@example.org"),
        ("practice.return", "reviewer@example.org"),
        ("practice.update", "author@example.org"),
        ("practice.submit", "author@example.org"),
        ("practice.publish", "reviewer@example.org"),
    ]


def test_contributors_cannot_edit_others_or_published_practices(db_url: str) -> None:
    author, other, reviewer = _people()
    with session_scope(author) as s:
        pid = create_practice(s, author, DRAFT).id
    with session_scope(reviewer) as s:
        publish_practice(s, reviewer, pid)
    with session_scope(author) as s, pytest.raises(PermissionDeniedError, match="only your own"):
        update_practice(s, author, pid, {"title": "Changed after publication"})
    with session_scope(other) as s, pytest.raises(PermissionDeniedError):
        update_practice(s, other, pid, {"title": "Not mine"})
    with session_scope(reviewer) as s:
        assert update_practice(s, reviewer, pid, {"lessons": "Keep it simple."}).version == 3


def test_invalid_practices_are_refused_with_every_bad_field_named(db_url: str) -> None:
    author, _, _ = _people()
    bad = DRAFT | {"country_iso3": "Kenya", "assessment": "great", "period_end": 1900}
    with session_scope(author) as s, pytest.raises(ValidationError) as info:
        create_practice(s, author, bad)
    assert {"country_iso3", "assessment"} <= set(info.value.context["fields"])
    with session_scope(author) as s, pytest.raises(ValidationError, match="url"):
        create_practice(s, author, DRAFT | {"sources": [{"title": "x y z", "url": "ftp://a"}]})
    with session_scope(author) as s, pytest.raises(PermissionDeniedError):
        create_practice(s, None, DRAFT)


def test_stale_edits_are_refused(db_url: str) -> None:
    author, _, _ = _people()
    with session_scope(author) as s:
        pid = create_practice(s, author, DRAFT).id
    with session_scope(author) as s:
        update_practice(s, author, pid, {"lessons": "one"}, expected_version=1)
    with session_scope(author) as s, pytest.raises(ConflictError, match="version 2"):
        update_practice(s, author, pid, {"lessons": "two"}, expected_version=1)
