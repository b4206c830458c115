"""The "who knows what" page: institutions, and for roles with ``actor.edit`` people, by
expertise, language and country. A thin adapter over :func:`socialcover.actors.who_knows_what`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from socialcover.store import can
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)  # pages, not the API


@router.get("/networks", response_class=HTMLResponse)
async def experts_page(
    request: Request,
    session: ReadSession,
    expertise: str = Query("", max_length=100),
    language: str = Query("", max_length=2),
    country: str = Query("", max_length=3),
    user: Principal | None = Depends(Need("actor.read")),
) -> HTMLResponse:
    """Search the networks by expertise, language and country."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        return actors.who_knows_what(
            session, user, expertise=expertise, language=language, country=country
        )

    found = await run_in_threadpool(_do)
    q = {"expertise": expertise, "language": language, "country": country}
    may = can(getattr(user, "role", None), "actor.edit")
    return render(request, "networks/experts.html", {"found": found, "q": q, "may_see_people": may})
