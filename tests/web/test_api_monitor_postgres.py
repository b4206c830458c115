"""The monitoring API on PostgreSQL: entered, submitted, approved, then public and aggregated."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover import store
from socialcover.store.testing import postgres_database
from socialcover.web import Settings, create_app

from .conftest import PASSWORD

__all__ = ["postgres_database"]
pytestmark = [pytest.mark.postgres, pytest.mark.shared_data]

API = "/api/v1/monitor"
ROW = {
    "indicator": "sdg131.children",
    "area": "KEN",
    "year": 2023,
    "value": 41.5,
    "nature": "administrative",
    "source": "Kenya ministry",
    "vintage": "2024-06",
}


@pytest.fixture
def pg_client(postgres_database: str, tmp_path: Path, installed_pack: Path) -> Iterator[TestClient]:
    app = create_app(
        Settings(database_url=postgres_database, secret_key="k", upload_dir=tmp_path / "uploads")
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_approval_through_the_api_on_postgresql(
    pg_client: TestClient, postgres_database: str
) -> None:
    auth = {}
    with store.session_scope(store.SystemActor(), url=postgres_database) as s:
        for role in ("contributor", "reviewer"):
            user = store.create_user(
                s, store.SystemActor(), f"pg-{role}@example.org", PASSWORD, role
            )
            _row, token = store.create_api_token(s, user, "monitor")
            auth[role] = {"Authorization": f"Bearer {token}"}
    resp = pg_client.post(f"{API}/observations", headers=auth["contributor"], json={"rows": [ROW]})
    assert resp.status_code == 200 and resp.json()["new"] == 1, resp.text
    world = {"indicator": ROW["indicator"], "year": 2023, "by": "world"}
    assert pg_client.get(f"{API}/aggregates", params=world).json()["items"][0]["value"] is None
    for step, role in (("submit", "contributor"), ("approve", "reviewer")):
        moved = pg_client.post(f"{API}/data-sets/KEN/2023/{step}", headers=auth[role])
        assert moved.status_code == 200, moved.text
    public = pg_client.get(f"{API}/observations", params={"area": "KEN"}).json()
    assert [r["value"] for r in public["items"]] == [41.5]
    value = pg_client.get(f"{API}/aggregates", params=world).json()["items"][0]["value"]
    assert value == pytest.approx(41.5)
