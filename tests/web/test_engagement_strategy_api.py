"""The national strategy through the API, over the Demoland engagement: readers read the
published strategy, its financing and its progress report; only the team writes it; a withdrawn
strategy is the team's and the representatives' again; bad input keeps the error shape and
saves nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcover import countries, store
from socialcover.data import install_demo
from socialcover.web import Settings


@pytest.fixture
def demo(
    client: TestClient,
    web_settings: Settings,
    users: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """The Demoland engagement, a contributor on its team, a workers' representative, and
    API tokens for them and for a reviewer who is not on the team."""
    monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "demo-home"))
    install_demo()
    admin = store.SystemActor("test")
    with store.session_scope(admin, url=web_settings.database_url) as s:
        e = countries.install_demo_engagement(s)
        store.create_user(s, admin, "rep@example.org", "a long enough passphrase 42", "contributor")
        workers = next(p.organisation_id for p in e.partners if p.constituent == "workers")
        countries.add_member(s, admin, e.id, {"email": users["contributor"], "role": "member"})
        countries.add_member(
            s,
            admin,
            e.id,
            {
                "email": "rep@example.org",
                "role": "representative",
                "organisation_id": workers,
                "constituent": "workers",
            },
        )
        tokens = {}
        for who, email in (
            ("team", users["contributor"]),
            ("rep", "rep@example.org"),
            ("outsider", users["reviewer"]),
        ):
            _row, tokens[who] = store.create_api_token(s, store.get_user(s, email), "test")
        return {
            "id": e.id,
            "auth": {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()},
        }


def test_readers_read_the_strategy_its_financing_and_progress(
    client: TestClient, demo: dict[str, Any]
) -> None:
    base = f"/api/v1/engagements/{demo['id']}/strategy"
    plan = client.get(base).json()
    assert plan["status"] == "published" and plan["editable"] is False
    assert len(plan["measures"]) == 3 and plan["measures"][0]["scenarios"][0]["label"].endswith(
        "@2"
    )
    money = client.get(f"{base}/financing").json()
    assert [y["year"] for y in money["years"]] == [2026, 2027, 2028, 2029, 2030]
    first = money["years"][0]
    assert first["cost_pct_gov_revenue"] == pytest.approx(
        first["cost_pct_gdp"] / first["gov_revenue_pct_gdp"] * 100
    )
    progress = client.get(f"{base}/progress").json()["items"]
    assert [(r["indicator"], r["status"]) for r in progress[:1]] == [
        (
            "sdg131.at_least_one_benefit",
            "off track",
        )
    ]


def test_only_the_team_writes_it(client: TestClient, demo: dict[str, Any]) -> None:
    base = f"/api/v1/engagements/{demo['id']}/strategy"
    body = {"title": "Not theirs", "start_year": 2026, "end_year": 2030}
    for who in ("rep", "outsider"):
        refused = client.put(base, headers=demo["auth"][who], json=body)
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == "engagement.not-team"
    assert client.put(base, json=body).status_code == 401
    added = client.post(
        f"{base}/objectives",
        headers=demo["auth"]["team"],
        json={"text": "Reach the informal economy."},
    )
    assert added.status_code == 201, added.text
    plan = client.get(base).json()
    assert plan["title"] != "Not theirs" and plan["objectives"][-1]["id"] == added.json()["id"]
    gone = client.delete(f"{base}/objective/{added.json()['id']}", headers=demo["auth"]["team"])
    assert gone.status_code == 204
    assert len(client.get(base).json()["objectives"]) == 2


def test_bad_logframe_rows_keep_the_error_shape_and_save_nothing(
    client: TestClient, demo: dict[str, Any]
) -> None:
    base = f"/api/v1/engagements/{demo['id']}/strategy"
    before = client.get(base).json()["logframe"]
    for row, status, code in (
        (
            {"level": "impact", "indicator": "sdg131.nope", "target_value": 1, "target_year": 2030},
            404,
            "monitor.unknown-indicator",
        ),
        (
            {
                "level": "impact",
                "indicator": "sdg131.children",
                "target_value": 1,
                "target_year": 2030,
            },
            422,
            "engagement.logframe-duplicate",
        ),
        (
            {
                "level": "impact",
                "indicator": "sdg131.unemployed",
                "target_value": 1,
                "target_year": 2030,
                "baseline_observation_id": 999999,
            },
            422,
            "engagement.unknown-observation",
        ),
    ):
        resp = client.post(f"{base}/logframe", headers=demo["auth"]["team"], json=row)
        assert resp.status_code == status, resp.text
        assert resp.json()["error"]["code"] == code
    assert client.get(base).json()["logframe"] == before


def test_a_withdrawn_strategy_is_the_teams_and_representatives_again(
    client: TestClient, demo: dict[str, Any]
) -> None:
    base = f"/api/v1/engagements/{demo['id']}/strategy"
    assert client.post(f"{base}/withdraw", headers=demo["auth"]["rep"]).status_code == 403
    moved = client.post(f"{base}/withdraw", headers=demo["auth"]["team"])
    assert moved.status_code == 200 and moved.json()["status"] == "draft"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/progress").status_code == 404
    assert client.get(base, headers=demo["auth"]["outsider"]).status_code == 404
    assert client.get(base, headers=demo["auth"]["rep"]).json()["status"] == "draft"
    assert client.post(f"{base}/publish", headers=demo["auth"]["team"]).status_code == 200
    assert client.get(base).json()["status"] == "published"


def test_the_engagement_page_shows_the_strategy_in_each_language(
    client: TestClient, demo: dict[str, Any]
) -> None:
    money = client.get(f"/api/v1/engagements/{demo['id']}/strategy/financing").json()
    first = money["years"][0]["cost_pct_gdp"]
    words = {"en": "off track", "fr": "en retard", "es": "con retraso"}
    for lang, off_track in words.items():
        page = client.get(f"/engagements/{demo['id']}?lang={lang}")
        assert page.status_code == 200
        assert "Demoland National Social Protection Strategy 2026-2030" in page.text
        assert off_track in page.text, lang
        shown = f"{first:.2f}" if lang == "en" else f"{first:.2f}".replace(".", ",")
        assert shown in page.text, lang
    # withdrawn: readers no longer see it on the page
    client.post(f"/api/v1/engagements/{demo['id']}/strategy/withdraw", headers=demo["auth"]["team"])
    assert (
        "National Social Protection Strategy" not in client.get(f"/engagements/{demo['id']}").text
    )
