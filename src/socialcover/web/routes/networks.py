"""The networks' pages: "who knows what" (institutions, and for roles with ``actor.edit``
people, by expertise, language, country and kind of organisation), a person's page with their
memberships, and the forms that record people (with or without an organisation), memberships
and partnerships. Thin adapters over :mod:`socialcover.actors`; a bad form shows the form again
with the problem next to the field (nothing saved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.errors import SocialcoverError
from socialcover.store import RecordNotFoundError, can
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable
from socialcover.web.params import RecordId
from socialcover.web.render import render
from socialcover.web.routes.form_fields import form_int, posted_form, problem, run_form

router = APIRouter(include_in_schema=False)  # pages, not the API

PARTNERSHIP_KINDS = (
    "research",
    "cooperation",
    "technical assistance",
    "training",
    "funding",
    "network",
)
"""Kinds of partnership the form suggests (any other text is accepted)."""


def _kinds() -> list[str]:
    from socialcover.store import ActorType

    return [t.value for t in ActorType]


def _organisations(session: Session) -> list[dict[str, Any]]:
    from socialcover import actors

    return [
        {"id": o.id, "name": o.name, "actor_type": o.actor_type}
        for o in actors.list_organisations(session, limit=5000)
    ]


def _terms(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def person_data(form: dict[str, str]) -> dict[str, Any]:
    """A person's fields from the form: expertise and languages comma-separated; no
    organisation when none is chosen."""
    return {
        "name": form.get("name", "").strip(),
        "position": form.get("position", ""),
        "email": form.get("email", ""),
        "phone": form.get("phone", ""),
        "notes": form.get("notes", ""),
        "expertise": _terms(form.get("expertise", "")),
        "languages": _terms(form.get("languages", "")),
        "organisation_id": form_int(form.get("organisation_id")) or None,
        "country_iso3": form.get("country_iso3", ""),
    }


@router.get("/networks", response_class=HTMLResponse)
async def experts_page(
    request: Request,
    session: ReadSession,
    expertise: str = Query("", max_length=100),
    language: str = Query("", max_length=2),
    country: str = Query("", max_length=3),
    actor_type: str = Query("", max_length=60),
    user: Principal | None = Depends(Need("actor.read")),
) -> HTMLResponse:
    """Search the networks by expertise, language, country and kind of organisation."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        return actors.who_knows_what(
            session,
            user,
            expertise=expertise,
            language=language,
            country=country,
            actor_type=actor_type,
        )

    found = await run_in_threadpool(_do)
    q = {"expertise": expertise, "language": language, "country": country, "actor_type": actor_type}
    may = can(getattr(user, "role", None), "actor.edit")
    return render(
        request,
        "networks/experts.html",
        {"found": found, "q": q, "may_see_people": may, "kinds": _kinds()},
    )


@router.get("/networks/people/new", response_class=HTMLResponse)
async def new_person_page(
    request: Request, session: ReadSession, user: Principal = Depends(Need("actor.edit"))
) -> HTMLResponse:
    """The form that records a person, at an organisation or at none."""
    orgs = await run_in_threadpool(_organisations, session)
    return render(request, "networks/person_form.html", {"f": {}, "orgs": orgs, "mode": "new"})


@router.post("/networks/people", response_model=None)
async def create_person(
    request: Request, session: WriteSession, user: Principal = Depends(Need("actor.edit"))
) -> Response:
    """Record a person; then show the person's page."""
    from socialcover import actors

    form = await posted_form(request)

    def _do() -> int:
        person = actors.add_person(session, user, person_data(form))
        session.flush()
        return int(person.id)

    async def refused(exc: SocialcoverError) -> Response:
        orgs = await run_in_threadpool(_organisations, session)
        return render(
            request,
            "networks/person_form.html",
            {"f": form, "orgs": orgs, "mode": "new", "problem": problem(exc, "person")},
            status_code=422,
        )

    return await run_form(session, _do, lambda pid: f"/networks/people/{pid}", refused)


def _person_page(session: Session, user: Any, pid: int) -> dict[str, Any]:
    from socialcover import actors

    person = jsonable(actors.person_as_dict(actors.get_person(session, user, pid)))
    return {"p": person, "orgs": _organisations(session)}


@router.get("/networks/people/{pid}", response_class=HTMLResponse)
async def person_page(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal = Depends(Need("actor.edit")),
) -> HTMLResponse:
    """A person: contact details, expertise, languages, organisation and memberships."""
    found = await run_in_threadpool(_person_page, session, user, pid)
    return render(request, "networks/person.html", found | {"f": {}})


