"""Anonymous costing runs are limited per client address (429 with Retry-After, the one error
shape, a setting for the limit), signed-in callers are not, and a run's rows come in pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover.web import Settings, create_app
from socialcover.web.heavy import HeavyWorkLimiter

pytestmark = pytest.mark.shared_data

SCENARIO = {"country": "KEN", "package": "spf-four-guarantees", "horizon": 2028}


@pytest.fixture
def limited(web_settings: Settings) -> Iterator[TestClient]:
    app = create_app(replace(web_settings, anonymous_heavy_per_minute=2))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_third_anonymous_run_in_a_minute_gets_429(
    installed_pack: Path, limited: TestClient
) -> None:
    assert limited.post("/api/v1/costing/run", json=SCENARIO).status_code == 200
    assert limited.get("/api/v1/costing/run?country=KEN&end_year=2027").status_code == 200
    resp = limited.post("/api/v1/costing/run", json=SCENARIO)
    assert resp.status_code == 429
    wait = int(resp.headers["Retry-After"])
    assert 1 <= wait <= 60
    err = resp.json()["error"]
    assert err["code"] == "http.rate-limited" and "2 a minute" in err["message"]
    assert "testclient" in err["message"] and "token" in err["hint"]
    assert limited.get("/api/v1/costing/workbook?country=KEN").status_code == 429
    # light routes are not counted
    assert limited.get("/api/v1/costing/packages").status_code == 200


def test_signed_in_callers_are_not_limited(
    installed_pack: Path, limited: TestClient, web_settings: Settings
) -> None:
    from socialcover import store

    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        user = store.create_user(
            s,
            store.SystemActor(),
            "analyst@example.org",
            "a long enough passphrase 42",
            "contributor",
        )
        _row, token = store.create_api_token(s, user, "heavy")
    auth = {"Authorization": f"Bearer {token}"}
    for _ in range(3):
        resp = limited.get("/api/v1/costing/run?country=KEN&end_year=2026", headers=auth)
        assert resp.status_code == 200


def test_a_limit_of_zero_turns_it_off() -> None:
    lim = HeavyWorkLimiter(0)
    assert all(lim.wait_s("10.0.0.1") == 0 for _ in range(100))


def test_window_slides_per_address() -> None:
    now = [100.0]
    lim = HeavyWorkLimiter(2, clock=lambda: now[0])
    assert [lim.wait_s("a"), lim.wait_s("a"), lim.wait_s("a")] == [0, 0, 60]
    assert lim.wait_s("b") == 0  # another address has its own window
    now[0] = 130.0
    assert lim.wait_s("a") == 30  # refused requests are not counted
    now[0] = 160.0
    assert lim.wait_s("a") == 0


def test_run_rows_come_in_pages_with_whole_totals(installed_pack: Path, client: TestClient) -> None:
    whole = client.post("/api/v1/costing/run?per_page=10000", json=SCENARIO).json()
    total = whole["total"]
    assert total == len(whole["rows"]) > 7 and whole["next"] is None
    first = client.post("/api/v1/costing/run?per_page=7", json=SCENARIO).json()
    assert len(first["rows"]) == 7 and first["total"] == total and "page=2" in first["next"]
    assert first["totals"] == whole["totals"]  # totals are never cut
    rows = []
    page = 1
    while True:
        got = client.post(f"/api/v1/costing/run?per_page=7&page={page}", json=SCENARIO).json()
        rows += got["rows"]
        if got["next"] is None:
            break
        page += 1
    assert rows == whole["rows"]
    assert client.post("/api/v1/costing/run?per_page=10001", json=SCENARIO).status_code == 422
