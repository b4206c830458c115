"""The actor registry: organisations, contacts (private), partnerships and links."""

from __future__ import annotations

import pytest

from socialcover.actors import (
    add_contact,
    add_partnership,
    create_organisation,
    delete_organisation,
    list_organisations,
    organisation_as_dict,
    partnerships_of,
    update_organisation,
)
from socialcover.knowledge import (
    create_practice,
    link_organisation,
    linked_organisations,
    records_of_organisation,
    search,
)
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    SystemActor,
    ValidationError,
    create_user,
    history,
    session_scope,
)

ADMIN = SystemActor("test")


def test_organisations_contacts_and_partnerships(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        user = create_user(s, ADMIN, "c@example.org", "long passphrase", "contributor")
        ilo = create_organisation(
            s,
            user,
            {
                "name": "International Labour Organization",
                "acronym": "ILO",
                "actor_type": "un_agency",
            },
        )
        cnss = create_organisation(
            s,
            user,
            {
                "name": "Caisse nationale de sécurité sociale",
                "actor_type": "social_security_institution",
                "country_iso3": "sen",
            },
        )
        add_contact(s, user, cnss.id, {"name": "Awa Diop", "email": "awa@example.org"})
        add_partnership(
            s,
            user,
            {
                "organisation_a_id": ilo.id,
                "organisation_b_id": cnss.id,
                "kind": "technical cooperation",
                "start_year": 2020,
            },
        )
        with pytest.raises(ConflictError):
            add_partnership(
                s,
                user,
                {
                    "organisation_a_id": ilo.id,
                    "organisation_b_id": cnss.id,
                    "kind": "technical cooperation",
                },
            )
        with pytest.raises(ValidationError, match="itself"):
            add_partnership(
                s, user, {"organisation_a_id": ilo.id, "organisation_b_id": ilo.id, "kind": "x y"}
            )
        ids = (ilo.id, cnss.id, user)
    ilo_id, cnss_id, user = ids
    with session_scope(write=False) as s:
        assert [o.acronym for o in list_organisations(s, actor_type="un_agency")] == ["ILO"]
        cnss = list_organisations(s, country_iso3="SEN")[0]
        assert "contacts" not in organisation_as_dict(cnss, None)  # personal data hidden
        assert organisation_as_dict(cnss, user)["contacts"][0]["name"] == "Awa Diop"
        assert len(partnerships_of(s, ilo_id)) == 1
        assert search(s, None, "securite sociale").hits[0].record_id == cnss_id
    with session_scope(user) as s:
        update_organisation(s, user, cnss_id, {"website": "https://example.org"})
        with pytest.raises(ConflictError, match="already exists"):
            update_organisation(s, user, cnss_id, {"name": "international labour organization"})
    with session_scope(user) as s, pytest.raises(PermissionDeniedError):
        delete_organisation(s, user, cnss_id)
    with session_scope(ADMIN) as s:
        delete_organisation(s, ADMIN, cnss_id)
    with session_scope(write=False) as s:
        assert partnerships_of(s, ilo_id) == []
        actions = [h.action for h in history(s, "organisations", cnss_id)]
        assert actions == ["actor.create", "actor.update", "delete"]


def test_practices_link_to_organisations(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        user = create_user(s, ADMIN, "c@example.org", "long passphrase", "contributor")
        org = create_organisation(
            s,
            user,
            {"name": "Banco de Previsión Social", "actor_type": "social_security_institution"},
        )
        p = create_practice(
            s,
            user,
            {
                "title": "Monotributo",
                "country_iso3": "URY",
                "guarantee": "general",
                "mechanism": "simplified contribution regime",
                "summary": "One payment for tax and social security.",
                "assessment": "good",
            },
        )
        link_organisation(s, user, "practice", p.id, org.id, "implementer")
        with pytest.raises(ConflictError):
            link_organisation(s, user, "practice", p.id, org.id, "implementer")
        assert [(o.name, r) for o, r in linked_organisations(s, "practice", p.id)] == [
            ("Banco de Previsión Social", "implementer")
        ]
        assert records_of_organisation(s, org.id) == {"practice": [p.id], "publication": []}
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        create_organisation(s, None, {"name": "Anonymous org", "actor_type": "university"})
