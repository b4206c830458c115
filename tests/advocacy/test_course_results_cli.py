"""`socialcover advocacy course-results`: a course's gains as JSON and as a table."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from socialcover.advocacy import (
    add_course_session,
    add_participant,
    create_course,
    create_event,
    publish_event,
    record_scores,
)
from socialcover.cli.app import app
from socialcover.store import RecordNotFoundError, SystemActor, open_database, session_scope

runner = CliRunner()
ADMIN = SystemActor("test")


@pytest.fixture
def db(sc_home: object) -> None:
    open_database()


def test_course_results_as_json_and_table(db: None) -> None:
    with session_scope(ADMIN) as s:
        cid = create_course(s, ADMIN, {"title": "Costing"}).id
        eid = create_event(s, ADMIN, {"kind": "training_session", "title": "Day 1",
                                      "starts_at": "2030-01-01T09:00Z",
                                      "ends_at": "2030-01-01T17:00Z"}).id  # fmt: skip
        publish_event(s, ADMIN, eid)
        add_course_session(s, ADMIN, cid, eid)
        for email, sex, pre, post in (("a@x.org", "female", 30, 80), ("b@x.org", "male", 50, 60)):
            pid = add_participant(s, ADMIN, eid, {"name": "P", "email": email, "sex": sex}).id
            record_scores(s, ADMIN, cid, pid, {"pre_score": pre, "post_score": post})
    out = runner.invoke(app, ["advocacy", "course-results", str(cid), "--format", "json"])
    assert out.exit_code == 0, out.output
    found = json.loads(out.output)
    assert found["overall"]["mean_gain"] == 30 and found["by_sex"]["female"]["mean_gain"] == 50
    table = runner.invoke(app, ["advocacy", "course-results", str(cid)])
    assert table.exit_code == 0 and "30.0" in table.output and "female" in table.output
    missing = runner.invoke(app, ["advocacy", "course-results", "999"])
    assert isinstance(missing.exception, RecordNotFoundError)
    assert missing.exception.code == "training.not-found"
