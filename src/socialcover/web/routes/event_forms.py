"""Event forms: draft and edit an event, its agenda with speakers, materials (a link or an
uploaded PDF, streamed to disk under the PDF limit), participants, outcomes, and its review
steps (submit; publish and withdraw for reviewers).

Each form posts to its own route (CSRF checked app-wide), calls one function of
:mod:`socialcover.advocacy`, and on a refusal shows the page again with the problem next to the
field (422, nothing saved). Permissions are the store's: ``event.draft`` at the gate, then the
event's workflow (owner or editor) and its organisers for the participants.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import SocialcoverError
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import WriteSession
from socialcover.web.params import RecordId
from socialcover.web.render import render
from socialcover.web.routes import publications as pub_pages
from socialcover.web.routes.advocacy import event_detail
from socialcover.web.routes.form_fields import as_datetime_local, field_errors, form_text

router = APIRouter(include_in_schema=False)

EVENT_FIELDS = (
    "kind",
    "title",
    "summary",
    "timezone",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "country_iso3",
    "language",
    "capacity",
    "outcomes",
)
SPEAKER_ROWS = 4
"""Speaker rows of the agenda form (no script needed; add more speakers item by item)."""
STEPS = ("submit", "publish", "withdraw")


def event_input(form: Any) -> dict[str, Any]:
    """The event form's fields as :class:`socialcover.advocacy.EventInput` reads them."""
    data: dict[str, Any] = {k: form_text(form, k) for k in EVENT_FIELDS}
    data["capacity"] = data["capacity"] or None
    data["online_url"] = data["online_url"] or None
    data["country_iso3"] = data["country_iso3"] or None
    data["timezone"] = data["timezone"] or "UTC"
    data["registration_open"] = form.get("registration_open") == "on"
    return data


def session_input(form: Any) -> dict[str, Any]:
    """The agenda form: an item and its speakers (rows without a name are left out)."""
    speakers = []
    for i in range(1, SPEAKER_ROWS + 1):
        name = form_text(form, f"speaker_name_{i}", 200)
        affiliation = form_text(form, f"speaker_affiliation_{i}", 300)
        if name or affiliation:
            speakers.append({"name": name, "affiliation": affiliation})
    position = form_text(form, "position")
    return {
        "title": form_text(form, "title", 300),
        "position": position or 0,
        "starts_at": form_text(form, "starts_at") or None,
        "ends_at": form_text(form, "ends_at") or None,
        "description": form_text(form, "description"),
        "speakers": speakers,
    }


def _vocabularies() -> dict[str, Any]:
    from socialcover import advocacy

    return {
        "kinds": advocacy.EVENT_KINDS,
        "sexes": advocacy.SEXES,
        "constituents": advocacy.CONSTITUENTS,
        "roles": advocacy.PARTICIPANT_ROLES,
        "material_kinds": advocacy.MATERIAL_KINDS,
    }


def manage_context(s: Session, user: Any, eid: int) -> dict[str, Any]:
    """What the event's management page shows to ``user`` (404 if they may not see it)."""
    from socialcover import advocacy, store

    event = advocacy.get_event(s, user, eid)
    e = event_detail(s, user, eid)
    organiser = advocacy.is_organiser(user, event)
    e["participants"] = advocacy.list_participants(s, user, eid) if organiser else None
    values = {k: e[k] for k in EVENT_FIELDS} | {"registration_open": e["registration_open"]}
    values["starts_at"] = as_datetime_local(e["starts_at"], e["timezone"])
    values["ends_at"] = as_datetime_local(e["ends_at"], e["timezone"])
    role = getattr(user, "role", None)
    return {
        "e": e,
        "values": values,
        "may_edit": advocacy.EVENTS.may_edit(user, event),
        "organiser": organiser,
        "may_submit": advocacy.EVENTS.is_owner(user, event)
        and e["status"] in ("draft", "returned"),
        "may_review": store.can(role, "event.publish"),
        "speaker_rows": SPEAKER_ROWS,
        **_vocabularies(),
    }


