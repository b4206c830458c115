"""Pages of country engagements: the list (by region and stage), one engagement with its
stages, assessment matrix, positions, endorsements, CODI rounds and national strategy, and the
team's forms.

Each form posts to a thin adapter over one function of :mod:`socialcover.countries`; a bad
form shows the page again with the problem (nothing saved), a refused one the error page.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import NotFoundError, SocialcoverError
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.params import RecordId
from socialcover.web.render import render
from socialcover.web.routes.form_fields import form_int, posted_form, run_form

router = APIRouter(include_in_schema=False)


def _choices() -> dict[str, Any]:
    from socialcover import countries
    from socialcover.data import ILO_REGIONS

    return {
        "regions": ILO_REGIONS,
        "stages": countries.STAGES,
        "stage_statuses": countries.STAGE_STATUSES,
        "guarantees": countries.GUARANTEES,
        "stances": countries.STANCES,
        "constituents": countries.CONSTITUENTS,
        "event_kinds": countries.ENGAGEMENT_EVENT_KINDS,
        "sexes": ("female", "male", "other", "not_stated"),
    }


def page_data(s: Session, user: Any, eid: int) -> dict[str, Any]:
    """Everything the engagement's page shows, as ``user`` may see it."""
    from socialcover import countries

    e = countries.get_engagement(s, user, eid)
    out = countries.engagement_as_dict(s, user, e)
    out["matrix"] = countries.assessment_matrix(s, user, eid)
    out["endorsements"] = countries.endorsements_of(s, user, eid)
    out["events"] = countries.engagement_events(s, user, eid)
    try:
        out["final_cost"] = countries.set_cost(s, user, eid)
    except SocialcoverError as exc:  # no data pack to cost with: the page still shows the rest
        out["final_cost"] = {"years": [], "error": exc.message}
    out["codi"] = countries.codi_assessments(s, user, eid)
    out["codi_moves"] = (
        countries.compare_codi(s, user, eid, out["codi"][-2]["id"], out["codi"][-1]["id"])
        if len(out["codi"]) >= 2
        else []
    )
    rep = countries.representation(user, e)
    out["represents"] = (
        {"organisation_id": rep.organisation_id, "constituent": rep.constituent} if rep else None
    )
    out["counterparts"] = [p for p in out["partners"] if p["kind"] == "counterpart"]
    out["strategy"] = None
    with suppress(NotFoundError):  # none yet, or a draft this user may not see
        out["strategy"] = countries.strategy_as_dict(s, user, eid)
    if out["strategy"] is not None:
        try:
            out["strategy"]["financing"] = countries.strategy_financing(s, user, eid)
            out["strategy"]["progress"] = countries.progress_report(s, user, eid)
        except SocialcoverError as exc:  # no data pack: the strategy shows without its figures
            out["strategy"]["error"] = f"{exc.message} {exc.hint}".strip()
    return out


