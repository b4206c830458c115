"""REST API of networks: people (at an organisation or at none), their memberships of
organisations and networks, partnerships of the actor registry, and the "who knows what"
search. Thin adapters over :mod:`socialcover.actors`; people (personal data) only for roles
with ``actor.edit``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from socialcover.actors import ContactInput, MembershipInput, PartnershipInput, PersonInput
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable
from socialcover.web.params import RecordId, Version
from socialcover.web.schemas.knowledge import (
    DeletedOut,
    ExpertsOut,
    OrganisationOut,
    PartnershipOut,
    PersonOut,
)

router = APIRouter(prefix="/api/v1", tags=["actors"])


@router.get("/networks/experts", response_model=ExpertsOut, summary="Who knows what")
async def experts(
    session: ReadSession,
    expertise: str = Query("", max_length=100),
    language: str = Query("", max_length=2),
    country: str = Query("", max_length=3),
    actor_type: str = Query("", max_length=60),
    user: Principal | None = Depends(Need("actor.read")),
) -> dict[str, Any]:
    """Organisations and people by expertise, language, country and kind of organisation
    (people: actor.edit; a person without an organisation is found too)."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        found = actors.who_knows_what(
            session, user, expertise=expertise, language=language, country=country,
            actor_type=actor_type,
        )  # fmt: skip
        return dict(jsonable(found))

    return await run_in_threadpool(_do)


@router.post(
    "/actors/{oid}/contacts",
    response_model=OrganisationOut,
    status_code=201,
    summary="Add a contact person",
)
async def add_contact(
    oid: RecordId,
    body: ContactInput,
    session: WriteSession,
    user: Principal = Depends(Need("actor.edit")),
) -> JSONResponse:
    """A person at an organisation, with expertise and languages."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        actors.add_contact(session, user, oid, body)
        return dict(jsonable(actors.organisation_as_dict(actors.get_organisation(session, oid),
                                                         user)))  # fmt: skip

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.post(
    "/partnerships", response_model=PartnershipOut, status_code=201, summary="Record a partnership"
)
async def add_partnership(
    body: PartnershipInput, session: WriteSession, user: Principal = Depends(Need("actor.edit"))
) -> JSONResponse:
    """A partnership between two organisations (a network, a research partnership...)."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        p = actors.add_partnership(session, user, body)
        return {"id": p.id, "organisation_a_id": p.organisation_a_id,
                "organisation_b_id": p.organisation_b_id, "kind": p.kind,
                "start_year": p.start_year, "end_year": p.end_year}  # fmt: skip

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


class PersonUpdate(PersonInput):
    """A person's new fields, with the version they were read at."""

    version: Version


def _person(session: Any, user: Any, pid: int) -> dict[str, Any]:
    from socialcover import actors

    return dict(jsonable(actors.person_as_dict(actors.get_person(session, user, pid))))


@router.post("/people", status_code=201, response_model=PersonOut, summary="Record a person")
async def add_person(
    body: PersonInput, session: WriteSession, user: Principal = Depends(Need("actor.edit"))
) -> JSONResponse:
    """A person at an organisation (``organisation_id``) or at none, with expertise,
    languages and the country where they work."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        person = actors.add_person(session, user, body)
        return _person(session, user, person.id)

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.get("/people/{pid}", response_model=PersonOut, summary="One person")
async def get_person(
    pid: RecordId, session: ReadSession, user: Principal = Depends(Need("actor.edit"))
) -> dict[str, Any]:
    """A person with contact details and memberships (personal data: actor.edit)."""
    return await run_in_threadpool(_person, session, user, pid)


@router.put("/people/{pid}", response_model=PersonOut, summary="Change a person")
async def update_person(
    pid: RecordId,
    body: PersonUpdate,
    session: WriteSession,
    user: Principal = Depends(Need("actor.edit")),
) -> dict[str, Any]:
    """Replace a person's fields, checking the version."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        data = PersonInput(**body.model_dump(exclude={"version"}))
        actors.update_person(session, user, pid, data, expected_version=body.version)
        return _person(session, user, pid)

    return await run_in_threadpool(_do)


@router.post(
    "/people/{pid}/memberships",
    status_code=201,
    response_model=PersonOut,
    summary="Add a membership",
)
async def add_membership(
    pid: RecordId,
    body: MembershipInput,
    session: WriteSession,
    user: Principal = Depends(Need("actor.edit")),
) -> JSONResponse:
    """The person belongs to an organisation or a network, with a role and dates."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        actors.add_membership(session, user, pid, body)
        return _person(session, user, pid)

    return JSONResponse(await run_in_threadpool(_do), status_code=201)


@router.delete("/memberships/{mid}", response_model=DeletedOut, summary="Remove a membership")
async def remove_membership(
    mid: RecordId, session: WriteSession, user: Principal = Depends(Need("actor.edit"))
) -> dict[str, Any]:
    """Delete a membership."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        actors.remove_membership(session, user, mid)
        return {"deleted": mid}

    return await run_in_threadpool(_do)