def _manage_page(
    request: Request, s: Session, user: Any, eid: int, extra: dict[str, Any], status: int = 200
) -> HTMLResponse:
    context = manage_context(s, user, eid)
    context.update(extra)
    return render(request, "advocacy/event_manage.html", context, status_code=status)


@router.get("/events/new", response_class=HTMLResponse)
async def new_event(
    request: Request, user: Principal = Depends(Need("event.draft"))
) -> HTMLResponse:
    """The form that drafts an event."""
    values = {"timezone": "UTC", "language": getattr(request.state, "lang", "en")}
    return render(
        request, "advocacy/event_new.html", {"values": values, "errors": {}, **_vocabularies()}
    )


@router.post("/events/new", response_model=None)
async def create_event(
    request: Request, session: WriteSession, user: Principal = Depends(Need("event.draft"))
) -> Response:
    """Draft the event; then its page for the agenda, materials and participants."""
    from socialcover import advocacy

    form = await request.form()
    data = event_input(form)

    def _do() -> int:
        event = advocacy.create_event(session, user, data)
        session.flush()
        return int(event.id)

    try:
        eid = await run_in_threadpool(_do)
    except SocialcoverError as exc:
        await run_in_threadpool(session.rollback)
        values = data | {"registration_open": data["registration_open"]}
        errors = field_errors(exc, advocacy.EventInput, data)
        return render(
            request,
            "advocacy/event_new.html",
            {"values": values, "errors": errors, **_vocabularies()},
            status_code=422 if exc.code != "auth.forbidden" else 403,
        )
    return RedirectResponse(f"/events/{eid}/edit?saved=1", status_code=303)


@router.get("/events/{eid}/edit", response_class=HTMLResponse)
async def manage_event(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("event.draft")),
) -> HTMLResponse:
    """The event's management page: its fields, agenda, materials, participants, steps."""
    from socialcover.store import PermissionDeniedError

    def _do() -> HTMLResponse:
        context = manage_context(session, user, eid)
        if not (context["may_edit"] or context["organiser"] or context["may_review"]):
            raise PermissionDeniedError(
                f"Event {eid} is not yours to manage.",
                code="event.not-organiser",
                hint="Ask its owner to add you as an organiser.",
            )
        context.update(saved=request.query_params.get("saved") == "1", errors={})
        return render(request, "advocacy/event_manage.html", context)

    return await run_in_threadpool(_do)


async def _refused(
    request: Request,
    session: Session,
    user: Any,
    eid: int,
    exc: SocialcoverError,
    extra: dict[str, Any],
) -> HTMLResponse:
    """The management page again with the refusal next to its fields; nothing saved."""
    from socialcover.store import PermissionDeniedError

    await run_in_threadpool(session.rollback)
    status = 403 if isinstance(exc, PermissionDeniedError) else 422
    if status == 403 and not extra.get("errors"):
        extra["errors"] = {"": f"{exc.message} {exc.hint}".strip()}
    return await run_in_threadpool(_manage_page, request, session, user, eid, extra, status)


@router.post("/events/{eid}/edit", response_model=None)
async def update_event(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("event.draft")),
) -> Response:
    """Save the event's fields (dates, place, registration open or closed, outcomes)."""
    from socialcover import advocacy

    form = await request.form()
    data = event_input(form)
    version = form_text(form, "version")

    def _do() -> None:
        advocacy.update_event(
            session, user, eid, data, expected_version=int(version) if version.isdigit() else None
        )

    try:
        await run_in_threadpool(_do)
    except SocialcoverError as exc:
        errors = field_errors(exc, advocacy.EventInput, data)
        return await _refused(request, session, user, eid, exc, {"errors": errors, "values": data})
    return RedirectResponse(f"/events/{eid}/edit?saved=1", status_code=303)


@router.post("/events/{eid}/sessions", response_model=None)
async def add_session(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("event.draft")),
) -> Response:
    """Add an item to the agenda, with its speakers."""
    from socialcover import advocacy

    form = await request.form()
    data = session_input(form)
    try:
        await run_in_threadpool(advocacy.add_session, session, user, eid, data)
    except SocialcoverError as exc:
        errors = field_errors(exc, advocacy.SessionInput, data, rename={"speakers": "speakers"})
        extra = {"session_errors": errors, "session_values": dict(form), "errors": {}}
        return await _refused(request, session, user, eid, exc, extra)
    return RedirectResponse(f"/events/{eid}/edit?saved=1#agenda", status_code=303)


