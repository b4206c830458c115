"""Training courses on SQLite and PostgreSQL: sessions are training events, participants' scores
are seen by their session's organisers only, the course's gains (overall, by sex and
constituent) are public and computed by hand here, and "people trained" counts a person once
per course."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from socialcover.advocacy import (
    add_course_session,
    add_organiser,
    add_participant,
    course_as_dict,
    course_results,
    create_course,
    create_event,
    list_courses,
    list_scores,
    publish_event,
    record_scores,
    remove_course_session,
    submit_event,
    update_course,
)
from socialcover.monitor import count_process_indicators
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    ValidationError,
    create_user,
    session_scope,
)
from socialcover.store.models import AuditEntry, TrainingAssessment
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")

COURSE = {
    "title": "Costing a social protection floor",
    "topics": ["costing", "RAP", "costing"],
    "language": "fr",
    "materials": [{"title": "Slides", "url": "https://example.org/rap.pdf"}],
    "trainers": [{"name": "A. Trainer", "affiliation": "Training centre"}],
    "max_score": 20,
}


def people() -> dict[str, Any]:
    with session_scope(ADMIN) as s:
        return {
            "owner": create_user(s, ADMIN, "owner@example.org", "long passphrase", "contributor"),
            "co": create_user(s, ADMIN, "co@example.org", "long passphrase", "contributor"),
            "other": create_user(s, ADMIN, "other@example.org", "long passphrase", "contributor"),
            "reviewer": create_user(s, ADMIN, "rev@example.org", "long passphrase", "reviewer"),
            "reader": None,  # an anonymous visitor
        }


def session_event(p: dict[str, Any], on: str, *, publish: bool = True, **more: Any) -> int:
    with session_scope(p["owner"]) as s:
        eid = create_event(
            s,
            p["owner"],
            {
                "kind": "training_session",
                "title": f"Costing workshop {on}",
                "starts_at": f"{on}T09:00",
                "ends_at": f"{on}T17:00",
                "timezone": "UTC",
            }
            | more,
        ).id
        if publish:
            submit_event(s, p["owner"], eid)
    if publish:
        with session_scope(p["reviewer"]) as s:
            publish_event(s, p["reviewer"], eid)
    return eid


# (name, e-mail, sex, constituent, pre, post): gains by hand below
TRAINEES = [
    ("Awa", "awa@example.org", "female", "government", 8.0, 15.0),  # +7
    ("Bea", "bea@example.org", "female", "workers", 10.0, 14.0),  # +4
    ("Carl", "carl@example.org", "male", "workers", 12.0, 13.0),  # +1
    ("Dan", "dan@example.org", "male", "employers", 6.0, None),  # no post score: not assessed
]


def course_with_scores(p: dict[str, Any]) -> tuple[int, int, dict[str, int]]:
    eid = session_event(p, "2026-03-02")
    ids: dict[str, int] = {}
    with session_scope(p["owner"]) as s:
        cid = create_course(s, p["owner"], COURSE).id
        add_course_session(s, p["owner"], cid, eid)
        for name, email, sex, constituent, pre, post in TRAINEES:
            row = add_participant(
                s,
                p["owner"],
                eid,
                {"name": name, "email": email, "sex": sex, "constituent": constituent},
            )
            ids[name] = row.id
            record_scores(s, p["owner"], cid, row.id, {"pre_score": pre, "post_score": post})
    return cid, eid, ids


def test_a_course_gives_its_mean_gain_overall_and_by_sex_and_constituent(db_url: str) -> None:
    p = people()
    cid, eid, _ = course_with_scores(p)
    with session_scope(None, write=False) as s:  # anyone sees the results, never a name
        results = course_results(s, cid).as_dict()
        course = course_as_dict(list_courses(s, topic="rap")[0])
    assert course["topics"] == ["costing", "RAP"] and course["sessions"] == [eid]
    assert results["participants"] == 4
    assert results["overall"] == {
        "assessed": 3,
        "mean_pre": pytest.approx(10.0),
        "mean_post": pytest.approx(14.0),
        "mean_gain": pytest.approx(4.0),
    }
    assert results["by_sex"]["female"]["mean_gain"] == pytest.approx(5.5)
    assert results["by_sex"]["male"] == {
        "assessed": 1,
        "mean_pre": 12.0,
        "mean_post": 13.0,
        "mean_gain": 1.0,
    }
    assert results["by_constituent"]["workers"]["mean_gain"] == pytest.approx(2.5)
    assert results["by_constituent"]["employers"]["assessed"] == 0
    assert results["by_constituent"]["employers"]["mean_gain"] is None
    assert "Awa" not in str(results)


def test_scores_are_seen_and_recorded_by_the_sessions_organisers_only(db_url: str) -> None:
    p = people()
    cid, eid, ids = course_with_scores(p)
    for who in ("other", "reader", "reviewer"):
        with session_scope(p[who]) as s, pytest.raises(PermissionDeniedError) as err:
            list_scores(s, p[who], cid)
        assert err.value.code == "event.not-organiser"
        with session_scope(p[who]) as s, pytest.raises(PermissionDeniedError) as err:
            record_scores(s, p[who], cid, ids["Awa"], {"pre_score": 1, "post_score": 2})
        assert err.value.code == "event.not-organiser"
    with session_scope(p["owner"]) as s:
        add_organiser(s, p["owner"], eid, "co@example.org")
    with session_scope(p["co"]) as s:
        record_scores(s, p["co"], cid, ids["Dan"], {"pre_score": 6, "post_score": 16})
        rows = {r["name"]: r for r in list_scores(s, p["co"], cid)}
    assert rows["Dan"]["gain"] == 10 and rows["Awa"]["email"] == "awa@example.org"
    with session_scope(None, write=False) as s:
        assert course_results(s, cid).overall.assessed == 4
        entries = list(s.scalars(select(AuditEntry)))
    # the scores are audited; the participants' names and e-mails never reach the audit log
    assert any(a.action == "training.scores" for a in entries)
    logged = " ".join(f"{a.before} {a.after}" for a in entries)
    assert "awa@example.org" not in logged and "Awa" not in logged


def test_only_the_owner_links_sessions_and_only_training_sessions_they_organise(
    db_url: str,
) -> None:
    p = people()
    with session_scope(p["reader"]) as s, pytest.raises(PermissionDeniedError):
        create_course(s, p["reader"], COURSE)
    with session_scope(p["owner"]) as s:
        cid = create_course(s, p["owner"], COURSE).id
    eid = session_event(p, "2026-04-01")
    with session_scope(p["other"]) as s, pytest.raises(PermissionDeniedError) as err:
        add_course_session(s, p["other"], cid, eid)
    assert err.value.code == "training.not-owner"
    with session_scope(p["other"]) as s:  # another's course, someone else's event
        other_cid = create_course(s, p["other"], COURSE | {"title": "Other"}).id
    with session_scope(p["other"]) as s, pytest.raises(PermissionDeniedError) as err:
        add_course_session(s, p["other"], other_cid, eid)
    assert err.value.code == "event.not-organiser"
    seminar = session_event(p, "2026-04-02", kind="seminar")
    with session_scope(p["owner"]) as s, pytest.raises(ValidationError) as verr:
        add_course_session(s, p["owner"], cid, seminar)
    assert verr.value.code == "training.not-training-session"
    with session_scope(p["owner"]) as s:
        add_course_session(s, p["owner"], cid, eid)
    with session_scope(p["reviewer"]) as s:  # an editor may change any course
        second = create_course(s, p["reviewer"], COURSE).id
    with session_scope(p["owner"]) as s, pytest.raises(ConflictError) as cerr:
        add_course_session(s, p["owner"], cid, eid)
    assert cerr.value.code == "training.session-taken"
    with session_scope(p["reviewer"]) as s:
        course = update_course(s, p["reviewer"], cid, COURSE | {"title": "Renamed"}, version=1)
        assert course.title == "Renamed" and second != cid
    with session_scope(p["owner"]) as s, pytest.raises(ConflictError) as cerr:
        update_course(s, p["owner"], cid, COURSE, version=1)
    assert cerr.value.code == "store.stale"


def test_bad_scores_are_refused_and_change_nothing(db_url: str) -> None:
    p = people()
    cid, _eid, ids = course_with_scores(p)
    stray = session_event(p, "2026-05-01")
    with session_scope(p["owner"]) as s:
        outsider = add_participant(s, p["owner"], stray, {"name": "Eve", "email": "e@x.org"}).id
    with session_scope(p["owner"]) as s, pytest.raises(ValidationError) as err:
        record_scores(s, p["owner"], cid, ids["Awa"], {"pre_score": 8, "post_score": 21})
    assert err.value.code == "training.score-out-of-range" and "21" in err.value.message
    with session_scope(p["owner"]) as s, pytest.raises(ValidationError) as err:
        record_scores(s, p["owner"], cid, ids["Awa"], {"pre_score": -1})
    assert err.value.code == "store.invalid"
    with session_scope(p["owner"]) as s, pytest.raises(RecordNotFoundError) as nerr:
        record_scores(s, p["owner"], cid, outsider, {"pre_score": 1})
    assert nerr.value.code == "training.unknown-participant"
    with session_scope(p["owner"]) as s, pytest.raises(ValidationError):
        create_course(s, p["owner"], COURSE | {"materials": [{"title": "x", "url": "ftp://x"}]})
    with session_scope(None, write=False) as s:
        awa = s.scalar(
            select(TrainingAssessment).where(TrainingAssessment.participant_id == ids["Awa"])
        )
        assert awa is not None and (awa.pre_score, awa.post_score) == (8.0, 15.0)
        assert len(list_courses(s)) == 1


def test_a_draft_session_is_not_in_the_results_and_unlinking_drops_its_scores(
    db_url: str,
) -> None:
    p = people()
    cid, _eid, _ids = course_with_scores(p)
    draft = session_event(p, "2026-06-01", publish=False)
    with session_scope(p["owner"]) as s:
        add_course_session(s, p["owner"], cid, draft)
        row = add_participant(s, p["owner"], draft, {"name": "Fay", "email": "f@x.org"})
        record_scores(s, p["owner"], cid, row.id, {"pre_score": 0, "post_score": 20})
    with session_scope(None, write=False) as s:
        assert course_results(s, cid).overall.mean_gain == pytest.approx(4.0)
    with session_scope(p["owner"]) as s:
        remove_course_session(s, p["owner"], cid, draft)
    with session_scope(None, write=False) as s:
        assert s.scalar(select(func.count()).select_from(TrainingAssessment)) == 4


def _trained(today: dt.date) -> dict[tuple[int, str], float]:
    with session_scope(None, write=False) as s:
        frame = count_process_indicators(s, today=today, codes=["process.people_trained"])
    return {(r["year"], r["sex"]): r["value"] for r in frame.iter_rows(named=True)}


def test_people_trained_counts_a_person_once_per_course(db_url: str) -> None:
    p = people()
    first = session_event(p, "2025-11-03")
    second = session_event(p, "2026-01-20")
    loose_a = session_event(p, "2026-02-01")
    loose_b = session_event(p, "2026-02-02")
    with session_scope(p["owner"]) as s:
        cid = create_course(s, p["owner"], COURSE).id
        add_course_session(s, p["owner"], cid, first)
        add_course_session(s, p["owner"], cid, second)
        awa = {"name": "Awa", "email": "awa@example.org", "sex": "female"}
        add_participant(s, p["owner"], first, awa)  # trained once, in 2025
        add_participant(s, p["owner"], second, awa)
        add_participant(s, p["owner"], second, {"name": "Bo", "email": "b@x.org", "sex": "male"})
        for eid in (loose_a, loose_b):  # sessions outside a course: each participation counts
            add_participant(s, p["owner"], eid, awa)
    counts = _trained(dt.date(2026, 12, 31))
    assert counts[(2025, "both")] == 1 and counts[(2025, "female")] == 1
    assert counts[(2026, "both")] == 3  # Bo, and Awa twice outside the course
    assert counts[(2026, "female")] == 2 and counts[(2026, "male")] == 1
