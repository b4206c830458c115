"""Data entry in the browser: a form for values, a file upload, and the approval of data sets.

Thin adapters over :mod:`socialcover.monitor`: values typed in the form go through
:func:`~socialcover.monitor.enter_observations`, a file through
:func:`~socialcover.monitor.import_observations`; both run the validation rules, so a bad row
is refused with its number and why, and nothing is kept. Values that jump from the previous
period are kept and listed as warnings. The page lists the caller's data sets (every one for
reviewers) with the step each may take: submit, approve, return, un-approve.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Literal

import polars as pl
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover import monitor, store
from socialcover.errors import InputError
from socialcover.web import monitor_view
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.limits import save_upload
from socialcover.web.params import RecordId
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)

Sex = Literal["both", "female", "male"]
Nature = Literal["observed", "survey_estimate", "administrative", "modelled", "imputed"]


RECENT = 20
"""How many of the latest approved data sets the page lists (to un-approve); the API lists all."""


def _page(session: Session, user: Principal, lang: str) -> dict[str, Any]:
    reviewer = store.can(user.role, "monitor.approve")
    every = monitor.list_data_sets(session, user)
    # what needs a step: one's own unapproved data sets, and the review queue for reviewers;
    # then the latest approved ones (the public figures number thousands)
    waiting = every.filter(
        (pl.col("status") != monitor.APPROVED)
        & ((pl.col("created_by_id") == user.id) | pl.lit(reviewer))
    ).sort(["status", "area", "year"])
    recent = (
        every.filter(pl.col("status") == monitor.APPROVED)
        .sort("approved_at", descending=True, nulls_last=True)
        .head(RECENT)
    )
    sets = pl.concat([waiting, recent]).to_dicts()
    for d in sets:
        own = d["created_by_id"] == user.id
        d["steps"] = [
            step
            for step, allowed in (
                ("submit", d["status"] == monitor.ENTERED and (own or reviewer)),
                ("approve", d["status"] == monitor.SUBMITTED and reviewer),
                ("return", d["status"] == monitor.SUBMITTED and reviewer),
                ("unapprove", d["status"] == monitor.APPROVED and reviewer),
            )
            if allowed
        ]
    return {
        "data_sets": sets,
        "recent": RECENT,
        "indicators": monitor_view.indicator_options(),
        "groups": monitor_view.groups(),
        "countries": monitor_view.country_names(lang),
        "natures": monitor.NATURES,
        "formats": monitor.IMPORT_FORMATS,
    }


async def _show(
    request: Request,
    session: Session,
    user: Principal,
    extra: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    ctx = await run_in_threadpool(_page, session, user, request.state.lang)
    return render(request, "monitor/enter.html", ctx | extra, status_code=status_code)


def _outcome(report: monitor.RecordReport) -> dict[str, Any]:
    return {"report": report, "warnings": list(report.warnings)}


async def _refused(
    request: Request, session: Session, user: Principal, exc: InputError, form: dict[str, Any]
) -> HTMLResponse:
    await run_in_threadpool(session.rollback)  # nothing of a refused entry is kept
    problems = exc.context.get("problems") or []
    extra = {"problem": exc.to_dict(), "problems": problems, "form": form}
    return await _show(request, session, user, extra, status_code=422)


@router.get("/monitor/enter", response_class=HTMLResponse)
async def entry_page(
    request: Request, session: ReadSession, user: Principal = Depends(Need("monitor.enter"))
) -> HTMLResponse:
    """The entry form, the upload form and the caller's data sets."""
    return await _show(request, session, user, {"form": {}})


@router.post("/monitor/enter", response_model=None)
async def enter_value(
    request: Request,
    session: WriteSession,
    indicator: str = Form(..., max_length=80),
    area: str = Form(..., max_length=60),
    year: int = Form(..., ge=1900, le=2100),
    sex: Sex = Form("both"),
    value: float = Form(..., allow_inf_nan=False),
    se: float | None = Form(None, allow_inf_nan=False),
    nature: Nature = Form("observed"),
    source: str = Form(..., min_length=1, max_length=500),
    vintage: str = Form(..., min_length=1, max_length=40),
    footnotes: str = Form("", max_length=4000),
    user: Principal = Depends(Need("monitor.enter")),
) -> Response:
    """Enter one value in the caller's data set of its area and year, checked by the rules."""
    row = {
        "indicator": indicator,
        "area": area,
        "year": year,
        "sex": sex,
        "value": value,
        "se": se,
        "lower": None,
        "upper": None,
        "nature": nature,
        "source": source,
        "vintage": vintage,
        "footnotes": footnotes,
    }
    frame = pl.DataFrame([row], schema=dict(monitor.OBSERVATION_SCHEMA))
    try:
        report = await run_in_threadpool(
            monitor.enter_observations, session, user, frame, what="the form"
        )
    except InputError as exc:
        return await _refused(request, session, user, exc, row)
    return await _show(request, session, user, _outcome(report) | {"form": row})


@router.post("/monitor/enter/file", response_model=None)
async def upload_file(
    request: Request,
    session: WriteSession,
    file: UploadFile = File(...),
    format: Literal["csv", "sdmx", "ilostat"] = Form("csv"),
    vintage: str = Form("", max_length=40),
    user: Principal = Depends(Need("monitor.enter")),
) -> Response:
    """Import a whole file or nothing; a bad row is named with its number and why."""
    limit = request.app.state.settings.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="sc-monitor-") as folder:
        path = Path(folder) / "upload"
        await save_upload(file, path, limit, "Split the file by indicator or by year.")
        try:
            report = await run_in_threadpool(
                lambda: monitor.import_observations(session, user, path, format, vintage=vintage)
            )
        except InputError as exc:
            return await _refused(request, session, user, exc, {})
    return await _show(request, session, user, _outcome(report) | {"form": {}})


@router.post("/monitor/data-sets/{data_set_id}/{step}", response_model=None)
async def move_data_set(
    data_set_id: RecordId,
    step: Literal["submit", "approve", "return", "unapprove"],
    session: WriteSession,
    comment: str = Form("", max_length=2000),
    user: Principal = Depends(Need("monitor.enter")),
) -> Response:
    """Submit one's data set; a reviewer approves, returns or un-approves it (audited)."""

    def _do() -> None:
        if step == "submit":
            monitor.submit_data_set(session, user, data_set_id)
        elif step == "approve":
            monitor.approve_data_set(session, user, data_set_id, comment)
        elif step == "return":
            monitor.DATA_SETS.move(session, user, data_set_id, "return", comment)
        else:
            monitor.unapprove_data_set(session, user, data_set_id, comment)

    await run_in_threadpool(_do)
    return RedirectResponse("/monitor/enter#data-sets", status_code=303)
