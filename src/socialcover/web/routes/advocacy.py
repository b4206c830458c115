"""Advocacy pages: the public calendar and its iCal feed, events, press releases (404 under
embargo), statements and their endorsers, media kits, and the Atom feed.

The clock that decides an embargo is ``app.state.clock`` when a test sets one (a function
returning an aware datetime), else the current time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import InputError
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.cache import Lru
from socialcover.web.database import ReadSession, WriteSession, public_version
from socialcover.web.exports import jsonable
from socialcover.web.params import RecordId
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)


def clock(request: Request) -> dt.datetime | None:
    """The time an embargo is judged at: the app's injected clock, or ``None`` (now)."""
    now: Callable[[], dt.datetime] | None = getattr(request.app.state, "clock", None)
    return now() if now is not None else None


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# --- helpers the API shares --------------------------------------------------------------------


def event_rows(s: Session, user: Any, kind: str, country: str) -> list[dict[str, Any]]:
    """The events ``user`` may see, as dicts (without agenda and participants)."""
    from socialcover import advocacy

    rows = []
    for e in advocacy.list_events(s, user, kind=kind or None, country_iso3=country or None):
        d = advocacy.event_as_dict(e)
        d.pop("sessions")
        d.pop("materials")
        rows.append(d)
    return rows


def event_detail(s: Session, user: Any, eid: int) -> dict[str, Any]:
    """One event with its agenda, materials and counts (names for organisers only)."""
    from socialcover import advocacy

    event = advocacy.get_event(s, user, eid)
    out: dict[str, Any] = dict(jsonable(advocacy.event_as_dict(event)))
    out["counts"] = advocacy.participant_counts(s, user, eid).as_dict()
    return out


def press_rows(s: Session, user: Any, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The releases ``user`` may see: id, title (first language), embargo, status."""
    from socialcover import advocacy

    return [
        {
            "id": r.id,
            "title": next(iter(r.texts.values()))["title"],
            "languages": list(r.texts),
            "embargo_until": r.embargo_until.isoformat(),
            "status": r.status,
        }
        for r in advocacy.list_press_releases(s, user, now=now)
    ]


def statement_rows(s: Session, user: Any) -> list[dict[str, Any]]:
    """The statements ``user`` may see, with their endorsers."""
    from socialcover import advocacy

    return [
        dict(jsonable(advocacy.statement_as_dict(st))) for st in advocacy.list_statements(s, user)
    ]


def statement_detail(s: Session, user: Any, sid: int) -> dict[str, Any]:
    """One statement as a dict."""
    from socialcover import advocacy

    return dict(jsonable(advocacy.statement_as_dict(advocacy.get_statement(s, user, sid))))


_MEDIA_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def media_file(s: Session, indicator: str, area: str, sex: str, fmt: str) -> Response:
    """The media kit's card (SVG, PNG) or data (CSV, JSON) as a download."""
    from socialcover import advocacy

    kit = advocacy.media_kit(s, indicator, area, sex=sex)
    return kit_response(kit, fmt)


_EDITIONS: Lru[Any] = Lru(8)  # editions' numbers, by slug and the data's version


def report_kit(
    s: Session, slug: str, figure: str, lang: str, site: str, source: str = "store"
) -> Any:
    """The media kit of a report figure: the edition (``world-2023``...) built from the store's
    approved observations as they are now, or from the data pack's series (``source="pack"``,
    as a report built with ``--source pack`` links to it); kept while the data do not change."""
    from socialcover.report import Edition, build_edition, figure_kit

    edition = Edition.from_slug(slug, site=site, source=source)
    key = (edition.slug, site, source, public_version(s))
    data = _EDITIONS.get(key)
    if data is None:
        data = build_edition(edition, session=s)
        _EDITIONS.put(key, data)
    return figure_kit(data, figure, lang)


def kit_response(kit: Any, fmt: str) -> Response:
    """A media kit's card (SVG, PNG) or data (CSV, JSON) as a download."""
    body: str | bytes
    if fmt == "png":
        body = kit.png()
    else:
        body = kit.svg() if fmt == "svg" else kit.csv() if fmt == "csv" else kit.json()
    return Response(
        body,
        media_type=_MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'inline; filename="{kit.filename(fmt)}"'},
    )


