"""Networks: organisations and people with expertise and languages, found by "who knows what";
people (personal data) only for roles with actor.edit; bad languages are refused."""

from __future__ import annotations

import pytest

from socialcover.actors import add_contact, create_organisation, who_knows_what
from socialcover.store import SystemActor, ValidationError, create_user, session_scope
from socialcover.store.models import Organisation
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")


def test_who_knows_what_by_expertise_language_and_country(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        editor = create_user(s, ADMIN, "ed@example.org", "long passphrase", "contributor")
        uni = create_organisation(s, ADMIN, {
            "name": "University of Demoland", "actor_type": "university", "country_iso3": "KEN",
            "expertise": ["Pension reform", "microsimulation", "pension reform"],
            "languages": ["EN", "sw"],
        })  # fmt: skip
        centre = create_organisation(s, ADMIN, {
            "name": "Centre de recherche", "actor_type": "university", "country_iso3": "SEN",
            "expertise": ["informal economy"], "languages": ["fr"],
        })  # fmt: skip
        add_contact(
            s,
            ADMIN,
            centre.id,
            {
                "name": "Awa Diop",
                "email": "awa@example.org",
                "expertise": ["pensions"],
                "languages": ["fr", "wo"],
            },
        )
        assert uni.expertise == ["Pension reform", "microsimulation"]
        assert uni.languages == ["en", "sw"]
    with session_scope(editor) as s:
        found = who_knows_what(s, editor, expertise="PENSION")
        assert [o["name"] for o in found["organisations"]] == ["University of Demoland"]
        assert [p["name"] for p in found["people"]] == ["Awa Diop"]
        assert found["people"][0]["email"] == "awa@example.org"
        by_lang = who_knows_what(s, editor, language="fr")
        assert [o["name"] for o in by_lang["organisations"]] == ["Centre de recherche"]
        both = who_knows_what(s, editor, expertise="pension", country="ken")
        assert [o["name"] for o in both["organisations"]] == ["University of Demoland"]
        assert both["people"] == []
    with session_scope(None, write=False) as s:  # a reader sees institutions, never people
        public = who_knows_what(s, None, expertise="pension")
    assert len(public["organisations"]) == 1 and public["people"] == []


def test_a_bad_language_is_refused_and_changes_nothing(db_url: str) -> None:
    with session_scope(ADMIN) as s, pytest.raises(ValidationError) as err:
        create_organisation(s, ADMIN, {"name": "Institute", "actor_type": "university",
                                       "languages": ["french"]})  # fmt: skip
    assert "french" in err.value.message
    with session_scope(ADMIN, write=False) as s:
        assert s.query(Organisation).filter_by(name="Institute").count() == 0
