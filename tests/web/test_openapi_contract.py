"""The OpenAPI schema describes the API as it answers: the one error shape for every error,
the bearer security scheme, a schema for every success, the export content types, each route
once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(client: TestClient) -> dict[str, Any]:
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return dict(resp.json())


def _ops(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, m, op)
        for path, item in schema["paths"].items()
        for m, op in item.items()
        if m in METHODS
    ]


def test_errors_have_the_project_shape_not_detail(schema: dict[str, Any]) -> None:
    text = json.dumps(schema)
    assert "HTTPValidationError" not in text and '"detail"' not in text
    err = schema["components"]["schemas"]["ErrorBody"]
    assert err["required"] == ["error"]
    for path, m, op in _ops(schema):
        codes = set(op["responses"])
        assert {"401", "403", "404", "422"} <= codes, (m, path)
        if m != "get":
            assert {"409", "413"} <= codes, (m, path)
        for code, resp in op["responses"].items():
            if code.startswith("4"):
                assert resp["content"] == {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
                }, (m, path, code)


def test_bearer_scheme_required_where_an_account_is(schema: dict[str, Any]) -> None:
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token, created on the account page (`/account`).",
    }
    sec = {(m, p): op["security"] for p, m, op in _ops(schema)}
    assert sec[("get", "/api/v1/practices")] == [{}, {"bearer": []}]  # anyone; more if signed in
    assert sec[("post", "/api/v1/practices")] == [{"bearer": []}]
    assert sec[("get", "/api/v1/surveys/jobs")] == [{"bearer": []}]


def test_every_success_has_a_schema_and_exports_their_types(schema: dict[str, Any]) -> None:
    for path, m, op in _ops(schema):
        for code, resp in op["responses"].items():
            if code.startswith("2") and code != "204":
                assert resp.get("content"), (m, path, code)
                for media, part in resp["content"].items():
                    assert part.get("schema"), (m, path, code, media)
    listing = schema["paths"]["/api/v1/actors"]["get"]["responses"]["200"]["content"]
    assert set(listing) == {
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert listing["application/json"]["schema"]["required"] == ["items"]
    book = schema["paths"]["/api/v1/costing/workbook"]["get"]["responses"]["200"]["content"]
    assert list(book) == ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
    cite = schema["paths"]["/api/v1/practices/{pid}/citation"]["get"]["responses"]["200"]
    assert "application/x-bibtex" in cite["content"] and "application/json" not in cite["content"]


def test_heavy_routes_document_429_with_retry_after(schema: dict[str, Any]) -> None:
    for m, path in (("post", "/api/v1/costing/run"), ("get", "/api/v1/costing/workbook")):
        r429 = schema["paths"][path][m]["responses"]["429"]
        assert "Retry-After" in r429["headers"]
    assert "429" not in schema["paths"]["/api/v1/practices"]["get"]["responses"]


def test_each_route_listed_once_under_one_tag(schema: dict[str, Any]) -> None:
    ids = [op["operationId"] for _p, _m, op in _ops(schema)]
    assert len(ids) == len(set(ids))
    for path, m, op in _ops(schema):
        assert len(op.get("tags", [])) == 1, (m, path, op.get("tags"))


def test_a_real_422_matches_the_documented_shape(client: TestClient) -> None:
    body = client.get("/api/v1/practices?per_page=0").json()
    assert set(body) == {"error"} and {"code", "message", "hint"} <= set(body["error"])


def test_scheduling_an_evaluation_of_a_nameless_practice_is_422(
    client: TestClient, users: dict[str, str], web_settings: Any
) -> None:
    # found by schemathesis: a missing practice id (default "", never validated) was read with
    # int() and answered 500
    from socialcover import store

    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, users["reviewer"]), "t")
    for ref in (None, "", "abc", "99999999999999999999"):
        body = {"subject_type": "practice", "evaluation_type": "final", "planned_on": "2030-01-01"}
        if ref is not None:
            body["subject_ref"] = ref
        resp = client.post(
            "/api/v1/monitor/evaluations/schedule",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert resp.status_code == 422, resp.text
        assert resp.json()["error"]["code"] in ("evaluation.unknown-practice", "input.invalid")


def _empty(schema: dict[str, Any]) -> bool:
    """A JSON schema that says nothing of the body's shape (``{}``, ``{"type": "object"}``)."""
    if schema.get("$ref") or schema.get("properties") or schema.get("items"):
        return False
    alternatives = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    return not alternatives or all(_empty(a) for a in alternatives)


def test_every_json_success_documents_its_shape(schema: dict[str, Any]) -> None:
    # a route returning a plain dict is documented as `{"type": "object"}`: clients and
    # schemathesis's response check learn nothing; give it a response_model (web/schemas/)
    empty = sorted(
        f"{m.upper()} {path} {code} {media}"
        for path, m, op in _ops(schema)
        if path.startswith("/api/v1/")
        for code, resp in op["responses"].items()
        if code.startswith("2")
        for media, part in resp.get("content", {}).items()
        if "json" in media and _empty(part.get("schema", {}))
    )
    assert not empty, "JSON successes without a schema (add a response_model):\n" + "\n".join(empty)


def test_only_the_api_is_in_the_schema(schema: dict[str, Any]) -> None:
    # pages answer HTML: in the schema they were called with JSON expectations (and failed)
    pages = sorted(p for p in schema["paths"] if not p.startswith("/api/"))
    assert not pages, (
        f"pages in the API schema (give their router include_in_schema=False): {pages}"
    )