# --- pages -------------------------------------------------------------------------------------


@router.get("/events", response_class=HTMLResponse)
async def calendar(
    request: Request,
    session: ReadSession,
    kind: str = Query("", max_length=30),
    user: Principal | None = Depends(Need("event.read_published")),
) -> HTMLResponse:
    """The public calendar: coming events, then past ones."""
    from socialcover import advocacy

    rows = await run_in_threadpool(event_rows, session, user, kind, "")
    now = (clock(request) or dt.datetime.now(dt.UTC)).isoformat()
    return render(
        request,
        "advocacy/events.html",
        {
            "coming": [r for r in rows if r["ends_at"] >= now],
            "past": [r for r in reversed(rows) if r["ends_at"] < now],
            "kinds": advocacy.EVENT_KINDS,
            "kind": kind,
        },
    )


@router.get("/events.ics")
async def calendar_feed(
    request: Request,
    session: ReadSession,
    user: Principal | None = Depends(Need("event.read_published")),
) -> Response:
    """The public calendar as an iCalendar feed (subscribe to it in a calendar program)."""
    from socialcover import advocacy

    body = await run_in_threadpool(advocacy.icalendar_feed, session, _base_url(request))
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/feeds/atom")
async def atom(
    request: Request,
    session: ReadSession,
    user: Principal | None = Depends(Need("publication.read_published")),
) -> Response:
    """The Atom feed of publications and events."""
    from socialcover import advocacy

    body = await run_in_threadpool(advocacy.atom_feed, session, _base_url(request))
    return Response(body, media_type="application/atom+xml")


@router.get("/events/{eid}", response_class=HTMLResponse)
async def event_page(
    request: Request,
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("event.read_published")),
) -> HTMLResponse:
    """One event: agenda, materials, outcomes, counts; the participants for organisers."""
    from socialcover import advocacy, store

    def _do() -> dict[str, Any]:
        e = event_detail(session, user, eid)
        event = advocacy.get_event(session, user, eid)
        e["participants"] = (
            advocacy.list_participants(session, user, eid)
            if user is not None and advocacy.is_organiser(user, event)
            else None
        )
        e["may_manage"] = user is not None and (
            advocacy.EVENTS.may_edit(user, event)
            or advocacy.is_organiser(user, event)
            or store.can(user.role, "event.publish")
        )
        return e

    e = await run_in_threadpool(_do)
    return render(
        request,
        "advocacy/event.html",
        {
            "e": e,
            "sexes": advocacy.SEXES,
            "constituents": advocacy.CONSTITUENTS,
            "registered": request.query_params.get("registered") == "1",
        },
    )


@router.post("/events/{eid}/register", response_model=None)
async def register(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal | None = Depends(Need("event.register")),
) -> Response:
    """Register for a published event (the form on its page)."""
    from socialcover import advocacy

    form = dict(await request.form())
    data = {
        k: str(form.get(k, "")).strip()
        for k in ("name", "email", "sex", "constituent", "organisation_name", "country_iso3")
    }
    data["country_iso3"] = data["country_iso3"] or None  # type: ignore[assignment]
    try:
        await run_in_threadpool(advocacy.register, session, user, eid, data)
    except InputError as exc:
        await run_in_threadpool(session.rollback)
        e = await run_in_threadpool(event_detail, session, user, eid)
        e["participants"] = None
        return render(
            request,
            "advocacy/event.html",
            {
                "e": e,
                "sexes": advocacy.SEXES,
                "constituents": advocacy.CONSTITUENTS,
                "flash": f"{exc.message} {exc.hint}",
                "flash_error": True,
                "form": data,
            },
            status_code=422,
        )
    return RedirectResponse(f"/events/{eid}?registered=1", status_code=303)


@router.get("/events/{eid}/materials/{mid}/file")
async def material_file(
    eid: RecordId,
    mid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("event.read_published")),
) -> FileResponse:
    """A material's PDF."""
    from socialcover import advocacy

    path, name = await run_in_threadpool(advocacy.material_file, session, user, eid, mid)
    return FileResponse(path, media_type="application/pdf", filename=name)


