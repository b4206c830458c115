"""API tokens: a scope (read, write, admin) and a term; a token cannot manage tokens (a leaked
one cannot mint others); deactivating a user revokes theirs for good; CSRF tokens are bound to
the session they were issued in."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from socialcover.store.models import utcnow
from socialcover.web import Settings

from .conftest import csrf_of, sign_in

PRACTICE = {
    "title": "Scoped practice",
    "country_iso3": "KEN",
    "guarantee": "old_age",
    "mechanism": "social pension",
    "summary": "Written with a write-scope token.",
    "assessment": "good",
}


def _token(settings: Settings, email: str, scope: str, **kwargs: object) -> str:
    from socialcover import store

    with store.session_scope(store.SystemActor(), url=settings.database_url) as s:
        user = store.get_user(s, email)
        _row, token = store.create_api_token(s, user, f"{scope} token", scope=scope, **kwargs)
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_read_token_reads_and_cannot_write(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    read = _token(web_settings, users["reviewer"], "read")
    assert client.get("/api/v1/practices", headers=_bearer(read)).status_code == 200
    refused = client.post("/api/v1/practices", headers=_bearer(read), json=PRACTICE)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "auth.token-scope"
    write = _token(web_settings, users["reviewer"], "write")
    assert (
        client.post("/api/v1/practices", headers=_bearer(write), json=PRACTICE).status_code == 201
    )


def test_administrators_actions_need_an_admin_token(
    users: dict[str, str], web_settings: Settings
) -> None:
    from socialcover import store

    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        reviewer = store.get_user(s, users["reviewer"])
        with pytest.raises(store.PermissionDeniedError):
            store.create_api_token(s, reviewer, "too much", scope="admin")
        with pytest.raises(store.ValidationError, match="scope"):
            store.create_api_token(s, reviewer, "typo", scope="rwx")
        with pytest.raises(store.ValidationError, match="a year"):
            store.create_api_token(s, reviewer, "forever", expires_in=dt.timedelta(days=4000))


def test_every_token_expires_by_default(users: dict[str, str], web_settings: Settings) -> None:
    from socialcover import store

    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        user = store.get_user(s, users["contributor"])
        row, _ = store.create_api_token(s, user, "default")
        assert row.scope == "write"
        assert row.expires_at is not None
        left = row.expires_at - utcnow()
        assert dt.timedelta(days=89) < left <= store.TOKEN_TTL


def test_an_expired_token_is_refused(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    from socialcover import store

    token = _token(web_settings, users["contributor"], "read", expires_in=dt.timedelta(minutes=1))
    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        for row in store.list_api_tokens(s, store.get_user(s, users["contributor"])):
            row.expires_at = utcnow() - dt.timedelta(seconds=1)
    assert client.get("/api/v1/surveys/jobs", headers=_bearer(token)).status_code == 401


def test_a_token_cannot_manage_tokens(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    token = _token(web_settings, users["administrator"], "admin")
    page = client.get("/account", headers=_bearer(token))
    assert page.status_code == 401
    # even with a valid CSRF token of an anonymous visit, a bearer token mints nothing
    minted = client.post(
        "/account/tokens",
        headers=_bearer(token),
        data={"name": "minted", "csrf_token": csrf_of(client, "/login")},
    )
    assert minted.status_code in (401, 403)
    assert "sc_" not in minted.text


def test_a_browser_session_creates_scoped_tokens(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["contributor"])
    page = client.get("/account")
    assert 'name="scope"' in page.text and 'value="admin"' not in page.text
    made = client.post(
        "/account/tokens",
        data={"name": "stata", "scope": "write", "days": "30", "csrf_token": csrf_of(client)},
    )
    assert made.status_code == 200 and "sc_" in made.text
    listed = client.get("/account").text
    assert "stata" in listed and "write" in listed


def test_deactivation_revokes_tokens_for_good(
    client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    from socialcover import store

    token = _token(web_settings, users["contributor"], "write")
    assert client.get("/api/v1/surveys/jobs", headers=_bearer(token)).status_code == 200
    admin = store.SystemActor()
    with store.session_scope(admin, url=web_settings.database_url) as s:
        store.set_active(s, admin, users["contributor"], False)
    assert client.get("/api/v1/surveys/jobs", headers=_bearer(token)).status_code == 401
    with store.session_scope(admin, url=web_settings.database_url) as s:
        store.set_active(s, admin, users["contributor"], True)
    assert client.get("/api/v1/surveys/jobs", headers=_bearer(token)).status_code == 401


def test_a_csrf_token_is_bound_to_its_session(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["reviewer"])
    mine = csrf_of(client)
    other = TestClient(client.app, raise_server_exceptions=False)
    sign_in(other, users["contributor"])
    # the other browser's own nonce cookie, with this session's token: refused
    other.cookies.set("sc_csrf", client.cookies.get("sc_csrf") or "")
    refused = other.post(
        "/account/tokens",
        data={"name": "x", "csrf_token": mine},
        headers={"Accept": "application/json"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "auth.csrf"
    ok = client.post("/account/tokens", data={"name": "x", "csrf_token": mine})
    assert ok.status_code == 200
