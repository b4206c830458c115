"""REST API over the register of evaluations: evaluations, recommendations, the schedule.

Thin adapters over :mod:`socialcover.monitor` (``evaluations`` and ``recommendations``): the
domain decides who may see and change what (published evaluations are public; contributors
draft and submit; reviewers publish, return, follow recommendations up and plan the schedule),
the routes parse, call and shape. Lists come as JSON, CSV or Excel.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.monitor import EvaluationInput, RecommendationInput, ScheduleInput
from socialcover.store.fields import IsoDate
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import frame_rows, jsonable, table_response
from socialcover.web.params import QueryBool, RecordId, Version
from socialcover.web.schemas.monitor import EvaluationOut, RecommendationRow, ScheduleRow

router = APIRouter(prefix="/api/v1/monitor", tags=["evaluations"])

Format = Literal["json", "csv", "xlsx"]
Subject = Literal["programme", "country_engagement", "practice", "campaign"]
Kind = Literal["mid_term", "final", "impact", "thematic"]


class Changes(BaseModel):
    """Fields to change, and the version the editor loaded (lost-update guard)."""

    changes: dict[str, Any] = Field(description="Field name -> new value.")
    expected_version: Version | None = None


class FollowUp(Changes):
    """Management's response, follow-up status or due date, and why (kept in the audit)."""

    comment: str = Field("", max_length=2000)


class ReviewComment(BaseModel):
    """A reviewer's comment (required to return an evaluation)."""

    comment: str = Field("", max_length=2000)


def _evaluation(session: Session, user: Principal | None, eid: int) -> dict[str, Any]:
    from socialcover import monitor

    out = monitor.get_evaluation(session, user, eid)
    out["recommendations_list"] = frame_rows(monitor.list_recommendations(session, user, eid))
    return dict(jsonable(out))


@router.get("/evaluations/schedule", summary="The schedule of regular evaluations")
async def list_schedule(
    session: ReadSession,
    overdue: Annotated[
        QueryBool, Query(description="Only the planned evaluations that are overdue.")
    ] = False,
    today: IsoDate | None = Query(None, description="The date to judge by (default: today)."),
    format: Format = Query("json"),
    user: Principal | None = Depends(Need("evaluation.read_published")),
) -> Response:
    """Each planned evaluation, the latest of its kind finished, and whether it is overdue."""
    from socialcover import monitor

    def _do() -> list[dict[str, Any]]:
        found = monitor.overdue if overdue else monitor.list_schedule
        return frame_rows(found(session, today=today))

    return table_response(await run_in_threadpool(_do), format, "evaluation-schedule")


@router.post(
    "/evaluations/schedule",
    response_model=ScheduleRow,
    status_code=201,
    summary="Plan an evaluation",
)
async def plan_evaluation(
    body: ScheduleInput,
    session: WriteSession,
    user: Principal = Depends(Need("evaluation.schedule")),
) -> JSONResponse:
    """Add a planned evaluation to the regular schedule (reviewers)."""
    from socialcover import monitor

    def _do() -> dict[str, Any]:
        planned = monitor.schedule(session, user, body)
        session.flush()
        rows = frame_rows(monitor.list_schedule(session))
        return next(r for r in rows if r["id"] == planned.id)

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.get("/evaluations", summary="The register of evaluations")
async def list_evaluations(
    request: Request,
    session: ReadSession,
    subject: Subject | None = Query(None, description="Only this kind of subject."),
    subject_ref: str | None = Query(
        None, min_length=1, max_length=300, description="A practice id, an ISO3 code, a name."
    ),
    evaluation_type: Kind | None = Query(None),
    country: str | None = Query(None, min_length=3, max_length=3, description="ISO3 code."),
    status: Literal["draft", "submitted", "returned", "published"] | None = Query(None),
    format: Format = Query("json"),
    user: Principal | None = Depends(Need("evaluation.read_published")),
) -> Response:
    """The evaluations the caller may see (published ones; one's own; all for reviewers)."""
    from socialcover import monitor

    def _do() -> list[dict[str, Any]]:
        return frame_rows(
            monitor.list_evaluations(
                session,
                user,
                subject=subject,
                subject_ref=subject_ref,
                evaluation_type=evaluation_type,
                country=country,
                status=status,
            )
        )

    return table_response(await run_in_threadpool(_do), format, "evaluations")


