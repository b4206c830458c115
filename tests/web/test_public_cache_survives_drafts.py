"""A private draft leaves the anonymous page and search caches in place; a publication, an edit
of a published practice and a withdrawal replace them at once (a stale public page is a bug).

The caches are keyed on the public version (``web.database.public_version``), which moves only
with writes the public can see; it used to be the newest audit row, which every draft moves.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from socialcover import knowledge, store
from socialcover.web import render, search_view

from .conftest import csrf_of, sign_in, sign_out
from .test_practice_workflow import FORM, _draft

PAGE = "/practices?q=domestic"
API = "/api/v1/search?q=domestic"


def _cached() -> set[tuple[Any, ...]]:
    return set(render._PAGES.data) | set(search_view._CACHE.data)


def _read(anon: TestClient) -> tuple[str, dict[str, Any]]:
    page, api = anon.get(PAGE), anon.get(API)
    assert page.status_code == api.status_code == 200
    return re.sub(r"</?mark>", "", page.text), api.json()


def _titles(api: dict[str, Any]) -> list[str]:
    return [h["title"] for h in api["items"]]


def _step(client: TestClient, path: str, **data: str) -> None:
    resp = client.post(path, data={"csrf_token": csrf_of(client), **data}, follow_redirects=False)
    assert resp.status_code == 303, resp.text


def test_a_draft_keeps_the_cache_and_public_changes_replace_it(
    client: TestClient, users: dict[str, str]
) -> None:
    anon = TestClient(client.app, raise_server_exceptions=False)
    _read(anon)
    kept = _cached()
    sign_in(client, users["contributor"])
    pid = _draft(client)
    _step(client, f"/practices/{pid}/submit")
    sign_out(client)
    page, api = _read(anon)
    assert _cached() == kept  # served from the entries made before the draft
    assert FORM["title"] not in page and FORM["title"] not in _titles(api)

    sign_in(client, users["reviewer"])
    _step(client, f"/practices/{pid}/publish", comment="ok")
    page, api = _read(anon)
    assert _cached() > kept  # built again, for the new public version
    assert FORM["title"] in page and FORM["title"] in _titles(api)

    edited = "Subsidised contributions for domestic workers, revised"
    token = csrf_of(client, f"/practices/{pid}/edit")
    form = {**FORM, "title": edited, "csrf_token": token}
    resp = client.post(f"/practices/{pid}/edit", data=form, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    page, api = _read(anon)
    assert edited in page and edited in _titles(api) and FORM["title"] not in page

    # a withdrawal made elsewhere (here the library's own function) is seen at once too
    settings = client.app.state.settings  # type: ignore[attr-defined]
    with store.session_scope(store.SystemActor(), url=settings.database_url) as s:
        reviewer = store.get_user(s, users["reviewer"])
    with store.session_scope(reviewer, url=settings.database_url) as s:
        knowledge.withdraw_practice(s, reviewer, pid, "outdated")
    page, api = _read(anon)
    assert edited not in page and edited not in _titles(api)
