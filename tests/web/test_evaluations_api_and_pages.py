"""The register of evaluations on the web: drafted, published and followed up through the API by
the right roles; the register page with the schedule's overdue evaluations and late
recommendations; an evaluation's page with its follow-up form; a practice's evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialcover import knowledge, store

from .conftest import csrf_of, sign_in

pytestmark = pytest.mark.shared_data

API = "/api/v1/monitor"
YESTERDAY = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
NEXT_YEAR = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=365)).isoformat()


@pytest.fixture
def auth(
    client: TestClient, users: dict[str, str], installed_pack: Path
) -> dict[str | None, dict[str, str]]:
    """Authorization headers by role (anonymous: none)."""
    out: dict[str | None, dict[str, str]] = {None: {}}
    url = client.app.state.settings.database_url  # type: ignore[attr-defined]
    with store.session_scope(store.SystemActor(), url=url) as s:
        for role, email in users.items():
            _row, token = store.create_api_token(s, store.get_user(s, email), "evaluations")
            out[role] = {"Authorization": f"Bearer {token}"}
    return out


@pytest.fixture
def practice(client: TestClient, auth: dict[str | None, dict[str, str]]) -> int:
    """A published practice in Kenya."""
    url = client.app.state.settings.database_url  # type: ignore[attr-defined]
    actor = store.SystemActor()
    with store.session_scope(actor, url=url) as s:
        p = knowledge.create_practice(
            s,
            actor,
            {
                "title": "Kenya: Inua Jamii old-age pension",
                "country_iso3": "KEN",
                "guarantee": "old_age",
                "mechanism": "social pension",
                "summary": "A tax-financed pension for people aged 70 and over.",
                "assessment": "good",
            },
        )
        s.flush()
        knowledge.submit_practice(s, actor, p.id)
        knowledge.publish_practice(s, actor, p.id, "")
        return p.id


def _evaluation(practice: int) -> dict[str, Any]:
    return {
        "title": "Impact evaluation of the old-age pension",
        "subject_type": "practice",
        "subject_ref": str(practice),
        "evaluation_type": "impact",
        "started_on": "2024-01-15",
        "ended_on": "2024-11-30",
        "evaluators": ["An Independent Evaluator"],
        "method": "Regression discontinuity at the age of eligibility.",
        "findings": "Poverty among recipients fell by a third.",
    }


def _published(client: TestClient, auth: dict[str | None, dict[str, str]], practice: int) -> Any:
    made = client.post(
        f"{API}/evaluations", json=_evaluation(practice), headers=auth["contributor"]
    )
    assert made.status_code == 201, made.text
    eid = made.json()["id"]
    rec = client.post(
        f"{API}/evaluations/{eid}/recommendations",
        json={"text": "Index the pension to prices every year.", "due_on": YESTERDAY},
        headers=auth["contributor"],
    )
    assert rec.status_code == 201, rec.text
    assert client.post(f"{API}/evaluations/{eid}/submit", headers=auth["contributor"]).is_success
    published = client.post(
        f"{API}/evaluations/{eid}/publish", json={"comment": "ok"}, headers=auth["reviewer"]
    )
    assert published.status_code == 200, published.text
    return published.json()


def test_an_evaluation_is_public_once_published_and_its_follow_up_by_reviewers(
    client: TestClient, auth: dict[str | None, dict[str, str]], practice: int
) -> None:
    made = client.post(
        f"{API}/evaluations", json=_evaluation(practice), headers=auth["contributor"]
    )
    assert made.status_code == 201, made.text
    eid = made.json()["id"]
    assert made.headers["Location"] == f"{API}/evaluations/{eid}"
    assert client.get(f"{API}/evaluations").json()["items"] == []
    assert client.get(f"{API}/evaluations/{eid}").status_code == 404
    mine = client.get(f"{API}/evaluations", headers=auth["contributor"]).json()["items"]
    assert [e["id"] for e in mine] == [eid]
    rec = client.post(
        f"{API}/evaluations/{eid}/recommendations",
        json={"text": "Index the pension to prices every year.", "due_on": YESTERDAY},
        headers=auth["contributor"],
    )
    assert rec.status_code == 201, rec.text
    # a contributor may not publish
    refused = client.post(f"{API}/evaluations/{eid}/publish", headers=auth["contributor"])
    assert refused.status_code == 403
    client.post(f"{API}/evaluations/{eid}/submit", headers=auth["contributor"])
    client.post(f"{API}/evaluations/{eid}/publish", headers=auth["reviewer"])

    public = client.get(f"{API}/evaluations/{eid}").json()
    assert public["status"] == "published" and public["country_iso3"] == "KEN"
    (rec,) = public["recommendations_list"]
    assert rec["late"] is True and rec["follow_up"] == "open"
    due = client.get(f"{API}/recommendations").json()["items"]
    assert [r["id"] for r in due] == [rec["id"]]
    listed = client.get(f"{API}/evaluations", params={"subject": "practice"}).json()["items"]
    assert listed[0]["recommendations_pending"] == 1

    change = {"changes": {"response": "Accepted: indexation from 2026.", "follow_up": "done"}}
    refused = client.patch(
        f"{API}/recommendations/{rec['id']}", json=change, headers=auth["contributor"]
    )
    assert refused.status_code == 403
    done = client.patch(
        f"{API}/recommendations/{rec['id']}",
        json=change | {"comment": "the 2026 budget law", "expected_version": rec["version"]},
        headers=auth["reviewer"],
    )
    assert done.status_code == 200, done.text
    assert done.json()["late"] is False and done.json()["response"].startswith("Accepted")
    assert client.get(f"{API}/recommendations").json()["items"] == []
    stale = client.patch(
        f"{API}/recommendations/{rec['id']}",
        json=change | {"expected_version": rec["version"]},
        headers=auth["reviewer"],
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "store.stale"
    bad = client.patch(
        f"{API}/recommendations/{rec['id']}",
        json={"changes": {"follow_up": "forgotten"}},
        headers=auth["reviewer"],
    )
    assert bad.status_code == 422 and "forgotten" in bad.text
    csv = client.get(f"{API}/evaluations", params={"format": "csv"})
    assert csv.status_code == 200 and "Impact evaluation of the old-age pension" in csv.text


def test_the_schedule_says_what_is_overdue(
    client: TestClient, auth: dict[str | None, dict[str, str]], practice: int
) -> None:
    plan = {
        "subject_type": "country_engagement",
        "subject_ref": "KEN",
        "evaluation_type": "final",
        "planned_on": "2025-06-30",
        "note": "Final evaluation of the Kenya engagement.",
    }
    refused = client.post(f"{API}/evaluations/schedule", json=plan, headers=auth["contributor"])
    assert refused.status_code == 403
    made = client.post(f"{API}/evaluations/schedule", json=plan, headers=auth["reviewer"])
    assert made.status_code == 201, made.text
    later = plan | {"planned_on": NEXT_YEAR, "evaluation_type": "mid_term"}
    assert client.post(
        f"{API}/evaluations/schedule", json=later, headers=auth["reviewer"]
    ).is_success
    rows = client.get(f"{API}/evaluations/schedule").json()["items"]
    assert [(r["evaluation_type"], r["overdue"]) for r in rows] == [
        ("final", True),
        ("mid_term", False),
    ]
    late = client.get(f"{API}/evaluations/schedule", params={"overdue": True}).json()["items"]
    assert [r["planned_on"] for r in late] == ["2025-06-30"]
    judged = client.get(
        f"{API}/evaluations/schedule", params={"overdue": True, "today": "2025-06-01"}
    )
    assert judged.json()["items"] == []
    unknown = client.post(
        f"{API}/evaluations/schedule", json=plan | {"subject_ref": "XXQ"}, headers=auth["reviewer"]
    )
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == (
        "evaluation.unknown-country"
    )

    page = client.get("/monitor/evaluations")
    assert page.status_code == 200
    assert "overdue by" in page.text and "Final evaluation of the Kenya engagement." in page.text


def test_the_pages_show_the_register_the_follow_up_and_the_practice_evidence(
    client: TestClient,
    auth: dict[str | None, dict[str, str]],
    users: dict[str, str],
    practice: int,
) -> None:
    e = _published(client, auth, practice)
    (rec,) = e["recommendations_list"]
    register = client.get("/monitor/evaluations")
    assert f'href="/monitor/evaluations/{e["id"]}"' in register.text
    assert "Recommendations whose follow-up is late" in register.text
    assert "Index the pension to prices every year." in register.text  # late
    page = client.get(f"/monitor/evaluations/{e['id']}")
    assert "Regression discontinuity" in page.text and "none yet" in page.text
    assert "Record the response and follow-up" not in page.text  # the public cannot
    evidence = client.get(f"/practices/{practice}")
    assert "Evidence: evaluations of this practice" in evidence.text
    assert f'href="/monitor/evaluations/{e["id"]}"' in evidence.text

    sign_in(client, users["reviewer"])
    page = client.get(f"/monitor/evaluations/{e['id']}")
    assert "Record the response and follow-up" in page.text
    saved = client.post(
        f"/monitor/recommendations/{rec['id']}/follow-up",
        data={
            "csrf_token": csrf_of(client, f"/monitor/evaluations/{e['id']}"),
            "version": str(rec["version"]),
            "response": "Accepted; the ministry drafts the indexation rule.",
            "follow_up": "in_progress",
            "due_on": NEXT_YEAR,
            "comment": "meeting of 3 March",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    page = client.get(f"/monitor/evaluations/{e['id']}")
    assert "the ministry drafts the indexation rule" in page.text
    assert "in progress" in page.text and NEXT_YEAR in page.text
    register = client.get("/monitor/evaluations")
    assert "No recommendation is late." in register.text
    fr = client.get(f"/monitor/evaluations/{e['id']}?lang=fr")
    assert "Recommandations et suivi" in fr.text
