"""REST API over the dialogue of a country engagement: its events (consultations, validation
workshops, training sessions) and their participants, the constituents' endorsements of the
agreed recommendations, and the rounds of the CODI diagnostic.

Thin adapters over :mod:`socialcover.countries`, as :mod:`.api_countries`: the domain decides
who may see and change what (participants' personal data only for the team). Errors come in the
app's one error shape.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from socialcover.advocacy import EventInput, ParticipantInput
from socialcover.countries import (
    CodiInput,
    EndorsementInput,
)
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.exports import jsonable, table_response
from socialcover.web.params import MAX_ID, RecordId
from socialcover.web.routes.api_countries import Format
from socialcover.web.schemas import Created
from socialcover.web.schemas.advocacy import EventOut
from socialcover.web.schemas.countries import (
    CodiComparisonOut,
    CodiRoundsOut,
    EndorsementsOut,
    EngagementEventsOut,
    TeamParticipantOut,
)

router = APIRouter(prefix="/api/v1/engagements", tags=["engagements"])


@router.get(
    "/{eid}/events",
    response_model=EngagementEventsOut,
    summary="Consultations, workshops and training sessions",
)
async def list_events(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """The engagement's events with participant counts (the team also sees the participants)."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.engagement_events, session, user, eid)
    return {"items": jsonable(rows)}


@router.post(
    "/{eid}/events",
    response_model=EventOut,
    status_code=201,
    summary="Record a consultation or workshop",
)
async def record_event(
    eid: RecordId,
    body: EventInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """A consultation, validation workshop or training session, organised by the team."""
    from socialcover import advocacy, countries

    def _do() -> dict[str, Any]:
        event = countries.record_event(session, user, eid, body)
        session.flush()
        return dict(jsonable(advocacy.event_as_dict(event)))

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/events/{event_id}/participants",
    response_model=TeamParticipantOut,
    status_code=201,
    summary="Add a participant",
)
async def add_participant(
    eid: RecordId,
    event_id: RecordId,
    body: ParticipantInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.participants")),
) -> dict[str, Any]:
    """A participant of one of the engagement's events (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        p = countries.add_engagement_participant(session, user, eid, event_id, body.model_dump())
        session.flush()
        return {"id": p.id, "event_id": p.event_id}

    return await run_in_threadpool(_do)


@router.get("/{eid}/participants", summary="Participants with their personal data")
async def list_participants(
    eid: RecordId,
    session: ReadSession,
    format: Format = Query("json"),
    user: Principal = Depends(Need("engagement.participants")),
) -> Response:
    """Every participant of the engagement's events, for export (its team only). One person's
    data are erased with ``socialcover admin``/advocacy's erase (the person or an administrator)."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.engagement_participants, session, user, eid)
    return table_response(jsonable(rows), format, "participants")


@router.get(
    "/{eid}/endorsements", response_model=EndorsementsOut, summary="Endorsements of the final set"
)
async def list_endorsements(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Who endorsed the agreed recommendations, when, with which document."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.endorsements_of, session, user, eid)
    return {"items": jsonable(rows)}


@router.post(
    "/{eid}/endorsements",
    response_model=EndorsementsOut,
    status_code=201,
    summary="Record an endorsement",
)
async def endorse(
    eid: RecordId,
    body: EndorsementInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """A constituent's endorsement of the agreed recommendations (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.endorse(session, user, eid, body)
        return {"items": jsonable(countries.endorsements_of(session, user, eid))}

    return await run_in_threadpool(_do)


@router.get("/{eid}/codi", response_model=CodiRoundsOut, summary="Rounds of the CODI diagnostic")
async def codi(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Every round, oldest first, with its scores, evidence and sources."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.codi_assessments, session, user, eid)
    return {"items": jsonable(rows)}


@router.post("/{eid}/codi", response_model=Created, status_code=201, summary="Record a CODI round")
async def record_codi(
    eid: RecordId,
    body: CodiInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """One round, whole (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        row = countries.record_codi(session, user, eid, body)
        session.flush()
        return {"id": row.id}

    return await run_in_threadpool(_do)


@router.get(
    "/{eid}/codi/compare",
    response_model=CodiComparisonOut,
    summary="What moved between two CODI rounds",
)
async def compare_codi(
    eid: RecordId,
    session: ReadSession,
    before: int = Query(ge=1, le=MAX_ID, description="The earlier round's id."),
    after: int = Query(ge=1, le=MAX_ID, description="The later round's id."),
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Each key area and criterion with both scores and the change."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.compare_codi, session, user, eid, before, after)
    return {"items": jsonable(rows)}