@router.post("/events/{eid}/sessions/{sid}/remove", response_model=None)
async def remove_session(
    eid: RecordId,
    sid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("event.draft")),
) -> Response:
    """Remove an item of the agenda."""
    from socialcover import advocacy

    await run_in_threadpool(advocacy.remove_session, session, user, eid, sid)
    return RedirectResponse(f"/events/{eid}/edit?saved=1#agenda", status_code=303)


@router.post("/events/{eid}/materials", response_model=None)
async def add_material(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    file: UploadFile | None = File(None),
    user: Principal = Depends(Need("event.draft")),
) -> Response:
    """Attach slides or a paper: a link, or a PDF (streamed to disk, 413 past the PDF limit)."""
    from socialcover import advocacy

    form = await request.form()
    data: dict[str, Any] = {
        "title": form_text(form, "title", 300),
        "kind": form_text(form, "kind") or "other",
        "language": form_text(form, "language") or "en",
        "url": form_text(form, "url", 500) or None,
    }
    item = form_text(form, "session_id")
    data["session_id"] = int(item) if item.isdigit() else None
    async with pub_pages.saved_pdf(request, file) as pdf:

        def _do() -> None:
            if pdf is None:
                advocacy.add_material(session, user, eid, data)
                return
            name = file.filename if file is not None and file.filename else "material.pdf"
            with pdf.open("rb") as stream:
                advocacy.add_material(session, user, eid, data, (name, stream))

        try:
            await run_in_threadpool(_do)
        except SocialcoverError as exc:
            errors = field_errors(exc, advocacy.MaterialInput, data)
            if exc.code.startswith("knowledge."):
                errors = {"file": f"{exc.message} {exc.hint}".strip()}
            extra = {"material_errors": errors, "material_values": data, "errors": {}}
            return await _refused(request, session, user, eid, exc, extra)
    return RedirectResponse(f"/events/{eid}/edit?saved=1#materials", status_code=303)


@router.post("/events/{eid}/participants", response_model=None)
async def add_participant(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("event.draft")),
) -> Response:
    """Add a participant (the event's organisers: an attendance list, a speaker...)."""
    from socialcover import advocacy

    form = await request.form()
    data: dict[str, Any] = {
        k: form_text(form, k, 320)
        for k in ("name", "email", "sex", "constituent", "organisation_name", "role")
    }
    data["country_iso3"] = form_text(form, "country_iso3") or None
    data["email"] = data["email"] or None
    try:
        await run_in_threadpool(advocacy.add_participant, session, user, eid, data)
    except SocialcoverError as exc:
        errors = field_errors(exc, advocacy.ParticipantInput, data)
        if exc.code == "event.duplicate-participant":
            errors = {"email": f"{exc.message} {exc.hint}"}
        extra = {"participant_errors": errors, "participant_values": data, "errors": {}}
        return await _refused(request, session, user, eid, exc, extra)
    return RedirectResponse(f"/events/{eid}/edit?saved=1#participants", status_code=303)


@router.post("/events/{eid}/steps/{step}", response_model=None)
async def move_event(
    request: Request,
    eid: RecordId,
    step: str,
    session: WriteSession,
    user: Principal = Depends(Need("event.draft")),
) -> Response:
    """Submit (its owner), publish or withdraw (reviewers) the event."""
    from socialcover import advocacy
    from socialcover.web.errors import WebError

    if step not in STEPS:
        raise WebError(
            404, f"No step {step!r}.", code="http.not-found", hint=f"Use {', '.join(STEPS)}."
        )
    form = await request.form()
    comment = form_text(form, "comment", 5000)
    try:
        await run_in_threadpool(advocacy.EVENTS.move, session, user, eid, step, comment)
    except SocialcoverError as exc:
        errors = {"": f"{exc.message} {exc.hint}".strip()}
        return await _refused(request, session, user, eid, exc, {"errors": errors})
    return RedirectResponse(f"/events/{eid}/edit?saved=1", status_code=303)
