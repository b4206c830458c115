"""The report page: build the world report or a regional edition in the background, follow its
progress, read or download it (adapters over :mod:`socialcover.report` through
:class:`socialcover.web.jobs.ReportJobs`).

A build is a job of its author's, like a survey job: only they see it.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.jobs import ReportJobs
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)
Lang = Literal["en", "fr", "es"]
Format = Literal["pdf", "html"]


def registry(request: Request) -> ReportJobs:
    """The app's report jobs."""
    reg: ReportJobs = request.app.state.report_jobs
    return reg


@router.get("/report", response_class=HTMLResponse)
async def report_page(
    request: Request, user: Principal = Depends(Need("report.build"))
) -> HTMLResponse:
    """The form (edition, year, language, format) and one's report jobs."""
    from socialcover.data import ILO_REGIONS

    jobs = await run_in_threadpool(registry(request).list_jobs, user.id)
    return render(request, "report.html", {"jobs": jobs, "regions": ILO_REGIONS})


@router.post("/report", response_model=None)
async def start_report(
    request: Request,
    year: int = Form(..., ge=2000, le=2030),
    region: str = Form("", max_length=60),
    lang: Lang = Form("en"),
    format: Format = Form("pdf"),
    user: Principal = Depends(Need("report.build")),
) -> Response:
    """Start building an edition from the platform's approved observations."""
    from socialcover.report import Edition

    edition = Edition(year, region or None, "store", site=str(request.base_url).rstrip("/"))
    reg = registry(request)
    status, _ = await run_in_threadpool(reg.create, user.id, f"report.{format}")
    url = request.app.state.settings.database_url
    await run_in_threadpool(reg.submit_report, status, edition, lang, url)
    return RedirectResponse(f"/report/jobs/{status.id}", status_code=303)


@router.get("/report/jobs/{job_id}", response_class=HTMLResponse)
async def report_job(
    request: Request, job_id: str, user: Principal = Depends(Need("report.build"))
) -> HTMLResponse:
    """A build's page: its progress, then links to the report and its chart files."""
    ctx = await run_in_threadpool(_context, registry(request), user, job_id)
    return render(request, "report_job.html", ctx)


@router.get("/report/jobs/{job_id}/status", response_class=HTMLResponse)
async def report_job_status(
    request: Request, job_id: str, user: Principal = Depends(Need("report.build"))
) -> HTMLResponse:
    """The status fragment HTMX polls (it stops polling once the job has ended)."""
    ctx = await run_in_threadpool(_context, registry(request), user, job_id)
    return render(request, "_report_status.html", ctx)


@router.get("/report/jobs/{job_id}/files/{name:path}")
async def report_file(
    request: Request, job_id: str, name: str, user: Principal = Depends(Need("report.build"))
) -> Response:
    """The report (PDF or HTML) or one of its chart files."""
    path = await run_in_threadpool(registry(request).report_file, user.id, job_id, name)
    return FileResponse(path)


def _context(reg: ReportJobs, user: Principal, job_id: str) -> dict[str, Any]:
    import json

    status = reg.get(user.id, job_id)
    ctx: dict[str, Any] = {"job": status, "charts": []}
    if status.state == "done":
        folder = reg.report_file(user.id, job_id, status.filename).parent
        manifest = folder / f"{status.filename.rsplit('.', 1)[0]}-charts" / "manifest.json"
        if manifest.is_file():
            ctx["charts"] = sorted(json.loads(manifest.read_text(encoding="utf-8")).items())
    return ctx
