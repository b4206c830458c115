"""People in the networks: a person who belongs to no organisation is recorded and found by
"who knows what"; a person belongs to several organisations and networks with roles and dates;
the kind of organisation filters; bad input saves nothing; readers never see people."""

from __future__ import annotations

import datetime as dt

import pytest

from socialcover.actors import (
    add_membership,
    add_person,
    create_organisation,
    get_person,
    person_as_dict,
    update_person,
    who_knows_what,
)
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    SystemActor,
    ValidationError,
    create_user,
    session_scope,
)
from socialcover.store.models import Contact, Membership
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")


def test_a_person_without_an_organisation_is_recorded_and_found(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        editor = create_user(s, ADMIN, "ed@example.org", "long passphrase", "contributor")
        independent = add_person(
            s,
            ADMIN,
            {
                "name": "Fatou Ndiaye",
                "email": "fatou@example.org",
                "phone": "+221 77 000 00 00",
                "expertise": ["Actuarial valuation"],
                "languages": ["fr", "wo"],
                "country_iso3": "sen",
            },
        )
        assert independent.organisation_id is None and independent.country_iso3 == "SEN"
        pid = independent.id
    with session_scope(editor) as s:
        found = who_knows_what(s, editor, expertise="actuarial", country="SEN")
        assert [p["name"] for p in found["people"]] == ["Fatou Ndiaye"]
        assert found["people"][0]["organisation"] is None
        assert found["people"][0]["email"] == "fatou@example.org"
        assert who_knows_what(s, editor, language="wo")["people"][0]["id"] == pid
        assert who_knows_what(s, editor, actor_type="university")["people"] == []
    with session_scope(None, write=False) as s:  # readers are anonymous
        assert who_knows_what(s, None, expertise="actuarial")["people"] == []
        with pytest.raises(PermissionDeniedError):
            get_person(s, None, pid)


def test_memberships_of_several_organisations_and_networks(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        uni = create_organisation(
            s,
            ADMIN,
            {"name": "Université de Démoland", "actor_type": "university", "country_iso3": "KEN"},
        )
        net = create_organisation(
            s, ADMIN, {"name": "Social Protection Actuaries Network", "actor_type": "network"}
        )
        centre = create_organisation(
            s, ADMIN, {"name": "Policy Research Centre", "actor_type": "research_centre"}
        )
        person = add_person(
            s,
            ADMIN,
            {"name": "Joseph Otieno", "organisation_id": uni.id, "expertise": ["pensions"]},
        )
        add_membership(
            s,
            ADMIN,
            person.id,
            {"organisation_id": net.id, "role": "chair", "starts_on": "2024-01-15"},
        )
        add_membership(s, ADMIN, person.id, {"organisation_id": centre.id, "role": "fellow"})
        with pytest.raises(ConflictError):
            add_membership(s, ADMIN, person.id, {"organisation_id": net.id, "role": "chair"})
        with pytest.raises(ValidationError) as bad:
            add_membership(
                s,
                ADMIN,
                person.id,
                {
                    "organisation_id": net.id,
                    "role": "member",
                    "starts_on": "2025-01-01",
                    "ends_on": "2024-01-01",
                },
            )
        assert "before" in bad.value.message
        data = person_as_dict(person)
        assert [m["role"] for m in data["memberships"]] == ["chair", "fellow"]
        assert data["memberships"][0]["starts_on"] == "2024-01-15"
        assert data["country_iso3"] == "KEN", "the organisation's country when none is given"
        by_kind = who_knows_what(s, ADMIN, actor_type="network")
        assert [o["name"] for o in by_kind["organisations"]] == [net.name]
    with session_scope(ADMIN, write=False) as s:
        found = who_knows_what(
            s, SystemActor("t"), expertise="pension", actor_type="research_centre"
        )
        assert [p["name"] for p in found["people"]] == ["Joseph Otieno"]
        assert s.query(Membership).count() == 2
        row = s.query(Membership).filter_by(role="chair").one()
        assert row.starts_on == dt.date(2024, 1, 15)


def test_bad_people_are_refused_and_nothing_is_saved(db_url: str) -> None:
    with session_scope(ADMIN) as s, pytest.raises(ValidationError) as err:
        add_person(s, ADMIN, {"name": "Nobody", "organisation_id": 99999})
    assert err.value.code == "actors.unknown-organisation"
    with session_scope(ADMIN) as s, pytest.raises(ValidationError) as err:
        add_person(s, ADMIN, {"name": "Bad mail", "email": "not-an-address"})
    assert "email" in err.value.message
    with session_scope(ADMIN) as s, pytest.raises(ValidationError) as err:
        who_knows_what(s, ADMIN, actor_type="guild")
    assert err.value.code == "actors.unknown-type"
    with session_scope(ADMIN, write=False) as s:
        assert s.query(Contact).count() == 0


def test_a_person_is_changed_with_a_version_check(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        pid = add_person(s, ADMIN, {"name": "Ana Gomez"}).id
    with session_scope(ADMIN) as s:
        changed = update_person(
            s, ADMIN, pid, {"name": "Ana Gómez", "languages": ["es"]}, expected_version=1
        )
        assert changed.name == "Ana Gómez"
    with session_scope(ADMIN) as s, pytest.raises(ConflictError):
        update_person(s, ADMIN, pid, {"name": "Stale"}, expected_version=1)
