"""REST API of networks: contact people and partnerships of the actor registry, and the
"who knows what" search. Thin adapters over :mod:`socialcover.actors`; people (personal data)
only for roles with ``actor.edit``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from socialcover.actors import ContactInput, PartnershipInput
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable
from socialcover.web.params import RecordId
from socialcover.web.schemas.knowledge import ExpertsOut, OrganisationOut, PartnershipOut

router = APIRouter(prefix="/api/v1", tags=["actors"])


@router.get("/networks/experts", response_model=ExpertsOut, summary="Who knows what")
async def experts(
    session: ReadSession,
    expertise: str = Query("", max_length=100),
    language: str = Query("", max_length=2),
    country: str = Query("", max_length=3),
    user: Principal | None = Depends(Need("actor.read")),
) -> dict[str, Any]:
    """Organisations and people by expertise, language and country (people: actor.edit)."""
    from socialcover import actors

    def _do() -> dict[str, Any]:
        found = actors.who_knows_what(
            session, user, expertise=expertise, language=language, country=country
        )
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
