"""Events on SQLite and PostgreSQL: the agenda and materials, participants whose names only the
organisers see, counts for everyone, validation that changes nothing, and one person's data
exported and erased (never in the audit log)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from socialcover.actors import create_organisation
from socialcover.advocacy import (
    add_material,
    add_organiser,
    add_participant,
    add_session,
    create_event,
    erase_person,
    event_as_dict,
    export_person,
    get_event,
    list_events,
    list_participants,
    participant_counts,
    publish_event,
    register,
    remove_participant,
    submit_event,
)
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    User,
    ValidationError,
    create_user,
    session_scope,
)
from socialcover.store.models import AuditEntry, EventParticipant
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def people() -> dict[str, User]:
    with session_scope(ADMIN) as s:
        return {
            "owner": create_user(s, ADMIN, "owner@example.org", "long passphrase", "contributor"),
            "co": create_user(s, ADMIN, "co@example.org", "long passphrase", "contributor"),
            "other": create_user(s, ADMIN, "other@example.org", "long passphrase", "contributor"),
            "reviewer": create_user(s, ADMIN, "rev@example.org", "long passphrase", "reviewer"),
            "admin": create_user(s, ADMIN, "adm@example.org", "long passphrase", "administrator"),
        }


EVENT = {
    "kind": "consultation",
    "title": "National consultation on extending coverage to informal workers",
    "summary": "Tripartite consultation on the assessment's recommendations.",
    "starts_at": "2027-05-12T09:00",
    "ends_at": "2027-05-12T17:00",
    "timezone": "Africa/Nairobi",
    "place": "Nairobi",
    "country_iso3": "XDM",
    "capacity": 4,
    "registration_open": True,
}


def published_event(p: dict[str, User], **changes: Any) -> int:
    with session_scope(p["owner"]) as s:
        eid = create_event(s, p["owner"], EVENT | changes).id
        submit_event(s, p["owner"], eid)
    with session_scope(p["reviewer"]) as s:
        publish_event(s, p["reviewer"], eid)
    return eid


def person(name: str, email: str | None, **more: Any) -> dict[str, Any]:
    return {"name": name, "email": email} | more


def test_local_times_are_stored_in_utc_and_the_agenda_stays_within_the_event(db_url: str) -> None:
    p = people()
    with session_scope(p["owner"]) as s:
        e = create_event(s, p["owner"], EVENT)
        assert e.starts_at == dt.datetime(2027, 5, 12, 6, 0, tzinfo=dt.UTC)
        org = create_organisation(
            s, ADMIN, {"name": "Demoland Workers' Union", "actor_type": "workers_organisation"}
        )
        add_session(
            s,
            p["owner"],
            e.id,
            {
                "title": "Findings of the assessment",
                "starts_at": "2027-05-12T09:30",
                "ends_at": "2027-05-12T10:30",
                "speakers": [{"name": "A. Speaker", "organisation_id": org.id}],
            },
        )
        with pytest.raises(ValidationError) as outside:
            add_session(s, p["owner"], e.id, {"title": "Late", "starts_at": "2027-05-12T18:00"})
        assert outside.value.code == "event.session-outside" and "18:00" in outside.value.message
        with pytest.raises(ValidationError) as nothing:
            add_material(s, p["owner"], e.id, {"title": "Slides", "kind": "slides"})
        assert nothing.value.code == "event.material-empty"
        add_material(s, p["owner"], e.id, {"title": "Slides", "kind": "slides"}, ("s.pdf", PDF))
        with pytest.raises(ValidationError) as not_pdf:
            add_material(s, p["owner"], e.id, {"title": "Notes"}, ("n.pdf", b"hello"))
        assert not_pdf.value.code == "knowledge.not-pdf"
        shown = event_as_dict(get_event(s, p["owner"], e.id))
    assert [x["title"] for x in shown["sessions"]] == ["Findings of the assessment"]
    assert shown["sessions"][0]["starts_at"] == "2027-05-12T06:30:00+00:00"
    assert [(m["title"], m["has_file"]) for m in shown["materials"]] == [("Slides", True)]
    for change, word in (({"timezone": "Mars"}, "Mars"), ({"ends_at": "2027-05-11T09"}, "ends_at")):
        with pytest.raises(ValidationError) as bad, session_scope(p["owner"]) as s:
            create_event(s, p["owner"], EVENT | change)
        assert word in bad.value.message


def test_only_organisers_see_names_everyone_sees_counts(db_url: str) -> None:
    p = people()
    eid = published_event(p)
    with session_scope(p["owner"]) as s:
        org = create_organisation(
            s, ADMIN, {"name": "Ministry of Labour of Demoland", "actor_type": "government"}
        )
        add_organiser(s, p["owner"], eid, "co@example.org")
        add_participant(
            s,
            p["owner"],
            eid,
            person("Amina", "amina@example.org", sex="female", constituent="government")
            | {"organisation_id": org.id, "country_iso3": "XDM"},
        )
    with session_scope(p["co"]) as s:
        add_participant(
            s,
            p["co"],
            eid,
            person("Bo", None, sex="male", constituent="workers", organisation_name="DWU"),
        )
    with session_scope(None) as s:
        register(
            s,
            None,
            eid,
            person("Chidi", "Chidi@Example.org", sex="female", constituent="employers"),
        )
        with pytest.raises(ConflictError) as twice:
            register(s, None, eid, person("Chidi again", "chidi@example.org"))
        assert twice.value.code == "event.duplicate-participant"
    for who in (None, p["other"], p["reviewer"]):
        with session_scope(who) as s, pytest.raises(PermissionDeniedError) as no:
            list_participants(s, who, eid)
        assert no.value.code == "event.not-organiser"
    with session_scope(None) as s:
        counts = participant_counts(s, None, eid)
    assert counts.total == 3
    assert counts.by_sex == {"female": 2, "male": 1, "other": 0, "not_stated": 0}
    assert counts.by_constituent["government"] == 1 and counts.by_constituent["workers"] == 1
    assert counts.by_organisation == {"": 1, "DWU": 1, "Ministry of Labour of Demoland": 1}
    assert counts.by_country == {"": 2, "XDM": 1}
    assert "amina" not in json.dumps(counts.as_dict()).lower()
    with session_scope(p["co"]) as s:
        names = [x["name"] for x in list_participants(s, p["co"], eid)]
    assert names == ["Amina", "Bo", "Chidi"]
    with session_scope(p["admin"]) as s:
        assert len(list_participants(s, p["admin"], eid)) == 3
    with session_scope(ADMIN) as s:
        logged = json.dumps([[a.before, a.after] for a in s.scalars(select(AuditEntry))])
    assert "Amina" not in logged and "amina@example.org" not in logged and "Chidi" not in logged


def test_bad_participants_change_nothing(db_url: str) -> None:
    p = people()
    eid = published_event(p, capacity=1)
    bad = [
        (person("X", "not-an-address"), "store.invalid", "not-an-address"),
        (person("X", "x@example.org", sex="unknown"), "store.invalid", "unknown"),
        (person("X", "x@example.org", constituent="press"), "store.invalid", "press"),
        (person("X", "x@example.org", organisation_id=999), "event.unknown-organisation", "999"),
    ]
    for data, code, word in bad:
        with pytest.raises(ValidationError) as info, session_scope(p["owner"]) as s:
            add_participant(s, p["owner"], eid, data)
        assert info.value.code == code and word in info.value.message
    with session_scope(p["owner"]) as s:
        add_participant(s, p["owner"], eid, person("First", "first@example.org"))
    with pytest.raises(ConflictError) as full, session_scope(None) as s:
        register(s, None, eid, person("Second", "second@example.org"))
    assert full.value.code == "event.full" and "1 of 1" in full.value.message
    with session_scope(ADMIN) as s:
        assert s.scalar(select(func.count()).select_from(EventParticipant)) == 1


def test_registration_needs_a_published_open_event(db_url: str) -> None:
    p = people()
    with session_scope(p["owner"]) as s:
        draft = create_event(s, p["owner"], EVENT).id
    closed = published_event(p, registration_open=False)
    with session_scope(None) as s, pytest.raises(RecordNotFoundError):
        register(s, None, draft, person("A", "a@example.org"))  # a draft does not exist for them
    with session_scope(None) as s, pytest.raises(ConflictError) as info:
        register(s, None, closed, person("A", "a@example.org"))
    assert info.value.code == "event.registration-closed"
    with session_scope(None) as s:
        assert [e.id for e in list_events(s, None)] == [closed]


def test_one_person_is_exported_and_erased_and_the_counts_stay(db_url: str) -> None:
    p = people()
    first, second = published_event(p), published_event(p, title="Validation workshop")
    with session_scope(None) as s:
        for eid in (first, second):
            register(s, None, eid, person("Dana", "dana@example.org", sex="female"))
        register(s, None, first, person("Eli", "eli@example.org", sex="male"))
    with session_scope(p["other"]) as s, pytest.raises(PermissionDeniedError):
        export_person(s, p["other"], "dana@example.org")
    with session_scope(p["admin"]) as s:
        exported = export_person(s, p["admin"], "DANA@example.org")
    assert [(x["event_id"], x["name"], x["event_title"][:10]) for x in exported] == [
        (first, "Dana", "National c"),
        (second, "Dana", "Validation"),
    ]
    with session_scope(p["admin"]) as s:
        assert erase_person(s, p["admin"], "dana@example.org") == 2
    with session_scope(p["admin"]) as s:
        assert export_person(s, p["admin"], "dana@example.org") == []
        rows = list_participants(s, p["admin"], first)
        assert participant_counts(s, None, first).by_sex["female"] == 1
    assert [(r["name"], r["email"], r["erased"]) for r in rows] == [
        ("", None, True),
        ("Eli", "eli@example.org", False),
    ]
    with session_scope(p["owner"]) as s:
        remove_participant(s, p["owner"], first, rows[1]["id"])
        assert participant_counts(s, None, first).total == 1
