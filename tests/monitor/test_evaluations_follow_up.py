"""Recommendations, management responses and follow-up, and the schedule of regular
evaluations with what is overdue, on SQLite and PostgreSQL; and `socialcover monitor
evaluations`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.monitor import (
    RECOMMENDATION_COLUMNS,
    SCHEDULE_COLUMNS,
    add_recommendation,
    create_evaluation,
    follow_up_recommendation,
    list_evaluations,
    list_schedule,
    overdue,
    publish_evaluation,
    recommendations_due,
    schedule,
    submit_evaluation,
    update_evaluation,
    update_recommendation,
)
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    User,
    ValidationError,
    create_user,
    history,
    session_scope,
)
from socialcover.store.models import Recommendation, ScheduledEvaluation
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")
runner = CliRunner()


def people() -> tuple[User, User, User]:
    with session_scope(ADMIN) as s:
        return (
            create_user(s, ADMIN, "author@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "other@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "manager@example.org", "long passphrase", "reviewer"),
        )


def evaluation(author: User, **changes: Any) -> int:
    data = {
        "title": "Final evaluation of the Demoland engagement",
        "subject_type": "country_engagement",
        "subject_ref": "XDM",
        "evaluation_type": "final",
        "started_on": dt.date(2024, 9, 1),
        "ended_on": dt.date(2024, 12, 15),
        "evaluators": ["An Independent Evaluator"],
    }
    with session_scope(author) as s:
        return create_evaluation(s, author, data | changes).id


def test_recommendations_are_written_with_the_evaluation_then_followed_up(db_url: str) -> None:
    author, other, manager = people()
    eid = evaluation(author)
    with session_scope(author) as s:
        first = add_recommendation(
            s, author, eid, {"text": "Register own-account workers.", "due_on": "2025-06-30"}
        ).id
        second = add_recommendation(s, author, eid, {"text": "Cost a child benefit."}).id
        update_recommendation(s, author, second, {"due_on": dt.date(2025, 3, 31)})
    with session_scope(other) as s, pytest.raises(RecordNotFoundError):
        add_recommendation(s, other, eid, {"text": "Not my evaluation."})
    with session_scope(author) as s:
        submit_evaluation(s, author, eid)
    with session_scope(author) as s, pytest.raises(PermissionDeniedError):
        add_recommendation(s, author, eid, {"text": "Too late: it is submitted."})
    with session_scope(author) as s, pytest.raises(PermissionDeniedError):
        follow_up_recommendation(s, author, first, {"response": "Agreed."})  # management's
    with session_scope(manager) as s:
        publish_evaluation(s, manager, eid)
        follow_up_recommendation(
            s,
            manager,
            first,
            {"response": "Agreed: the ministry leads it.", "follow_up": "in_progress"},
            comment="Discussed with the ministry on 20 January.",
        )
        follow_up_recommendation(s, manager, second, {"follow_up": "done"}, expected_version=2)
    with session_scope(manager) as s, pytest.raises(ConflictError) as stale:
        follow_up_recommendation(s, manager, second, {"follow_up": "open"}, expected_version=2)
    assert stale.value.code == "store.stale"
    with session_scope(write=False) as s:
        first_steps = [(h.action, h.actor, h.comment) for h in history(s, _REC, first)]
        second_steps = [h.action for h in history(s, _REC, second)]
        listed = list_evaluations(s, None).row(0, named=True)
        changed = history(s, _REC, first)[-1].changed_fields()
    assert first_steps == [
        ("recommendation.create", "author@example.org", ""),
        (
            "recommendation.follow_up",
            "manager@example.org",
            "Discussed with the ministry on 20 January.",
        ),
    ]
    assert changed == ["follow_up", "response", "updated_at", "version"]
    assert second_steps == [
        "recommendation.create",
        "recommendation.update",
        "recommendation.follow_up",
    ]
    assert (listed["recommendations"], listed["recommendations_pending"]) == (2, 1)


_REC = "evaluation_recommendations"


def test_recommendations_due_are_the_pending_ones_of_visible_evaluations(db_url: str) -> None:
    author, other, manager = people()
    eid = evaluation(author)
    hidden = evaluation(other, title="A draft nobody else sees")
    with session_scope(author) as s:
        late = add_recommendation(s, author, eid, {"text": "Late.", "due_on": "2025-01-31"}).id
        add_recommendation(s, author, eid, {"text": "Later.", "due_on": "2026-01-31"})
        done = add_recommendation(s, author, eid, {"text": "Done.", "due_on": "2024-12-31"}).id
        add_recommendation(s, author, eid, {"text": "No date."})
    with session_scope(other) as s:
        add_recommendation(s, other, hidden, {"text": "Private.", "due_on": "2025-01-01"})
    with session_scope(manager) as s:
        publish_evaluation(s, manager, eid)
        follow_up_recommendation(s, manager, done, {"follow_up": "done"})
    with session_scope(write=False) as s:
        due = recommendations_due(s, None, before=dt.date(2025, 6, 1))
        everyone = recommendations_due(s, manager, before=dt.date(2025, 6, 1))
    assert due.schema == RECOMMENDATION_COLUMNS
    assert due.select("id", "follow_up", "due_on").rows() == [(late, "open", dt.date(2025, 1, 31))]
    assert everyone["text"].to_list() == ["Private.", "Late."]  # the reviewer sees drafts too


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"follow_up": "finished"}, "'open', 'in_progress', 'done' or 'dropped'"),
        ({"due_on": "next year"}, "due_on"),
        ({"text": "Rewritten by management."}, "text"),
    ],
)
def test_bad_follow_up_writes_nothing(db_url: str, changes: dict[str, Any], words: str) -> None:
    author, _, manager = people()
    eid = evaluation(author)
    with session_scope(author) as s:
        rid = add_recommendation(s, author, eid, {"text": "Register own-account workers."}).id
    with session_scope(manager) as s, pytest.raises(ValidationError) as info:
        follow_up_recommendation(s, manager, rid, changes)
    assert words in info.value.message and info.value.hint
    with session_scope(write=False) as s:
        rec = s.get(Recommendation, rid)
        assert rec is not None and (rec.version, rec.follow_up, rec.response) == (1, "open", "")
        assert len(history(s, _REC, rid)) == 1


def test_a_bad_recommendation_is_refused_whole(db_url: str) -> None:
    author, _, _ = people()
    eid = evaluation(author)
    with session_scope(author) as s, pytest.raises(ValidationError) as info:
        add_recommendation(s, author, eid, {"text": "ok", "follow_up": "someday"})
    assert info.value.context["fields"] == ["text", "follow_up"]
    with session_scope(write=False) as s:
        assert s.scalar(select(func.count()).select_from(Recommendation)) == 0


def test_overdue_is_a_past_planned_date_with_no_evaluation_finished_after_it(
    db_url: str,
) -> None:
    author, _, manager = people()
    plans = [
        ("country_engagement", "XDM", "final", "2024-12-01"),  # done: finished 2024-12-15
        ("country_engagement", "XDM", "mid_term", "2024-06-01"),  # overdue: none of that type
        ("campaign", "", "final", "2025-01-01"),  # overdue: the evaluation ends later
        ("programme", "Demoland Child Grant", "impact", "2026-06-01"),  # not yet due
    ]
    with session_scope(manager) as s:
        for kind, ref, etype, planned in plans:
            schedule(
                s,
                manager,
                {
                    "subject_type": kind,
                    "subject_ref": ref,
                    "evaluation_type": etype,
                    "planned_on": planned,
                },
            )
    with session_scope(author) as s, pytest.raises(PermissionDeniedError):
        schedule(
            s,
            author,
            {"subject_type": "campaign", "evaluation_type": "final", "planned_on": "2027-01-01"},
        )
    evaluation(author)  # a draft counts: the evaluation took place
    evaluation(
        author,
        subject_type="campaign",
        subject_ref="",
        started_on=dt.date(2025, 1, 15),
        ended_on=dt.date(2025, 9, 30),
    )
    with session_scope(write=False) as s:
        late = overdue(s, today=dt.date(2025, 3, 1))
        everything = list_schedule(s, today=dt.date(2025, 3, 1))
        after = overdue(s, today=dt.date(2025, 10, 1))
        audit = history(s, "evaluation_schedule", 1)
    assert late.schema == SCHEDULE_COLUMNS
    assert late.select("subject_type", "evaluation_type", "days_overdue").rows() == [
        ("country_engagement", "mid_term", 273),
        ("campaign", "final", 59),
    ]
    assert everything["overdue"].to_list() == [True, False, True, False]
    assert everything["last_finished_on"].to_list()[1] == dt.date(2024, 12, 15)
    assert after["subject_type"].to_list() == ["country_engagement"]  # the campaign is done
    assert [(a.action, a.actor) for a in audit] == [("evaluation.schedule", "manager@example.org")]


def test_a_bad_plan_writes_nothing(db_url: str) -> None:
    _, _, manager = people()
    with session_scope(manager) as s, pytest.raises(ValidationError) as info:
        schedule(
            s,
            manager,
            {
                "subject_type": "practice",
                "subject_ref": "7",
                "evaluation_type": "final",
                "planned_on": "2026-01-01",
            },
        )
    assert info.value.code == "evaluation.unknown-practice"
    with session_scope(write=False) as s:
        assert s.scalar(select(func.count()).select_from(ScheduledEvaluation)) == 0


def test_the_command_lists_published_evaluations_and_overdue_ones(db_url: str) -> None:
    author, _, manager = people()
    eid = evaluation(author)
    evaluation(author, title="Still a draft")
    with session_scope(manager) as s:
        publish_evaluation(s, manager, eid)
        update_evaluation(s, manager, eid, {"findings": "Coverage rose; see the report."})
        schedule(
            s,
            manager,
            {"subject_type": "campaign", "evaluation_type": "final", "planned_on": "2020-01-01"},
        )
    res = runner.invoke(app, ["monitor", "evaluations", "--format", "json", "--url", db_url])
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.stdout)
    assert (row["id"], row["started_on"], row["evaluators"]) == (
        eid,
        "2024-09-01",
        "An Independent Evaluator",
    )
    res = runner.invoke(app, ["monitor", "evaluations", "--overdue", "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0].startswith("id,subject_type,subject_ref,evaluation_type")
    assert ',campaign,"",final,2020-01-01,' in res.stdout
    res = runner.invoke(app, ["monitor", "evaluations"])
    assert res.exit_code == 0 and "Final" in res.stdout and "Still" not in res.stdout
