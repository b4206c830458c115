"""Answers of the survey job routes: a job's status (:class:`socialcover.web.jobs.JobStatus`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from socialcover.web.schemas import Out

__all__ = ["JobOut", "JobsOut"]


class JobOut(Out):
    """Where an indicator job is: its state, progress, and its result or error."""

    id: str
    owner_id: int
    filename: str
    state: Literal["queued", "running", "done", "failed"]
    step: int
    steps: int
    label: str
    created: float = Field(description="When it was submitted (seconds since 1970, UTC).")
    finished: float | None = None
    rows: int | None = None
    error: dict[str, Any] | None = None
    percent: int = Field(ge=0, le=100)
    result: str | None = Field(description="The result's address once done.")


class JobsOut(Out):
    """The caller's jobs, newest first."""

    items: list[JobOut]
