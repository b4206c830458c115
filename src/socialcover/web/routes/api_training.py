"""REST API of training courses: courses, their sessions, participants' scores and the gains.

Each route is a thin adapter over one function of :mod:`socialcover.advocacy.training`; errors
come in the API's one shape. Results are public; scores (personal data) go to the organisers of
each session and the course's owner only.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from socialcover.advocacy import CourseInput, ScoresInput
from socialcover.store.fields import RecordRef
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable
from socialcover.web.limits import save_upload
from socialcover.web.params import RecordId, Version
from socialcover.web.schemas.advocacy import (
    CourseOut,
    CourseResultsOut,
    ScoresOut,
    ScoresRecordedOut,
)

router = APIRouter(prefix="/api/v1/training", tags=["training"])


class SessionBody(BaseModel):
    """The training session (an event's id) to link to a course."""

    event_id: RecordRef


class CourseUpdate(CourseInput):
    """A course's new fields, with the version they were read at."""

    version: Version


def _course(session: Any, cid: int) -> dict[str, Any]:
    from socialcover import advocacy

    course = advocacy.get_course(session, cid)
    return dict(jsonable(advocacy.course_as_dict(course)))


@router.get("/courses", summary="List training courses")
async def list_courses(
    session: ReadSession,
    topic: str = Query("", max_length=100),
    language: str = Query("", max_length=2),
    user: Principal | None = Depends(Need("training.read")),
) -> list[dict[str, Any]]:
    """Every course, newest first, optionally with one topic or in one language."""
    from socialcover import advocacy

    def _do() -> list[dict[str, Any]]:
        found = advocacy.list_courses(session, topic=topic or None, language=language or None)
        return [dict(jsonable(advocacy.course_as_dict(c))) for c in found]

    return await run_in_threadpool(_do)


@router.post(
    "/courses", response_model=CourseOut, status_code=201, summary="Create a training course"
)
async def create_course(
    body: CourseInput, session: WriteSession, user: Principal = Depends(Need("training.edit"))
) -> JSONResponse:
    """A course owned by the caller (title, topics, language, materials, trainers)."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        course = advocacy.create_course(session, user, body)
        return _course(session, course.id)

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.get("/courses/{cid}", response_model=CourseOut, summary="One training course")
async def get_course(
    cid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("training.read")),
) -> dict[str, Any]:
    """A course with its sessions' event ids."""
    return await run_in_threadpool(_course, session, cid)


@router.put("/courses/{cid}", response_model=CourseOut, summary="Change a training course")
async def update_course(
    cid: RecordId,
    body: CourseUpdate,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> dict[str, Any]:
    """Replace a course's fields (its owner, or an editor), checking the version."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        data = CourseInput(**body.model_dump(exclude={"version"}))
        advocacy.update_course(session, user, cid, data, version=body.version)
        return _course(session, cid)

    return await run_in_threadpool(_do)


@router.post(
    "/courses/{cid}/sessions",
    response_model=CourseOut,
    status_code=201,
    summary="Link a training session",
)
async def add_session(
    cid: RecordId,
    body: SessionBody,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> JSONResponse:
    """Link an event of kind training_session that the caller organises."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        advocacy.add_course_session(session, user, cid, body.event_id)
        return _course(session, cid)

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.delete(
    "/courses/{cid}/sessions/{event_id}",
    response_model=CourseOut,
    summary="Unlink a training session",
)
async def remove_session(
    cid: RecordId,
    event_id: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> dict[str, Any]:
    """Unlink a session; its participants' scores for the course go with it."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        advocacy.remove_course_session(session, user, cid, event_id)
        return _course(session, cid)

    return await run_in_threadpool(_do)


@router.get("/courses/{cid}/results", response_model=CourseResultsOut, summary="A course's gains")
async def results(
    cid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("training.read")),
) -> dict[str, Any]:
    """Participants, mean pre, post and gain, overall, by sex and by constituent (no names)."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        return dict(jsonable(advocacy.course_results(session, cid).as_dict()))

    return await run_in_threadpool(_do)


@router.get("/courses/{cid}/scores", summary="Participants' scores (organisers)")
async def scores(
    cid: RecordId,
    session: ReadSession,
    user: Principal = Depends(Need("training.edit")),
) -> list[dict[str, Any]]:
    """Each participant the caller organises, with name, e-mail and scores."""
    from socialcover import advocacy

    def _do() -> list[dict[str, Any]]:
        return [dict(jsonable(r)) for r in advocacy.list_scores(session, user, cid)]

    return await run_in_threadpool(_do)


@router.put(
    "/courses/{cid}/scores/{participant_id}",
    response_model=ScoresOut,
    summary="Record a participant's scores",
)
async def record_scores(
    cid: RecordId,
    participant_id: RecordId,
    body: ScoresInput,
    session: WriteSession,
    user: Principal = Depends(Need("training.edit")),
) -> dict[str, Any]:
    """Pre and post scores of one participant (the organisers of the participant's session)."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        row = advocacy.record_scores(session, user, cid, participant_id, body)
        pre, post = row.pre_score, row.post_score
        gain = None if pre is None or post is None else post - pre
        return {"participant_id": participant_id, "pre_score": pre, "post_score": post,
                "gain": gain}  # fmt: skip

    return await run_in_threadpool(_do)


@router.post(
    "/courses/{cid}/scores/file",
    response_model=ScoresRecordedOut,
    summary="Record scores from a CSV file",
)
async def upload_scores(
    request: Request,
    cid: RecordId,
    session: WriteSession,
    file: UploadFile = File(..., description="CSV: participant_id, pre_score, post_score"),
    user: Principal = Depends(Need("training.edit")),
) -> dict[str, Any]:
    """Every row or none: bad rows are named with their number (422, nothing saved)."""
    from socialcover import advocacy

    limit = request.app.state.settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="sc-scores-") as folder:
        path = Path(folder) / "scores.csv"
        await save_upload(file, path, limit, "Send the scores of one course at a time.")
        recorded = await run_in_threadpool(advocacy.import_scores, session, user, cid, path)
    return {"course_id": cid, "recorded": recorded}