@router.get(
    "/evaluations/{eid}",
    response_model=EvaluationOut,
    summary="One evaluation and its recommendations",
)
async def get_evaluation(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("evaluation.read_published")),
) -> dict[str, Any]:
    """An evaluation the caller may see, with every recommendation and its follow-up."""
    return await run_in_threadpool(_evaluation, session, user, eid)


@router.post(
    "/evaluations", response_model=EvaluationOut, status_code=201, summary="Draft an evaluation"
)
async def create_evaluation(
    body: EvaluationInput,
    session: WriteSession,
    user: Principal = Depends(Need("evaluation.draft")),
) -> JSONResponse:
    """Create a private draft; returns it with its id."""
    from socialcover import monitor

    def _do() -> dict[str, Any]:
        record = monitor.create_evaluation(session, user, body)
        session.flush()
        return _evaluation(session, user, record.id)

    out = await run_in_threadpool(_do)
    return JSONResponse(
        out, status_code=201, headers={"Location": f"/api/v1/monitor/evaluations/{out['id']}"}
    )


@router.patch("/evaluations/{eid}", response_model=EvaluationOut, summary="Edit an evaluation")
async def update_evaluation(
    eid: RecordId,
    body: Changes,
    session: WriteSession,
    user: Principal = Depends(Need("evaluation.draft")),
) -> dict[str, Any]:
    """Change fields (one's draft; reviewers any); the whole result is validated first."""
    from socialcover import monitor

    def _do() -> dict[str, Any]:
        monitor.update_evaluation(
            session, user, eid, body.changes, expected_version=body.expected_version
        )
        session.flush()
        return _evaluation(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/evaluations/{eid}/recommendations",
    response_model=EvaluationOut,
    status_code=201,
    summary="Add a recommendation",
)
async def add_recommendation(
    eid: RecordId,
    body: RecommendationInput,
    session: WriteSession,
    user: Principal = Depends(Need("evaluation.draft")),
) -> JSONResponse:
    """Add a recommendation to an evaluation one may still edit; returns the evaluation."""
    from socialcover import monitor

    def _do() -> dict[str, Any]:
        monitor.add_recommendation(session, user, eid, body)
        session.flush()
        return _evaluation(session, user, eid)

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.post(
    "/evaluations/{eid}/{step}",
    response_model=EvaluationOut,
    summary="Submit, publish or return an evaluation",
)
async def move_evaluation(
    eid: RecordId,
    step: Literal["submit", "publish", "return"],
    session: WriteSession,
    body: ReviewComment | None = None,
    user: Principal = Depends(Need("evaluation.draft")),
) -> dict[str, Any]:
    """Its author submits it; a reviewer publishes it or returns it with a comment."""
    from socialcover import monitor

    comment = body.comment if body else ""

    def _do() -> dict[str, Any]:
        if step == "submit":
            monitor.submit_evaluation(session, user, eid)
        elif step == "publish":
            monitor.publish_evaluation(session, user, eid, comment)
        else:
            monitor.return_evaluation(session, user, eid, comment)
        session.flush()
        return _evaluation(session, user, eid)

    return await run_in_threadpool(_do)


@router.get("/recommendations", summary="Recommendations due")
async def list_recommendations_due(
    session: ReadSession,
    before: IsoDate | None = Query(
        None, description="Due strictly before this date (default: today, i.e. late ones)."
    ),
    format: Format = Query("json"),
    user: Principal | None = Depends(Need("evaluation.read_published")),
) -> Response:
    """Open and in-progress recommendations due before a date, of evaluations one may see."""
    from socialcover import monitor

    day = before or dt.datetime.now(dt.UTC).date()
    rows = await run_in_threadpool(
        lambda: frame_rows(monitor.recommendations_due(session, user, before=day))
    )
    return table_response(rows, format, "recommendations-due")


@router.patch(
    "/recommendations/{rid}", response_model=RecommendationRow, summary="Follow a recommendation up"
)
async def follow_up(
    rid: RecordId,
    body: FollowUp,
    session: WriteSession,
    user: Principal = Depends(Need("evaluation.follow_up")),
) -> dict[str, Any]:
    """Record management's response, the follow-up status or the due date (reviewers)."""
    from socialcover import monitor

    def _do() -> dict[str, Any]:
        rec = monitor.follow_up_recommendation(
            session,
            user,
            rid,
            body.changes,
            comment=body.comment,
            expected_version=body.expected_version,
        )
        session.flush()
        rows = frame_rows(monitor.list_recommendations(session, user, rec.evaluation_id))
        return next(r for r in rows if r["id"] == rid)

    return await run_in_threadpool(_do)
