"""A contributor drafts a practice, a reviewer publishes it, an anonymous reader finds it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .conftest import csrf_of, sign_in, sign_out

FORM = {
    "title": "Subsidised pension contributions for domestic workers",
    "country_iso3": "KEN",
    "guarantee": "old_age",
    "assessment": "good",
    "mechanism": "subsidised contributions",
    "target_groups": "domestic workers, informal workers",
    "period_start": "2015",
    "period_end": "2022",
    "summary": "The state pays half of the contribution of registered domestic workers.",
    "what_was_done": "Registration drives in markets; mobile payment of contributions.",
    "results": "Membership of domestic workers tripled in five years.",
    "lessons": "Mobile payment mattered more than the subsidy.",
    "language": "en",
}


def _draft(client: TestClient) -> int:
    token = csrf_of(client, "/practices/new")
    resp = client.post("/practices", data={**FORM, "csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    m = re.match(r"/practices/(\d+)$", resp.headers["location"])
    assert m
    return int(m.group(1))


def test_contributor_drafts_reviewer_publishes_reader_finds(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["contributor"])
    pid = _draft(client)
    page = client.get(f"/practices/{pid}").text
    assert "draft" in page and FORM["title"] in page
    client.post(f"/practices/{pid}/submit", data={"csrf_token": csrf_of(client)})
    sign_out(client)

    # the anonymous reader cannot see the submitted draft
    assert client.get(f"/practices/{pid}").status_code == 404
    assert FORM["title"] not in client.get("/practices?q=domestic").text

    sign_in(client, users["reviewer"])
    assert FORM["title"] in client.get("/review").text
    resp = client.post(
        f"/practices/{pid}/publish",
        data={"csrf_token": csrf_of(client), "comment": "Clear and sourced."},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    sign_out(client)

    # the very query the reader ran before publication now finds it (no stale cached result)
    assert FORM["title"] in re.sub(r"</?mark>", "", client.get("/practices?q=domestic").text)
    found = client.get("/practices?q=domestic+workers&branch=old_age")
    assert found.status_code == 200
    assert FORM["title"] in re.sub(r"</?mark>", "", found.text)
    assert "<mark>domestic</mark>" in found.text.lower()
    assert client.get(f"/practices/{pid}").status_code == 200


def test_contributor_cannot_publish(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["contributor"])
    pid = _draft(client)
    resp = client.post(f"/practices/{pid}/publish", data={"csrf_token": csrf_of(client)})
    assert resp.status_code == 403


def test_history_and_revert_for_editors(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["contributor"])
    pid = _draft(client)
    edit = client.get(f"/practices/{pid}/edit").text
    version = re.search(r'name="version" value="(\d+)"', edit)
    assert version
    resp = client.post(
        f"/practices/{pid}/edit",
        data={
            **FORM,
            "title": "A changed title",
            "version": version.group(1),
            "csrf_token": csrf_of(client),
        },
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    sign_out(client)
    sign_in(client, users["reviewer"])
    hist = client.get(f"/practices/{pid}/history").text
    assert "practice.update" in hist and "practice.create" in hist
    resp = client.post(
        f"/practices/{pid}/revert",
        data={"version": "1", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    assert FORM["title"] in client.get(f"/practices/{pid}").text


def test_practice_exports_have_every_field(client: TestClient) -> None:
    import io

    import polars as pl

    csv = client.get("/api/v1/practices?q=pension&format=csv")
    assert csv.status_code == 200
    table = pl.read_csv(io.BytesIO(csv.content))
    assert {"title", "summary", "lessons", "country_iso3", "assessment"} <= set(table.columns)
    assert table.height == client.get("/api/v1/practices?q=pension").json()["total"] > 0
    page = client.get("/practices?q=pension").text
    assert "/api/v1/practices?q=pension&amp;" in page and "format=xlsx" in page
