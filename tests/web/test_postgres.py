"""The app on PostgreSQL: the practice workflow and search (tsvector) through the web layer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover.store.testing import postgres_database
from socialcover.web import Settings, create_app

from .conftest import PASSWORD, csrf_of, sign_in, sign_out
from .test_practice_workflow import FORM

__all__ = ["postgres_database"]
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_client(postgres_database: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(
        Settings(database_url=postgres_database, secret_key="k", upload_dir=tmp_path / "uploads")
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_workflow_and_search_on_postgresql(pg_client: TestClient, postgres_database: str) -> None:
    from socialcover import store

    with store.session_scope(store.SystemActor(), url=postgres_database) as s:
        for role in ("contributor", "reviewer"):
            store.create_user(s, store.SystemActor(), f"pg-{role}@example.org", PASSWORD, role)
    sign_in(pg_client, "pg-contributor@example.org")
    resp = pg_client.post(
        "/practices",
        data={**FORM, "csrf_token": csrf_of(pg_client, "/practices/new")},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    pid = resp.headers["location"].rsplit("/", 1)[1]
    pg_client.post(f"/practices/{pid}/submit", data={"csrf_token": csrf_of(pg_client)})
    sign_out(pg_client)
    sign_in(pg_client, "pg-reviewer@example.org")
    pg_client.post(f"/practices/{pid}/publish", data={"csrf_token": csrf_of(pg_client)})
    sign_out(pg_client)
    found = pg_client.get("/practices?q=domestic&branch=old_age").text
    assert FORM["title"] in re.sub(r"</?mark>", "", found)
    api = pg_client.get("/api/v1/search?q=domestic").json()
    assert any(str(h["record_id"]) == pid for h in api["items"])
