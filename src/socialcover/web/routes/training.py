"""Pages of training courses: the list, and one course with its sessions and public results;
for the course's team, its participants with their scores and gains, and the forms
(:mod:`socialcover.web.routes.training_forms`).

Thin adapters over :mod:`socialcover.advocacy.training`; results show counts and mean scores,
never a name; names and scores only to those the domain lets see them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.store import can
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession
from socialcover.web.exports import jsonable
from socialcover.web.params import RecordId
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)  # pages, not the API


def course_rows(session: Session) -> list[dict[str, Any]]:
    """Every course as the list shows it."""
    from socialcover import advocacy

    return [advocacy.course_as_dict(c) for c in advocacy.list_courses(session)]


def course_detail(session: Session, cid: int, user: Any = None) -> dict[str, Any]:
    """One course and its results; for ``user``, what the course's team sees and may do."""
    from socialcover import actors, advocacy
    from socialcover.store import PermissionDeniedError, can

    record = advocacy.get_course(session, cid)
    course = advocacy.course_as_dict(record)
    role, uid = getattr(user, "role", None), getattr(user, "id", None)
    sessions = []
    for eid in course["sessions"]:
        try:
            event = advocacy.get_event(session, user, eid)
        except KeyError:  # a draft session the caller may not see
            continue
        sessions.append(
            {
                "id": event.id,
                "title": event.title,
                "starts_at": event.starts_at.date().isoformat(),
                "status": event.status,
                "organised": user is not None and advocacy.is_organiser(user, event),
                "editable": user is not None and advocacy.EVENTS.may_edit(user, event),
                "materials": advocacy.event_as_dict(event)["materials"],
            }
        )
    team: list[dict[str, Any]] | None = None
    if user is not None:
        try:
            team = jsonable(advocacy.list_scores(session, user, cid))
        except PermissionDeniedError:
            team = None
    may_edit = can(role, "training.edit") and (
        can(role, "training.edit_any") or (uid is not None and record.created_by_id == uid)
    )
    organised = [s for s in sessions if s["organised"]]
    return {
        "course": course,
        "results": advocacy.course_results(session, cid).as_dict(),
        "sessions": sessions,
        "team": team,
        "may_edit": may_edit,
        "organised": organised,
        "editable": [s for s in sessions if s["editable"]],
        "organisations": (
            [{"id": o.id, "name": o.name} for o in actors.list_organisations(session, limit=2000)]
            if organised
            else []
        ),
        "sexes": advocacy.SEXES,
        "constituents": advocacy.CONSTITUENTS,
    }


@router.get("/training", response_class=HTMLResponse)
async def courses(
    request: Request,
    session: ReadSession,
    user: Principal | None = Depends(Need("training.read")),
) -> HTMLResponse:
    """The training courses."""
    rows = await run_in_threadpool(course_rows, session)
    may_create = can(getattr(user, "role", None), "training.edit")
    return render(request, "training/courses.html", {"rows": rows, "may_create": may_create})


@router.get("/training/{cid}", response_class=HTMLResponse)
async def course_page(
    request: Request,
    cid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("training.read")),
) -> HTMLResponse:
    """A course: topics, trainers, materials, sessions, and its participants' mean gains."""
    found = await run_in_threadpool(course_detail, session, cid, user)
    return render(request, "training/course.html", found)
