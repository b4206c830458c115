"""REST API over country engagements: the engagement, its team and partners, stages, the
assessment matrix with its recommendations, positions and agreements, and the cost of a set
of recommendations. The engagement's dialogue (events, endorsements, CODI) is in
:mod:`.api_dialogue`, its national strategy in :mod:`.api_strategy`: the same router prefix and
tag, included right after this one so that the schema lists them in the same order.

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

from socialcover.countries import (
    CellInput,
    EngagementInput,
    MemberInput,
    MilestoneInput,
    PartnerInput,
    PositionInput,
    RecommendationInput,
)
from socialcover.store.fields import JsonBool
from socialcover.web.access import Need
from socialcover.web.accounts import Principal
from socialcover.web.database import ReadSession, WriteSession
from socialcover.web.errors import WebError
from socialcover.web.exports import jsonable, table_response
from socialcover.web.params import RecordId, Version
from socialcover.web.schemas.countries import (
    AgreedOut,
    CellItemsOut,
    EngagementOut,
    MatrixOut,
    PositionHistoryOut,
    PositionOut,
    RecommendationOut,
    SetCostOut,
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
