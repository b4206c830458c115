"""Pages of training courses: the list, and one course with its sessions and public results.

Thin adapters over :mod:`socialcover.advocacy.training`; results show counts and mean scores,
never a name.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession
from socialcover.web.params import RecordId
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)  # pages, not the API


def course_rows(session: Session) -> list[dict[str, Any]]:
    """Every course as the list shows it."""
    from socialcover import advocacy

    return [advocacy.course_as_dict(c) for c in advocacy.list_courses(session)]


def course_detail(session: Session, cid: int) -> dict[str, Any]:
    """One course and its results."""
    from socialcover import advocacy

    course = advocacy.course_as_dict(advocacy.get_course(session, cid))
    return {"course": course, "results": advocacy.course_results(session, cid).as_dict()}


@router.get("/training", response_class=HTMLResponse)
async def courses(
    request: Request,
    session: ReadSession,
    user: Principal | None = Depends(Need("training.read")),
) -> HTMLResponse:
    """The training courses."""
    rows = await run_in_threadpool(course_rows, session)
    return render(request, "training/courses.html", {"rows": rows})


@router.get("/training/{cid}", response_class=HTMLResponse)
async def course_page(
    request: Request,
    cid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("training.read")),
) -> HTMLResponse:
    """A course: topics, trainers, materials, sessions, and its participants' mean gains."""
    found = await run_in_threadpool(course_detail, session, cid)
    return render(request, "training/course.html", found)
