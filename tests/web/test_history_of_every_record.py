"""Editors see the history of publications and organisations too, and can revert them.

A history shows old and new values and people's names (never their e-mail addresses); a revert
asks first, showing what it would change.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from socialcover.web import Settings

from .conftest import csrf_of, sign_in


def test_organisation_history_and_revert(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    from socialcover import actors, store

    system = store.SystemActor()
    with store.session_scope(system, url=web_settings.database_url) as s:
        org = actors.create_organisation(
            s, system, {"name": "Workers' Mutual of Testland", "actor_type": "civil_society"}
        )
        oid = org.id
    with store.session_scope(system, url=web_settings.database_url) as s:
        actors.update_organisation(s, system, oid, {"name": "Renamed Mutual"})

    # readers cannot: a person is sent to sign in, an API client gets 401
    anonymous = client.get(f"/actors/{oid}/history", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    api_like = client.get(f"/actors/{oid}/history", headers={"Accept": "application/json"})
    assert api_like.status_code == 401
    sign_in(client, users["reviewer"])
    hist = client.get(f"/actors/{oid}/history")
    assert hist.status_code == 200
    assert "Renamed Mutual" in hist.text and f'href="/actors/{oid}/revert?version=1"' in hist.text
    # the diff: old and new values of the changed field
    assert "<del>Workers&#39; Mutual of Testland</del>" in hist.text
    assert "<ins>Renamed Mutual</ins>" in hist.text
    ask = client.get(f"/actors/{oid}/revert?version=1")
    assert ask.status_code == 200
    assert "<del>Renamed Mutual</del>" in ask.text
    assert "<ins>Workers&#39; Mutual of Testland</ins>" in ask.text
    assert f'action="/actors/{oid}/revert"' in ask.text
    assert "Renamed Mutual" in client.get(f"/actors/{oid}").text  # asking changed nothing
    resp = client.post(
        f"/actors/{oid}/revert",
        data={"version": "1", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    assert resp.headers["location"] == f"/actors/{oid}/history"
    assert "Workers&#39; Mutual of Testland" in client.get(f"/actors/{oid}").text


def test_revert_without_csrf_token_is_refused(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    from socialcover import actors, store

    system = store.SystemActor()
    with store.session_scope(system, url=web_settings.database_url) as s:
        oid = actors.create_organisation(
            s, system, {"name": "Another Org", "actor_type": "university"}
        ).id
    sign_in(client, users["administrator"])
    resp = client.post(f"/actors/{oid}/revert", data={"version": "1"}, follow_redirects=False)
    assert resp.status_code == 403


def test_history_names_people_without_their_addresses(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    from socialcover import actors, store

    system = store.SystemActor()
    with store.session_scope(system, url=web_settings.database_url) as s:
        oid = actors.create_organisation(
            s, system, {"name": "Guild of Testers", "actor_type": "civil_society"}
        ).id
        actors.update_organisation(s, system, oid, {"name": "Guild of Careful Testers"})
    sign_in(client, users["reviewer"])
    done = client.post(
        f"/actors/{oid}/revert",
        data={"version": "1", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    sign_in(client, users["contributor"])
    with store.session_scope(system, url=web_settings.database_url) as s:
        reviewer = store.get_user(s, users["reviewer"])
        name = reviewer.display_name
    page = client.get(f"/actors/{oid}/history")
    assert page.status_code == 200
    assert users["reviewer"] not in page.text
    assert name and name in page.text
    # contributors cannot revert: no revert links, and the confirmation page is refused
    assert "/revert?version=" not in page.text
    assert client.get(f"/actors/{oid}/revert?version=1").status_code == 403


def test_revert_confirmation_for_a_missing_version_says_so(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    from socialcover import actors, store

    system = store.SystemActor()
    with store.session_scope(system, url=web_settings.database_url) as s:
        oid = actors.create_organisation(
            s, system, {"name": "Single-version Org", "actor_type": "university"}
        ).id
    sign_in(client, users["reviewer"])
    missing = client.get(f"/actors/{oid}/revert?version=7")
    assert missing.status_code in (404, 422)
    assert "no version 7" in missing.text
