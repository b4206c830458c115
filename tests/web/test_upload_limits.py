"""Request body limits: 413 before the route reads the body; uploads never kept when refused."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialcover.web import Settings, create_app

from .conftest import csrf_of, sign_in

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def small(web_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings with small limits (and the temporary folder watched)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return Settings(
        database_url=web_settings.database_url,
        secret_key=web_settings.secret_key,
        upload_dir=web_settings.upload_dir,
        job_workers=1,
        max_body_bytes=10_000,
        max_pdf_bytes=50_000,
    )


@pytest.fixture
def client(small: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(small), raise_server_exceptions=False) as c:
        yield c


def _chunks(size: int) -> Iterator[bytes]:
    for _ in range(size // 1000):
        yield b"x" * 1000


def test_a_declared_length_over_the_limit_is_refused_before_the_route(client: TestClient) -> None:
    # anonymous: the route would answer 401, but the body is refused before it runs
    resp = client.post(
        "/api/v1/practices",
        content=b"{" + b" " * 20_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert resp.status_code == 413, resp.text
    error = resp.json()["error"]
    assert error["code"] == "http.too-large" and error["context"]["limit_bytes"] == 10_000


def test_a_chunked_body_over_the_general_limit_is_refused(client: TestClient) -> None:
    resp = client.post(
        "/api/v1/practices",
        content=_chunks(50_000),
        headers={"content-type": "application/json"},
    )
    assert "content-length" not in resp.request.headers
    assert resp.status_code == 413, resp.text
    assert resp.json()["error"]["code"] == "http.too-large"


def test_a_chunked_page_form_over_the_limit_gets_the_error_page(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["contributor"])
    resp = client.post(
        "/practices",
        content=_chunks(50_000),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert resp.status_code == 413
    assert resp.headers["content-type"].startswith("text/html") and "<h1" in resp.text


def test_a_body_under_the_limit_reaches_the_route(client: TestClient) -> None:
    resp = client.post(
        "/api/v1/practices",
        content=_chunks(5_000),
        headers={"content-type": "application/json"},
    )
    assert resp.status_code == 422, resp.text  # read whole and parsed by the route


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_a_pdf_over_its_limit_is_refused_and_nothing_is_kept(
    client: TestClient, users: dict[str, str], tmp_path: Path
) -> None:
    from socialcover import store
    from socialcover.knowledge.publications import files_root

    url = client.app.state.settings.database_url  # type: ignore[attr-defined]
    with store.session_scope(store.SystemActor(), url=url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, users["contributor"]), "limits")
    auth = {"Authorization": f"Bearer {token}"}
    pid = client.post("/api/v1/publications", json={"title": "Big", "kind": "study"}, headers=auth)
    assert pid.status_code == 201, pid.text
    big = PDF + b"0" * 52_000  # over the PDF limit, under the route's body limit
    root = files_root()
    stored_before = _files(root)
    resp = client.post(
        f"/api/v1/publications/{pid.json()['id']}/file",
        files={"file": ("big.pdf", big, "application/pdf")},
        headers=auth,
    )
    assert resp.status_code == 413, resp.text
    assert resp.json()["error"]["context"]["limit_bytes"] == 50_000
    assert list((tmp_path / "tmp").iterdir()) == []
    assert _files(root) == stored_before  # other tests may share the home: nothing new
    ok = client.post(
        f"/api/v1/publications/{pid.json()['id']}/file",
        files={"file": ("small.pdf", PDF, "application/pdf")},
        headers=auth,
    )
    assert ok.status_code == 200 and ok.json()["file_size"] == len(PDF)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_page_pdf_upload_over_the_route_limit_creates_nothing(
    client: TestClient, users: dict[str, str]
) -> None:
    sign_in(client, users["contributor"])
    before = client.get("/api/v1/publications").json()["total"]
    resp = client.post(
        "/publications",
        data={"title": "Too big", "kind": "study", "csrf_token": csrf_of(client)},
        files={"file": ("big.pdf", PDF + b"0" * 100_000, "application/pdf")},
    )
    assert resp.status_code == 413
    assert client.get("/api/v1/publications").json()["total"] == before
