"""Editors see the history of publications and organisations too, and can revert them."""

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

    assert client.get(f"/actors/{oid}/history").status_code in (401, 403)  # readers cannot
    sign_in(client, users["reviewer"])
    hist = client.get(f"/actors/{oid}/history")
    assert hist.status_code == 200
    assert "Renamed Mutual" in hist.text and f'action="/actors/{oid}/revert"' in hist.text
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
