"""Actors: the organisations the campaign works with, their partnerships and linked records."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession
from socialcover.web.exports import jsonable
from socialcover.web.params import RecordId
from socialcover.web.render import render

router = APIRouter(include_in_schema=False)


def actor_types() -> list[str]:
    """The kinds of organisation."""
    from socialcover.store import ActorType

    return [t.value for t in ActorType]


def list_rows(s: Session, user: Any, actor_type: str, country: str, q: str) -> list[dict[str, Any]]:
    """Organisations, filtered, as dicts."""
    from socialcover import actors

    return [
        jsonable(actors.organisation_as_dict(o, user))
        for o in actors.list_organisations(
            s,
            actor_type=actor_type or None,
            country_iso3=country or None,
            name_contains=q or None,
            limit=10_000,
        )
    ]


def one_row(s: Session, user: Any, oid: int) -> dict[str, Any]:
    """One organisation with its partnerships and linked practices and publications."""
    from socialcover import actors, knowledge

    org = actors.get_organisation(s, oid)
    out: dict[str, Any] = jsonable(actors.organisation_as_dict(org, user))
    partners = []
    for p in actors.partnerships_of(s, oid):
        other_id = p.organisation_b_id if p.organisation_a_id == oid else p.organisation_a_id
        other = actors.get_organisation(s, other_id)
        partners.append(
            {
                "id": other.id,
                "name": other.name,
                "kind": p.kind,
                "description": p.description,
                "start_year": p.start_year,
            }
        )
    out["partnerships"] = partners
    out["members"] = members_of(s, user, oid)
    linked = knowledge.records_of_organisation(s, oid)
    out["practices"] = []
    for pid in linked["practice"]:
        try:
            pr = knowledge.get_practice(s, user, pid)
        except KeyError:
            continue  # a draft the caller may not see
        out["practices"].append({"id": pr.id, "title": pr.title})
    out["publications"] = []
    for pid in linked["publication"]:
        try:
            pub = knowledge.get_publication(s, user, pid)
        except KeyError:
            continue
        out["publications"].append({"id": pub.id, "title": pub.title})
    return out


def members_of(s: Session, user: Any, oid: int) -> list[dict[str, Any]]:
    """The people who belong to the organisation (memberships), for ``actor.edit`` only."""
    from sqlalchemy import select

    from socialcover.store import Membership, can

    if not can(getattr(user, "role", None), "actor.edit"):
        return []
    rows = s.scalars(
        select(Membership).where(Membership.organisation_id == oid).order_by(Membership.id)
    )
    return [
        {
            "person_id": m.contact_id,
            "name": m.contact.name,
            "role": m.role,
            "starts_on": m.starts_on,
            "ends_on": m.ends_on,
        }
        for m in rows
    ]


@router.get("/actors", response_class=HTMLResponse)
async def actors_page(
    request: Request,
    session: ReadSession,
    actor_type: str = Query("", max_length=60),
    country: str = Query("", max_length=3),
    q: str = Query("", max_length=100),
    user: Principal | None = Depends(Need("actor.read")),
) -> HTMLResponse:
    """The actor registry."""
    rows = await run_in_threadpool(list_rows, session, user, actor_type, country, q)
    return render(
        request,
        "actors.html",
        {"rows": rows, "types": actor_types(), "actor_type": actor_type, "q": q},
    )


@router.get("/actors/{oid}", response_class=HTMLResponse)
async def actor_page(
    request: Request,
    oid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("actor.read")),
) -> HTMLResponse:
    """One organisation."""
    org = await run_in_threadpool(one_row, session, user, oid)
    return render(request, "actor.html", {"o": org})
