"""Integers no database row can hold: 404 for an id in a path, 422 in a body or a form.

Walks the app's route table: every route with an integer path parameter is called, with
every method it accepts, with numbers beyond the store's one cap, ``store.fields.MAX_ID``
(2**31 - 1: the id columns are 32-bit on PostgreSQL), and beyond a signed 64-bit integer
(they used to overflow the database driver, a 500). A record id answers 404; the one other
integer in a path, a bounded year, 422. Answers keep the app's one error shape.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BeforeValidator

from socialcover import store
from socialcover.store.fields import MAX_ID

from .conftest import csrf_of, sign_in

HUGE = (MAX_ID + 1, 2**63, 2**64, 99999999999999999999, 10**30, 0, -1)
PRACTICE = {
    "title": "Range practice",
    "country_iso3": "KEN",
    "guarantee": "old_age",
    "mechanism": "social pension",
    "summary": "A practice for the range checks.",
    "assessment": "good",
}


def _integer_routes(app: FastAPI) -> list[tuple[str, frozenset[str], dict[str, bool]]]:
    """Path, methods and integer path parameters (name -> is a record id) of every route."""
    out = []
    for ctx in iter_route_contexts(app.routes):
        dependant = getattr(ctx.original_route, "dependant", None)
        names = {
            p.name: any(isinstance(m, BeforeValidator) for m in p.field_info.metadata)
            for p in (dependant.path_params if dependant else [])
            if p.field_info.annotation is int
        }
        if names:
            out.append((str(ctx.path), frozenset(ctx.methods or ()), names))
    return out


@pytest.fixture
def admin(client: TestClient, users: dict[str, str]) -> tuple[TestClient, str]:
    """An administrator signed in (for pages) with an API token (for the API)."""
    c = TestClient(client.app, raise_server_exceptions=False)
    sign_in(c, users["administrator"])
    settings = client.app.state.settings  # type: ignore[attr-defined]
    with store.session_scope(store.SystemActor(), url=settings.database_url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, users["administrator"]), "range")
    return c, token


def _fill(path: str, values: dict[str, str]) -> str:
    """The path with the given values, and "KEN" for any other parameter (codes, areas)."""
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "KEN"), path)


def _call(c: TestClient, token: str, method: str, path: str, **form: Any) -> Any:
    headers = {"Accept": "application/json"}
    kwargs: dict[str, Any] = {}
    if path.startswith("/api/"):
        headers["Authorization"] = f"Bearer {token}"
        if method in ("POST", "PATCH", "PUT"):
            kwargs["json"] = {"version": 1, "changes": {}}
    elif method == "POST":
        kwargs["data"] = {"csrf_token": csrf_of(c), "version": "1", **form}
    return c.request(method, path, headers=headers, follow_redirects=False, **kwargs)


def test_every_integer_path_parameter_answers_404_beyond_the_cap(
    app: FastAPI, admin: tuple[TestClient, str]
) -> None:
    c, token = admin
    routes = _integer_routes(app)
    ids = {n for _p, _m, ns in routes for n, is_id in ns.items() if is_id}
    assert ids == {
        *("pid", "oid", "token_id", "eid", "mid", "rid", "sid", "cid", "data_set_id"),
        *("event_id", "item_id", "participant_id"),
    }, ids
    others = {n for _p, _m, ns in routes for n, is_id in ns.items() if not is_id}
    assert others == {"year"}, f"an integer path parameter that is not a RecordId: {others}"
    checked = 0
    for route_path, methods, ints in routes:
        for number in HUGE:
            path = _fill(route_path, {name: str(number) for name in ints})
            for method in sorted(methods - {"HEAD"}):
                resp = _call(c, token, method, path)
                where = f"{method} {path}: {resp.status_code} {resp.text[:200]}"
                error = resp.json()["error"]
                if all(ints.values()):
                    assert resp.status_code == 404, where
                    assert error["code"] == "http.not-found", where
                    assert error["hint"] and str(number) in error["message"], where
                else:
                    assert resp.status_code == 422, where
                    assert error["code"] == "input.invalid", where
                checked += 1
    assert checked > 100


def test_an_id_that_is_not_a_number_is_still_an_invalid_field(
    admin: tuple[TestClient, str],
) -> None:
    c, token = admin
    resp = _call(c, token, "GET", "/api/v1/practices/abc")
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "input.invalid"


def test_versions_beyond_64_bits_in_a_body_or_a_form_are_invalid_fields(
    admin: tuple[TestClient, str],
) -> None:
    c, token = admin
    auth = {"Authorization": f"Bearer {token}"}
    resp = c.post("/api/v1/practices", headers=auth, json=PRACTICE)
    assert resp.status_code == 201, resp.text
    pid = resp.json()["id"]
    for number in (2**63, 2**64, 99999999999999999999):
        for method, path, body in (
            ("PATCH", f"/api/v1/practices/{pid}", {"changes": {}, "expected_version": number}),
            ("POST", f"/api/v1/practices/{pid}/revert", {"version": number}),
        ):
            resp = c.request(method, path, headers=auth, json=body)
            assert resp.status_code == 422, f"{method} {path}: {resp.text}"
            error = resp.json()["error"]
            assert error["code"] == "input.invalid"
            assert "version" in error["message"]
        resp = c.post(
            f"/practices/{pid}/revert",
            data={"csrf_token": csrf_of(c), "version": str(number)},
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )
        assert resp.status_code == 422, resp.text
        assert resp.json()["error"]["code"] == "input.invalid"


def test_one_cap_for_ids_what_a_postgresql_integer_column_holds() -> None:
    from socialcover.web import params

    assert MAX_ID == params.MAX_ID == 2**31 - 1


def _id_maxima(schema: dict[str, Any]) -> list[Any]:
    """The ``maximum`` of an integer property, found in its ``anyOf`` or ``items`` too."""
    found = [schema.get("maximum")] if schema.get("type") == "integer" else []
    for part in (*schema.get("anyOf", ()), *([schema["items"]] if "items" in schema else [])):
        found += _id_maxima(part)
    return found


def test_every_record_id_a_domain_input_takes_has_the_one_cap() -> None:
    import pydantic

    import socialcover.actors as actors
    import socialcover.advocacy as advocacy
    import socialcover.countries as countries
    import socialcover.knowledge as knowledge
    import socialcover.monitor as monitor

    checked = []
    for module in (countries, actors, advocacy, knowledge, monitor):
        for name in dir(module):
            model = getattr(module, name)
            if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)):
                continue
            for field, prop in model.model_json_schema().get("properties", {}).items():
                if field.endswith(("_id", "_ids")) and _id_maxima(prop):
                    assert _id_maxima(prop) == [MAX_ID], (name, field, prop)
                    checked.append((name, field))
    assert ("MemberInput", "organisation_id") in checked  # countries
    assert ("MeasureInput", "recommendation_ids") in checked
    assert ("PersonInput", "organisation_id") in checked  # actors
    assert len(checked) > 10, checked


def test_ids_beyond_the_cap_in_a_body_are_invalid_fields_not_overflows(
    admin: tuple[TestClient, str],
) -> None:
    c, token = admin
    auth = {"Authorization": f"Bearer {token}"}
    person = {"name": "An expert", "country_iso3": "KEN", "organisation_id": MAX_ID + 1}
    resp = c.post("/api/v1/people", headers=auth, json=person)
    assert resp.status_code == 422, resp.text
    error = resp.json()["error"]
    assert "organisation_id" in error["message"], error
    resp = c.post("/api/v1/people", headers=auth, json=person | {"organisation_id": MAX_ID})
    assert resp.status_code == 422, resp.text  # in range: refused as unknown, not as too large
    assert resp.json()["error"]["code"] == "actors.unknown-organisation"
