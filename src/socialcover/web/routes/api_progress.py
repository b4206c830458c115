"""REST API over the progress reports issued on an engagement's national strategy: issue one
for a period (the team), list them, read one as JSON or download its rows as CSV or Excel.

Thin adapters over :mod:`socialcover.countries.progress`: an issued report is the logframe as
the indicator store read when it was issued, every value beside its observation's id and
revision; readers see the reports of a published strategy, without who issued them.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from socialcover.countries import ProgressReportInput
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable, table_response
from socialcover.web.params import RecordId
from socialcover.web.schemas.countries import ProgressReportOut, ProgressReportsOut

router = APIRouter(prefix="/api/v1/engagements", tags=["engagements"])


@router.get(
    "/{eid}/progress-reports",
    response_model=ProgressReportsOut,
    summary="Progress reports issued on the strategy",
)
async def list_reports(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Newest first: period, when issued, how many indicators in each status."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.progress_reports, session, user, eid)
    return {"items": jsonable(rows)}


@router.post(
    "/{eid}/progress-reports",
    status_code=201,
    response_model=ProgressReportOut,
    summary="Issue a progress report",
)
async def issue_report(
    eid: RecordId,
    body: ProgressReportInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Keep the logframe as the indicator store reads it now, up to the period's year (its
    team); one report per period."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        report = countries.issue_progress_report(session, user, eid, body)
        session.flush()
        return dict(jsonable(countries.get_progress_report(session, user, eid, report.id)))

    return await run_in_threadpool(_do)


@router.get(
    "/{eid}/progress-reports/{rid}",
    summary="One issued progress report",
    response_model=None,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
async def get_report(
    eid: RecordId,
    rid: RecordId,
    session: ReadSession,
    format: Literal["json", "csv", "xlsx"] = Query("json"),
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> Response:
    """JSON: the report with its rows as kept (baseline, target, latest observation with its
    id, revision, source and vintage, status). CSV and Excel: one row per indicator."""
    from socialcover import countries

    report = await run_in_threadpool(countries.get_progress_report, session, user, eid, rid)
    if format == "json":
        return JSONResponse(jsonable(report))
    meta = {k: v for k, v in report.items() if k != "rows"}
    return table_response(
        countries.progress_report_table(report),
        format,
        f"progress-report-{eid}-{report['period']}",
        meta,
    )