@router.get("/press", response_class=HTMLResponse)
async def press_list(
    request: Request,
    session: ReadSession,
    user: Principal | None = Depends(Need("press.read_published")),
) -> HTMLResponse:
    """The press releases past their embargo (and, for their authors and editors, the rest)."""
    rows = await run_in_threadpool(press_rows, session, user, clock(request))
    return render(request, "advocacy/press_list.html", {"rows": rows})


@router.get("/press/{rid}", response_class=HTMLResponse)
async def press_page(
    request: Request,
    rid: RecordId,
    session: WriteSession,
    user: Principal | None = Depends(Need("press.read_published")),
) -> HTMLResponse:
    """One press release in the page's language (404 while under embargo for the public)."""
    from socialcover import advocacy, store

    lang = getattr(request.state, "lang", "en")
    view = await run_in_threadpool(
        advocacy.get_press_release, session, user, rid, lang, now=clock(request)
    )
    manage = user is not None and store.can(user.role, "press.draft")
    return render(request, "advocacy/press.html", {"r": view, "may_manage": manage})


@router.get("/statements", response_class=HTMLResponse)
async def statements(
    request: Request,
    session: ReadSession,
    user: Principal | None = Depends(Need("statement.read_published")),
) -> HTMLResponse:
    """Joint statements and policy positions."""
    rows = await run_in_threadpool(statement_rows, session, user)
    return render(request, "advocacy/statements.html", {"rows": rows})


@router.get("/statements/{sid}", response_class=HTMLResponse)
async def statement_page(
    request: Request,
    sid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("statement.read_published")),
) -> HTMLResponse:
    """A statement, what it cites, and the organisations that endorse it."""
    from socialcover import advocacy, store

    def _do() -> dict[str, Any]:
        statement = advocacy.get_statement(session, user, sid)
        manage = user is not None and (
            advocacy.STATEMENTS.is_owner(user, statement)
            or store.can(user.role, "statement.edit_any")
        )
        return {
            "st": statement_detail(session, user, sid),
            "may_sign": advocacy.signing_organisation(session, user, statement) is not None,
            "may_manage": manage,
            "signed": request.query_params.get("signed") == "1",
        }

    return render(request, "advocacy/statement.html", await run_in_threadpool(_do))


@router.get("/media/{indicator}/{area}", response_class=HTMLResponse)
async def media_page(
    request: Request,
    indicator: str,
    area: str,
    session: ReadSession,
    sex: str = Query("both", pattern="^(both|female|male)$"),
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> HTMLResponse:
    """A media kit: the chart card, its downloads (SVG, PNG, CSV, JSON) and its share link."""
    from socialcover import advocacy

    kit = await run_in_threadpool(advocacy.media_kit, session, indicator, area, sex=sex)
    share = f"{_base_url(request)}/media/{kit.indicator}/{kit.area}"
    files = f"/api/v1/media/{kit.indicator}/{kit.area}?sex={sex}&format="
    return render(request, "advocacy/media.html", {"kit": kit, "share": share, "files": files})


@router.get("/media/report/{edition}/{figure}", response_class=HTMLResponse)
async def report_media_page(
    request: Request,
    edition: str,
    figure: str,
    session: ReadSession,
    source: Literal["store", "pack"] = Query("store"),
    user: Principal | None = Depends(Need("monitor.read_approved")),
) -> HTMLResponse:
    """A report figure's media kit (``/media/report/world-2023/coverage-trend``): the card,
    its downloads, its data in the explorer and its share link (``source=pack``: the figure of
    a report built from the data pack)."""
    lang = request.state.lang
    site = _base_url(request)
    kit = await run_in_threadpool(report_kit, session, edition, figure, lang, site, source)
    pack = "source=pack&" if source == "pack" else ""
    share = f"{site}/media/report/{kit.figure}" + ("?source=pack" if pack else "")
    files = f"/api/v1/media/report/{kit.figure}?{pack}lang={lang}&format="
    return render(request, "advocacy/media.html", {"kit": kit, "share": share, "files": files})
