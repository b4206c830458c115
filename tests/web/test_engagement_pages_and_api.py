"""Engagement pages and API over the Demoland engagement: readers see the published
engagement but never who is on the team; a constituent's representative records their own
organisation's position and is refused another's; bad forms save nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcover import countries, store
from socialcover.data import install_demo
from socialcover.web import Settings

from .conftest import csrf_of, sign_in


@pytest.fixture
def demo(
    client: TestClient,
    web_settings: Settings,
    users: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """The Demoland engagement, a contributor on its team and a workers' representative.

    The demo pack goes into a home of this test's own: the session's home may hold the real
    pack that other tests read.
    """
    monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "demo-home"))
    install_demo()
    admin = store.SystemActor("test")
    with store.session_scope(admin, url=web_settings.database_url) as s:
        e = countries.install_demo_engagement(s)
        rep = store.create_user(
            s, admin, "rep@example.org", "a long enough passphrase 42", "contributor"
        )
        orgs = {p.constituent: p.organisation_id for p in e.partners if p.constituent}
        countries.add_member(s, admin, e.id, {"email": users["contributor"], "role": "member"})
        countries.add_member(
            s,
            admin,
            e.id,
            {
                "email": "rep@example.org",
                "role": "representative",
                "organisation_id": orgs["workers"],
                "constituent": "workers",
            },
        )
        rec = countries.assessment_matrix(s, admin, e.id)[0]["recommendations"][0]["id"]
        assert rep.id
        return {"id": e.id, "orgs": orgs, "rec": rec}


def _token(web_settings: Settings, email: str) -> str:
    with store.session_scope(store.SystemActor(), url=web_settings.database_url) as s:
        _row, token = store.create_api_token(s, store.get_user(s, email), "test")
    return token


def test_readers_see_the_engagement_and_its_matrix_but_not_its_team(
    client: TestClient, demo: dict[str, Any]
) -> None:
    page = client.get(f"/engagements/{demo['id']}")
    assert page.status_code == 200
    assert "Demoland: towards a national social protection floor" in page.text
    assert "9.8%" in page.text or "9,8%" in page.text  # the cited observation
    assert "Team and representatives" not in page.text
    assert "rep@example.org" not in page.text
    api = client.get(f"/api/v1/engagements/{demo['id']}").json()
    assert "members" not in api and api["current_stage"] == "strategy"
    listing = client.get("/engagements?stage=strategy")
    assert f"/engagements/{demo['id']}" in listing.text
    assert f"/engagements/{demo['id']}" not in client.get("/engagements?stage=dialogue").text
    matrix = client.get(f"/api/v1/engagements/{demo['id']}/matrix").json()["items"]
    assert matrix[0]["observation"]["year"] == 2023
    csv = client.get("/api/v1/engagements?format=csv")
    assert csv.status_code == 200 and "XDM" in csv.text


def test_a_representative_records_only_their_own_organisations_position(
    client: TestClient, web_settings: Settings, demo: dict[str, Any]
) -> None:
    token = _token(web_settings, "rep@example.org")
    url = f"/api/v1/engagements/{demo['id']}/recommendations/{demo['rec']}/positions"
    auth = {"Authorization": f"Bearer {token}"}
    refused = client.post(
        url, headers=auth, json={"organisation_id": demo["orgs"]["employers"], "stance": "supports"}
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "engagement.not-your-organisation"
    ok = client.post(
        url,
        headers=auth,
        json={
            "organisation_id": demo["orgs"]["workers"],
            "stance": "opposes",
            "text": "Changed our mind.",
        },
    )
    assert ok.status_code == 200, ok.text
    matrix = client.get(f"/api/v1/engagements/{demo['id']}/matrix").json()["items"]
    stances = {p["constituent"]: p["stance"] for p in matrix[0]["recommendations"][0]["positions"]}
    assert stances == {
        "employers": "supports_with_reservations",
        "government": "supports_with_reservations",
        "workers": "opposes",
    }


def test_the_team_fills_the_matrix_from_the_page_and_a_bad_row_saves_nothing(
    client: TestClient, users: dict[str, str], demo: dict[str, Any]
) -> None:
    sign_in(client, users["contributor"])
    page = client.get(f"/engagements/{demo['id']}")
    assert "Team and representatives" in page.text and "Fill a row of the matrix" in page.text
    token = csrf_of(client, f"/engagements/{demo['id']}")
    bad = client.post(
        f"/engagements/{demo['id']}/matrix",
        data={
            "csrf_token": token,
            "guarantee": "working_age",
            "population_group": "Unemployed",
            "coverage_observation_id": "999999",
        },
    )
    assert bad.status_code == 422 and "No observation 999999" in bad.text
    good = client.post(
        f"/engagements/{demo['id']}/matrix",
        data={
            "csrf_token": token,
            "guarantee": "working_age",
            "population_group": "Unemployed",
            "policy_gaps": "No unemployment insurance.",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303
    rows = client.get(f"/api/v1/engagements/{demo['id']}/matrix").json()["items"]
    assert [r["population_group"] for r in rows if r["guarantee"] == "working_age"] == [
        "Unemployed"
    ]


def test_outsiders_cannot_edit_and_api_errors_keep_the_shape(
    client: TestClient, web_settings: Settings, users: dict[str, str], demo: dict[str, Any]
) -> None:
    token = _token(web_settings, users["reviewer"])  # signed in, not on the team
    resp = client.patch(
        f"/api/v1/engagements/{demo['id']}",
        headers={"Authorization": f"Bearer {token}"},
        json={"changes": {"summary": "Mine."}},
    )
    assert resp.status_code == 403
    err = resp.json()["error"]
    assert set(err) >= {"code", "message", "hint"}
    resp = client.post(
        "/api/v1/engagements",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "country_iso3": "XDM",
            "title": "Backwards",
            "period_start": 2030,
            "period_end": 2020,
        },
    )
    assert resp.status_code == 422 and "period" in resp.text


def test_participants_personal_data_are_the_teams_alone(
    client: TestClient, web_settings: Settings, users: dict[str, str], demo: dict[str, Any]
) -> None:
    name = "E. Demo-Unionist"  # a made-up participant of the demo's validation workshop
    assert name not in client.get(f"/engagements/{demo['id']}").text
    events = client.get(f"/api/v1/engagements/{demo['id']}/events").json()["items"]
    assert events[0]["counts"]["by_sex"]["female"] == 3 and "participants" not in events[0]
    assert client.get(f"/api/v1/engagements/{demo['id']}/participants").status_code == 401
    outsider = _token(web_settings, users["reviewer"])
    refused = client.get(
        f"/api/v1/engagements/{demo['id']}/participants",
        headers={"Authorization": f"Bearer {outsider}"},
    )
    assert refused.status_code == 403 and name not in refused.text
    rep = _token(web_settings, "rep@example.org")
    refused = client.get(
        f"/api/v1/engagements/{demo['id']}/participants",
        headers={"Authorization": f"Bearer {rep}"},
    )
    assert refused.status_code == 403
    member = _token(web_settings, users["contributor"])
    export = client.get(
        f"/api/v1/engagements/{demo['id']}/participants?format=csv",
        headers={"Authorization": f"Bearer {member}"},
    )
    assert export.status_code == 200 and name in export.text
    sign_in(client, users["contributor"])
    assert name in client.get(f"/engagements/{demo['id']}").text
