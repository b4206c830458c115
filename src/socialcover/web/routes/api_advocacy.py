"""REST API of advocacy: events, press releases, statements, media kits, download counts.

Each route is a thin adapter over one function of :mod:`socialcover.advocacy`; errors come in
the API's one shape. A press release under embargo answers 404, as one that does not exist.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from socialcover.advocacy import EventInput, PressReleaseInput, StatementInput
from socialcover.store.fields import RecordRef
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable
from socialcover.web.params import RecordId, Version
from socialcover.web.routes import advocacy as pages
from socialcover.web.routes import publications as pub_pages
from socialcover.web.schemas import Created, StatusOut
from socialcover.web.schemas.advocacy import (
    EndorsersOut,
    ErasedOut,
    EventDetailOut,
    EventOut,
    MaterialOut,
    PressOut,
    RegisteredOut,
    SessionOut,
    SharedOut,
    StatementOut,
)

router = APIRouter(prefix="/api/v1", tags=["advocacy"])
Step = Literal["submit", "publish", "return", "withdraw"]


class Changes(BaseModel):
    """Fields to change, and the version the editor loaded (lost-update guard)."""

    changes: dict[str, Any] = Field(description="Field name -> new value.")
    expected_version: Version | None = None


class StepBody(BaseModel):
    """A workflow step's comment (needed to return a record)."""

    comment: str = Field(default="", max_length=5000)


class PersonBody(BaseModel):
    """One person, by the e-mail they registered with."""

    email: str = Field(min_length=3, max_length=320)


class ShareBody(BaseModel):
    """A partner organisation to share a statement with."""

    organisation_id: RecordRef


class SignBody(BaseModel):
    """Who signs, and for which organisation (editors may name it)."""

    signed_by: str = Field(min_length=1, max_length=200)
    signed_by_title: str = Field(default="", max_length=200)
    organisation_id: RecordRef | None = None


# --- events ----------------------------------------------------------------------------------


@router.get("/events", summary="List events")
async def list_events(
    session: ReadSession,
    kind: str = Query("", max_length=30),
    country: str = Query("", max_length=3),
    user: Principal | None = Depends(Need("event.read_published")),
) -> list[dict[str, Any]]:
    """The events the caller may see (the public calendar for anonymous readers)."""
    return await run_in_threadpool(pages.event_rows, session, user, kind, country)


@router.post("/events", response_model=EventOut, status_code=201, summary="Draft an event")
async def create_event(
    body: EventInput, session: WriteSession, user: Principal = Depends(Need("event.draft"))
) -> JSONResponse:
    """Create an event as a draft owned by the caller."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        event = advocacy.create_event(session, user, body)
        session.flush()
        return dict(jsonable(advocacy.event_as_dict(event)))

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.get("/events/{eid}", response_model=EventDetailOut, summary="One event")
async def get_event(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("event.read_published")),
) -> dict[str, Any]:
    """An event with its agenda, materials and participant counts (never names)."""
    return await run_in_threadpool(pages.event_detail, session, user, eid)


@router.patch("/events/{eid}", response_model=EventOut, summary="Edit an event")
async def update_event(
    eid: RecordId,
    body: Changes,
    session: WriteSession,
    user: Principal = Depends(Need("event.draft")),
) -> dict[str, Any]:
    """Change fields (its owner while a draft; reviewers any), e.g. the outcomes."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        event = advocacy.update_event(
            session, user, eid, body.changes, expected_version=body.expected_version
        )
        session.flush()
        return dict(jsonable(advocacy.event_as_dict(event)))

    return await run_in_threadpool(_do)