@router.get("/engagements", response_class=HTMLResponse)
async def engagements_page(
    request: Request,
    session: ReadSession,
    region: str = Query("", max_length=100),
    stage: str = Query("", max_length=30),
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> HTMLResponse:
    """Every engagement with where it stands, filterable by region and stage."""
    from socialcover import countries

    rows = await run_in_threadpool(
        countries.list_engagements, session, user, region=region or None, stage=stage or None
    )
    return render(
        request,
        "engagements.html",
        {"rows": rows, "region": region, "stage": stage, **_choices()},
    )


@router.get("/engagements/new", response_class=HTMLResponse)
async def new_engagement_page(
    request: Request, user: Principal = Depends(Need("engagement.draft"))
) -> HTMLResponse:
    """The form that opens an engagement."""
    return render(request, "engagement_form.html", {"e": {}})


@router.post("/engagements", response_model=None)
async def create_engagement(
    request: Request, session: WriteSession, user: Principal = Depends(Need("engagement.draft"))
) -> Response:
    """Open a draft engagement; its author is its lead."""
    from socialcover import countries

    form = dict(await request.form())
    data = {k: str(form.get(k, "")).strip() for k in countries.EngagementInput.model_fields}

    def _do() -> int:
        e = countries.create_engagement(session, user, data)
        session.flush()
        return int(e.id)

    async def refused(exc: SocialcoverError) -> Response:
        return render(
            request,
            "engagement_form.html",
            {"e": form, "flash": exc.message + " " + exc.hint, "flash_error": True},
            status_code=422,
        )

    return await run_form(session, _do, lambda eid: f"/engagements/{eid}", refused)


@router.get("/engagements/{eid}/brief", response_model=None)
async def brief(
    eid: RecordId,
    session: ReadSession,
    lang: Literal["en", "fr", "es"] = Query("en"),
    format: Literal["pdf", "html"] = Query("pdf"),
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> Response:
    """The engagement's country brief, as the caller may see it, in PDF or HTML."""
    import tempfile
    from pathlib import Path

    from socialcover.report import write_brief

    def _do() -> bytes:
        with tempfile.TemporaryDirectory(prefix="socialcover-brief-") as tmp:
            out = Path(tmp) / f"brief.{format}"
            write_brief(session, user, eid, out, lang)
            return out.read_bytes()

    body = await run_in_threadpool(_do)
    media = "application/pdf" if format == "pdf" else "text/html; charset=utf-8"
    name = f"brief-{eid}-{lang}.{format}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/engagements/{eid}", response_class=HTMLResponse)
async def engagement_page(
    request: Request,
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> HTMLResponse:
    """One engagement: stages, matrix, positions, endorsements, CODI."""
    data = await run_in_threadpool(page_data, session, user, eid)
    return render(request, "engagement.html", {"e": data, **_choices()})


async def _form_step(
    request: Request,
    session: Session,
    user: Principal,
    eid: int,
    anchor: str,
    step: Callable[[dict[str, str]], object],
) -> Response:
    """Run one domain call with the posted form; on bad input show the page again."""
    form = await posted_form(request)

    async def refused(exc: SocialcoverError) -> Response:
        data = await run_in_threadpool(page_data, session, user, eid)
        return render(
            request,
            "engagement.html",
            {"e": data, "flash": exc.message + " " + exc.hint, "flash_error": True, **_choices()},
            status_code=422,
        )

    return await run_form(session, lambda: step(form), f"/engagements/{eid}#{anchor}", refused)


@router.post("/engagements/{eid}/publish", response_model=None)
async def publish(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Its team makes the engagement public."""
    from socialcover import countries

    return await _form_step(
        request,
        session,
        user,
        eid,
        "top",
        lambda f: countries.publish_engagement(session, user, eid),
    )


@router.post("/engagements/{eid}/stages/{stage}", response_model=None)
async def update_stage(
    request: Request,
    eid: RecordId,
    stage: str,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Change a stage's status and dates."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        changes: dict[str, Any] = {"status": f.get("status", "")}
        for key in ("starts_on", "ends_on"):
            changes[key] = f.get(key) or None
        return countries.update_stage(session, user, eid, stage, changes)

    return await _form_step(request, session, user, eid, "stages", step)


@router.post("/engagements/{eid}/matrix", response_model=None)
async def set_cell(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Write a cell of the assessment matrix."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        data: dict[str, Any] = {k: f.get(k, "") for k in countries.CellInput.model_fields}
        data["coverage_observation_id"] = form_int(f.get("coverage_observation_id", ""))
        return countries.set_cell(session, user, eid, data)

    return await _form_step(request, session, user, eid, "matrix", step)


@router.post("/engagements/{eid}/recommendations", response_model=None)
async def add_recommendation(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Add a recommendation to the matrix."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        return countries.add_recommendation(
            session,
            user,
            eid,
            {
                "text": f.get("text", ""),
                "cell_id": form_int(f.get("cell_id", "")),
                "scenario_id": form_int(f.get("scenario_id", "")),
            },
        )

    return await _form_step(request, session, user, eid, "matrix", step)


@router.post("/engagements/{eid}/recommendations/{rid}/scenario", response_model=None)
async def link_scenario(
    request: Request,
    eid: RecordId,
    rid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Cost a recommendation with a saved costing scenario."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        _check_rec(session, user, eid, rid)
        return countries.update_recommendation(
            session, user, rid, {"scenario_id": form_int(f.get("scenario_id", ""))}
        )

    return await _form_step(request, session, user, eid, f"rec-{rid}", step)


def _check_rec(s: Session, user: Any, eid: int, rid: int) -> None:
    from socialcover import countries
    from socialcover.store import RecordNotFoundError

    rec, _ = countries.get_recommendation(s, user, rid)
    if rec.engagement_id != eid:
        raise RecordNotFoundError(
            f"Engagement {eid} has no recommendation {rid}.",
            hint="The engagement's page lists its recommendations.",
        )


@router.post("/engagements/{eid}/recommendations/{rid}/positions", response_model=None)
async def record_position(
    request: Request,
    eid: RecordId,
    rid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.position")),
) -> Response:
    """Record a constituent's position on a recommendation."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        _check_rec(session, user, eid, rid)
        return countries.record_position(
            session,
            user,
            rid,
            {
                "organisation_id": form_int(f.get("organisation_id", "")),
                "stance": f.get("stance", ""),
                "text": f.get("text", ""),
                "event_id": form_int(f.get("event_id", "")),
            },
        )

    return await _form_step(request, session, user, eid, f"rec-{rid}", step)


@router.post("/engagements/{eid}/recommendations/{rid}/agree", response_model=None)
async def agree(
    request: Request,
    eid: RecordId,
    rid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Record what the dialogue agreed on a recommendation."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        _check_rec(session, user, eid, rid)
        return countries.agree_recommendation(session, user, rid, f.get("agreement", ""))

    return await _form_step(request, session, user, eid, f"rec-{rid}", step)


@router.post("/engagements/{eid}/endorsements", response_model=None)
async def endorse(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Record a constituent's endorsement of the agreed recommendations."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        return countries.endorse(
            session,
            user,
            eid,
            {
                "organisation_id": form_int(f.get("organisation_id", "")),
                "signed_by": f.get("signed_by", ""),
                "endorsed_on": f.get("endorsed_on", ""),
                "document": f.get("document", ""),
            },
        )

    return await _form_step(request, session, user, eid, "endorsements", step)


@router.post("/engagements/{eid}/events", response_model=None)
async def record_event(
    request: Request,
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Record a consultation, validation workshop or training session."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        keys = ("kind", "title", "starts_at", "ends_at", "place", "summary", "outcomes")
        return countries.record_event(session, user, eid, {k: f.get(k, "") for k in keys})

    return await _form_step(request, session, user, eid, "events", step)


@router.post("/engagements/{eid}/events/{event_id}/participants", response_model=None)
async def add_participant(
    request: Request,
    eid: RecordId,
    event_id: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.participants")),
) -> Response:
    """Add a participant to one of the engagement's events (its team)."""
    from socialcover import countries

    def step(f: dict[str, str]) -> object:
        data: dict[str, Any] = {
            k: f.get(k, "") for k in ("name", "sex", "constituent", "organisation_name")
        }
        data["organisation_id"] = form_int(f.get("organisation_id", ""))
        data["email"] = f.get("email") or None
        data["country_iso3"] = f.get("country_iso3") or None
        return countries.add_engagement_participant(session, user, eid, event_id, data)

    return await _form_step(request, session, user, eid, "events", step)
