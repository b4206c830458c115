"""REST API: survey indicator jobs (upload, status, result), private to their uploader."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.routes.surveys import LonelyPsu, registry, result_response, start_job
from socialcover.web.schemas.surveys import JobOut, JobsOut

router = APIRouter(prefix="/api/v1/surveys", tags=["surveys"])


def _status(s: Any) -> dict[str, Any]:
    out = asdict(s)
    out["percent"] = s.percent
    out["result"] = f"/api/v1/surveys/jobs/{s.id}/result" if s.state == "done" else None
    return out


@router.post("/jobs", response_model=JobOut, status_code=202, summary="Start an indicator job")
async def create_job(
    request: Request,
    file: UploadFile = File(..., description="Survey file: .csv, .dta, .sav or .parquet."),
    mapping: str = Form(
        "",
        max_length=100_000,
        description="Mapping YAML (empty: the file already has the standard concept columns).",
    ),
    codes: str = Form("", max_length=2000, description="Indicator codes, comma-separated."),
    lonely_psu: LonelyPsu = Form(
        "", description="Lonely-PSU rule (default: the mapping's, else fail)."
    ),
    user: Principal = Depends(Need("survey.upload")),
) -> JSONResponse:
    """Upload a survey and compute its indicator table in the background."""
    status = await start_job(request, user, file, mapping, None, codes, lonely_psu)
    return JSONResponse(
        _status(status), status_code=202, headers={"Location": f"/api/v1/surveys/jobs/{status.id}"}
    )


@router.get("/jobs", response_model=JobsOut, summary="One's jobs")
async def list_jobs(
    request: Request, user: Principal = Depends(Need("survey.upload"))
) -> dict[str, Any]:
    """The caller's jobs, newest first."""
    jobs = await run_in_threadpool(registry(request).list_jobs, user.id)
    return {"items": [_status(j) for j in jobs]}


@router.get("/jobs/{job_id}", response_model=JobOut, summary="A job's status")
async def get_job(
    request: Request, job_id: str, user: Principal = Depends(Need("survey.upload"))
) -> dict[str, Any]:
    """State, progress (step of steps, percent) and, when failed, the error."""
    return _status(await run_in_threadpool(registry(request).get, user.id, job_id))


@router.get("/jobs/{job_id}/result", summary="A job's indicator table")
async def get_result(
    request: Request,
    job_id: str,
    format: Literal["json", "csv", "xlsx"] = "json",
    user: Principal = Depends(Need("survey.upload")),
) -> Response:
    """Every indicator by every breakdown with SE, CI, CV, n and flags."""
    return await run_in_threadpool(result_response, registry(request), user, job_id, format)


@router.delete("/jobs/{job_id}", status_code=204, summary="Delete a job and its microdata")
async def delete_job(
    request: Request, job_id: str, user: Principal = Depends(Need("survey.upload"))
) -> Response:
    """Remove the uploaded survey, its mapping and its results."""
    await run_in_threadpool(registry(request).delete, user.id, job_id)
    return Response(status_code=204)
