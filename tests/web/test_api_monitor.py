"""The monitoring API: entered values stay private until approved, then feed the aggregates;
files in, tables out in four formats; bad rows, big files and unknown codes refused."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcover import store
from socialcover.web import Settings

from .conftest import sign_in

pytestmark = pytest.mark.shared_data

API = "/api/v1/monitor"
CODE = "sdg131.children"
HEADER = "indicator,area,year,sex,value,se,lower,upper,nature,source,vintage,footnotes\n"


def _csv(year: int = 2023, both: float = 41.5, footnote: str = "") -> bytes:
    rows = [
        f"{CODE},KEN,{year},both,{both},,,,administrative,Kenya ministry,2024-06,{footnote}",
        f"{CODE},KEN,{year},female,{both - 1.5},,,,administrative,Kenya ministry,2024-06,",
        f"{CODE},KEN,{year},male,{both + 1.5},,,,administrative,Kenya ministry,2024-06,",
    ]
    return (HEADER + "\n".join(rows) + "\n").encode()


@pytest.fixture
def auth(
    client: TestClient, users: dict[str, str], installed_pack: Path
) -> dict[str | None, dict[str, str]]:
    """Authorization headers by role (anonymous: none)."""
    out: dict[str | None, dict[str, str]] = {None: {}}
    url = client.app.state.settings.database_url  # type: ignore[attr-defined]
    with store.session_scope(store.SystemActor(), url=url) as s:
        for role, email in users.items():
            _row, token = store.create_api_token(s, store.get_user(s, email), "monitor")
            out[role] = {"Authorization": f"Bearer {token}"}
    return out


def _upload(client: TestClient, headers: dict[str, str], body: bytes, **form: str) -> Any:
    return client.post(
        f"{API}/observations/file",
        headers=headers,
        files={"file": ("values.csv", body, "text/csv")},
        data={"format": "csv", **form},
    )


def _approve(client: TestClient, auth: dict[str | None, dict[str, str]], year: int) -> None:
    step = client.post(f"{API}/data-sets/KEN/{year}/submit", headers=auth["contributor"])
    assert step.status_code == 200, step.text
    step = client.post(f"{API}/data-sets/KEN/{year}/approve", headers=auth["reviewer"])
    assert step.status_code == 200, step.text


def _world(client: TestClient) -> Any:
    resp = client.get(f"{API}/aggregates", params={"indicator": CODE, "year": 2023, "by": "world"})
    assert resp.status_code == 200, resp.text
    (row,) = resp.json()["items"]
    return row["value"]


def test_a_contributors_file_is_public_only_once_a_reviewer_approves_it(
    client: TestClient, auth: dict[str | None, dict[str, str]]
) -> None:
    resp = _upload(client, auth["contributor"], _csv())
    assert resp.status_code == 200, resp.text
    assert resp.json()["new"] == 3
    query = {"indicator": CODE, "area": "KEN"}
    assert client.get(f"{API}/observations", params=query).json()["items"] == []
    mine = client.get(
        f"{API}/observations", params=query | {"unapproved": True}, headers=auth["contributor"]
    )
    assert [r["sex"] for r in mine.json()["items"]] == ["both", "female", "male"]
    refused = client.get(f"{API}/observations", params=query | {"unapproved": True})
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "auth.required"
    assert _world(client) is None

    step = client.post(f"{API}/data-sets/KEN/2023/submit", headers=auth["contributor"])
    assert step.status_code == 200 and step.json()["status"] == "submitted"
    queue = client.get(f"{API}/data-sets", params={"state": "submitted"}, headers=auth["reviewer"])
    assert [(d["area"], d["year"]) for d in queue.json()["items"]] == [("KEN", 2023)]
    assert client.get(f"{API}/data-sets", params={"state": "submitted"}).json()["items"] == []
    own = client.post(f"{API}/data-sets/KEN/2023/approve", headers=auth["contributor"])
    assert own.status_code == 403, own.text
    assert _world(client) is None

    step = client.post(f"{API}/data-sets/KEN/2023/approve", headers=auth["reviewer"])
    assert step.status_code == 200 and step.json()["status"] == "approved"
    public = client.get(f"{API}/observations", params=query).json()
    assert public["total"] == 3 and public["items"][0]["value"] == pytest.approx(41.5)
    assert _world(client) == pytest.approx(41.5)

    no_comment = client.post(f"{API}/data-sets/KEN/2023/unapprove", headers=auth["reviewer"])
    assert no_comment.status_code == 422, no_comment.text
    step = client.post(
        f"{API}/data-sets/KEN/2023/unapprove",
        headers=auth["reviewer"],
        json={"comment": "The female value is a 2022 figure."},
    )
    assert step.status_code == 200 and step.json()["status"] == "submitted"
    assert _world(client) is None
    url = client.app.state.settings.database_url  # type: ignore[attr-defined]
    with store.session_scope(store.SystemActor(), url=url, write=False) as s:
        actions = {e.action for e in store.history(s, "monitor_data_sets", step.json()["id"])}
    assert {"data_set.submit", "data_set.approve", "data_set.unapprove"} <= actions


def test_json_rows_are_entered_all_or_nothing_and_a_bad_row_is_named(
    client: TestClient, auth: dict[str | None, dict[str, str]]
) -> None:
    row = {
        "indicator": CODE,
        "area": "KEN",
        "year": 2022,
        "value": 40.0,
        "nature": "administrative",
        "source": "Kenya ministry",
        "vintage": "2024-06",
    }
    bad = client.post(
        f"{API}/observations",
        headers=auth["contributor"],
        json={"rows": [row, row | {"area": "UGA", "value": 135.0}]},
    )
    assert bad.status_code == 422, bad.text
    error = bad.json()["error"]
    assert error["code"] == "monitor.invalid-observations" and "row 2" in error["message"]
    held = client.get(
        f"{API}/observations", params={"unapproved": True}, headers=auth["contributor"]
    )
    assert held.json()["items"] == []
    good = client.post(f"{API}/observations", headers=auth["contributor"], json={"rows": [row]})
    assert good.status_code == 200 and good.json()["new"] == 1, good.text
    anonymous = client.post(f"{API}/observations", json={"rows": [row]})
    assert anonymous.status_code == 401


def test_a_file_with_a_bad_row_is_refused_whole(
    client: TestClient, auth: dict[str | None, dict[str, str]]
) -> None:
    body = _csv().replace(b"KEN,2023,male,43.0", b"KEN,2023,male,4300")
    resp = _upload(client, auth["contributor"], body)
    assert resp.status_code == 422, resp.text
    error = resp.json()["error"]
    assert "row 4" in error["message"] and error["context"]["problems"][0]["row"] == 4
    held = client.get(
        f"{API}/observations", params={"unapproved": True}, headers=auth["contributor"]
    )
    assert held.json()["items"] == []


def test_an_oversized_upload_is_refused_with_413(
    client: TestClient, auth: dict[str | None, dict[str, str]]
) -> None:
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    object.__setattr__(settings, "max_upload_bytes", 100)
    resp = _upload(client, auth["contributor"], _csv())
    assert resp.status_code == 413, resp.text
    assert resp.json()["error"]["code"] == "http.too-large"


def test_tables_come_in_four_formats_with_formulas_as_text(
    client: TestClient, auth: dict[str | None, dict[str, str]]
) -> None:
    formula = '=HYPERLINK("https://evil.example")'
    assert (
        _upload(
            client, auth["contributor"], _csv(footnote='"' + formula.replace('"', '""') + '"')
        ).status_code
        == 200
    )
    _approve(client, auth, 2023)
    query = {"indicator": CODE, "area": "kenya"}
    csv = client.get(f"{API}/observations", params=query | {"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert f"'{formula}".replace('"', '""') in csv.text
    sdmx = client.get(f"{API}/observations", params=query | {"format": "sdmx"})
    assert sdmx.headers["content-type"].startswith("application/vnd.sdmx.data+csv")
    assert sdmx.text.startswith("DATAFLOW,") and f"'{formula}".replace('"', '""') in sdmx.text
    xlsx = client.get(f"{API}/observations", params=query | {"format": "xlsx"})
    assert xlsx.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    from openpyxl import load_workbook

    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for c in row]
    (cell,) = [c for c in cells if c.value == formula]
    assert cell.data_type == "s"
    for fmt, media in (("csv", "text/csv"), ("xlsx", "application/vnd.openxml")):
        agg = client.get(
            f"{API}/aggregates",
            params={"indicator": CODE, "year": 2023, "by": "world", "format": fmt},
        )
        assert agg.status_code == 200 and agg.headers["content-type"].startswith(media)
    assert client.get(f"{API}/observations", params={"format": "pdf"}).status_code == 422


def test_progress_and_its_chart_read_approved_series(
    client: TestClient, auth: dict[str | None, dict[str, str]]
) -> None:
    for year, value in ((2019, 35.0), (2021, 38.0), (2023, 41.5)):
        assert _upload(client, auth["contributor"], _csv(year, value)).status_code == 200
        _approve(client, auth, year)
    target = {"indicator": CODE, "area": "KEN", "target_value": 100, "target_year": 2030}
    resp = client.get(f"{API}/progress", params=target)
    assert resp.status_code == 200, resp.text
    rows = {r["sex"]: r for r in resp.json()["items"]}
    assert rows["both"]["latest_value"] == pytest.approx(41.5)
    assert rows["both"]["status"] == "off track"
    chart = client.get(f"{API}/progress/chart", params=target)
    assert chart.status_code == 200 and "layer" in chart.json(), chart.text
    half = client.get(f"{API}/progress", params={"indicator": CODE, "target_value": 100})
    assert half.status_code == 422


def test_unknown_codes_and_overflows_are_refused_with_suggestions(
    client: TestClient, installed_pack: Path
) -> None:
    listed = client.get(f"{API}/indicators").json()["items"]
    assert CODE in [d["code"] for d in listed]
    assert client.get(f"{API}/indicators/{CODE}").json()["unit"] == "percent"
    for path, params in (
        (f"{API}/indicators/sdg131.childrn", {}),
        (f"{API}/observations", {"indicator": "sdg131.childrn"}),
        (f"{API}/aggregates", {"indicator": "sdg131.childrn", "year": 2023}),
    ):
        resp = client.get(path, params=params)
        assert resp.status_code == 404, resp.text
        assert f"Did you mean {CODE}" in resp.json()["error"]["hint"]
    area = client.get(f"{API}/observations", params={"area": "KEM"})
    assert area.status_code == 404 and "Did you mean" in area.json()["error"]["hint"]
    for params in ({"year_from": "99999999999999999999"}, {"area": ""}, {"year_to": 1800}):
        resp = client.get(f"{API}/observations", params=params)
        assert resp.status_code in (404, 422) and set(resp.json()) == {"error"}, params
    huge = client.post(f"{API}/data-sets/KEN/99999999999999999999/submit")
    assert huge.status_code in (401, 422)


def test_a_browser_session_may_not_write_through_the_api(
    client: TestClient, users: dict[str, str], installed_pack: Path
) -> None:
    sign_in(client, users["contributor"])
    resp = _upload(client, {}, _csv())
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "auth.token-required"
