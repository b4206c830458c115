"""Saved costing scenarios on the web: save from the costing page, list, compare; the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import csrf_of, sign_in

from socialcover.web import Settings

pytestmark = pytest.mark.shared_data

QUERY = "country=KEN&package=campaign-basic&base_year=2025&end_year=2028"


def _token(settings: Settings, email: str) -> str:
    from socialcover import store

    with store.session_scope(store.SystemActor(), url=settings.database_url) as s:
        user = s.query(store.User).filter_by(email=email).one()
        _row, plain = store.create_api_token(s, user, "test")
    return plain


def test_save_from_the_page_list_and_compare_two_versions(
    installed_pack: Path, client: TestClient, users: dict[str, str]
) -> None:
    anonymous = client.get(f"/costing?{QUERY}").text
    assert 'id="save-scenario"' not in anonymous  # only signed-in people save
    sign_in(client, users["contributor"])
    page = client.get(f"/costing?{QUERY}").text
    assert 'id="save-scenario"' in page
    token = csrf_of(client, f"/costing?{QUERY}")
    for takeup in (100, 50):
        resp = client.post(
            f"/costing/scenarios?{QUERY}&takeup_pct={takeup}",
            data={"name": "Kenya basic", "csrf_token": token},
            follow_redirects=False,
        )
        assert resp.status_code == 303, resp.text
    listed = client.get("/costing/scenarios?saved=1").text
    assert "Kenya basic" in listed and "The scenario was saved." in listed
    compared = client.get("/costing/scenarios/compare?a=1@1&b=Kenya+basic@2").text
    assert "A = Kenya basic@1" in compared and "B = Kenya basic@2" in compared
    cells = re.findall(
        r'<td>KEN</td><td class="num">(\d{4})</td><td class="num">([\d.]+)</td>'
        r'<td class="num">([\d.]+)</td><td class="num">(-?[\d.]+)</td>',
        compared,
    )
    assert [int(c[0]) for c in cells] == [2025, 2026, 2027, 2028]
    for _year, a, b, diff in cells:
        # half the take-up, no admin cost: half the cost (to the 3 decimals shown)
        assert float(b) == pytest.approx(float(a) / 2, abs=1e-3)
        assert float(diff) == pytest.approx(float(b) - float(a), abs=2e-3)
    bad = client.get("/costing/scenarios/compare?a=1@9&b=1").text
    assert "has no version 9" in bad


def test_the_api_saves_lists_reads_versions_and_compares(
    installed_pack: Path, client: TestClient, users: dict[str, str], web_settings: Settings
) -> None:
    auth = {"Authorization": f"Bearer {_token(web_settings, users['contributor'])}"}
    scenario = {"country": "KEN", "package": "campaign-basic", "horizon": 2027}
    first = client.post(
        "/api/v1/costing/scenarios", json={"name": "K", "scenario": scenario}, headers=auth
    )
    assert first.status_code == 201, first.text
    assert first.headers["Location"] == "/api/v1/costing/scenarios/1"
    richer = {
        **scenario,
        "benefits": [{"name": "child_benefit", "level": {"pct_of_gdp_per_capita": 20}}],
    }
    second = client.post(
        "/api/v1/costing/scenarios",
        json={"name": "K", "scenario": richer, "expected_version": 1},
        headers=auth,
    )
    assert second.json()["version"] == 2
    stale = client.post(
        "/api/v1/costing/scenarios",
        json={"name": "K", "scenario": richer, "expected_version": 1},
        headers=auth,
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "store.stale"
    bad = client.post(
        "/api/v1/costing/scenarios",
        json={"name": "Bad", "scenario": {**scenario, "horizon": 1990}},
        headers=auth,
    )
    assert bad.status_code == 422 and set(bad.json()["error"]) >= {"code", "message", "hint"}

    # a draft is its author's: the anonymous list is empty, the author's has it
    assert client.get("/api/v1/costing/scenarios").json()["items"] == []
    items = client.get("/api/v1/costing/scenarios", headers=auth).json()["items"]
    assert [(i["name"], i["version"], i["country_iso3"]) for i in items] == [("K", 2, "KEN")]
    old = client.get("/api/v1/costing/scenarios/1?version=1", headers=auth).json()
    child = next(b for b in old["document"]["benefits"] if b["name"] == "child_benefit")
    assert child["level"]["pct_of_gdp_per_capita"] == 15  # the preset's level in version 1
    assert client.get("/api/v1/costing/scenarios/1", headers=auth).json()["version"] == 2
    # the saved document runs as posted to /api/v1/costing/run
    run = client.post("/api/v1/costing/run", json=old["document"]).json()["totals"]
    cmp = client.get("/api/v1/costing/scenarios/compare?a=1@1&b=1@2", headers=auth).json()
    first_rows = [r for r in cmp["items"] if r["scenario"] == "K@1"]
    assert [r["cost_lcu"] for r in first_rows] == pytest.approx([t["cost_lcu"] for t in run])
    assert [s["version"] for s in cmp["scenarios"]] == [1, 2]
    csv = client.get("/api/v1/costing/scenarios/compare?a=1@1&b=1@2&format=csv", headers=auth)
    assert csv.text.splitlines()[0].startswith("scenario,iso3,year,cost_lcu")
    missing = client.get("/api/v1/costing/scenarios/compare?a=1&b=nothing", headers=auth)
    assert missing.status_code == 404
