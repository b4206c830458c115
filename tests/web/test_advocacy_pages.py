"""Advocacy over HTTP: a press release under embargo answers 404 to anonymous readers and the
API until its date (the app's injected clock), then shows the store's figures at that date;
the calendar, its iCal feed and an event page with counts but no names for the public; media
kits and counted downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar

from socialcover import advocacy, knowledge, monitor, store
from socialcover.web import Settings

from .conftest import csrf_of, sign_in

EMBARGO = dt.datetime(2027, 6, 30, 8, 0, tzinfo=dt.UTC)
ADMIN = store.SystemActor("test")


def _store_value(url: str, value: float) -> None:
    frame = pl.DataFrame(
        {
            "indicator": ["sdg131.children"],
            "area": ["KEN"],
            "year": [2023],
            "sex": ["both"],
            "value": [value],
            "se": [None],
            "lower": [None],
            "upper": [None],
            "nature": ["administrative"],
            "source": ["Ministry of Labour and Social Protection"],
            "vintage": ["2024-06"],
            "footnotes": [""],
        },
        schema_overrides={"se": pl.Float64, "lower": pl.Float64, "upper": pl.Float64},
    )
    with store.session_scope(ADMIN, url=url) as s:
        held = [d for d in monitor.list_data_sets(s, ADMIN).to_dicts() if d["area"] == "KEN"]
        if held:
            monitor.unapprove_data_set(s, ADMIN, held[0]["id"], "Revised.", back_to="entered")
        for data_set in monitor.record_observations(s, ADMIN, frame).data_sets:
            monitor.submit_data_set(s, ADMIN, data_set)
            monitor.approve_data_set(s, ADMIN, data_set)


def press_release(url: str) -> int:
    data: dict[str, Any] = {
        "texts": {
            "en": {"title": "{{ kenya }} of children covered", "body": "Kenya: {{ kenya }}."},
            "fr": {"title": "{{ kenya }} des enfants couverts", "body": "Kenya : {{ kenya }}."},
        },
        "figures": [
            {
                "name": "kenya",
                "indicator": "sdg131.children",
                "area": "KEN",
                "year": 2023,
                "format": "percent",
            }
        ],
        "embargo_until": EMBARGO.isoformat(),
    }
    with store.session_scope(ADMIN, url=url) as s:
        rid = advocacy.create_press_release(s, ADMIN, data).id
        advocacy.publish_press_release(s, ADMIN, rid)
    return rid


def test_embargo_hides_the_release_from_pages_and_api_until_its_date(
    app: FastAPI, client: TestClient, web_settings: Settings, users: dict[str, str]
) -> None:
    url = web_settings.database_url
    _store_value(url, 12.5)
    rid = press_release(url)
    app.state.clock = lambda: EMBARGO - dt.timedelta(minutes=1)
    page = client.get(f"/press/{rid}")
    api = client.get(f"/api/v1/press/{rid}")
    listing = client.get("/api/v1/press")
    missing = client.get("/api/v1/press/999999")
    assert page.status_code == 404 and api.status_code == 404
    assert api.json()["error"]["code"] == missing.json()["error"]["code"]
    assert api.json()["error"]["message"].replace(str(rid), "N") == missing.json()["error"][
        "message"
    ].replace("999999", "N")
    assert "children covered" not in page.text and listing.json() == []
    assert "children covered" not in client.get("/press").text
    editor = TestClient(app)
    sign_in(editor, users["reviewer"])  # the editors preview it, marked as under embargo
    preview = editor.get(f"/press/{rid}")
    assert preview.status_code == 200 and "Under embargo until" in preview.text
    _store_value(url, 14.0)
    app.state.clock = lambda: EMBARGO
    out = client.get(f"/api/v1/press/{rid}?lang=fr")
    assert out.status_code == 200, out.text
    body = out.json()
    assert body["title"] == "14,0\u00a0% des enfants couverts"
    assert body["figures"]["kenya"]["value"] == 14.0 and body["data_version"].startswith("store:")
    _store_value(url, 16.0)
    page = client.get(f"/press/{rid}?lang=en")
    assert page.status_code == 200 and "14.0% of children covered" in page.text
    assert [r["id"] for r in client.get("/api/v1/press").json()] == [rid]


def test_calendar_ical_and_an_event_with_counts_but_no_names(
    app: FastAPI, client: TestClient, web_settings: Settings, users: dict[str, str]
) -> None:
    url = web_settings.database_url
    with store.session_scope(ADMIN, url=url) as s:
        owner = store.get_user(s, users["contributor"])
        e = advocacy.create_event(
            s,
            owner,
            {
                "kind": "seminar",
                "title": "Seminar on informal workers",
                "starts_at": "2027-04-01T10:00",
                "ends_at": "2027-04-01T12:00",
                "timezone": "Africa/Dakar",
                "place": "Dakar",
                "registration_open": True,
            },
        )
        advocacy.add_session(s, owner, e.id, {"title": "Opening", "speakers": [{"name": "Ada"}]})
        advocacy.publish_event(s, ADMIN, e.id)
        eid = e.id
    calendar = client.get("/events")
    assert calendar.status_code == 200 and "Seminar on informal workers" in calendar.text
    (vevent,) = Calendar.from_ical(client.get("/events.ics").content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Seminar on informal workers"
    token = csrf_of(client, f"/events/{eid}")
    reg = client.post(
        f"/events/{eid}/register",
        data={
            "csrf_token": token,
            "name": "Fatou Secret",
            "email": "fatou@example.org",
            "sex": "female",
            "constituent": "workers",
            "country_iso3": "",
        },
        follow_redirects=False,
    )
    assert reg.status_code == 303, reg.text
    bad = client.post(
        f"/events/{eid}/register",
        data={"csrf_token": token, "name": "X", "email": "not-an-address", "sex": "female"},
    )
    assert bad.status_code == 422 and "not-an-address" in bad.text
    public = client.get(f"/events/{eid}")
    assert "Opening" in public.text and "Ada" in public.text
    assert "Fatou Secret" not in public.text and "fatou@example.org" not in public.text
    api = client.get(f"/api/v1/events/{eid}").json()
    assert api["counts"]["total"] == 1 and api["counts"]["by_sex"]["female"] == 1
    assert "Fatou" not in str(api)
    organiser = TestClient(app)
    sign_in(organiser, users["contributor"])
    assert "Fatou Secret" in organiser.get(f"/events/{eid}").text
    assert client.get(f"/api/v1/events/{eid}/participants").status_code == 401


def test_media_kit_files_and_counted_downloads(
    client: TestClient, web_settings: Settings, users: dict[str, str]
) -> None:
    url = web_settings.database_url
    _store_value(url, 12.5)
    svg = client.get("/api/v1/media/sdg131.children/KEN?format=svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text
    png = client.get("/api/v1/media/sdg131.children/KEN?format=png")
    assert png.content.startswith(b"\x89PNG")
    assert "2023,both,12.5" in client.get("/api/v1/media/sdg131.children/KEN?format=csv").text
    page = client.get("/media/sdg131.children/KEN")
    assert page.status_code == 200 and "/media/sdg131.children/KEN" in page.text
    assert client.get("/api/v1/media/sdg131.children/ZZZ").status_code == 404
    with store.session_scope(ADMIN, url=url) as s:
        pid = knowledge.create_publication(s, ADMIN, {"title": "Guide", "kind": "guide"}).id
        knowledge.attach_pdf(s, ADMIN, pid, "g.pdf", b"%PDF-1.4\n%%EOF\n")
        knowledge.publish_publication(s, ADMIN, pid)
    for _ in range(2):
        assert client.get(f"/publications/{pid}/file").status_code == 200
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    assert client.get(f"/api/v1/publications/{pid}/downloads").json() == [
        {"month": month, "country_iso3": "", "count": 2}
    ]
    atom = client.get("/feeds/atom")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    assert b"<title>Guide</title>" in atom.content


def test_an_organiser_edits_the_event_and_attaches_materials_over_the_api(
    client: TestClient, web_settings: Settings, users: dict[str, str]
) -> None:
    with store.session_scope(ADMIN, url=web_settings.database_url) as s:
        user = store.get_user(s, users["contributor"])
        _row, token = store.create_api_token(s, user, "t")
    auth = {"Authorization": f"Bearer {token}"}
    made = client.post(
        "/api/v1/events",
        headers=auth,
        json={
            "kind": "training_session",
            "title": "Training on costing",
            "starts_at": "2031-01-10T09:00Z",
            "ends_at": "2031-01-10T12:00Z",
        },
    )
    assert made.status_code == 201, made.text
    eid = made.json()["id"]
    edited = client.patch(
        f"/api/v1/events/{eid}",
        headers=auth,
        json={"changes": {"outcomes": "Twelve analysts trained."}, "expected_version": 1},
    )
    assert edited.status_code == 200 and edited.json()["outcomes"] == "Twelve analysts trained."
    stale = client.patch(
        f"/api/v1/events/{eid}", headers=auth, json={"changes": {}, "expected_version": 1}
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "store.stale"
    pdf = client.post(
        f"/api/v1/events/{eid}/materials",
        headers=auth,
        data={"title": "Slides", "kind": "slides"},
        files={"file": ("slides.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    )
    assert pdf.status_code == 201 and pdf.json()["has_file"] is True, pdf.text
    link = client.post(
        f"/api/v1/events/{eid}/materials",
        headers=auth,
        data={"title": "Paper", "kind": "paper", "url": "https://example.org/paper"},
    )
    assert link.status_code == 201 and link.json()["has_file"] is False
    bad = client.post(
        f"/api/v1/events/{eid}/materials",
        headers=auth,
        data={"title": "Notes"},
        files={"file": ("notes.pdf", b"not a pdf", "application/pdf")},
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "knowledge.not-pdf"
    shown = client.get(f"/api/v1/events/{eid}", headers=auth).json()
    assert [m["title"] for m in shown["materials"]] == ["Slides", "Paper"]
    mid = shown["materials"][0]["id"]
    assert client.get(f"/events/{eid}/materials/{mid}/file").status_code == 404  # a draft
