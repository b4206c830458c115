"""Participants' pre and post scores of a training course, many at once, as a CSV file.

The organisers of a course's sessions download a sheet of their participants
(:func:`scores_sheet`: ``participant_id``, ``event_id``, ``name``, ``pre_score``,
``post_score``, ``gain``), fill in the scores in a spreadsheet, and send it back
(:func:`import_scores`). The file is checked whole before anything is written: every bad row is
named with its number as a spreadsheet shows it (the header is row 1) and why, and then nothing
is kept. Only ``participant_id``, ``pre_score`` and ``post_score`` are read; other columns (the
name, for the person filling in the sheet) are ignored. An empty score cell leaves that score
empty. Each row is then recorded as :func:`~socialcover.advocacy.training.record_scores`
records one, and audited the same way.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.advocacy.participants import is_organiser
from socialcover.advocacy.training import get_course, list_scores, record_scores
from socialcover.monitor.csvfile import ROW, read_table, write_table
from socialcover.store import PermissionDeniedError, ValidationError
from socialcover.store.models import Event, EventParticipant, TrainingCourseSession

__all__ = ["SCORE_COLUMNS", "import_scores", "scores_sheet"]

SCORE_COLUMNS: tuple[str, ...] = ("participant_id", "pre_score", "post_score")
"""The columns :func:`import_scores` reads (others are ignored)."""
MAX_ROWS = 20_000
MAX_BYTES = 5 * 2**20
_SHOWN = 30  # rows named in the message; the context lists them all


def scores_sheet(session: Session, actor: Any, course_id: int) -> str:
    """The CSV sheet of the participants whose scores ``actor`` may see (the organisers of
    their session, the course's owner), with their scores so far; cells that a spreadsheet
    would run as formulas are written as text.

    Raises
    ------
    socialcover.store.PermissionDeniedError
        The actor sees none of the participants (``event.not-organiser``).
    """
    rows = list_scores(session, actor, course_id)
    text = write_table(
        ["participant_id", "event_id", "name", "pre_score", "post_score", "gain"],
        [
            (
                r["participant_id"],
                r["event_id"],
                r["name"],
                r["pre_score"],
                r["post_score"],
                r["gain"],
            )
            for r in rows
        ],
    )
    assert text is not None  # no path given: the text comes back
    return text


def _number(text: str, name: str, maximum: float) -> tuple[float | None, str | None]:
    text = text.strip()
    if text.count(",") == 1 and "." not in text:  # a decimal comma, as French sheets write it
        text = text.replace(",", ".")
    if not text:
        return None, None
    try:
        value = float(text)
    except ValueError:
        return None, f"{name} {text!r} is not a number"
    if math.isnan(value) or value < 0 or value > maximum:
        return None, f"{name} {text} is outside 0 to {maximum:g}"
    return value, None


def import_scores(session: Session, actor: Any, course_id: int, source: str | Path | bytes) -> int:
    """Record the scores of a CSV file (a path or its bytes) for a course's participants;
    all rows or none. Returns the number of participants recorded.

    Raises
    ------
    socialcover.store.PermissionDeniedError
        The actor organises none of the course's sessions (``event.not-organiser``).
    socialcover.store.ValidationError
        ``training.bad-scores-file``: a missing column, an empty file, or bad rows, each named
        with its row number and why (a participant who is not in a session of the course or
        whose session the actor does not organise, a participant twice, a score that is not a
        number or is outside 0 to the course's ``max_score``); nothing is written. Unreadable
        files raise the CSV reader's errors (``monitor.bad-csv``, ``monitor.not-utf8``...).

    Examples
    --------
    >>> _number("7,5", "pre_score", 10)
    (7.5, None)
    >>> _number("11", "post_score", 10)
    (None, 'post_score 11 is outside 0 to 10')
    """
    course = get_course(session, course_id)
    table = read_table(source, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    missing = [c for c in SCORE_COLUMNS if c not in table.columns]
    if missing or table.height == 0:
        raise ValidationError(
            "The scores file "
            + (f"has no column {', '.join(missing)}." if missing else "has no rows.")
            + f" Its columns are: {', '.join(c for c in table.columns if c != ROW) or 'none'}.",
            code="training.bad-scores-file",
            hint="Download the course's score sheet, fill in pre_score and post_score, and send "
            "it back with its header row; nothing was saved.",
            fields=missing or ["file"],
        )
    events = {
        pid: event
        for pid, event in session.execute(
            select(EventParticipant.id, Event)
            .join(Event, Event.id == EventParticipant.event_id)
            .join(TrainingCourseSession, TrainingCourseSession.event_id == Event.id)
            .where(TrainingCourseSession.course_id == course.id)
        ).all()
    }
    if not any(is_organiser(actor, e) for e in events.values()):
        raise PermissionDeniedError(
            f"Only the organisers of the sessions of training course {course_id} record its "
            "participants' scores.",
            code="event.not-organiser",
            hint="Ask a session's owner to add you as an organiser; nothing was saved.",
        )
    problems: list[tuple[int, str]] = []
    clean: list[tuple[int, float | None, float | None]] = []
    seen: dict[int, int] = {}
    for rec in table.select([ROW, *SCORE_COLUMNS]).iter_rows(named=True):
        row = int(rec[ROW])
        raw_id = (rec["participant_id"] or "").strip()
        if not raw_id.isdigit():
            problems.append((row, f"participant_id {raw_id!r} is not a participant's number"))
            continue
        pid = int(raw_id)
        event = events.get(pid)
        if event is None:
            problems.append((row, f"participant {pid} is not in a session of this course"))
            continue
        if not is_organiser(actor, event):
            problems.append(
                (row, f"participant {pid} is in event {event.id}, which you do not organise")
            )
            continue
        if pid in seen:
            problems.append((row, f"participant {pid} is already on row {seen[pid]}"))
            continue
        seen[pid] = row
        pre, bad_pre = _number(rec["pre_score"] or "", "pre_score", course.max_score)
        post, bad_post = _number(rec["post_score"] or "", "post_score", course.max_score)
        bad = [b for b in (bad_pre, bad_post) if b]
        if bad:
            problems.append((row, "; ".join(bad)))
            continue
        clean.append((pid, pre, post))
    if problems:
        shown = "; ".join(f"row {r}: {why}" for r, why in problems[:_SHOWN])
        more = f"; and {len(problems) - _SHOWN} more rows" if len(problems) > _SHOWN else ""
        raise ValidationError(
            f"{len(problems)} row(s) of the scores file cannot be recorded: {shown}{more}.",
            code="training.bad-scores-file",
            hint=f"Correct these rows (scores run from 0 to {course.max_score:g}; leave a cell "
            "empty for no score) and send the whole file again; nothing was saved.",
            rows=[r for r, _ in problems],
            fields=["file"],
        )
    for pid, pre, post in clean:
        record_scores(session, actor, course.id, pid, {"pre_score": pre, "post_score": post})
    return len(clean)
