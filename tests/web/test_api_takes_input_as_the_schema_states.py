"""The API takes dates, times and yes/no as its schema states them, and nothing it guesses.

Found by schemathesis (negative data): pydantic's lax mode read ``0`` as the date 1970-01-01
and ``1`` or ``"yes"`` as true; a survey file without a name answered 400 where the schema
allows it (an invalid field is 422 everywhere else); PATCH on the literal path
``/monitor/evaluations/schedule`` reached ``PATCH /monitor/evaluations/{eid}``.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcover.web import Settings

API = "/api/v1"


@pytest.fixture
def bearer(users: dict[str, str], web_settings: Settings) -> dict[str, str]:
    from socialcover import store

    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, users["reviewer"]), "t")
    return {"Authorization": f"Bearer {token}"}


def _refused(resp: Any, field: str) -> None:
    assert resp.status_code == 422, resp.text
    error = resp.json()["error"]
    assert error["code"] in ("input.invalid", "store.invalid")
    assert field in error["message"], error["message"]
    assert {"code", "message", "hint"} <= set(error)


def test_a_date_in_a_body_is_yyyy_mm_dd(client: TestClient, bearer: dict[str, str]) -> None:
    for bad in (0, 20300101, "0", "20300101", "1/1/2030", True):
        body = {"subject_type": "programme", "evaluation_type": "final", "planned_on": bad}
        resp = client.post(f"{API}/monitor/evaluations/schedule", json=body, headers=bearer)
        _refused(resp, "planned_on")
        assert "YYYY-MM-DD" in resp.json()["error"]["message"]
    listed = client.get(f"{API}/monitor/evaluations/schedule", headers=bearer).json()
    assert listed["items"] == []  # nothing was saved
    body = {"subject_type": "programme", "evaluation_type": "final", "planned_on": "2030-01-01"}
    resp = client.post(f"{API}/monitor/evaluations/schedule", json=body, headers=bearer)
    assert resp.status_code == 201, resp.text
    assert resp.json()["planned_on"] == "2030-01-01"


def test_a_date_in_a_query_is_yyyy_mm_dd(client: TestClient, bearer: dict[str, str]) -> None:
    for route, name in (("evaluations/schedule", "today"), ("recommendations", "before")):
        for bad in ("0", "1700000000", "2030-13-01", "tomorrow"):
            resp = client.get(f"{API}/monitor/{route}", params={name: bad}, headers=bearer)
            _refused(resp, name)
        ok = client.get(f"{API}/monitor/{route}", params={name: "2030-01-01"}, headers=bearer)
        assert ok.status_code == 200, ok.text


EVENT = {
    "kind": "webinar",
    "title": "Coverage of informal workers",
    "starts_at": "2030-03-10T14:00",
    "ends_at": "2030-03-10T15:30",
}


def test_yes_or_no_and_times_in_a_body_as_json_writes_them(
    client: TestClient, bearer: dict[str, str]
) -> None:
    for bad in (1, 0, "yes", "true", "on"):
        resp = client.post(f"{API}/events", json=EVENT | {"registration_open": bad}, headers=bearer)
        _refused(resp, "registration_open")
    for bad in (0, 1893456000, "1893456000", "2030-03-10"):
        resp = client.post(f"{API}/events", json=EVENT | {"starts_at": bad}, headers=bearer)
        _refused(resp, "starts_at")
    ok = client.post(f"{API}/events", json=EVENT | {"registration_open": True}, headers=bearer)
    assert ok.status_code == 201, ok.text
    assert ok.json()["registration_open"] is True


def test_a_yes_or_no_in_a_query_is_true_or_false(
    client: TestClient, bearer: dict[str, str]
) -> None:
    schedule = f"{API}/monitor/evaluations/schedule"
    for bad in ("1", "0", "yes", "on", "True"):
        _refused(client.get(schedule, params={"overdue": bad}, headers=bearer), "overdue")
        resp = client.get(f"{API}/monitor/observations", params={"unapproved": bad}, headers=bearer)
        _refused(resp, "unapproved")
    for good in ("true", "false"):
        ok = client.get(schedule, params={"overdue": good}, headers=bearer)
        assert ok.status_code == 200, ok.text


def test_a_survey_file_without_a_name_is_an_invalid_field(
    client: TestClient, bearer: dict[str, str]
) -> None:
    for name in ("", "survey"):
        resp = client.post(
            f"{API}/surveys/jobs", files={"file": (name, b"a,b\n1,2\n", "text/csv")}, headers=bearer
        )
        assert resp.status_code == 422, resp.text
        assert {"code", "message", "hint"} <= set(resp.json()["error"])


def test_a_literal_path_does_not_fall_through_to_a_parameter(
    client: TestClient, bearer: dict[str, str]
) -> None:
    for method in ("PATCH", "DELETE", "PUT"):
        resp = client.request(
            method, f"{API}/monitor/evaluations/schedule", json={}, headers=bearer
        )
        assert resp.status_code == 405, resp.text
        assert resp.json()["error"]["code"] == "http.method-not-allowed"
        allow = {m.strip() for m in resp.headers["allow"].split(",")}
        assert allow == {"GET", "HEAD", "POST", "OPTIONS"}
    assert client.patch(f"{API}/monitor/evaluations/1", json={}, headers=bearer).status_code != 405


def test_a_record_id_in_a_body_beyond_64_bits_is_422(
    client: TestClient, bearer: dict[str, str]
) -> None:
    # found by schemathesis: the database driver overflowed (500) on an unbounded id
    huge = 99999999999999999999
    body = {"organisation_a_id": huge, "organisation_b_id": 1, "kind": "network"}
    _refused(client.post(f"{API}/partnerships", json=body, headers=bearer), "organisation_a_id")
    talk = EVENT | {"registration_open": False}
    resp = client.post(f"{API}/events", json=talk, headers=bearer)
    eid = resp.json()["id"]
    item = {"title": "Opening", "speakers": [{"name": "A. Speaker", "organisation_id": huge}]}
    resp = client.post(f"{API}/events/{eid}/sessions", json=item, headers=bearer)
    _refused(resp, "organisation_id")
