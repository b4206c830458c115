"""History and revert of every versioned record an editor works on: practices, publications
and organisations (each write is audited; a revert is itself a new audited version)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.params import FormVersion, QueryVersion, RecordId
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)


def _practice(s: Any, user: Principal, rid: int) -> dict[str, Any]:
    from socialcover import knowledge

    p = knowledge.practice_as_dict(knowledge.get_practice(s, user, rid))
    return {"title": p["title"], "version": p["version"], "url": f"/practices/{rid}"}


def _publication(s: Any, user: Principal, rid: int) -> dict[str, Any]:
    from socialcover import knowledge

    p = knowledge.get_publication(s, user, rid)
    return {"title": p.title, "version": p.version, "url": f"/publications/{rid}"}


def _organisation(s: Any, user: Principal, rid: int) -> dict[str, Any]:
    from socialcover import actors

    org = actors.get_organisation(s, rid)
    return {"title": org.name, "version": org.version, "url": f"/actors/{rid}"}


# entity type in the audit log -> (what the page shows of the record, URL prefix)
RECORDS: dict[str, tuple[Callable[[Any, Principal, int], dict[str, Any]], str]] = {
    "practices": (_practice, "/practices"),
    "publications": (_publication, "/publications"),
    "organisations": (_organisation, "/actors"),
}


async def history_page(
    request: Request, session: Session, user: Principal, entity_type: str, rid: int
) -> HTMLResponse:
    """Every version of one record: who made it (by name), what changed (old and new values)."""
    from socialcover import store

    describe, prefix = RECORDS[entity_type]

    def _do() -> tuple[dict[str, Any], list[Any], dict[int, str]]:
        versions = store.history(session, entity_type, rid)
        names = store.display_names(session, (v.user_id for v in versions))
        return describe(session, user, rid), versions, names

    record, versions, names = await run_in_threadpool(_do)
    record["revert_url"] = f"{prefix}/{rid}/revert"
    can_revert = store.can(user.role, "record.revert")
    return render(
        request,
        "history.html",
        {"p": record, "versions": versions, "names": names, "can_revert": can_revert},
    )


async def revert_confirmation(
    request: Request, session: Session, user: Principal, entity_type: str, rid: int, version: int
) -> HTMLResponse:
    """What a revert would change, field by field, with the button that does it."""
    from socialcover import store

    describe, prefix = RECORDS[entity_type]

    def _do() -> tuple[dict[str, Any], list[tuple[str, Any, Any]]]:
        return describe(session, user, rid), store.revert_preview(
            session, entity_type, rid, version
        )

    record, changes = await run_in_threadpool(_do)
    record["revert_url"] = f"{prefix}/{rid}/revert"
    record["history_url"] = f"{prefix}/{rid}/history"
    return render(request, "revert.html", {"p": record, "version": version, "changes": changes})


async def revert_record(
    session: Session, user: Principal, entity_type: str, rid: int, version: int
) -> Response:
    """Restore an earlier version, as a new audited version, then show the history."""
    from socialcover import store

    def _do() -> None:
        store.revert(session, user, entity_type, rid, version)

    await run_in_threadpool(_do)
    return RedirectResponse(f"{RECORDS[entity_type][1]}/{rid}/history", status_code=303)


# Reverting takes two steps: GET .../revert?version=N shows what would change; its form POSTs.
@router.get("/practices/{rid}/revert", response_class=HTMLResponse)
@router.get("/publications/{rid}/revert", response_class=HTMLResponse)
@router.get("/actors/{rid}/revert", response_class=HTMLResponse)
async def confirm_revert(
    request: Request,
    rid: RecordId,
    version: QueryVersion,
    session: ReadSession,
    user: Principal = Depends(Need("record.revert")),
) -> HTMLResponse:
    """Ask before reverting a practice, publication or organisation (editors)."""
    prefix = "/" + request.url.path.strip("/").split("/")[0]
    entity_type = next(kind for kind, (_, p) in RECORDS.items() if p == prefix)
    return await revert_confirmation(request, session, user, entity_type, rid, version)


@router.get("/publications/{pid}/history", response_class=HTMLResponse)
async def publication_history(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal = Depends(Need("record.history")),
) -> HTMLResponse:
    """Every version of a publication's record."""
    return await history_page(request, session, user, "publications", pid)


@router.post("/publications/{pid}/revert")
async def revert_publication(
    pid: RecordId,
    session: WriteSession,
    version: FormVersion,
    user: Principal = Depends(Need("record.revert")),
) -> Response:
    """Restore an earlier version of a publication's record (editors)."""
    return await revert_record(session, user, "publications", pid, version)


@router.get("/actors/{oid}/history", response_class=HTMLResponse)
async def organisation_history(
    request: Request,
    oid: RecordId,
    session: ReadSession,
    user: Principal = Depends(Need("record.history")),
) -> HTMLResponse:
    """Every version of an organisation's record."""
    return await history_page(request, session, user, "organisations", oid)


@router.post("/actors/{oid}/revert")
async def revert_organisation(
    oid: RecordId,
    session: WriteSession,
    version: FormVersion,
    user: Principal = Depends(Need("record.revert")),
) -> Response:
    """Restore an earlier version of an organisation's record (editors)."""
    return await revert_record(session, user, "organisations", oid, version)
