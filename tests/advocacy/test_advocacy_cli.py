"""`socialcover advocacy ...`: the calendar, a media kit file, releases due, one person's data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from socialcover.advocacy import (
    create_event,
    create_press_release,
    publish_event,
    publish_press_release,
    register,
)
from socialcover.cli.app import app
from socialcover.errors import InputError
from socialcover.monitor import approve_data_set, record_observations, submit_data_set
from socialcover.store import SystemActor, open_database, session_scope

runner = CliRunner()
ADMIN = SystemActor("test")


@pytest.fixture
def db(sc_home: object) -> None:
    open_database()


def test_calendar_media_kit_release_and_one_person(db: None, tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "indicator": ["sdg131.children"] * 2,
            "area": ["KEN"] * 2,
            "year": [2021, 2023],
            "sex": ["both"] * 2,
            "value": [11.0, 12.5],
            "se": [None] * 2,
            "lower": [None] * 2,
            "upper": [None] * 2,
            "nature": ["administrative"] * 2,
            "source": ["Ministry"] * 2,
            "vintage": ["2024"] * 2,
            "footnotes": [""] * 2,
        },
        schema_overrides={"se": pl.Float64, "lower": pl.Float64, "upper": pl.Float64},
    )
    with session_scope(ADMIN) as s:
        for data_set in record_observations(s, ADMIN, frame).data_sets:
            submit_data_set(s, ADMIN, data_set)
            approve_data_set(s, ADMIN, data_set)
        e = create_event(
            s,
            ADMIN,
            {
                "kind": "training_session",
                "title": "Training of labour inspectors",
                "starts_at": "2031-05-01T09:00Z",
                "ends_at": "2031-05-01T12:00Z",
                "registration_open": True,
            },
        )
        publish_event(s, ADMIN, e.id)
        register(s, None, e.id, {"name": "Kofi", "email": "kofi@example.org"})
        past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        rid = create_press_release(
            s,
            ADMIN,
            {
                "texts": {"en": {"title": "Now", "body": "{{ k }}"}},
                "embargo_until": past,
                "figures": [
                    {"name": "k", "indicator": "sdg131.children", "area": "KEN", "year": 2023}
                ],
            },
        ).id
        publish_press_release(s, ADMIN, rid)
    listed = runner.invoke(app, ["advocacy", "events", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert [r["title"] for r in json.loads(listed.output)] == ["Training of labour inspectors"]
    ics = tmp_path / "events.ics"
    assert runner.invoke(app, ["advocacy", "calendar", "--out", str(ics)]).exit_code == 0
    assert len(Calendar.from_ical(ics.read_bytes()).walk("VEVENT")) == 1
    card = tmp_path / "card.svg"
    made = runner.invoke(
        app, ["advocacy", "media-kit", "sdg131.children", "KEN", "--out", str(card)]
    )
    assert made.exit_code == 0, made.output
    assert card.read_text().startswith("<svg")
    bad = runner.invoke(app, ["advocacy", "media-kit", "sdg131.children", "KEN", "--out", "x.gif"])
    assert isinstance(bad.exception, InputError) and bad.exception.code == "advocacy.bad-output"
    due = runner.invoke(app, ["advocacy", "release-due"])
    assert due.exit_code == 0 and f"Released 1 press release(s): {rid}" in due.output
    exported = runner.invoke(app, ["advocacy", "export-person", "kofi@example.org"])
    assert json.loads(exported.output)[0]["name"] == "Kofi"
    erased = runner.invoke(app, ["advocacy", "erase-person", "kofi@example.org"])
    assert erased.exit_code == 0 and "1 registration" in erased.output
    assert (
        json.loads(runner.invoke(app, ["advocacy", "export-person", "kofi@example.org"]).output)
        == []
    )
