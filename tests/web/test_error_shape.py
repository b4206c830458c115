"""Every error of the REST API has ONE JSON shape: {"error": {"code", "message", "hint"}}."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover.errors import NotFoundError


def _check_shape(body: Any) -> dict[str, Any]:
    assert set(body) == {"error"}, body
    err = body["error"]
    assert {"code", "message", "hint"} <= set(err), err
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    assert isinstance(err["hint"], str)
    return err


@pytest.fixture
def boom_app(app: FastAPI) -> FastAPI:
    """The app plus two routes that fail, to reach the 500 and domain-error paths."""

    async def crash() -> None:
        raise RuntimeError("secret internal detail")

    async def missing() -> None:
        raise NotFoundError("No practice 99.", code="knowledge.not-found", hint="List them.")

    app.add_api_route("/api/v1/_test/crash", crash)
    app.add_api_route("/api/v1/_test/missing", missing)
    return app


ERROR_PATHS = [
    ("GET", "/api/v1/does-not-exist", None, 404, "http.not-found"),
    ("DELETE", "/api/v1/countries", None, 405, "http.method-not-allowed"),
    ("GET", "/api/v1/countries?page=0", None, 422, "input.invalid"),
    ("GET", "/api/v1/countries?per_page=100000", None, 422, "input.invalid"),
    ("GET", "/api/v1/countries?format=pdf", None, 422, "input.invalid"),
    ("GET", "/api/v1/_test/crash", None, 500, "internal"),
    ("GET", "/api/v1/_test/missing", None, 404, "knowledge.not-found"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "code"), ERROR_PATHS)
def test_error_paths_share_one_shape(
    boom_app: FastAPI, method: str, path: str, body: Any, status: int, code: str
) -> None:
    with TestClient(boom_app, raise_server_exceptions=False) as client:
        resp = client.request(method, path, json=body)
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    err = _check_shape(resp.json())
    assert err["code"] == code
    assert "secret internal detail" not in resp.text


def test_page_errors_are_html_with_the_same_three_things(client: TestClient) -> None:
    resp = client.get("/no-such-page")
    assert resp.status_code == 404
    assert "text/html" in resp.headers["content-type"]
    assert "http.not-found" in resp.text and "How to fix" in resp.text


def test_xlsx_export_survives_control_characters() -> None:
    """Found by schemathesis: a stored title with control characters broke the Excel export."""
    import io

    from openpyxl import load_workbook

    from socialcover.web.exports import table_response

    resp = table_response([{"title": "bad\x01\x0bname", "n": 1}], "xlsx", "t")
    ws = load_workbook(io.BytesIO(resp.body)).active
    assert ws is not None and ws["A2"].value == "badname"
