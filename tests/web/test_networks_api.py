"""Networks over the REST API: institutions and people with expertise and languages, a
partnership with a university, and "who knows what", people only for roles with actor.edit."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover import store

from .conftest import sign_in

ADMIN = store.SystemActor("test")


def test_networks_are_created_and_searched_over_the_api(
    app: FastAPI, client: TestClient, users: dict[str, str]
) -> None:
    with store.session_scope(ADMIN, url=app.state.settings.database_url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, users["contributor"]), "net")
    auth = {"Authorization": f"Bearer {token}"}
    api = TestClient(app, raise_server_exceptions=False)
    uni = api.post(
        "/api/v1/actors",
        headers=auth,
        json={"name": "Universidad de Demolandia", "actor_type": "university",
              "country_iso3": "KEN", "expertise": ["actuarial valuation"],
              "languages": ["es", "en"]},
    )  # fmt: skip
    assert uni.status_code == 201, uni.text
    assert uni.json()["languages"] == ["es", "en"]
    ministry = api.post(
        "/api/v1/actors",
        headers=auth,
        json={"name": "Ministry of Labour of Demoland", "actor_type": "government"},
    )
    uid, mid = uni.json()["id"], ministry.json()["id"]
    person = api.post(
        f"/api/v1/actors/{uid}/contacts",
        headers=auth,
        json={"name": "María Pérez", "email": "maria@example.org",
              "expertise": ["Actuarial models"], "languages": ["es"]},
    )  # fmt: skip
    assert person.status_code == 201 and person.json()["contacts"][0]["expertise"] == [
        "Actuarial models"
    ]
    assert api.post(f"/api/v1/actors/{uid}/contacts", json={"name": "Anon"}).status_code == 401
    bad = api.post(
        f"/api/v1/actors/{uid}/contacts",
        headers=auth,
        json={"name": "Bad", "languages": ["spanish"]},
    )
    assert bad.status_code == 422 and "spanish" in bad.text
    partnership = api.post(
        "/api/v1/partnerships",
        headers=auth,
        json={"organisation_a_id": mid, "organisation_b_id": uid, "kind": "research",
              "start_year": 2025},
    )  # fmt: skip
    assert partnership.status_code == 201, partnership.text
    signed_in = api.get("/api/v1/networks/experts?expertise=actuarial&language=es", headers=auth)
    body = signed_in.json()
    assert [o["name"] for o in body["organisations"]] == ["Universidad de Demolandia"]
    assert [p["email"] for p in body["people"]] == ["maria@example.org"]
    public = api.get("/api/v1/networks/experts?expertise=actuarial").json()
    assert len(public["organisations"]) == 1 and public["people"] == []
    assert "maria" not in str(public)
    assert api.get("/api/v1/networks/experts?country=SEN").json()["organisations"] == []


def test_the_who_knows_what_page_hides_people_from_readers(
    app: FastAPI, client: TestClient, users: dict[str, str]
) -> None:
    from socialcover import actors

    with store.session_scope(ADMIN, url=app.state.settings.database_url) as s:
        org = actors.create_organisation(
            s,
            ADMIN,
            {"name": "Institut de recherche", "actor_type": "university",
             "expertise": ["protection sociale"], "languages": ["fr"]},
        )  # fmt: skip
        actors.add_contact(
            s, ADMIN, org.id, {"name": "Awa Diop", "expertise": ["protection sociale"]}
        )
    anonymous = TestClient(app)
    page = anonymous.get("/networks?expertise=protection", headers={"Accept-Language": "fr"})
    assert page.status_code == 200 and "Qui sait quoi" in page.text
    assert "Institut de recherche" in page.text and "Awa Diop" not in page.text
    sign_in(client, users["contributor"])
    mine = client.get("/networks?expertise=protection")
    assert "Awa Diop" in mine.text
