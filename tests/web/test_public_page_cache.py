"""Anonymous pages are rendered once per data version, yet each reader gets their own CSRF
token and no reader ever sees a page older than the last write."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .conftest import csrf_of, sign_in, sign_out
from .test_practice_workflow import FORM, _draft


def _meta_token(html: str) -> str:
    m = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def test_cached_page_carries_each_readers_own_csrf_token(app: FastAPI) -> None:
    with TestClient(app) as one, TestClient(app) as two:
        first = one.get("/practices?q=pension")
        second = two.get("/practices?q=pension")  # served from the page cache
        assert first.status_code == second.status_code == 200
        assert _meta_token(first.text) != _meta_token(second.text)
        assert "csrf-slot-" not in second.text
        assert _meta_token(second.text) == csrf_of(two, "/practices?q=pension")


def test_country_page_shows_a_practice_published_after_it_was_cached(
    installed_pack: Path, client: TestClient, users: dict[str, str]
) -> None:
    before = client.get("/countries/KEN").text
    assert FORM["title"] not in before
    sign_in(client, users["contributor"])
    pid = _draft(client)
    client.post(f"/practices/{pid}/submit", data={"csrf_token": csrf_of(client)})
    sign_out(client)
    sign_in(client, users["reviewer"])
    resp = client.post(
        f"/practices/{pid}/publish",
        data={"csrf_token": csrf_of(client), "comment": "ok"},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    sign_out(client)
    assert client.get(f"/practices/{pid}").status_code == 200
    assert FORM["title"] in client.get("/countries/KEN").text