@router.post(
    "/events/{eid}/materials",
    response_model=MaterialOut,
    status_code=201,
    summary="Attach a material",
)
async def add_material(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    title: str = Form(..., max_length=300),
    kind: Literal["slides", "paper", "other"] = Form("other"),
    language: Literal["en", "fr", "es"] = Form("en"),
    url: str = Form("", max_length=500),
    file: UploadFile | None = File(None),
    user: Principal = Depends(Need("event.draft")),
) -> JSONResponse:
    """A link (``url``) or a PDF (``file``, checked and size-capped as publications' PDFs)."""
    from socialcover import advocacy

    data = {"title": title, "kind": kind, "language": language, "url": url or None}
    async with pub_pages.saved_pdf(request, file) as pdf:

        def _do() -> dict[str, Any]:
            if pdf is None:
                row = advocacy.add_material(session, user, eid, data)
            else:
                with pdf.open("rb") as stream:
                    name = file.filename if file is not None and file.filename else "m.pdf"
                    row = advocacy.add_material(session, user, eid, data, (name, stream))
            return {"id": row.id, "title": row.title, "has_file": row.file_sha256 is not None}

        return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.post(
    "/events/{eid}/steps/{step}", response_model=EventOut, summary="Move an event in its review"
)
async def move_event(
    eid: RecordId,
    step: Step,
    session: WriteSession,
    body: StepBody | None = Body(None),
    user: Principal = Depends(Need("event.draft")),
) -> dict[str, Any]:
    """Submit (its owner), publish, return (with a comment) or withdraw (reviewers)."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        event = advocacy.EVENTS.move(session, user, eid, step, body.comment if body else "")
        return dict(jsonable(advocacy.event_as_dict(event)))

    return await run_in_threadpool(_do)


@router.post(
    "/events/{eid}/sessions",
    response_model=SessionOut,
    status_code=201,
    summary="Add an agenda item",
)
async def add_session(
    eid: RecordId,
    body: dict[str, Any],
    session: WriteSession,
    user: Principal = Depends(Need("event.draft")),
) -> JSONResponse:
    """Add an item (title, times, description, speakers) to the event's agenda."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        row = advocacy.add_session(session, user, eid, body)
        return {"id": row.id, "title": row.title}

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.get("/events/{eid}/participants", summary="The participants (organisers only)")
async def participants(
    eid: RecordId,
    session: ReadSession,
    user: Principal = Depends(Need("event.draft")),
) -> list[dict[str, Any]]:
    """Names, e-mails and details of the participants: the event's organisers only."""
    from socialcover import advocacy

    return await run_in_threadpool(advocacy.list_participants, session, user, eid)


@router.post(
    "/events/{eid}/participants",
    response_model=Created,
    status_code=201,
    summary="Add a participant",
)
async def add_participant(
    eid: RecordId,
    body: dict[str, Any],
    session: WriteSession,
    user: Principal = Depends(Need("event.draft")),
) -> JSONResponse:
    """Add a participant (the event's organisers)."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        return {"id": advocacy.add_participant(session, user, eid, body).id}

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.post(
    "/events/{eid}/registrations",
    response_model=RegisteredOut,
    status_code=201,
    summary="Register for an event",
)
async def register(
    eid: RecordId,
    body: dict[str, Any],
    session: WriteSession,
    user: Principal | None = Depends(Need("event.register")),
) -> JSONResponse:
    """Register for a published event open to registration."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        advocacy.register(session, user, eid, body)
        return {"registered": True}

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.post("/people/export", summary="Export one person's event data")
async def export_person(
    body: PersonBody, session: ReadSession, user: Principal = Depends(Need("event.draft"))
) -> list[dict[str, Any]]:
    """Every registration of this e-mail (the person, or an administrator)."""
    from socialcover import advocacy

    return await run_in_threadpool(advocacy.export_person, session, user, body.email)


@router.post("/people/erase", response_model=ErasedOut, summary="Erase one person's event data")
async def erase_person(
    body: PersonBody, session: WriteSession, user: Principal = Depends(Need("event.draft"))
) -> dict[str, Any]:
    """Blank the name and e-mail of every registration of this e-mail (counts stay)."""
    from socialcover import advocacy

    erased = await run_in_threadpool(advocacy.erase_person, session, user, body.email)
    return {"erased": erased}


# --- press releases --------------------------------------------------------------------------


@router.get("/press", summary="List press releases")
async def list_press(
    request: Request,
    session: ReadSession,
    user: Principal | None = Depends(Need("press.read_published")),
) -> list[dict[str, Any]]:
    """The releases the caller may see: for the public, those past their embargo."""
    return await run_in_threadpool(pages.press_rows, session, user, pages.clock(request))


@router.get("/press/{rid}", response_model=PressOut, summary="One press release")
async def get_press(
    request: Request,
    rid: RecordId,
    session: WriteSession,
    lang: Literal["en", "fr", "es"] = "en",
    user: Principal | None = Depends(Need("press.read_published")),
) -> dict[str, Any]:
    """A release with its figures filled (404 while under embargo for the public)."""
    from socialcover import advocacy

    view = await run_in_threadpool(
        advocacy.get_press_release, session, user, rid, lang, now=pages.clock(request)
    )
    return dict(jsonable(view.as_dict()))


@router.post("/press", response_model=StatusOut, status_code=201, summary="Draft a press release")
async def create_press(
    body: PressReleaseInput, session: WriteSession, user: Principal = Depends(Need("press.draft"))
) -> JSONResponse:
    """Create a release as a draft (figures are placeholders filled from the store)."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        release = advocacy.create_press_release(session, user, body)
        session.flush()
        return {"id": release.id, "status": release.status}

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.post(
    "/press/{rid}/steps/{step}",
    response_model=StatusOut,
    summary="Move a press release in its review",
)
async def move_press(
    rid: RecordId,
    step: Step,
    session: WriteSession,
    body: StepBody | None = Body(None),
    user: Principal = Depends(Need("press.draft")),
) -> dict[str, Any]:
    """Submit, publish (public once the embargo passes), return or withdraw."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        r = advocacy.PRESS_RELEASES.move(session, user, rid, step, body.comment if body else "")
        return {"id": r.id, "status": r.status}

    return await run_in_threadpool(_do)


