"""The iCal and Atom feeds hold published records only and parse back with the libraries that
read them; a media kit's card renders to SVG and PNG, its data file holds the store's values."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import polars as pl
import pytest
from icalendar import Calendar

from socialcover.advocacy import (
    atom_feed,
    create_event,
    icalendar_feed,
    media_kit,
    publish_event,
)
from socialcover.errors import NotFoundError
from socialcover.knowledge import create_publication, publish_publication
from socialcover.monitor import approve_data_set, record_observations, submit_data_set
from socialcover.store import SystemActor, open_database, session_scope

ADMIN = SystemActor("test")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def db(sc_home: object) -> None:
    open_database()


def test_feeds_hold_only_published_events_and_publications(db: None) -> None:
    event = {
        "kind": "webinar",
        "title": "Webinar, with a comma; and a semicolon",
        "summary": "Line one.\nLine two.",
        "starts_at": "2027-03-10T14:00",
        "ends_at": "2027-03-10T15:30",
        "timezone": "Europe/Zurich",
        "online_url": "https://example.org/webinar",
    }
    with session_scope(ADMIN) as s:
        shown = create_event(s, ADMIN, event).id
        publish_event(s, ADMIN, shown)
        create_event(s, ADMIN, event | {"title": "A draft meeting"})
        pub = create_publication(s, ADMIN, {"title": "Guide to coverage", "kind": "guide"}).id
        publish_publication(s, ADMIN, pub)
        create_publication(s, ADMIN, {"title": "Draft paper", "kind": "working_paper"})
    with session_scope(write=False) as s:
        ical = icalendar_feed(s, "https://sc.example.org/")
        atom = atom_feed(s, "https://sc.example.org")
    (vevent,) = Calendar.from_ical(ical).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event["title"]
    assert str(vevent["DESCRIPTION"]) == "Line one.\nLine two."
    assert vevent.decoded("DTSTART").isoformat() == "2027-03-10T13:00:00+00:00"
    assert str(vevent["URL"]) == f"https://sc.example.org/events/{shown}"
    root = ET.fromstring(atom)
    titles = sorted(e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry"))
    assert titles == ["Guide to coverage", event["title"]]
    assert b"A draft meeting" not in ical + atom and b"Draft paper" not in atom


def _store(values: dict[int, float]) -> None:
    frame = pl.DataFrame(
        {
            "indicator": ["sdg131.children"] * len(values),
            "area": ["KEN"] * len(values),
            "year": list(values),
            "sex": ["both"] * len(values),
            "value": list(values.values()),
            "se": [None] * len(values),
            "lower": [None] * len(values),
            "upper": [None] * len(values),
            "nature": ["administrative"] * len(values),
            "source": ["Ministry of Labour and Social Protection"] * len(values),
            "vintage": ["2024-06"] * len(values),
            "footnotes": [""] * len(values),
        },
        schema_overrides={"se": pl.Float64, "lower": pl.Float64, "upper": pl.Float64},
    )
    with session_scope(ADMIN) as s:
        for data_set in record_observations(s, ADMIN, frame).data_sets:
            submit_data_set(s, ADMIN, data_set)
            approve_data_set(s, ADMIN, data_set)


def test_a_media_kit_is_a_card_and_the_data_behind_it(db: None) -> None:
    _store({2020: 10.0, 2023: 12.5})
    with session_scope(write=False) as s:
        kit = media_kit(s, "sdg131.children", "KEN")
        with pytest.raises(NotFoundError) as none:
            media_kit(s, "sdg131.children", "UGA")
        with pytest.raises(NotFoundError) as unknown:
            media_kit(s, "sdg131.childs", "KEN")
    assert none.value.code == "media.no-data" and "UGA" in none.value.message
    assert "sdg131.children" in unknown.value.hint or "sdg131.children" in unknown.value.message
    svg = kit.svg()
    assert svg.startswith("<svg") and "Source: Ministry of Labour and Social Protection" in svg
    assert kit.licence in svg and kit.date in svg and "2020-2023" in svg
    assert kit.png().startswith(b"\x89PNG\r\n\x1a\n")
    rows = list(csv.DictReader(io.StringIO(kit.csv())))
    assert [(r["year"], float(r["value"])) for r in rows] == [("2020", 10.0), ("2023", 12.5)]
    assert json.loads(kit.json())["rows"][1]["value"] == 12.5
