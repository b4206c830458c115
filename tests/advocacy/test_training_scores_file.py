"""Scores from a CSV file, on SQLite and PostgreSQL: the sheet re-imports unchanged (a name
starting with "=" is written as text), decimal commas are read, every bad row is named with its
number and nothing is kept, and a co-organiser's file may not touch another session's people."""

from __future__ import annotations

import pytest

from socialcover.advocacy import (
    add_course_session,
    add_participant,
    create_course,
    create_event,
    import_scores,
    list_scores,
    scores_sheet,
)
from socialcover.store import (
    PermissionDeniedError,
    SystemActor,
    ValidationError,
    create_user,
    session_scope,
)
from socialcover.store.models import TrainingAssessment
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")


def _course() -> tuple[object, object, int, list[int], int]:
    with session_scope(ADMIN) as s:
        owner = create_user(s, ADMIN, "owner@example.org", "long passphrase", "contributor")
        other = create_user(s, ADMIN, "other@example.org", "long passphrase", "contributor")
    with session_scope(owner) as s:
        cid = create_course(s, owner, {"title": "Actuarial basics", "max_score": 10}).id
        eid = create_event(
            s,
            owner,
            {
                "kind": "training_session",
                "title": "Day one",
                "starts_at": "2031-01-05T09:00",
                "ends_at": "2031-01-05T17:00",
            },
        ).id
        add_course_session(s, owner, cid, eid)
        pids = [
            add_participant(s, owner, eid, {"name": name, "sex": sex}).id
            for name, sex in (("=HYPERLINK(1)", "female"), ("Ben", "male"))
        ]
    with session_scope(other) as s:
        other_eid = create_event(
            s,
            other,
            {
                "kind": "training_session",
                "title": "Day two",
                "starts_at": "2031-01-06T09:00",
                "ends_at": "2031-01-06T17:00",
            },
        ).id
        stranger = add_participant(s, other, other_eid, {"name": "Cleo"}).id
    with session_scope(owner) as s:  # the owner links it; "other" organises it
        from socialcover.store.models import TrainingCourseSession

        s.add(TrainingCourseSession(course_id=cid, event_id=other_eid))
    return owner, other, cid, pids, stranger


def test_the_sheet_round_trips_and_bad_rows_are_named(db_url: str) -> None:
    owner, _other, cid, (a, b), stranger = _course()
    with session_scope(owner, write=False) as s:
        sheet = scores_sheet(s, owner, cid)
    assert "'=HYPERLINK(1)" in sheet, "a formula is written as text"
    assert "Cleo" in sheet, "the course's owner reads every session's people"
    with session_scope(owner) as s:
        assert (
            import_scores(
                s,
                owner,
                cid,
                "\n".join(
                    [
                        "participant_id,event_id,name,pre_score,post_score,gain",
                        f'{a},1,"=HYPERLINK(1)","3,5",8,',
                        f"{b},1,Ben,,6,",
                    ]
                ).encode(),
            )
            == 2
        )
    with session_scope(owner, write=False) as s:
        got = {
            r["participant_id"]: (r["pre_score"], r["post_score"], r["gain"])
            for r in list_scores(s, owner, cid)
        }
    assert got == {a: (3.5, 8.0, 4.5), b: (None, 6.0, None), stranger: (None, None, None)}
    broken = (
        "participant_id,pre_score,post_score\n"
        f"{a},11,5\n"  # row 2: above 10
        f"{stranger},1,2\n"  # row 3: a session the owner does not organise
        "abc,1,2\n"  # row 4: not a number
        f"{b},-1,2\n"  # row 5: below 0
        f"{b},1,2\n"  # row 6: the same participant again
        f"{b},1,3\n"  # row 7: and again
    )
    with session_scope(owner) as s, pytest.raises(ValidationError) as err:
        import_scores(s, owner, cid, broken.encode())
    assert err.value.context["rows"] == [2, 3, 4, 5, 6, 7]
    for words in (
        "row 2: pre_score 11 is outside 0 to 10",
        "row 3:",
        "do not organise",
        "row 4: participant_id 'abc'",
        "row 5: pre_score -1 is outside",
        "row 7: participant",
        "already on row 5",
    ):
        assert words in err.value.message, words
    with session_scope(owner, write=False) as s:
        kept = {r.participant_id: r.post_score for r in s.query(TrainingAssessment)}
    assert kept == {a: 8.0, b: 6.0}, "nothing of the refused file was written"


def test_missing_columns_and_strangers_are_refused(db_url: str) -> None:
    owner, _other, cid, (a, _b), _stranger = _course()
    with session_scope(owner) as s, pytest.raises(ValidationError) as err:
        import_scores(s, owner, cid, f"participant_id,score\n{a},3\n".encode())
    assert "pre_score" in err.value.message and err.value.code == "training.bad-scores-file"
    with session_scope(owner) as s, pytest.raises(ValidationError):
        import_scores(s, owner, cid, b"participant_id,pre_score,post_score\n")
    outsider = None
    with session_scope(ADMIN) as s:
        outsider = create_user(s, ADMIN, "out@example.org", "long passphrase", "contributor")
    with session_scope(outsider) as s, pytest.raises(PermissionDeniedError):
        import_scores(s, outsider, cid, f"participant_id,pre_score,post_score\n{a},1,2\n".encode())
