"""HEAD on every GET route answers the GET's status and headers, without a body.

Every ``Allow`` header names HEAD wherever GET is allowed (``error_shape.allowed_methods``);
FastAPI's routes declare GET only, so HEAD used to meet 405 on every page and API route.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover.web.access import route_table

# Headers that differ between two requests of the same page by design.
VOLATILE = {"date", "set-cookie"}


def _fill(path: str) -> str:
    ids = {"code": "KEN", "area": "KEN", "indicator": "sdg131.children", "year": "2023"}
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: ids.get(m.group(1), "1"), path)


def _same_headers(get: object, head: object) -> tuple[dict[str, str], dict[str, str]]:
    def keep(resp: object) -> dict[str, str]:
        headers = resp.headers  # type: ignore[attr-defined]
        return {k: v for k, v in headers.items() if k not in VOLATILE}

    return keep(get), keep(head)


def test_head_answers_every_get_route_as_get_without_a_body(app: FastAPI) -> None:
    # one client per request kind, each with its CSRF cookie already set: the pages then
    # carry the same token, so GET and HEAD have the same length
    with TestClient(app, raise_server_exceptions=False) as client:
        client.get("/login")
        seen: dict[int, int] = {}
        for path, methods, _needs, is_api in route_table(app):
            if "GET" not in methods or not is_api:
                continue
            url = _fill(path)
            get = client.get(url, follow_redirects=False)
            head = client.head(url, follow_redirects=False)
            assert head.status_code == get.status_code, (url, head.status_code, get.status_code)
            assert head.content == b"", url
            got, want = _same_headers(get, head)
            if got.get("content-type", "").startswith(("text/html", "application/json")):
                # the body of a page or a JSON answer is the same bytes both times
                assert want == got, url
            else:  # files made afresh (workbooks) may differ in length: same header names
                assert set(want) == set(got), url
            seen[get.status_code] = seen.get(get.status_code, 0) + 1
    assert seen.get(200, 0) > 40, seen  # pages and API routes, not only errors


def test_head_on_a_path_without_get_is_404_or_405(client: TestClient) -> None:
    resp = client.head("/login/nothing-here")
    assert resp.status_code == 404 and resp.content == b""
    only_post = client.head("/logout")
    assert only_post.status_code == 405 and "HEAD" not in only_post.headers["allow"]


def test_head_keeps_the_content_length_of_the_get(client: TestClient) -> None:
    get = client.get("/api/v1/practices")
    head = client.head("/api/v1/practices")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == "application/json"
