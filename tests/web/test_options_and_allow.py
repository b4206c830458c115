"""OPTIONS answers 204 with every method of the path; a wrong method's 405 names them all."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _allow(resp: object) -> set[str]:
    return {m.strip() for m in resp.headers["allow"].split(",")}  # type: ignore[attr-defined]


def test_options_lists_every_method_of_the_path(client: TestClient) -> None:
    resp = client.options("/api/v1/practices")
    assert resp.status_code == 204 and resp.content == b""
    assert _allow(resp) == {"GET", "HEAD", "POST", "OPTIONS"}
    one = client.options("/api/v1/practices/1")
    assert one.status_code == 204 and {"GET", "PATCH", "OPTIONS"} <= _allow(one)


def test_wrong_method_names_all_allowed_ones_in_the_error_shape(client: TestClient) -> None:
    resp = client.put("/api/v1/practices", json={})
    assert resp.status_code == 405
    assert _allow(resp) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert resp.json()["error"]["code"] == "http.method-not-allowed"


def test_options_on_an_unknown_path_is_404(client: TestClient) -> None:
    resp = client.options("/api/v1/nothing-here")
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "http.not-found"


def test_a_literal_path_is_not_mixed_with_a_path_parameter(client: TestClient) -> None:
    # /evaluations/schedule also fits /evaluations/{eid}, whose PATCH it does not answer
    resp = client.options("/api/v1/monitor/evaluations/schedule")
    assert _allow(resp) == {"GET", "HEAD", "POST", "OPTIONS"}
