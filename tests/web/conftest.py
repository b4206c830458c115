"""Fixtures for the web app: an app on a fresh SQLite database, and a test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover.web import Settings, create_app


@pytest.fixture
def web_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for one test: its own database, upload folder and secret."""
    import os

    if "SOCIALCOVER_HOME" not in os.environ:  # keep PDFs and keys out of the real home
        monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "home"))
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'web.db'}",
        secret_key="test-secret",
        upload_dir=tmp_path / "uploads",
        job_workers=1,
    )


@pytest.fixture
def app(web_settings: Settings) -> FastAPI:
    return create_app(web_settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client that follows the app's lifespan (database upgraded and seeded)."""
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The CSRF token of the page at ``path`` (sets the cookie too)."""
    import re

    html = client.get(path).text
    m = re.search(r'name="csrf-token" content="([0-9a-f]+)"', html)
    assert m, "page has no csrf meta tag"
    return m.group(1)


ROLES = ("contributor", "reviewer", "administrator")
PASSWORD = "a long enough passphrase 42"


@pytest.fixture
def users(client: TestClient, web_settings: Settings) -> dict[str, str]:
    """One account per role (e-mail by role), in the app's database."""
    from socialcover import store

    emails = {}
    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        for role in ROLES:
            email = f"{role}@example.org"
            store.create_user(
                s, store.SystemActor(), email, PASSWORD, role, display_name=role.title()
            )
            emails[role] = email
    return emails


def sign_in(client: TestClient, email: str) -> None:
    """Sign ``client`` in through the form (CSRF token included)."""
    token = csrf_of(client, "/login")
    resp = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text


def sign_out(client: TestClient) -> None:
    token = csrf_of(client)
    client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
