"""The role matrix: every route declares the action it needs, and the app enforces it.

Walks ``app.routes``; each route has exactly one ``Need`` whose action is a key of the store's
``PERMISSIONS`` (or ``None`` for public routes). Then every route is called as an anonymous
reader, a contributor, a reviewer and an administrator, and the gate answers as ``can(role,
action)`` says: allowed roles pass the gate, an anonymous caller gets 401, others 403.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover import store
from socialcover.web.access import route_table

from .conftest import csrf_of, sign_in

# Routes FastAPI itself adds (schema and its viewer) and the static files: public by design.
FRAMEWORK_ROUTES = {"/api/v1/openapi.json", "/static"}
ROLES: tuple[str | None, ...] = (None, "contributor", "reviewer", "administrator")


def test_every_route_declares_one_known_action(app: FastAPI) -> None:
    seen = 0
    for path, methods, needs, is_api in route_table(app):
        if not is_api:
            assert path in FRAMEWORK_ROUTES, f"{path} is not an APIRoute and not known public"
            continue
        assert len(needs) == 1, f"{path} {methods}: {needs}"
        action = needs[0].action
        assert action is None or action in store.PERMISSIONS, f"{path}: {action}"
        seen += 1
    assert seen > 20


def _fill(path: str, ids: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(ids.get(m.group(1), "1")), path)


@pytest.fixture
def clients(client: TestClient, users: dict[str, str]) -> dict[str | None, tuple[TestClient, str]]:
    """A signed-in browser client and an API token per role (anonymous: neither)."""
    out: dict[str | None, tuple[TestClient, str]] = {
        None: (TestClient(client.app, raise_server_exceptions=False), "")
    }
    settings = client.app.state.settings  # type: ignore[attr-defined]
    for role in ROLES[1:]:
        c = TestClient(client.app, raise_server_exceptions=False)
        assert role is not None
        sign_in(c, users[role])
        with store.session_scope(store.SystemActor(), url=settings.database_url) as s:
            user = store.get_user(s, users[role])
            _row, token = store.create_api_token(s, user, "matrix")
        out[role] = (c, token)
    return out


def test_each_route_answers_as_the_permissions_table_says(
    app: FastAPI, clients: dict[str | None, tuple[TestClient, str]], users: dict[str, str]
) -> None:
    # a published practice every role can see
    admin, admin_token = clients["administrator"]
    resp = admin.post(
        "/api/v1/practices",
        headers={"Authorization": f"Bearer {admin_token}"},
        json={
            "title": "Matrix practice",
            "country_iso3": "KEN",
            "guarantee": "old_age",
            "mechanism": "social pension",
            "summary": "A practice for the role matrix.",
            "assessment": "good",
        },
    )
    assert resp.status_code == 201, resp.text
    pid = resp.json()["id"]
    ids = {"pid": pid, "code": "KEN", "token_id": 999999, "job_id": "nojob", "oid": 1}
    ids |= {"area": "KEN", "year": 2023, "step": "submit"}
    # a published event, press release (past its embargo) and statement every role can see
    auth = {"Authorization": f"Bearer {admin_token}"}
    event = admin.post(
        "/api/v1/events",
        headers=auth,
        json={
            "kind": "seminar",
            "title": "Matrix seminar",
            "starts_at": "2030-01-10T09:00Z",
            "ends_at": "2030-01-10T12:00Z",
            "registration_open": True,
        },
    )
    assert event.status_code == 201, event.text
    release = admin.post(
        "/api/v1/press",
        headers=auth,
        json={
            "texts": {"en": {"title": "Matrix release", "body": "No figures."}},
            "embargo_until": "2020-01-01T00:00Z",
        },
    )
    statement = admin.post("/api/v1/statements", headers=auth, json={"title": "Matrix statement"})
    assert release.status_code == 201 and statement.status_code == 201, release.text
    ids |= {"eid": event.json()["id"], "rid": release.json()["id"], "sid": statement.json()["id"]}
    for kind, key in (("events", "eid"), ("press", "rid"), ("statements", "sid")):
        done = admin.post(f"/api/v1/{kind}/{ids[key]}/steps/publish", headers=auth)
        assert done.status_code == 200, done.text
    ids |= {"indicator": "sdg131.children"}
    checked = 0
    for route_path, methods, needs, is_api in route_table(app):
        if not is_api:
            continue
        need = needs[0]
        for method in sorted(methods):
            for role in ROLES:
                c, token = clients[role]
                path = _fill(route_path, ids)
                headers = {"Accept": "application/json"}
                kwargs: dict[str, Any] = {}
                if path.startswith("/api/"):
                    if token:
                        headers["Authorization"] = f"Bearer {token}"
                    if method in ("POST", "PATCH", "PUT"):
                        kwargs["json"] = {}
                elif method == "POST":
                    kwargs["data"] = {"csrf_token": csrf_of(c)}
                resp = c.request(method, path, headers=headers, follow_redirects=False, **kwargs)
                if path == "/logout" and role is not None:
                    sign_in(c, users[role])  # signing out is allowed; sign back in
                body = (
                    resp.json()
                    if resp.headers.get("content-type", "").startswith("application/json")
                    else {}
                )
                err = body.get("error", {}) if isinstance(body, dict) else {}
                gate_refused = resp.status_code == 401 or (
                    resp.status_code == 403
                    and err.get("code") == "auth.forbidden"
                    and (err.get("context") or {}).get("action") == need.action
                )
                if need.action is None:
                    expected_ok = not (need.signed_in and role is None)
                else:
                    expected_ok = store.can(role, need.action)
                where = f"{method} {path} as {role}: {resp.status_code} {resp.text[:200]}"
                if expected_ok:
                    assert not gate_refused, where
                else:
                    assert resp.status_code == (401 if role is None else 403), where
                checked += 1
    assert checked > 80
