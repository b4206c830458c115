"""REST API over the practice library: list/search, read, draft, review, history, revert."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.knowledge import PracticeInput
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable, table_response
from socialcover.web.paging import Page, search_paging
from socialcover.web.params import ReaderLang, RecordId, Version
from socialcover.web.schemas.knowledge import HistoryOut, PracticeOut
from socialcover.web.search_view import search_rows

router = APIRouter(prefix="/api/v1", tags=["practices"])

Format = Literal["json", "csv", "xlsx"]


class PracticeChanges(BaseModel):
    """Fields to change, and the version the editor loaded (lost-update guard)."""

    changes: dict[str, Any] = Field(description="Field name -> new value.")
    expected_version: Version | None = None


class ReviewComment(BaseModel):
    """A reviewer's comment (required to return a practice)."""

    comment: str = Field("", max_length=2000)


class RevertTo(BaseModel):
    """The version to restore."""

    version: Version


def _dict(p: Any) -> dict[str, Any]:
    from socialcover import knowledge

    return dict(jsonable(knowledge.practice_as_dict(p)))


@router.get("/practices", summary="List and search practices")
async def list_practices(
    request: Request,
    session: ReadSession,
    q: str = Query("", max_length=200, description="Full-text query (EN/FR/ES)."),
    branch: str = Query("", max_length=40, description="Facet: branch (guarantee)."),
    assessment: str = Query("", max_length=20, description="Facet: good, bad or mixed."),
    region: str = Query("", max_length=60, description="Facet: region."),
    country: str = Query("", max_length=3, description="Facet: ISO3 code."),
    page: Page = Depends(search_paging),
    format: Format = Query("json"),
    lang: ReaderLang = None,
    user: Principal | None = Depends(Need("practice.read_published")),
) -> Response:
    """Published practices (plus one's drafts) ranked by relevance, with facets and snippets,
    in the reader's language as the search API answers (exports keep every field as written)."""
    filters = {"branch": branch, "assessment": assessment, "region": region, "country": country}
    rows, total, facets = await run_in_threadpool(
        search_rows,
        session,
        user,
        q,
        filters,
        "practice",
        page.page,
        page.per_page,
        format != "json",
        request.state.lang,
    )
    if format != "json":
        full = await run_in_threadpool(_full_rows, session, user, [r["record_id"] for r in rows])
        return table_response(full, format, "practices")
    return table_response(rows, "json", "practices", page.meta(request, total) | {"facets": facets})


def _full_rows(s: Session, user: Any, ids: list[int]) -> list[dict[str, Any]]:
    """Every field of the practices found, in rank order (for CSV and Excel exports)."""
    from socialcover import knowledge

    return [_dict(knowledge.get_practice(s, user, pid)) for pid in ids]


@router.get("/practices/{pid}", response_model=PracticeOut, summary="One practice")
async def get_practice(
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("practice.read_published")),
) -> dict[str, Any]:
    """A practice the caller may see."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        return _dict(knowledge.get_practice(session, user, pid))

    return await run_in_threadpool(_do)


@router.post("/practices", response_model=PracticeOut, status_code=201, summary="Draft a practice")
async def create_practice(
    body: PracticeInput, session: WriteSession, user: Principal = Depends(Need("practice.draft"))
) -> JSONResponse:
    """Create a private draft; returns it with its id."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        p = knowledge.create_practice(session, user, body)
        session.flush()
        return _dict(p)

    out = await run_in_threadpool(_do)
    return JSONResponse(
        out, status_code=201, headers={"Location": f"/api/v1/practices/{out['id']}"}
    )


@router.patch("/practices/{pid}", response_model=PracticeOut, summary="Edit a practice")
async def update_practice(
    pid: RecordId,
    body: PracticeChanges,
    session: WriteSession,
    user: Principal = Depends(Need("practice.draft")),
) -> dict[str, Any]:
    """Change fields (own drafts; reviewers any); the whole result is validated first."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        p = knowledge.update_practice(
            session, user, pid, body.changes, expected_version=body.expected_version
        )
        session.flush()
        return _dict(p)

    return await run_in_threadpool(_do)


@router.post("/practices/{pid}/submit", response_model=PracticeOut, summary="Submit for review")
async def submit_practice(
    pid: RecordId, session: WriteSession, user: Principal = Depends(Need("practice.draft"))
) -> dict[str, Any]:
    """Send one's draft to the reviewers."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        return _dict(knowledge.submit_practice(session, user, pid))

    return await run_in_threadpool(_do)


@router.post("/practices/{pid}/publish", response_model=PracticeOut, summary="Publish")
async def publish_practice(
    pid: RecordId,
    session: WriteSession,
    body: ReviewComment | None = None,
    user: Principal = Depends(Need("practice.publish")),
) -> dict[str, Any]:
    """Publish a practice (reviewers, administrators)."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        return _dict(knowledge.publish_practice(session, user, pid, body.comment if body else ""))

    return await run_in_threadpool(_do)


@router.post("/practices/{pid}/return", response_model=PracticeOut, summary="Return to the author")
async def return_practice(
    pid: RecordId,
    body: ReviewComment,
    session: WriteSession,
    user: Principal = Depends(Need("practice.publish")),
) -> dict[str, Any]:
    """Return a submitted practice with a comment."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        return _dict(knowledge.return_practice(session, user, pid, body.comment))

    return await run_in_threadpool(_do)


@router.get("/practices/{pid}/history", response_model=HistoryOut, summary="Versions of a practice")
async def practice_history(
    pid: RecordId, session: ReadSession, user: Principal = Depends(Need("record.history"))
) -> dict[str, Any]:
    """Every audited write to the practice, oldest first."""
    from dataclasses import asdict

    from socialcover import knowledge, store

    def _do() -> dict[str, Any]:
        knowledge.get_practice(session, user, pid)
        return {"items": [jsonable(asdict(r)) for r in store.history(session, "practices", pid)]}

    return await run_in_threadpool(_do)


@router.post("/practices/{pid}/revert", response_model=PracticeOut, summary="Revert to a version")
async def revert_practice(
    pid: RecordId,
    body: RevertTo,
    session: WriteSession,
    user: Principal = Depends(Need("record.revert")),
) -> dict[str, Any]:
    """Restore an earlier version as a new audited version (editors)."""
    from socialcover import store

    def _do() -> dict[str, Any]:
        return _dict(store.revert(session, user, "practices", pid, body.version))

    return await run_in_threadpool(_do)
