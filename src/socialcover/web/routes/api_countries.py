"""REST API over country engagements: the engagement, its team and partners, stages, the
assessment matrix, positions and endorsements, the CODI diagnostic, the national strategy
(its measures, financing, logframe and progress report).

Thin adapters over :mod:`socialcover.countries`: the domain decides who may see and change
what (the engagement's team edits; a constituent's representative records only their own
organisation's positions; readers see published engagements, never personal data). Errors
come in the app's one error shape.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from socialcover.advocacy import EventInput, ParticipantInput
from socialcover.countries import (
    CellInput,
    CodiInput,
    EndorsementInput,
    EngagementInput,
    LogframeInput,
    MeasureInput,
    MemberInput,
    MilestoneInput,
    ObjectiveInput,
    PartnerInput,
    PositionInput,
    RecommendationInput,
    StrategyInput,
)
from socialcover.store.fields import JsonBool
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.errors import WebError
from socialcover.web.exports import jsonable, table_response
from socialcover.web.params import MAX_ID, RecordId, Version
from socialcover.web.schemas import Created
from socialcover.web.schemas.advocacy import EventOut
from socialcover.web.schemas.countries import (
    AgreedOut,
    CellItemsOut,
    CodiComparisonOut,
    CodiRoundsOut,
    EndorsementsOut,
    EngagementEventsOut,
    EngagementOut,
    FinancingOut,
    MatrixOut,
    PositionHistoryOut,
    PositionOut,
    ProgressOut,
    RecommendationOut,
    SetCostOut,
    StrategyOut,
    TeamParticipantOut,
)

router = APIRouter(prefix="/api/v1/engagements", tags=["engagements"])

Format = Literal["json", "csv", "xlsx"]
StageName = Literal["assessment", "costing", "dialogue", "strategy", "implementation", "monitoring"]


class EngagementChanges(BaseModel):
    """Fields to change, and the version the editor loaded (lost-update guard)."""

    changes: dict[str, Any] = Field(description="Field name -> new value.")
    expected_version: Version | None = None


class StageChanges(BaseModel):
    """A stage's status, dates, documents or note."""

    changes: dict[str, Any]


class RecommendationChanges(BaseModel):
    """A recommendation's text, cell or costing scenario."""

    changes: dict[str, Any]


class Agreement(BaseModel):
    """What the dialogue agreed on a recommendation (``agreed`` false takes it out of the set)."""

    agreement: str = Field(max_length=20_000)
    agreed: JsonBool = True


def _one(s: Session, user: Any, eid: int) -> dict[str, Any]:
    from socialcover import countries

    e = countries.get_engagement(s, user, eid)
    return dict(jsonable(countries.engagement_as_dict(s, user, e)))


def _rec_in(s: Session, user: Any, eid: int, rid: int) -> None:
    from socialcover import countries

    rec, _ = countries.get_recommendation(s, user, rid)
    if rec.engagement_id != eid:
        raise WebError(
            404,
            f"Engagement {eid} has no recommendation {rid}.",
            code="http.not-found",
            hint="GET /api/v1/engagements/{id}/matrix lists its recommendations.",
        )


