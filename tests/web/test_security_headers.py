"""Security headers: one CSP everywhere (the API docs included) and nothing inline in the
templates for it to block, a Permissions-Policy, ``no-store`` on signed-in answers, and HSTS
only when the settings turn it on."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover.web import Settings, create_app
from socialcover.web.security import CSP

from .conftest import csrf_of, sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "socialcover" / "web" / "templates"


def test_every_template_is_free_of_inline_handlers_and_scripts() -> None:
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 20
    for tpl in templates:
        text = tpl.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+\s*=", text, re.I), tpl.name
        assert "javascript:" not in text.lower(), tpl.name
        for attrs in re.findall(r"<script\b([^>]*)>", text, re.I):
            # data for the charts is never run; every other script is a file of the site
            assert "src=" in attrs or 'type="application/json"' in attrs, (tpl.name, attrs)


def test_pages_api_and_docs_carry_the_same_csp(client: TestClient) -> None:
    for path in ("/", "/countries", "/api/v1/docs", "/api/v1/openapi.json", "/no-such-page"):
        resp = client.get(path)
        assert resp.headers["content-security-policy"] == CSP, path
        assert "unsafe-inline" not in CSP.split("script-src")[1].split(";")[0]
        policy = resp.headers["permissions-policy"]
        assert "camera=()" in policy and "geolocation=()" in policy, path
        assert resp.headers["x-content-type-options"] == "nosniff"


def test_api_docs_page_has_no_inline_script(client: TestClient) -> None:
    html = client.get("/api/v1/docs").text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert client.get("/static/api-docs.js").status_code == 200


def test_signed_in_answers_are_not_stored(client: TestClient, users: dict[str, str]) -> None:
    assert "no-store" not in client.get("/countries").headers.get("cache-control", "")
    sign_in(client, users["contributor"])
    for path in ("/account", "/countries", "/practices"):
        assert client.get(path).headers["cache-control"] == "no-store", path
    assert "no-store" not in client.get("/static/app.js").headers.get("cache-control", "")
    resp = client.post(
        "/account/tokens",
        data={"name": "laptop", "csrf_token": csrf_of(client, "/account")},
    )
    assert resp.status_code == 200 and resp.headers["cache-control"] == "no-store"


def test_hsts_is_off_by_default(client: TestClient) -> None:
    resp = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in resp.headers


def test_hsts_when_turned_on_and_only_over_https(web_settings: Settings) -> None:
    app = create_app(dataclasses.replace(web_settings, hsts_seconds=31_536_000))
    with TestClient(app, raise_server_exceptions=False) as c:
        assert "strict-transport-security" not in c.get("/").headers
        resp = c.get("/", headers={"X-Forwarded-Proto": "https"})
        assert resp.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_hsts_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIALCOVER_HSTS_SECONDS", "600")
    assert Settings().hsts_seconds == 600
    monkeypatch.delenv("SOCIALCOVER_HSTS_SECONDS")
    assert Settings().hsts_seconds == 0
