"""REST API over publications (with PDF upload and counted downloads) and actors."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from socialcover.actors import OrganisationInput
from socialcover.knowledge import PublicationInput
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable, table_response
from socialcover.web.paging import Page, paging
from socialcover.web.params import RecordId
from socialcover.web.routes import actors as actor_pages
from socialcover.web.routes import publications as pub_pages
from socialcover.web.schemas.knowledge import OrganisationOut, PublicationOut, PublicationViewOut

router = APIRouter(prefix="/api/v1")
Format = Literal["json", "csv", "xlsx"]


def _list(
    request: Request, rows: list[dict[str, Any]], page: Page, fmt: str, name: str
) -> Response:
    if fmt == "json":
        return table_response(page.slice(rows), fmt, name, page.meta(request, len(rows)))
    return table_response(rows, fmt, name)


@router.get("/publications", tags=["publications"], summary="List publications")
async def list_publications(
    request: Request,
    session: ReadSession,
    kind: str = Query("", max_length=30),
    language: Literal["", "en", "fr", "es"] = "",
    page: Page = Depends(paging),
    format: Format = "json",
    user: Principal | None = Depends(Need("publication.read_published")),
) -> Response:
    """Publications the caller may see, newest first, with their download counts."""
    rows = await run_in_threadpool(pub_pages.list_rows, session, user, kind, language)
    return _list(request, rows, page, format, "publications")


@router.get(
    "/publications/{pid}",
    response_model=PublicationViewOut,
    tags=["publications"],
    summary="One publication",
)
async def get_publication(
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("publication.read_published")),
) -> dict[str, Any]:
    """A publication's metadata, file details, download count and organisations."""
    return await run_in_threadpool(pub_pages.one_row, session, user, pid)


@router.get(
    "/publications/{pid}/file", tags=["publications"], summary="Download a publication's PDF"
)
async def get_publication_file(
    pid: RecordId,
    session: WriteSession,
    user: Principal | None = Depends(Need("publication.read_published")),
) -> FileResponse:
    """The PDF; each download is counted."""
    return await run_in_threadpool(pub_pages.download, session, user, pid)


@router.post(
    "/publications",
    response_model=PublicationOut,
    status_code=201,
    tags=["publications"],
    summary="Record a publication",
)
async def create_publication(
    body: PublicationInput,
    session: WriteSession,
    user: Principal = Depends(Need("publication.upload")),
) -> JSONResponse:
    """Create a publication's metadata as a draft."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        p = knowledge.create_publication(session, user, body)
        session.flush()
        return dict(jsonable(knowledge.publication_as_dict(p)))

    out = await run_in_threadpool(_do)
    return JSONResponse(out, status_code=201)


@router.post(
    "/publications/{pid}/file",
    response_model=PublicationOut,
    tags=["publications"],
    summary="Attach a PDF",
)
async def attach_file(
    request: Request,
    pid: RecordId,
    session: WriteSession,
    file: UploadFile = File(...),
    user: Principal = Depends(Need("publication.upload")),
) -> dict[str, Any]:
    """Upload the publication's PDF (checked: PDF signature, size limit)."""
    from socialcover import knowledge

    async with pub_pages.saved_pdf(request, file) as pdf:

        def _do() -> dict[str, Any]:
            name = file.filename or "document.pdf"
            if pdf is None:  # an empty file: the library says why it is refused
                p = knowledge.attach_pdf(session, user, pid, name, b"")
            else:
                p = pub_pages.attach_saved(session, user, pid, name, pdf)
            return dict(jsonable(knowledge.publication_as_dict(p)))

        return await run_in_threadpool(_do)


@router.post(
    "/publications/{pid}/publish",
    response_model=PublicationOut,
    tags=["publications"],
    summary="Publish a publication",
)
async def publish_publication(
    pid: RecordId, session: WriteSession, user: Principal = Depends(Need("publication.publish"))
) -> dict[str, Any]:
    """Make a publication public (reviewers)."""
    from socialcover import knowledge

    def _do() -> dict[str, Any]:
        p = knowledge.publish_publication(session, user, pid)
        return dict(jsonable(knowledge.publication_as_dict(p)))

    return await run_in_threadpool(_do)


@router.get("/actors", tags=["actors"], summary="List organisations")
async def list_actors(
    request: Request,
    session: ReadSession,
    actor_type: str = Query("", max_length=60),
    country: str = Query("", max_length=3),
    q: str = Query("", max_length=100),
    page: Page = Depends(paging),
    format: Format = "json",
    user: Principal | None = Depends(Need("actor.read")),
) -> Response:
    """Organisations (governments, social partners, UN agencies...), filtered."""
    rows = await run_in_threadpool(actor_pages.list_rows, session, user, actor_type, country, q)
    return _list(request, rows, page, format, "actors")


@router.get(
    "/actors/{oid}", response_model=OrganisationOut, tags=["actors"], summary="One organisation"
)
async def get_actor(
    oid: RecordId, session: ReadSession, user: Principal | None = Depends(Need("actor.read"))
) -> dict[str, Any]:
    """An organisation with its partnerships and linked practices and publications."""
    return await run_in_threadpool(actor_pages.one_row, session, user, oid)


@router.post(
    "/actors",
    response_model=OrganisationOut,
    status_code=201,
    tags=["actors"],
    summary="Register an organisation",
)
async def create_actor(
    body: OrganisationInput, session: WriteSession, user: Principal = Depends(Need("actor.edit"))
) -> JSONResponse:
    """Add an organisation to the registry."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        org = actors.create_organisation(session, user, body)
        session.flush()
        return dict(jsonable(actors.organisation_as_dict(org, user)))

    return JSONResponse(await run_in_threadpool(_do), status_code=201)