# --- statements ------------------------------------------------------------------------------


@router.get("/statements", summary="List statements")
async def list_statements(
    session: ReadSession, user: Principal | None = Depends(Need("statement.read_published"))
) -> list[dict[str, Any]]:
    """The statements the caller may see (drafts shared with their organisation too)."""
    return await run_in_threadpool(pages.statement_rows, session, user)


@router.get("/statements/{sid}", response_model=StatementOut, summary="One statement")
async def get_statement(
    sid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("statement.read_published")),
) -> dict[str, Any]:
    """A statement, its citations and its endorsers."""
    return await run_in_threadpool(pages.statement_detail, session, user, sid)


@router.post(
    "/statements", response_model=StatementOut, status_code=201, summary="Draft a statement"
)
async def create_statement(
    body: StatementInput, session: WriteSession, user: Principal = Depends(Need("statement.draft"))
) -> JSONResponse:
    """Create a joint statement or policy position as a draft."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        st = advocacy.create_statement(session, user, body)
        session.flush()
        return dict(jsonable(advocacy.statement_as_dict(st)))

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.post(
    "/statements/{sid}/partners",
    response_model=SharedOut,
    status_code=201,
    summary="Share with a partner",
)
async def share_statement(
    sid: RecordId,
    body: ShareBody,
    session: WriteSession,
    user: Principal = Depends(Need("statement.draft")),
) -> JSONResponse:
    """Share the draft with a partner organisation, whose people read and sign it."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        advocacy.share_statement(session, user, sid, body.organisation_id)
        return {"shared_with": body.organisation_id}

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.post(
    "/statements/{sid}/signatures",
    response_model=EndorsersOut,
    status_code=201,
    summary="Sign a statement",
)
async def sign_statement(
    sid: RecordId,
    body: SignBody,
    session: WriteSession,
    user: Principal = Depends(Need("statement.sign")),
) -> JSONResponse:
    """Sign for one's organisation (a partner of the statement)."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        advocacy.sign_statement(
            session,
            user,
            sid,
            signed_by=body.signed_by,
            signed_by_title=body.signed_by_title,
            organisation_id=body.organisation_id,
        )
        return {"endorsers": advocacy.endorsers(advocacy.get_statement(session, user, sid))}

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.post(
    "/statements/{sid}/steps/{step}",
    response_model=StatusOut,
    summary="Move a statement in its review",
)
async def move_statement(
    sid: RecordId,
    step: Step,
    session: WriteSession,
    body: StepBody | None = Body(None),
    user: Principal = Depends(Need("statement.draft")),
) -> dict[str, Any]:
    """Submit, publish, return or withdraw a statement."""
    from socialcover import advocacy

    def _do() -> dict[str, Any]:
        st = advocacy.STATEMENTS.move(session, user, sid, step, body.comment if body else "")
        return {"id": st.id, "status": st.status}

    return await run_in_threadpool(_do)


# --- media kits and downloads ----------------------------------------------------------------


@router.get("/media/{indicator}/{area}", summary="A media kit: chart card and its data")
async def media(
    indicator: str,
    area: str,
    session: ReadSession,
    format: Literal["json", "csv", "svg", "png"] = "json",
    sex: Literal["both", "female", "male"] = "both",
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> Response:
    """The card of ``indicator`` in ``area`` as SVG or PNG, or its data as JSON or CSV."""
    return await run_in_threadpool(pages.media_file, session, indicator, area, sex, format)


@router.get(
    "/media/report/{edition}/{figure}", summary="A report figure's media kit: card and data"
)
async def report_media(
    request: Request,
    edition: str,
    figure: str,
    session: ReadSession,
    format: Literal["json", "csv", "svg", "png"] = "json",
    lang: Literal["en", "fr", "es"] = "en",
    source: Literal["store", "pack"] = "store",
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> Response:
    """The card of a figure of the report (``world-2023``, ``africa-2023``...; figure ids:
    ``socialcover.report.FIGURE_IDS``) as SVG or PNG, or its data as JSON or CSV; ``source``:
    the store's approved observations, or the data pack's series."""
    site = str(request.base_url).rstrip("/")

    def _do() -> Response:
        kit = pages.report_kit(session, edition, figure, lang, site, source)
        return pages.kit_response(kit, format)

    return await run_in_threadpool(_do)


@router.get("/publications/{pid}/downloads", summary="Downloads by month and country")
async def downloads(
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("publication.read_published")),
) -> list[dict[str, Any]]:
    """How many times the publication's file was downloaded, per month and country."""
    from socialcover import advocacy

    return await run_in_threadpool(advocacy.download_counts, session, user, pid)
