"""Every form refuses a request without its CSRF token; cookies carry safe flags."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover.web.access import route_table

from .conftest import PASSWORD, csrf_of, sign_in


def _page_writes(app: FastAPI) -> list[tuple[str, str]]:
    out = []
    for path, methods, _needs, is_api in route_table(app):
        if not is_api or path.startswith("/api/"):
            continue
        for m in methods & {"POST", "PUT", "PATCH", "DELETE"}:
            out.append((m, re.sub(r"\{\w+\}", "1", path)))
    return out


def test_every_page_write_without_token_is_refused(
    app: FastAPI, client: TestClient, users: dict[str, str]
) -> None:
    writes = _page_writes(app)
    assert ("POST", "/login") in writes and ("POST", "/practices") in writes
    sign_in(client, users["administrator"])
    for method, path in writes:
        for data in ({}, {"csrf_token": "0" * 64}):
            resp = client.request(
                method,
                path,
                data=data,
                headers={"Accept": "application/json"},
                follow_redirects=False,
            )
            assert resp.status_code == 403, (method, path, resp.status_code)
            assert resp.json()["error"]["code"] == "auth.csrf"


def test_token_of_another_browser_is_refused(client: TestClient, users: dict[str, str]) -> None:
    other = TestClient(client.app, raise_server_exceptions=False)
    foreign = csrf_of(other, "/login")
    csrf_of(client, "/login")
    resp = client.post(
        "/login",
        data={"email": users["contributor"], "password": PASSWORD, "csrf_token": foreign},
        follow_redirects=False,
    )
    assert resp.status_code == 403


def test_session_and_csrf_cookies_are_httponly_and_lax(
    client: TestClient, users: dict[str, str]
) -> None:
    first = client.get("/login")
    csrf_cookie = first.headers["set-cookie"]
    assert "HttpOnly" in csrf_cookie and "SameSite=lax" in csrf_cookie.replace("Lax", "lax")
    assert "Secure" not in csrf_cookie  # plain http on localhost
    token = csrf_of(client, "/login")
    resp = client.post(
        "/login",
        data={"email": users["contributor"], "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    session_cookie = next(
        v for k, v in resp.headers.multi_items() if k == "set-cookie" and "sc_session" in v
    )
    assert "HttpOnly" in session_cookie and "samesite=lax" in session_cookie.lower()


@pytest.mark.parametrize("header", [{"X-Forwarded-Proto": "https"}])
def test_cookies_are_secure_behind_https(client: TestClient, header: dict[str, str]) -> None:
    fresh = TestClient(client.app)
    resp = fresh.get("/login", headers=header)
    assert "Secure" in resp.headers["set-cookie"]


def test_security_headers(client: TestClient) -> None:
    resp = client.get("/login")
    assert "default-src 'self'" in resp.headers["content-security-policy"]
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["x-frame-options"] == "DENY"
