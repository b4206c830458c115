"""Starter content on first start; publications with counted downloads; actors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from .conftest import csrf_of, sign_in

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_first_start_seeds_starter_practices_publications_actors(client: TestClient) -> None:
    practices = client.get("/api/v1/practices").json()
    assert practices["total"] > 3
    assert client.get("/api/v1/publications").json()["total"] > 0
    actors = client.get("/api/v1/actors").json()
    assert actors["total"] > 3
    oid = actors["items"][0]["id"]
    assert client.get(f"/actors/{oid}").status_code == 200
    assert "<table>" in client.get("/actors").text


def test_upload_publish_and_count_downloads(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["reviewer"])
    resp = client.post(
        "/publications",
        data={
            "title": "Extending coverage to domestic workers",
            "kind": "study",
            "year": "2021",
            "language": "en",
            "publisher": "Example",
            "csrf_token": csrf_of(client, "/publications/new"),
        },
        files={"file": ("study.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    pid = int(resp.headers["location"].rsplit("/", 1)[1])
    client.post(f"/publications/{pid}/publish", data={"csrf_token": csrf_of(client)})
    anon = TestClient(client.app)
    for _ in range(2):
        f = anon.get(f"/publications/{pid}/file")
        assert f.status_code == 200 and f.content == PDF
    assert anon.get(f"/api/v1/publications/{pid}").json()["download_count"] == 2
    page = anon.get(f"/publications/{pid}").text
    assert re.search(r'id="download-count">2<', page)
    listing = anon.get("/publications").text
    assert "Extending coverage to domestic workers" in listing


def test_not_a_pdf_is_refused_with_a_hint(client: TestClient, users: dict[str, str]) -> None:
    sign_in(client, users["contributor"])
    resp = client.post(
        "/publications",
        data={
            "title": "Not a PDF",
            "kind": "study",
            "language": "en",
            "csrf_token": csrf_of(client, "/publications/new"),
        },
        files={"file": ("x.pdf", b"hello", "application/pdf")},
        follow_redirects=False,
    )
    assert resp.status_code == 422
    assert "PDF" in resp.text


def test_pages_say_how_to_install_the_data_when_it_is_missing(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "empty-home"))
    home = client.get("/")
    assert home.status_code == 200 and "data import" in home.text
    costing = client.get("/costing")
    assert costing.status_code == 200 and "data import" in costing.text
    country = client.get("/api/v1/countries/KEN")
    assert country.status_code == 503
    assert country.json()["error"]["code"] == "data.not-installed"
