"""Evaluation pages: the register, one evaluation with its recommendations, and follow-up.

Thin adapters over :mod:`socialcover.monitor`: the register lists the evaluations the reader
may see with the schedule of regular evaluations (what is overdue) and the recommendations
whose follow-up is late; an evaluation's page shows its recommendations with management's
response and follow-up, and a form for the roles that follow them up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover import monitor, store
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.params import FormVersion, RecordId
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)

Subject = Literal["programme", "country_engagement", "practice", "campaign"]
Kind = Literal["mid_term", "final", "impact", "thematic"]


def _register(
    session: Session, user: Principal | None, subject: str | None, kind: str | None
) -> dict[str, Any]:
    today = dt.datetime.now(dt.UTC).date()
    return {
        "evaluations": monitor.list_evaluations(
            session, user, subject=subject, evaluation_type=kind
        ).to_dicts(),
        "schedule": monitor.list_schedule(session, today=today).to_dicts(),
        "late": monitor.recommendations_due(session, user, before=today).to_dicts(),
        "today": today,
    }


@router.get("/monitor/evaluations", response_class=HTMLResponse)
async def register_page(
    request: Request,
    session: ReadSession,
    subject: Subject | None = Query(None),
    evaluation_type: Kind | None = Query(None),
    user: Principal | None = Depends(Need("evaluation.read_published")),
) -> HTMLResponse:
    """The register of evaluations, the schedule with what is overdue, late recommendations."""
    ctx = await run_in_threadpool(_register, session, user, subject, evaluation_type)
    ctx |= {
        "subject": subject,
        "evaluation_type": evaluation_type,
        "subjects": monitor.SUBJECT_TYPES,
        "kinds": monitor.EVALUATION_TYPES,
    }
    return render(request, "monitor/evaluations.html", ctx)


def _one(session: Session, user: Principal | None, eid: int) -> dict[str, Any]:
    return {
        "e": monitor.get_evaluation(session, user, eid),
        "recommendations": monitor.list_recommendations(session, user, eid).to_dicts(),
        "can_follow_up": user is not None and store.can(user.role, "evaluation.follow_up"),
        "statuses": monitor.FOLLOW_UP_STATUSES,
    }


@router.get("/monitor/evaluations/{eid}", response_class=HTMLResponse)
async def evaluation_page(
    request: Request,
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("evaluation.read_published")),
) -> HTMLResponse:
    """One evaluation: subject, dates, evaluators, method, findings, recommendations."""
    return render(
        request, "monitor/evaluation.html", await run_in_threadpool(_one, session, user, eid)
    )


@router.post("/monitor/recommendations/{rid}/follow-up")
async def follow_up(
    rid: RecordId,
    version: FormVersion,
    session: WriteSession,
    response: str = Form("", max_length=5000),
    follow_up: Literal["open", "in_progress", "done", "dropped"] = Form(...),
    due_on: dt.date | None = Form(None),
    comment: str = Form("", max_length=2000),
    user: Principal = Depends(Need("evaluation.follow_up")),
) -> Response:
    """Record management's response and the follow-up of one recommendation (reviewers)."""

    def _do() -> int:
        rec = monitor.follow_up_recommendation(
            session,
            user,
            rid,
            {"response": response, "follow_up": follow_up, "due_on": due_on},
            comment=comment,
            expected_version=version,
        )
        return rec.evaluation_id

    eid = await run_in_threadpool(_do)
    return RedirectResponse(f"/monitor/evaluations/{eid}#recommendation-{rid}", status_code=303)
