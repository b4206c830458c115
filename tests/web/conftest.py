"""Fixtures for the web app: an app on a fresh SQLite database, and a test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover.web import Settings, create_app


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    """Settings for one test: its own database, upload folder and secret."""
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
