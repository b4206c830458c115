"""One workflow, every reviewed record type: the same rules hold for each of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from socialcover.actors import ORGANISATIONS
from socialcover.advocacy import EVENTS
from socialcover.knowledge import PRACTICES, PUBLICATIONS
from socialcover.monitor import EVALUATIONS
from socialcover.store import (
    SCENARIOS,
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    User,
    ValidationError,
    Workflow,
    create_user,
    history,
    session_scope,
)

ADMIN = SystemActor("test")


@dataclass(frozen=True)
class Kind:
    workflow: Workflow[Any]
    data: dict[str, Any]
    change: dict[str, Any]


KINDS = {
    "event": Kind(
        EVENTS,
        {
            "kind": "validation_workshop",
            "title": "Validation of the assessment-based national dialogue report",
            "starts_at": "2027-05-12T09:00",
            "ends_at": "2027-05-12T17:00",
            "timezone": "Africa/Nairobi",
        },
        {"outcomes": "The report was validated with three amendments."},
    ),
    "evaluation": Kind(
        EVALUATIONS,
        {
            "title": "Final evaluation of the campaign",
            "subject_type": "campaign",
            "evaluation_type": "final",
            "started_on": "2025-01-15",
        },
        {"findings": "Three countries adopted a national strategy."},
    ),
    "practice": Kind(
        PRACTICES,
        {
            "title": "Demoland: universal old-age pension",
            "country_iso3": "XDM",
            "region": "Africa",
            "guarantee": "old_age",
            "mechanism": "universal pension",
            "summary": "A tax-financed flat pension for everyone aged 70 and over.",
            "assessment": "good",
        },
        {"lessons": "Keep it simple."},
    ),
    "scenario": Kind(
        SCENARIOS,
        {
            "name": "Demoland pension",
            "document": {
                "country": "XDM",
                "horizon": 2030,
                "benefits": [
                    {
                        "name": "pension",
                        "eligibility": {"ages": [65, 100]},
                        "level": {"pct_of_gdp_per_capita": 20},
                    }
                ],
            },
        },
        {"description": "A flat pension from 65."},
    ),
    "publication": Kind(
        PUBLICATIONS,
        {"title": "Extending coverage to informal workers", "kind": "guide", "year": 2021},
        {"abstract": "How to reach own-account workers."},
    ),
    "organisation": Kind(
        ORGANISATIONS,
        {"name": "Demoland Social Security Fund", "actor_type": "social_security_institution"},
        {"description": "The national pension fund."},
    ),
}


@pytest.fixture(params=sorted(KINDS))
def kind(request: pytest.FixtureRequest) -> Kind:
    return KINDS[request.param]


def _people() -> tuple[User, User, User]:
    with session_scope(ADMIN) as s:
        return (
            create_user(s, ADMIN, "author@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "other@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "reviewer@example.org", "long passphrase", "reviewer"),
        )


def _stateful(wf: Workflow[Any]) -> bool:
    return hasattr(wf.model, "status")


def _publish(wf: Workflow[Any], reviewer: User, rid: int) -> None:
    if _stateful(wf):
        with session_scope(reviewer) as s:
            wf.move(s, reviewer, rid, "publish")


def _prefix(wf: Workflow[Any]) -> str:
    return wf.actions or wf.noun


def test_a_new_record_is_its_authors_draft_and_visible_to_editors_only(
    db_url: str, kind: Kind
) -> None:
    wf = kind.workflow
    author, other, reviewer = _people()
    with session_scope(author) as s:
        rid = wf.create(s, author, kind.data).id
    with session_scope(write=False) as s:
        record = s.get(wf.model, rid)
        assert wf.visible(author, record) and wf.visible(reviewer, record)
        assert wf.get(s, author, rid).version == 1
        if _stateful(wf):
            assert record.status == "draft" and record.created_by_id == author.id
            for outsider in (None, other):
                assert not wf.visible(outsider, record)
                with pytest.raises(RecordNotFoundError, match=f"No {wf.noun} {rid}"):
                    wf.get(s, outsider, rid)
        else:  # a record without states is public from the start
            assert wf.visible(None, record) and wf.visible_clause(None) is None
    _publish(wf, reviewer, rid)
    with session_scope(write=False) as s:
        assert wf.get(s, None, rid).id == rid
        assert history(s, wf.model.__tablename__, rid)[0].action == f"{_prefix(wf)}.create"


def test_only_roles_with_the_draft_permission_create(db_url: str, kind: Kind) -> None:
    wf = kind.workflow
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        wf.create(s, None, kind.data)


def test_every_bad_field_is_named_and_unknown_fields_are_refused(db_url: str, kind: Kind) -> None:
    wf = kind.workflow
    author, _, _ = _people()
    with session_scope(author) as s, pytest.raises(ValidationError) as info:
        wf.create(s, author, {**kind.data, "title": None, "name": None})
    assert info.value.context["fields"]
    with session_scope(author) as s:
        rid = wf.create(s, author, kind.data).id
    with session_scope(author) as s, pytest.raises(ValidationError, match="no_such_field"):
        wf.update(s, author, rid, {"no_such_field": 1})


def test_stale_edits_are_refused_with_the_store_error(db_url: str, kind: Kind) -> None:
    wf = kind.workflow
    author, _, _ = _people()
    with session_scope(author) as s:
        rid = wf.create(s, author, kind.data).id
    with session_scope(author) as s:
        assert wf.update(s, author, rid, kind.change, expected_version=1).version == 2
    with session_scope(author) as s, pytest.raises(ConflictError, match="version 2") as info:
        wf.update(s, author, rid, kind.change, expected_version=1)
    assert info.value.code == "store.stale"
    with session_scope(write=False) as s:
        actions = [h.action for h in history(s, wf.model.__tablename__, rid)]
    assert actions == [f"{_prefix(wf)}.create", f"{_prefix(wf)}.update"]


def test_owners_edit_their_drafts_editors_edit_anything(db_url: str, kind: Kind) -> None:
    wf = kind.workflow
    author, other, reviewer = _people()
    with session_scope(author) as s:
        rid = wf.create(s, author, kind.data).id
    if _stateful(wf):
        with session_scope(other) as s, pytest.raises((PermissionDeniedError, RecordNotFoundError)):
            wf.update(s, other, rid, kind.change)
    _publish(wf, reviewer, rid)
    if _stateful(wf):
        with session_scope(author) as s, pytest.raises(PermissionDeniedError, match="only your"):
            wf.update(s, author, rid, kind.change)
    with session_scope(reviewer) as s:
        updated = wf.update(s, reviewer, rid, kind.change)
        assert updated.version == (3 if _stateful(wf) else 2)


def test_steps_need_their_role_and_start_state_and_are_audited(db_url: str, kind: Kind) -> None:
    wf = kind.workflow
    author, _, reviewer = _people()
    with session_scope(author) as s:
        rid = wf.create(s, author, kind.data).id
    for step, rule in wf.steps.items():
        if rule.by_reviewer:
            with session_scope(author) as s, pytest.raises(PermissionDeniedError):
                wf.move(s, author, rid, step, "a comment")
    with session_scope(reviewer) as s:
        for step, rule in wf.steps.items():
            record = s.get(wf.model, rid)
            if record.status not in rule.sources:
                with pytest.raises(ConflictError) as info:
                    wf.move(s, reviewer, rid, step, "a comment")
                assert info.value.code == "store.bad-transition"
    if "publish" in wf.steps:
        _publish(wf, reviewer, rid)
        with session_scope(write=False) as s:
            assert wf.get(s, None, rid).status == "published"
            last = history(s, wf.model.__tablename__, rid)[-1]
        assert (last.action, last.actor) == (f"{_prefix(wf)}.publish", "reviewer@example.org")
    else:
        with session_scope(reviewer) as s, pytest.raises(KeyError):
            wf.move(s, reviewer, rid, "publish")


def test_steps_that_need_a_comment_refuse_a_blank_one(db_url: str, kind: Kind) -> None:
    wf = kind.workflow
    author, _, reviewer = _people()
    with session_scope(author) as s:
        rid = wf.create(s, author, kind.data).id
    for step in (name for name, rule in wf.steps.items() if rule.comment_required):
        with session_scope(reviewer) as s, pytest.raises(ValidationError) as info:
            wf.move(s, reviewer, rid, step, "   ")
        assert info.value.code == "store.comment-required"


def test_only_the_delete_permission_deletes_and_history_stays(db_url: str, kind: Kind) -> None:
    wf = kind.workflow
    author, _, reviewer = _people()
    with session_scope(author) as s:
        rid = wf.create(s, author, kind.data).id
    with session_scope(reviewer) as s, pytest.raises(PermissionDeniedError):
        wf.remove(s, reviewer, rid)
    with session_scope(ADMIN) as s:
        wf.remove(s, ADMIN, rid)
    with session_scope(write=False) as s:
        assert s.get(wf.model, rid) is None
        assert [h.action for h in history(s, wf.model.__tablename__, rid)][-1] == "delete"
