"""Advocacy in a real Chromium: the public calendar and registration for an event (the
public sees counts, not names), and a press release under embargo that a reader cannot open
until its time has come, then reads with the store's figures, in French too."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import polars as pl
import pytest

from .conftest import SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADMIN_NAME = "browser-test"


def _admin() -> Any:
    from socialcover import store

    return store.SystemActor(ADMIN_NAME)


def test_calendar_and_registration(server: dict[str, Any], page: Any) -> None:
    from socialcover import advocacy, store

    admin = _admin()
    with store.session_scope(admin, url=server["url"]) as s:
        e = advocacy.create_event(
            s,
            admin,
            {
                "kind": "validation_workshop",
                "title": "Validation workshop in the browser",
                "starts_at": "2031-02-03T09:00",
                "ends_at": "2031-02-03T17:00",
                "timezone": "Africa/Nairobi",
                "place": "Nairobi",
                "registration_open": True,
            },
        )
        advocacy.add_session(s, admin, e.id, {"title": "Findings", "speakers": [{"name": "Ada"}]})
        advocacy.publish_event(s, admin, e.id)
        eid = e.id
    page.goto(f"{server['base']}/events")
    page.click("text=Validation workshop in the browser")
    assert page.url.endswith(f"/events/{eid}")
    assert "Findings" in page.inner_text("#agenda")
    page.fill("#register input[name=name]", "Wanjiru Browser")
    page.fill("#register input[name=email]", "wanjiru@example.org")
    page.select_option("#register select[name=sex]", "female")
    page.select_option("#register select[name=constituent]", "government")
    page.click("#register button[type=submit]")
    page.wait_for_url(f"**/events/{eid}?registered=1")
    assert page.inner_text("#participant-total").endswith("1")
    assert "Wanjiru Browser" not in page.content()
    page.screenshot(path=str(SHOTS / "event.png"), full_page=True)
    page.goto(f"{server['base']}/events?lang=fr")
    assert "Événements" in page.inner_text("h1")
    assert not page.js_errors, page.js_errors


def test_press_release_under_embargo(server: dict[str, Any], page: Any) -> None:
    from socialcover import advocacy, monitor, store

    admin = _admin()
    frame = pl.DataFrame(
        {
            "indicator": ["sdg131.children"],
            "area": ["UGA"],
            "year": [2023],
            "sex": ["both"],
            "value": [21.25],
            "se": [None],
            "lower": [None],
            "upper": [None],
            "nature": ["administrative"],
            "source": ["A ministry"],
            "vintage": ["2024"],
            "footnotes": [""],
        },
        schema_overrides={"se": pl.Float64, "lower": pl.Float64, "upper": pl.Float64},
    )
    embargo = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=6)
    with store.session_scope(admin, url=server["url"]) as s:
        for data_set in monitor.record_observations(s, admin, frame).data_sets:
            monitor.submit_data_set(s, admin, data_set)
            monitor.approve_data_set(s, admin, data_set)
        rid = advocacy.create_press_release(
            s,
            admin,
            {
                "texts": {
                    "en": {"title": "Embargoed: {{ uga }} of children", "body": "{{ uga }}."},
                    "fr": {"title": "Sous embargo : {{ uga }} des enfants", "body": "{{ uga }}."},
                },
                "figures": [
                    {
                        "name": "uga",
                        "indicator": "sdg131.children",
                        "area": "UGA",
                        "year": 2023,
                        "format": "percent",
                    }
                ],
                "embargo_until": embargo.isoformat(),
            },
        ).id
        advocacy.publish_press_release(s, admin, rid)
    response = page.goto(f"{server['base']}/press/{rid}")
    assert response.status == 404 and "Embargoed" not in page.content()
    page.goto(f"{server['base']}/press")
    assert "Embargoed" not in page.content()
    time.sleep(max(0.0, (embargo - dt.datetime.now(dt.UTC)).total_seconds()) + 0.5)
    response = page.goto(f"{server['base']}/press/{rid}")
    assert response.status == 200
    assert page.inner_text("#press-title") == "Embargoed: 21.3% of children"
    page.goto(f"{server['base']}/press/{rid}?lang=fr")
    assert page.inner_text("#press-title") == "Sous embargo : 21,3\u00a0% des enfants"
    page.screenshot(path=str(SHOTS / "press.png"), full_page=True)
    assert not page.js_errors, page.js_errors