@router.get("/networks/people/{pid}/edit", response_class=HTMLResponse)
async def edit_person_page(
    request: Request,
    pid: RecordId,
    session: ReadSession,
    user: Principal = Depends(Need("actor.edit")),
) -> HTMLResponse:
    """The person's form, filled in."""
    found = await run_in_threadpool(_person_page, session, user, pid)
    p = found["p"]
    f = {k: p[k] or "" for k in ("name", "position", "email", "phone", "notes", "country_iso3")}
    f |= {
        "expertise": ", ".join(p["expertise"]),
        "languages": ", ".join(p["languages"]),
        "organisation_id": str(p["organisation_id"] or ""),
        "version": str(p["version"]),
    }
    return render(
        request,
        "networks/person_form.html",
        {"f": f, "orgs": found["orgs"], "mode": "edit", "pid": pid},
    )


@router.post("/networks/people/{pid}/edit", response_model=None)
async def update_person(
    request: Request,
    pid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("actor.edit")),
) -> Response:
    """Save a person's fields, checking the version they were read at."""
    from socialcover import actors

    form = await posted_form(request)
    version = int(form["version"]) if form.get("version", "").isdigit() else -1

    def _do() -> None:
        actors.update_person(session, user, pid, person_data(form), expected_version=version)

    async def refused(exc: SocialcoverError) -> Response:
        orgs = await run_in_threadpool(_organisations, session)
        return render(
            request,
            "networks/person_form.html",
            {
                "f": form,
                "orgs": orgs,
                "mode": "edit",
                "pid": pid,
                "problem": problem(exc, "person"),
            },
            status_code=422,
        )

    return await run_form(session, _do, f"/networks/people/{pid}", refused)


async def _person_step(
    request: Request,
    session: Session,
    user: Any,
    pid: int,
    step: Callable[[dict[str, str]], object],
) -> Response:
    form = await posted_form(request)

    async def refused(exc: SocialcoverError) -> Response:
        found = await run_in_threadpool(_person_page, session, user, pid)
        return render(
            request,
            "networks/person.html",
            found | {"f": form, "problem": problem(exc, "membership")},
            status_code=422,
        )

    return await run_form(
        session, lambda: step(form), f"/networks/people/{pid}#memberships", refused
    )


@router.post("/networks/people/{pid}/memberships", response_model=None)
async def add_membership(
    request: Request,
    pid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("actor.edit")),
) -> Response:
    """Record that the person belongs to an organisation or a network."""
    from socialcover import actors

    def step(f: dict[str, str]) -> object:
        return actors.add_membership(
            session,
            user,
            pid,
            {
                "organisation_id": form_int(f.get("organisation_id")),
                "role": f.get("role", "").strip() or "member",
                "starts_on": f.get("starts_on", "").strip() or None,
                "ends_on": f.get("ends_on", "").strip() or None,
            },
        )

    return await _person_step(request, session, user, pid, step)


@router.post("/networks/people/{pid}/memberships/{mid}/remove", response_model=None)
async def remove_membership(
    request: Request,
    pid: RecordId,
    mid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("actor.edit")),
) -> Response:
    """End the record of a membership (delete it)."""
    from socialcover import actors

    def step(f: dict[str, str]) -> object:
        person = actors.get_person(session, user, pid)
        if mid not in {m.id for m in person.memberships}:
            raise RecordNotFoundError(
                f"Person {pid} has no membership {mid}.",
                code="actors.unknown-membership",
                hint="The person's page lists the memberships.",
            )
        actors.remove_membership(session, user, mid)
        return None

    return await _person_step(request, session, user, pid, step)


@router.get("/networks/partnerships/new", response_class=HTMLResponse)
async def new_partnership_page(
    request: Request, session: ReadSession, user: Principal = Depends(Need("actor.edit"))
) -> HTMLResponse:
    """The form that records a partnership between two organisations."""
    orgs = await run_in_threadpool(_organisations, session)
    return render(
        request,
        "networks/partnership_form.html",
        {"f": {}, "orgs": orgs, "partnership_kinds": PARTNERSHIP_KINDS},
    )


@router.post("/networks/partnerships", response_model=None)
async def create_partnership(
    request: Request, session: WriteSession, user: Principal = Depends(Need("actor.edit"))
) -> Response:
    """Record a partnership (a research partnership with a university, a network...)."""
    from socialcover import actors

    form = await posted_form(request)

    def _do() -> int:
        p = actors.add_partnership(
            session,
            user,
            {
                "organisation_a_id": form_int(form.get("organisation_a_id")),
                "organisation_b_id": form_int(form.get("organisation_b_id")),
                "kind": form.get("kind", "").strip(),
                "description": form.get("description", ""),
                "start_year": form_int(form.get("start_year")),
                "end_year": form_int(form.get("end_year")),
            },
        )
        session.flush()
        return int(p.organisation_a_id)

    async def refused(exc: SocialcoverError) -> Response:
        orgs = await run_in_threadpool(_organisations, session)
        return render(
            request,
            "networks/partnership_form.html",
            {
                "f": form,
                "orgs": orgs,
                "partnership_kinds": PARTNERSHIP_KINDS,
                "problem": problem(exc, "partnership"),
            },
            status_code=422,
        )

    return await run_form(session, _do, lambda oid: f"/actors/{oid}", refused)
