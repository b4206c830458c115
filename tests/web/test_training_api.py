"""Training courses over the REST API: a contributor creates a course, links a training session
he organises, records scores; everyone reads the gains; scores stay with the organisers, and
another contributor can neither link a session nor read or record scores."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from socialcover import store
from socialcover.web import Settings

ADMIN = store.SystemActor("test")


def _tokens(settings: Settings, users: dict[str, str]) -> dict[str, dict[str, str]]:
    out = {}
    with store.session_scope(ADMIN, url=settings.database_url) as s:
        store.create_user(s, ADMIN, "second@example.org", "a long passphrase", "contributor")
        for who, email in (
            ("owner", users["contributor"]),
            ("second", "second@example.org"),
            ("reviewer", users["reviewer"]),
        ):
            _row, token = store.create_api_token(s, store.get_user(s, email), "training")
            out[who] = {"Authorization": f"Bearer {token}"}
    return out


def test_a_course_over_the_api_with_role_checks(
    app: FastAPI, client: TestClient, users: dict[str, str]
) -> None:
    auth = _tokens(app.state.settings, users)
    api = TestClient(app, raise_server_exceptions=False)
    course = api.post(
        "/api/v1/training/courses",
        headers=auth["owner"],
        json={"title": "Social security for informal workers", "topics": ["informality"],
              "language": "es", "trainers": [{"name": "A. Trainer"}]},
    )  # fmt: skip
    assert course.status_code == 201, course.text
    cid = course.json()["id"]
    assert api.post("/api/v1/training/courses", json={"title": "x"}).status_code == 401
    event = api.post(
        "/api/v1/events",
        headers=auth["owner"],
        json={"kind": "training_session", "title": "Session 1", "starts_at": "2030-02-01T09:00Z",
              "ends_at": "2030-02-01T17:00Z"},
    )  # fmt: skip
    eid = event.json()["id"]
    assert api.post(f"/api/v1/events/{eid}/steps/submit", headers=auth["owner"]).status_code == 200
    assert api.post(f"/api/v1/events/{eid}/steps/publish", headers=auth["reviewer"]).is_success
    refused = api.post(
        f"/api/v1/training/courses/{cid}/sessions", headers=auth["second"], json={"event_id": eid}
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "training.not-owner"
    linked = api.post(
        f"/api/v1/training/courses/{cid}/sessions", headers=auth["owner"], json={"event_id": eid}
    )
    assert linked.status_code == 201 and linked.json()["sessions"] == [eid]
    pids = []
    for name, sex, constituent in (("Ana", "female", "workers"), ("Luis", "male", "government")):
        row = api.post(
            f"/api/v1/events/{eid}/participants",
            headers=auth["owner"],
            json={"name": name, "email": f"{name.lower()}@example.org", "sex": sex,
                  "constituent": constituent},
        )  # fmt: skip
        assert row.status_code == 201, row.text
        pids.append(row.json()["id"])
    scores: dict[str, Any] = {"pre_score": 40, "post_score": 75}
    url = f"/api/v1/training/courses/{cid}/scores"
    assert api.put(f"{url}/{pids[0]}", headers=auth["owner"], json=scores).json()["gain"] == 35
    bad = api.put(f"{url}/{pids[1]}", headers=auth["owner"], json={"post_score": 101})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "training.score-out-of-range"
    api.put(f"{url}/{pids[1]}", headers=auth["owner"], json={"pre_score": 50, "post_score": 55})
    other = api.put(f"{url}/{pids[1]}", headers=auth["second"], json=scores)
    assert other.status_code == 403 and other.json()["error"]["code"] == "event.not-organiser"
    assert api.get(url, headers=auth["second"]).status_code == 403
    assert api.get(url).status_code == 401
    listed = api.get(url, headers=auth["owner"]).json()
    assert {r["name"]: r["gain"] for r in listed} == {"Ana": 35, "Luis": 5}
    results = api.get(f"/api/v1/training/courses/{cid}/results").json()  # anyone
    assert results["overall"]["mean_gain"] == 20 and results["participants"] == 2
    assert results["by_sex"]["female"]["mean_gain"] == 35
    assert results["by_constituent"]["government"]["mean_post"] == 55
    assert "Ana" not in str(results)
    assert [c["id"] for c in api.get("/api/v1/training/courses?topic=informality").json()] == [cid]
    changed = api.put(
        f"/api/v1/training/courses/{cid}",
        headers=auth["owner"],
        json={"title": "Renamed", "version": 1},
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Renamed"
    stale = api.put(
        f"/api/v1/training/courses/{cid}",
        headers=auth["owner"],
        json={"title": "Again", "version": 1},
    )
    assert stale.status_code == 409


def test_the_course_page_shows_the_gains_in_french_and_spanish(
    app: FastAPI, client: TestClient, users: dict[str, str]
) -> None:
    auth = _tokens(app.state.settings, users)
    api = TestClient(app, raise_server_exceptions=False)
    cid = api.post(
        "/api/v1/training/courses",
        headers=auth["owner"],
        json={"title": "Costing the floor", "topics": ["costing"], "max_score": 20},
    ).json()["id"]
    page = client.get("/training", headers={"Accept-Language": "fr"})
    assert (
        page.status_code == 200 and "Formations" in page.text and "Costing the floor" in page.text
    )
    course = client.get(f"/training/{cid}", headers={"Accept-Language": "es"})
    assert course.status_code == 200
    assert "Ganancia media" in course.text and "Temas" in course.text and "costing" in course.text
    assert client.get("/training/999999").status_code == 404


def test_scores_from_a_csv_file_over_the_api_all_rows_or_none(
    app: FastAPI, client: TestClient, users: dict[str, str]
) -> None:
    from socialcover.store.models import TrainingAssessment

    auth = _tokens(app.state.settings, users)
    api = TestClient(app, raise_server_exceptions=False)
    cid = api.post(
        "/api/v1/training/courses",
        headers=auth["owner"],
        json={"title": "Scores by file", "max_score": 10},
    ).json()["id"]
    eid = api.post(
        "/api/v1/events",
        headers=auth["owner"],
        json={
            "kind": "training_session",
            "title": "File session",
            "starts_at": "2030-02-01T09:00Z",
            "ends_at": "2030-02-01T17:00Z",
        },
    ).json()["id"]
    api.post(
        f"/api/v1/training/courses/{cid}/sessions", headers=auth["owner"], json={"event_id": eid}
    )
    pid = api.post(
        f"/api/v1/events/{eid}/participants",
        headers=auth["owner"],
        json={"name": "Ana", "sex": "female"},
    ).json()["id"]
    url = f"/api/v1/training/courses/{cid}/scores/file"
    bad = api.post(
        url,
        headers=auth["owner"],
        files={"file": ("s.csv", f"participant_id,pre_score,post_score\n{pid},4,11\n".encode())},
    )
    assert bad.status_code == 422
    err = bad.json()["error"]
    assert err["code"] == "training.bad-scores-file" and "row 2" in err["message"]
    assert err["context"]["rows"] == [2]
    other = api.post(
        url,
        headers=auth["second"],
        files={"file": ("s.csv", f"participant_id,pre_score,post_score\n{pid},4,9\n".encode())},
    )
    assert other.status_code == 403 and other.json()["error"]["code"] == "event.not-organiser"
    with store.session_scope(ADMIN, url=app.state.settings.database_url, write=False) as s:
        assert s.query(TrainingAssessment).count() == 0
    ok = api.post(
        url,
        headers=auth["owner"],
        files={"file": ("s.csv", f"participant_id,pre_score,post_score\n{pid},4,9\n".encode())},
    )
    assert ok.status_code == 200 and ok.json()["recorded"] == 1
    assert (
        api.get(f"/api/v1/training/courses/{cid}/scores", headers=auth["owner"]).json()[0]["gain"]
        == 5
    )
