"""The survey page: upload microdata with a mapping, follow the indicator job, download results.

Uploaded microdata are private to their uploader: jobs live under the uploader's id and every
read checks it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from socialcover.errors import InputError
from socialcover.survey.io import check_survey_size
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.errors import WebError
from socialcover.web.exports import table_response
from socialcover.web.jobs import JobRegistry, JobStatus
from socialcover.web.limits import save_upload
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)
LonelyPsu = Literal["", "fail", "adjust", "remove", "average", "certainty"]


def registry(request: Request) -> JobRegistry:
    """The app's job registry."""
    reg: JobRegistry = request.app.state.job_registry
    return reg


async def start_job(
    request: Request,
    user: Principal,
    file: UploadFile,
    mapping: str,
    mapping_file: UploadFile | None,
    codes: str,
    lonely_psu: str = "",
) -> JobStatus:
    """Save the upload (size-capped) and its mapping, and start the indicator job."""
    reg = registry(request)
    status, folder = reg.create(user.id, file.filename or "survey")
    limit = request.app.state.settings.max_upload_bytes
    target = folder / f"survey{Path(status.filename).suffix.lower()}"
    hint = "Upload a smaller extract (only the variables you map)."
    settings = request.app.state.settings
    try:
        await save_upload(file, target, limit, hint)
        # what the file expands to, from its metadata, before any job reads it
        await run_in_threadpool(
            check_survey_size,
            target,
            max_rows=settings.max_survey_rows,
            max_bytes=settings.max_survey_decoded_bytes,
        )
    except (WebError, InputError):
        shutil.rmtree(folder)  # nothing of a refused upload is kept
        raise
    text = mapping
    if mapping_file is not None and mapping_file.filename:
        text = (await mapping_file.read()).decode("utf-8", errors="replace")
    (folder / "mapping.yaml").write_text(text, encoding="utf-8")
    selected = [c.strip() for c in codes.split(",") if c.strip()] or None
    reg.submit(status, text, selected, lonely_psu or None)
    return status


def result_response(reg: JobRegistry, user: Principal, job_id: str, fmt: str) -> Response:
    """A finished job's indicator table as CSV, Excel or JSON."""
    frame = reg.result(user.id, job_id)
    rows: list[dict[str, Any]] = frame.to_dicts()
    return table_response(rows, fmt, f"indicators-{job_id}", {"job": job_id})


@router.get("/surveys", response_class=HTMLResponse)
async def surveys(
    request: Request, user: Principal = Depends(Need("survey.upload"))
) -> HTMLResponse:
    """The upload form and one's jobs."""
    jobs = await run_in_threadpool(registry(request).list_jobs, user.id)
    return render(request, "surveys.html", {"jobs": jobs})


@router.post("/surveys", response_model=None)
async def upload_survey(
    request: Request,
    file: UploadFile = File(...),
    mapping: str = Form("", max_length=100_000),
    mapping_file: UploadFile | None = File(None),
    codes: str = Form("", max_length=2000),
    lonely_psu: LonelyPsu = Form(""),
    user: Principal = Depends(Need("survey.upload")),
) -> Response:
    """Start an indicator job on an uploaded survey."""
    status = await start_job(request, user, file, mapping, mapping_file, codes, lonely_psu)
    return RedirectResponse(f"/surveys/{status.id}", status_code=303)


@router.get("/surveys/{job_id}", response_class=HTMLResponse)
async def survey_job(
    request: Request, job_id: str, user: Principal = Depends(Need("survey.upload"))
) -> HTMLResponse:
    """A job's page: progress while it runs, the table when it is done."""
    status = await run_in_threadpool(registry(request).get, user.id, job_id)
    ctx = await run_in_threadpool(_job_context, registry(request), user, status)
    return render(request, "survey_job.html", ctx)


@router.get("/surveys/{job_id}/status", response_class=HTMLResponse)
async def survey_job_status(
    request: Request, job_id: str, user: Principal = Depends(Need("survey.upload"))
) -> HTMLResponse:
    """The status fragment HTMX polls (it stops polling once the job has ended)."""
    status = await run_in_threadpool(registry(request).get, user.id, job_id)
    ctx = await run_in_threadpool(_job_context, registry(request), user, status)
    return render(request, "_survey_status.html", ctx)


@router.get("/surveys/{job_id}/result")
async def survey_job_result(
    request: Request,
    job_id: str,
    format: str = "csv",
    user: Principal = Depends(Need("survey.upload")),
) -> Response:
    """Download the indicator table (``format=csv|xlsx|json``)."""
    return await run_in_threadpool(result_response, registry(request), user, job_id, format)


@router.post("/surveys/{job_id}/delete")
async def delete_survey_job(
    request: Request, job_id: str, user: Principal = Depends(Need("survey.upload"))
) -> Response:
    """Delete a job with its uploaded microdata and results."""
    await run_in_threadpool(registry(request).delete, user.id, job_id)
    return RedirectResponse("/surveys", status_code=303)


def _job_context(reg: JobRegistry, user: Principal, status: JobStatus) -> dict[str, Any]:
    ctx: dict[str, Any] = {"job": status, "table": None}
    if status.state == "done":
        from socialcover.indicators import get_indicator

        frame = reg.result(user.id, status.id)
        rows = frame.filter(frame["disaggregation"] == "total").to_dicts()
        for r in rows:  # the registry's name and unit beside the code
            d = get_indicator(r["code"])
            r["name"], r["proportion"] = d.name, d.proportion
        ctx["table"] = rows
    return ctx
