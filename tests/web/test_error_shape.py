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


# (method, path, json body, status, code); "{pid}" is a practice of another user, "{token}"
# marks requests sent with a contributor's API token, "{browser}" with a signed-in session.
ERROR_PATHS = [
    ("GET", "/api/v1/does-not-exist", None, 404, "http.not-found"),
    ("DELETE", "/api/v1/countries", None, 405, "http.method-not-allowed"),
    ("GET", "/api/v1/countries?page=0", None, 422, "input.invalid"),
    ("GET", "/api/v1/countries?per_page=100000", None, 422, "input.invalid"),
    ("GET", "/api/v1/countries?format=pdf", None, 422, "input.invalid"),
    ("GET", "/api/v1/_test/crash", None, 500, "internal"),
    ("GET", "/api/v1/_test/missing", None, 404, "knowledge.not-found"),
    ("GET", "/api/v1/practices/999999", None, 404, "*"),
    ("POST", "/api/v1/practices", {"title": "x"}, 401, "auth.required"),
    ("POST", "{browser}/api/v1/practices", {"title": "x"}, 401, "auth.token-required"),
    ("POST", "{token}/api/v1/practices", {"title": "x"}, 422, "input.invalid"),
    ("POST", "{token}/api/v1/practices/{pid}/publish", None, 403, "auth.forbidden"),
    (
        "PATCH",
        "{token}/api/v1/practices/{own}",
        {"changes": {}, "expected_version": 99},
        409,
        "store.stale",
    ),
    (
        "POST",
        "{token}/api/v1/practices/{own}/claims",
        {
            "key": "reform-2022",
            "text": "A reform in 2022.",
            "kind": "date",
            "event_year": 2022,
            "source": {"title": "A 2018 book", "year": 2018},
        },
        422,
        "claim.source-before-event",
    ),
    ("POST", "{token}/api/v1/claims/1/verify", {"against": "page 3"}, 403, "auth.forbidden"),
    ("GET", "/api/v1/practices/{own}/citation?format=ris", None, 422, "input.invalid"),
    ("POST", "/api/v1/costing/run", {"country": "KEN"}, 422, "*"),
    ("GET", "{token}/api/v1/surveys/jobs/0123456789abcdef", None, 404, "survey.job-not-found"),
    ("POST", "/login", {"email": "nobody@example.org", "password": "wrong"}, 429, "*"),
    # anonymous heavy work over its per-address limit (the app's setting, 10 a minute)
    ("GET", "{heavy}/api/v1/costing/workbook?country=Atlantis", None, 429, "http.rate-limited"),
    # advocacy: an unknown or embargoed record is 404; bad input 422; others' data 403
    ("GET", "/api/v1/events/999999", None, 404, "store.not-found"),
    ("GET", "/api/v1/press/999999", None, 404, "store.not-found"),
    ("GET", "/api/v1/statements/999999", None, 404, "store.not-found"),
    ("GET", "/api/v1/events?kind=party", None, 422, "event.unknown-kind"),
    ("POST", "{token}/api/v1/events", {"kind": "party"}, 422, "input.invalid"),
    (
        "POST",
        "{token}/api/v1/press",
        {"texts": {"en": {"title": "Typed", "body": "45% covered"}}, "embargo_until": "2030-01-01"},
        422,
        "input.invalid",
    ),
    ("POST", "/api/v1/events/999999/registrations", {"name": "A"}, 404, "store.not-found"),
    ("POST", "{token}/api/v1/people/export", {"email": "author@example.org"}, 403, "*"),
    ("GET", "/api/v1/media/sdg131.childs/KEN", None, 404, "monitor.unknown-indicator"),
    ("GET", "/api/v1/media/sdg131.children/KEN", None, 404, "media.no-data"),
    ("GET", "/api/v1/media/sdg131.children/KEN?format=gif", None, 422, "input.invalid"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "code"), ERROR_PATHS)
def test_error_paths_share_one_shape(
    boom_app: FastAPI, method: str, path: str, body: Any, status: int, code: str
) -> None:
    from socialcover import store

    from .conftest import PASSWORD, csrf_of, sign_in

    with TestClient(boom_app, raise_server_exceptions=False) as client:
        url = boom_app.state.settings.database_url
        headers = {"Accept": "application/json"}
        with store.session_scope(store.SystemActor(), url=url) as s:
            sa = store.SystemActor()
            author = store.create_user(s, sa, "author@example.org", PASSWORD, "contributor")
            other = store.create_user(s, sa, "other@example.org", PASSWORD, "contributor")
            _row, token = store.create_api_token(s, other, "t")
            from socialcover import knowledge

            practice = {
                "title": "A practice",
                "country_iso3": "KEN",
                "guarantee": "old_age",
                "mechanism": "pension",
                "summary": "Ten chars at least.",
                "assessment": "good",
            }
            pid = knowledge.create_practice(s, author, practice).id
            own = knowledge.create_practice(s, other, practice).id
            s.flush()
            ids = {"pid": str(pid), "own": str(own)}
        if path.startswith("{token}"):
            path = path.removeprefix("{token}")
            headers["Authorization"] = f"Bearer {token}"
        if path.startswith("{browser}"):
            path = path.removeprefix("{browser}")
            sign_in(client, "other@example.org")
        heavy = path.startswith("{heavy}")
        path = path.removeprefix("{heavy}").format(**ids)
        if heavy:
            for _ in range(boom_app.state.settings.anonymous_heavy_per_minute):
                assert client.get(path).status_code != 429
            resp = client.request(method, path, headers=headers)
            assert 1 <= int(resp.headers["retry-after"]) <= 60
        elif path == "/login":  # throttled after repeated failures (the store's rule)
            for _ in range(store.accounts.ACCOUNT_FAILURES):
                client.post("/login", data={**body, "csrf_token": csrf_of(client, "/login")})
            resp = client.post(
                "/login", data={**body, "csrf_token": csrf_of(client, "/login")}, headers=headers
            )
            assert int(resp.headers["retry-after"]) > 0
        else:
            resp = client.request(method, path, json=body, headers=headers)
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    err = _check_shape(resp.json())
    assert code == "*" or err["code"] == code
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
