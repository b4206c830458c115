"""REST API: one search over practices, publications and organisations."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession
from socialcover.web.exports import table_response
from socialcover.web.paging import Page, search_paging
from socialcover.web.params import ReaderLang
from socialcover.web.search_view import search_rows

router = APIRouter(prefix="/api/v1", tags=["search"])


@router.get("/search", summary="Search the knowledge base")
async def search(
    request: Request,
    session: ReadSession,
    q: str = Query("", max_length=200, description="Words in English, French or Spanish."),
    kind: Literal["practice", "publication", "organisation"] | None = None,
    branch: str = Query("", max_length=40),
    assessment: str = Query("", max_length=20),
    region: str = Query("", max_length=60),
    country: str = Query("", max_length=3),
    language: Literal["", "en", "fr", "es"] = "",
    page: Page = Depends(search_paging),
    format: Literal["json", "csv", "xlsx"] = "json",
    lang: ReaderLang = None,
    user: Principal | None = Depends(Need("search.read")),
) -> Response:
    """Ranked hits with highlighted snippets (escaped HTML with ``<mark>``) and facet counts.

    The reader's language is chosen as for pages (``lang``, the cookie, Accept-Language); the
    middleware has already read ``lang`` into ``request.state.lang``.
    """
    filters = {
        "branch": branch,
        "assessment": assessment,
        "region": region,
        "country": country,
        "language": language,
    }
    rows, total, facets = await run_in_threadpool(
        search_rows,
        session,
        user,
        q,
        filters,
        kind,
        page.page,
        page.per_page,
        format != "json",
        request.state.lang,
    )
    if format != "json":
        return table_response(rows, format, "search")
    return table_response(rows, "json", "search", page.meta(request, total) | {"facets": facets})