@router.get("", summary="List engagements")
async def list_engagements(
    session: ReadSession,
    region: str = Query("", max_length=100, description="ILO region, e.g. Africa."),
    stage: str = Query("", max_length=30, description="Current stage, e.g. dialogue."),
    format: Format = Query("json"),
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> Response:
    """Every engagement the caller may see, with where each stands."""
    from socialcover import countries

    rows = await run_in_threadpool(
        countries.list_engagements, session, user, region=region or None, stage=stage or None
    )
    return table_response(jsonable(rows), format, "engagements")


@router.post("", response_model=EngagementOut, status_code=201, summary="Open an engagement")
async def create_engagement(
    body: EngagementInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> JSONResponse:
    """Open a draft engagement; the caller becomes its lead."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        e = countries.create_engagement(session, user, body)
        session.flush()
        return _one(session, user, e.id)

    out = await run_in_threadpool(_do)
    return JSONResponse(
        out, status_code=201, headers={"Location": f"/api/v1/engagements/{out['id']}"}
    )


@router.get("/{eid}", response_model=EngagementOut, summary="One engagement")
async def get_engagement(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """The engagement with its partners and stages (members: its team and representatives)."""
    return await run_in_threadpool(_one, session, user, eid)


@router.patch("/{eid}", response_model=EngagementOut, summary="Edit an engagement")
async def update_engagement(
    eid: RecordId,
    body: EngagementChanges,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Change fields (its team); the whole result is validated first."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.update_engagement(
            session, user, eid, body.changes, expected_version=body.expected_version
        )
        session.flush()
        return _one(session, user, eid)

    return await run_in_threadpool(_do)


@router.post("/{eid}/publish", response_model=EngagementOut, summary="Make an engagement public")
async def publish_engagement(
    eid: RecordId, session: WriteSession, user: Principal = Depends(Need("engagement.draft"))
) -> dict[str, Any]:
    """Its team makes it public."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.publish_engagement(session, user, eid)
        return _one(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/withdraw",
    response_model=EngagementOut,
    summary="Take an engagement off the public site",
)
async def withdraw_engagement(
    eid: RecordId, session: WriteSession, user: Principal = Depends(Need("engagement.draft"))
) -> dict[str, Any]:
    """Its team takes it back to draft."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.withdraw_engagement(session, user, eid)
        return _one(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/members", response_model=EngagementOut, summary="Give a person a role in the engagement"
)
async def add_member(
    eid: RecordId,
    body: MemberInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Team member, lead, or a constituent's representative (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.add_member(session, user, eid, body)
        return _one(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/partners",
    response_model=EngagementOut,
    summary="Add a counterpart or partner organisation",
)
async def add_partner(
    eid: RecordId,
    body: PartnerInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """A national counterpart (with its constituency) or a partner (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.add_partner(session, user, eid, body)
        return _one(session, user, eid)

    return await run_in_threadpool(_do)


@router.patch("/{eid}/stages/{stage}", response_model=EngagementOut, summary="Update a stage")
async def update_stage(
    eid: RecordId,
    stage: StageName,
    body: StageChanges,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Status, dates, documents, note of a stage (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.update_stage(session, user, eid, stage, body.changes)
        return _one(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/stages/{stage}/milestones", response_model=EngagementOut, summary="Add a milestone"
)
async def add_milestone(
    eid: RecordId,
    stage: StageName,
    body: MilestoneInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """A dated milestone of a stage (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.add_milestone(session, user, eid, stage, body)
        return _one(session, user, eid)

    return await run_in_threadpool(_do)


@router.get("/{eid}/matrix", response_model=MatrixOut, summary="The assessment matrix")
async def get_matrix(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Rows of guarantee x group with the cited observation, recommendations and positions."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.assessment_matrix, session, user, eid)
    return {"items": jsonable(rows)}


@router.put("/{eid}/matrix", response_model=CellItemsOut, summary="Write a cell of the matrix")
async def set_cell(
    eid: RecordId,
    body: CellInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Create or replace the cell of a guarantee and group (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        cell = countries.set_cell(session, user, eid, body)
        session.flush()
        return {"id": cell.id, "items": jsonable(countries.assessment_matrix(session, user, eid))}

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/recommendations",
    response_model=RecommendationOut,
    status_code=201,
    summary="Add a recommendation",
)
async def add_recommendation(
    eid: RecordId,
    body: RecommendationInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """A recommendation, in a cell or not, costed by a saved scenario or not (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        rec = countries.add_recommendation(session, user, eid, body)
        session.flush()
        return {"id": rec.id, "text": rec.text, "cell_id": rec.cell_id}

    return await run_in_threadpool(_do)


@router.patch(
    "/{eid}/recommendations/{rid}",
    response_model=RecommendationOut,
    summary="Edit a recommendation",
)
async def update_recommendation(
    eid: RecordId,
    rid: RecordId,
    body: RecommendationChanges,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Its text, cell or costing scenario (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        _rec_in(session, user, eid, rid)
        rec = countries.update_recommendation(session, user, rid, body.changes)
        return {"id": rec.id, "text": rec.text, "cell_id": rec.cell_id}

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/recommendations/{rid}/positions",
    response_model=PositionOut,
    summary="Record a position",
)
async def record_position(
    eid: RecordId,
    rid: RecordId,
    body: PositionInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.position")),
) -> dict[str, Any]:
    """A constituent's position (the team: any counterpart; a representative: their own)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        _rec_in(session, user, eid, rid)
        p = countries.record_position(session, user, rid, body)
        session.flush()
        return {"id": p.id, "stance": p.stance, "constituent": p.constituent, "version": p.version}

    return await run_in_threadpool(_do)


@router.get(
    "/{eid}/positions/{pid}/history",
    response_model=PositionHistoryOut,
    summary="How a position moved",
)
async def position_history(
    eid: RecordId,
    pid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Every recorded version of one position, oldest first."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.position_history, session, user, pid)
    return {"items": jsonable(rows)}


@router.post(
    "/{eid}/recommendations/{rid}/agree", response_model=AgreedOut, summary="Record what was agreed"
)
async def agree(
    eid: RecordId,
    rid: RecordId,
    body: Agreement,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """The dialogue's agreement on a recommendation (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        _rec_in(session, user, eid, rid)
        rec = countries.agree_recommendation(session, user, rid, body.agreement, agreed=body.agreed)
        return {"id": rec.id, "agreed": rec.agreed, "agreement": rec.agreement}

    return await run_in_threadpool(_do)


@router.get("/{eid}/costs", response_model=SetCostOut, summary="Cost of a set of recommendations")
async def set_cost(
    eid: RecordId,
    session: ReadSession,
    recommendation: list[int] | None = Query(
        None, description="Recommendation ids (repeat the parameter); none: the agreed set."
    ),
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """The costs of the chosen recommendations' scenarios summed year by year, with the
    financing gap (% of GDP and of government expenditure)."""
    from socialcover import countries

    out = await run_in_threadpool(countries.set_cost, session, user, eid, recommendation)
    return dict(jsonable(out))


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


StrategyItem = Literal["objective", "measure", "logframe"]


def _strategy(s: Session, user: Any, eid: int) -> dict[str, Any]:
    from socialcover import countries

    return dict(jsonable(countries.strategy_as_dict(s, user, eid)))


@router.get("/{eid}/strategy", response_model=StrategyOut, summary="The national strategy")
async def get_strategy(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Objectives, measures (with the recommendations and scenarios they carry out), timeline,
    logframe; a draft strategy only for the team and the representatives."""
    return await run_in_threadpool(_strategy, session, user, eid)


@router.put(
    "/{eid}/strategy",
    response_model=StrategyOut,
    summary="Write the strategy's title, vision and years",
)
async def set_strategy(
    eid: RecordId,
    body: StrategyInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Created as a draft, or changed (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.set_strategy(session, user, eid, body)
        return _strategy(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/publish", response_model=StrategyOut, summary="Make the strategy public"
)
async def publish_strategy(
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Readers see it while the engagement is public (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.publish_strategy(session, user, eid)
        return _strategy(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/withdraw",
    response_model=StrategyOut,
    summary="Take the strategy back to a draft",
)
async def withdraw_strategy(
    eid: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """Only the team and the representatives see it again (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        countries.withdraw_strategy(session, user, eid)
        return _strategy(session, user, eid)

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/objectives",
    response_model=Created,
    status_code=201,
    summary="Add an objective",
)
async def add_objective(
    eid: RecordId,
    body: ObjectiveInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """An objective of the strategy (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        return {"id": countries.add_objective(session, user, eid, body).id}

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/measures", response_model=Created, status_code=201, summary="Add a measure"
)
async def add_measure(
    eid: RecordId,
    body: MeasureInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """A measure citing recommendations of the matrix, with its years and who is responsible."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        return {"id": countries.add_measure(session, user, eid, body).id}

    return await run_in_threadpool(_do)


@router.post(
    "/{eid}/strategy/logframe",
    response_model=Created,
    status_code=201,
    summary="Add a logframe indicator",
)
async def add_logframe_indicator(
    eid: RecordId,
    body: LogframeInput,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> dict[str, Any]:
    """An indicator of the monitor registry with its baseline observation, target and means of
    verification (its team)."""
    from socialcover import countries

    def _do() -> dict[str, Any]:
        return {"id": countries.add_logframe_indicator(session, user, eid, body).id}

    return await run_in_threadpool(_do)


@router.delete("/{eid}/strategy/{kind}/{item_id}", status_code=204, summary="Remove an item")
async def remove_strategy_item(
    eid: RecordId,
    kind: StrategyItem,
    item_id: RecordId,
    session: WriteSession,
    user: Principal = Depends(Need("engagement.draft")),
) -> Response:
    """Remove an objective, a measure or a logframe row (its team)."""
    from socialcover import countries

    await run_in_threadpool(countries.remove_strategy_item, session, user, eid, kind, item_id)
    return Response(status_code=204)


@router.get(
    "/{eid}/strategy/financing",
    response_model=FinancingOut,
    summary="The strategy's costs against fiscal space",
)
async def strategy_financing(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Per year: the measures' scenario costs and government revenue and expenditure."""
    from socialcover import countries

    out = await run_in_threadpool(countries.strategy_financing, session, user, eid)
    return dict(jsonable(out))


@router.get(
    "/{eid}/strategy/progress",
    response_model=ProgressOut,
    summary="Progress report on the logframe",
)
async def strategy_progress(
    eid: RecordId,
    session: ReadSession,
    user: Principal | None = Depends(Need("engagement.read_published")),
) -> dict[str, Any]:
    """Each logframe indicator with the latest approved observations and on/off track."""
    from socialcover import countries

    rows = await run_in_threadpool(countries.progress_report, session, user, eid)
    return {"items": jsonable(rows)}
