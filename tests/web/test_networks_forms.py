"""Networks from the pages and the API: a contributor records a person who belongs to no
organisation, a membership of a network and a partnership with a research centre, and finds
the person with "who knows what"; bad forms show the problem next to the field and save
nothing; anonymous readers see institutions but never a person, an e-mail or a telephone."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover import actors, store
from socialcover.store.models import Contact, Membership, Partnership

from .conftest import csrf_of, sign_in, sign_out

ADMIN = store.SystemActor("test")


def _orgs(app: FastAPI) -> tuple[int, int]:
    with store.session_scope(ADMIN, url=app.state.settings.database_url) as s:
        net = actors.create_organisation(
            s, ADMIN, {"name": "African Actuaries Network", "actor_type": "network"}
        )
        centre = actors.create_organisation(
            s,
            ADMIN,
            {
                "name": "Centre for Social Policy Research",
                "actor_type": "research_centre",
                "country_iso3": "GHA",
                "expertise": ["fiscal space"],
            },
        )
        return net.id, centre.id


def test_people_memberships_and_partnerships_from_the_pages(
    app: FastAPI, client: TestClient, users: dict[str, str]
) -> None:
    net, centre = _orgs(app)
    sign_in(client, users["contributor"])
    token = csrf_of(client, "/networks/people/new")
    bad = client.post(
        "/networks/people",
        data={
            "csrf_token": token,
            "name": "Kwame Mensah",
            "email": "kwame at example",
            "languages": "english",
        },
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert 'id="person-email-error"' in bad.text and 'id="person-languages-error"' in bad.text
    assert 'value="Kwame Mensah"' in bad.text, "what was typed is kept"
    made = client.post(
        "/networks/people",
        data={
            "csrf_token": token,
            "name": "Kwame Mensah",
            "email": "kwame@example.org",
            "phone": "+233 20 000 0000",
            "expertise": "Pension reform, actuarial models",
            "languages": "en, tw",
            "country_iso3": "GHA",
            "organisation_id": "",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    page = made.headers["location"]
    pid = int(page.rsplit("/", 1)[1])
    html = client.get(page).text
    assert "kwame@example.org" in html and "none (independent)" in html
    token = csrf_of(client, page)
    joined = client.post(
        f"{page}/memberships",
        data={
            "csrf_token": token,
            "organisation_id": str(net),
            "role": "coordinator",
            "starts_on": "2023-05-01",
        },
        follow_redirects=False,
    )
    assert joined.status_code == 303
    backwards = client.post(
        f"{page}/memberships",
        data={
            "csrf_token": token,
            "organisation_id": str(centre),
            "starts_on": "2024-01-01",
            "ends_on": "2023-01-01",
        },
        follow_redirects=False,
    )
    assert backwards.status_code == 422 and "before" in backwards.text
    html = client.get(page).text
    assert "African Actuaries Network" in html and "coordinator" in html
    members = client.get(f"/actors/{net}").text
    assert f'href="/networks/people/{pid}"' in members and "coordinator" in members

    found = client.get("/networks", params={"expertise": "pension", "language": "tw"}).text
    assert f'href="/networks/people/{pid}"' in found and "no organisation" not in found
    by_kind = client.get("/networks", params={"actor_type": "network"}).text
    assert "Kwame Mensah" in by_kind, "a member of a network is found by the network's kind"
    assert "Kwame Mensah" not in client.get("/networks", params={"country": "KEN"}).text
    with store.session_scope(ADMIN, url=app.state.settings.database_url) as s:
        other = actors.add_person(s, ADMIN, {"name": "Other Person"}).id
        mid = s.query(Membership).filter_by(contact_id=pid).one().id
    token = csrf_of(client, page)
    wrong = client.post(
        f"/networks/people/{other}/memberships/{mid}/remove",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert wrong.status_code == 404, "a membership is removed from its own person's page only"
    gone = client.post(
        f"{page}/memberships/{mid}/remove", data={"csrf_token": token}, follow_redirects=False
    )
    assert gone.status_code == 303 and "coordinator" not in client.get(page).text

    token = csrf_of(client, "/networks/partnerships/new")
    same = client.post(
        "/networks/partnerships",
        data={
            "csrf_token": token,
            "organisation_a_id": str(net),
            "organisation_b_id": str(net),
            "kind": "research",
        },
        follow_redirects=False,
    )
    assert same.status_code == 422 and "itself" in same.text
    ok = client.post(
        "/networks/partnerships",
        data={
            "csrf_token": token,
            "organisation_a_id": str(net),
            "organisation_b_id": str(centre),
            "kind": "research",
            "start_year": "2024",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert "Centre for Social Policy Research" in client.get(ok.headers["location"]).text

    sign_out(client)
    public = client.get("/networks", params={"expertise": "pension"}).text
    assert "Kwame" not in public and "kwame@example.org" not in public
    assert "+233" not in client.get("/networks").text
    assert "Kwame" not in client.get(f"/actors/{net}").text, "readers see no members"
    assert client.get(page, follow_redirects=False).status_code in (401, 303)
    with store.session_scope(ADMIN, url=app.state.settings.database_url, write=False) as s:
        assert s.query(Contact).filter_by(name="Kwame Mensah").count() == 1
        assert s.query(Membership).count() == 0
        assert s.query(Partnership).filter_by(organisation_a_id=net).count() == 1


def test_people_and_memberships_over_the_api(
    app: FastAPI, client: TestClient, users: dict[str, str]
) -> None:
    net, centre = _orgs(app)
    with store.session_scope(ADMIN, url=app.state.settings.database_url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, users["contributor"]), "net")
    auth = {"Authorization": f"Bearer {token}"}
    api = TestClient(app, raise_server_exceptions=False)
    bad = api.post("/api/v1/people", headers=auth, json={"name": "Xu Li", "organisation_id": 999})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "actors.unknown-organisation"
    made = api.post(
        "/api/v1/people",
        headers=auth,
        json={
            "name": "Lucía Torres",
            "email": "lucia@example.org",
            "expertise": ["health financing"],
            "languages": ["es"],
            "country_iso3": "PER",
        },
    )
    assert made.status_code == 201, made.text
    person = made.json()
    assert person["organisation_id"] is None and person["country_iso3"] == "PER"
    assert api.post("/api/v1/people", json={"name": "Anon"}).status_code == 401
    assert api.get(f"/api/v1/people/{person['id']}").status_code == 401
    m = api.post(
        f"/api/v1/people/{person['id']}/memberships",
        headers=auth,
        json={"organisation_id": centre, "role": "associate researcher"},
    )
    assert m.status_code == 201 and m.json()["memberships"][0]["role"] == "associate researcher"
    dates = api.post(
        f"/api/v1/people/{person['id']}/memberships",
        headers=auth,
        json={"organisation_id": net, "starts_on": "2025-02-30"},
    )
    assert dates.status_code == 422 and dates.json()["error"]["code"]
    changed = api.put(
        f"/api/v1/people/{person['id']}",
        headers=auth,
        json={"name": "Lucía Torres", "organisation_id": centre, "version": person["version"]},
    )
    assert changed.status_code == 200 and changed.json()["organisation"].startswith("Centre")
    found = api.get(
        "/api/v1/networks/experts", headers=auth, params={"actor_type": "research_centre"}
    ).json()
    assert [p["name"] for p in found["people"]] == ["Lucía Torres"]
    assert (
        api.get("/api/v1/networks/experts", params={"expertise": "health"}).json()["people"] == []
    )
    mid = changed.json()["memberships"][0]["id"]
    assert api.delete(f"/api/v1/memberships/{mid}", headers=auth).status_code == 200
    schema = api.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/people",
        "/api/v1/people/{pid}",
        "/api/v1/people/{pid}/memberships",
        "/api/v1/memberships/{mid}",
        "/api/v1/training/courses/{cid}/scores/file",
    ):
        assert path in schema["paths"], path
    assert re.search("PersonInput", str(schema["components"]["schemas"]))
