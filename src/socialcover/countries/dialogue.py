"""Social dialogue: each constituent's position on each recommendation, what was agreed, and
the endorsement of the final set.

The positions are those of the national constituents (government, employers, workers, civil
society, development partners), as the ILO's assessment-based national dialogue has the
recommendations validated and endorsed by them. A position is one record per organisation and
recommendation; recording it again changes it, and the store's audit keeps every version, so
:func:`position_history` shows how it moved.

Who records a position: the engagement's team (for any counterpart), or the representative of
that organisation (for it alone). A representative of the workers cannot change the
employers' position (``engagement.not-your-organisation``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.countries.engagements import (
    get_engagement,
    is_team,
    representation,
    require_team,
)
from socialcover.countries.matrix import get_recommendation
from socialcover.countries.vocabulary import STANCES
from socialcover.store import (
    PermissionDeniedError,
    RecordNotFoundError,
    ValidationError,
    flush_audited,
    history,
    require,
    validate_input,
)
from socialcover.store.fields import IsoDate, RecordRef
from socialcover.store.models import (
    Endorsement,
    Engagement,
    EngagementRecommendation,
    Organisation,
    Position,
)

__all__ = [
    "EndorsementInput",
    "PositionInput",
    "agree_recommendation",
    "endorse",
    "endorsements_of",
    "position_history",
    "positions_of",
    "record_position",
]


class PositionInput(BaseModel):
    """A constituent's position on a recommendation."""

    model_config = ConfigDict(extra="forbid")
    organisation_id: RecordRef
    stance: str = Field(pattern="^(" + "|".join(STANCES) + ")$")
    text: str = Field(default="", max_length=20_000)
    event_id: RecordRef | None = None


class EndorsementInput(BaseModel):
    """A constituent's endorsement of the agreed recommendations."""

    model_config = ConfigDict(extra="forbid")
    organisation_id: RecordRef
    signed_by: str = Field(min_length=2, max_length=200)
    endorsed_on: IsoDate
    document: str = Field(min_length=3, max_length=500)


def _counterpart(engagement: Engagement, organisation_id: int) -> str:
    """The constituency of a national counterpart of the engagement."""
    for p in engagement.partners:
        if p.organisation_id == organisation_id and p.kind == "counterpart" and p.constituent:
            return p.constituent
    raise ValidationError(
        f"Organisation {organisation_id} is not a national counterpart of engagement "
        f"{engagement.id}.",
        code="engagement.not-counterpart",
        hint="The team adds it as a counterpart with its constituency first. Nothing was saved.",
        fields=["organisation_id"],
    )


def _who(actor: Any) -> str:
    return str(getattr(actor, "email", "") or "")


def record_position(
    session: Session,
    actor: Any,
    recommendation_id: int,
    data: PositionInput | Mapping[str, Any],
) -> Position:
    """Record (or change) a constituent's position on a recommendation.

    Raises
    ------
    PermissionDeniedError
        ``engagement.not-your-organisation``: a representative recording another
        organisation's position; ``engagement.not-team``: neither team nor representative.
    ValidationError
        A bad stance, or an organisation that is not a counterpart of the engagement.
    """
    require(getattr(actor, "role", None), "engagement.position")
    rec, engagement = get_recommendation(session, actor, recommendation_id)
    values = validate_input(PositionInput, data, "position")
    if not is_team(actor, engagement):
        rep = representation(actor, engagement)
        if rep is None:
            raise PermissionDeniedError(
                f"Only the team of engagement {engagement.id} or a constituent's representative "
                "may record positions.",
                code="engagement.not-team",
                hint="Ask the engagement's lead to add you as your organisation's representative.",
            )
        if rep.organisation_id != values.organisation_id:
            raise PermissionDeniedError(
                f"You represent organisation {rep.organisation_id}; you may not record the "
                f"position of organisation {values.organisation_id}.",
                code="engagement.not-your-organisation",
                hint="Record your own organisation's position; the other constituents record "
                "theirs.",
            )
    constituent = _counterpart(engagement, values.organisation_id)
    if values.event_id is not None:
        from socialcover.countries.consultations import check_event

        check_event(session, engagement, values.event_id)
    position = session.scalars(
        select(Position).where(
            Position.recommendation_id == rec.id,
            Position.organisation_id == values.organisation_id,
        )
    ).first()
    if position is None:
        position = Position(recommendation_id=rec.id, organisation_id=values.organisation_id)
        session.add(position)
    position.constituent = constituent
    position.stance = values.stance
    position.text = values.text
    position.event_id = values.event_id
    position.recorded_by_id = getattr(actor, "id", None)
    position.recorded_by = _who(actor)
    flush_audited(session, "engagement.position")
    return position


def positions_of(session: Session, actor: Any, engagement_id: int) -> list[dict[str, Any]]:
    """Every position recorded in the engagement, with the organisation's name."""
    engagement = get_engagement(session, actor, engagement_id)
    rows = session.execute(
        select(Position, Organisation.name)
        .join(EngagementRecommendation, EngagementRecommendation.id == Position.recommendation_id)
        .join(Organisation, Organisation.id == Position.organisation_id)
        .where(EngagementRecommendation.engagement_id == engagement.id)
        .order_by(Position.recommendation_id, Position.constituent, Position.id)
    )
    return [
        {
            "id": p.id,
            "recommendation_id": p.recommendation_id,
            "organisation_id": p.organisation_id,
            "organisation": name,
            "constituent": p.constituent,
            "stance": p.stance,
            "text": p.text,
            "event_id": p.event_id,
            "recorded_by": p.recorded_by,
            "version": p.version,
            "updated_at": p.updated_at,
        }
        for p, name in rows
    ]


def position_history(session: Session, actor: Any, position_id: int) -> list[dict[str, Any]]:
    """How a position moved: each recorded version, oldest first (stance, text, who, when)."""
    position = session.get(Position, position_id)
    if position is None:
        raise RecordNotFoundError(
            f"No position {position_id}.", hint="The engagement's matrix lists the positions."
        )
    get_recommendation(session, actor, position.recommendation_id)  # may the actor see it?
    out = []
    for entry in history(session, "engagement_positions", position_id):
        state = entry.after or {}
        if not state:
            continue
        out.append(
            {
                "version": state.get("version"),
                "stance": state.get("stance"),
                "text": state.get("text"),
                "event_id": state.get("event_id"),
                "recorded_by": state.get("recorded_by"),
                "at": entry.at,
            }
        )
    return out


def agree_recommendation(
    session: Session, actor: Any, recommendation_id: int, agreement: str, *, agreed: bool = True
) -> EngagementRecommendation:
    """Record what the dialogue agreed on a recommendation (its team); an agreed
    recommendation is in the final set the constituents endorse."""
    rec, engagement = get_recommendation(session, actor, recommendation_id)
    require_team(actor, engagement, "record what was agreed")
    if len(agreement) > 20_000:
        raise ValidationError(
            f"The agreement is {len(agreement)} characters long; at most 20000.",
            code="store.invalid",
            hint="Shorten it. Nothing was saved.",
            fields=["agreement"],
        )
    rec.agreed = agreed
    rec.agreement = agreement.strip()
    flush_audited(session, "engagement.agree")
    return rec


def endorse(
    session: Session,
    actor: Any,
    engagement_id: int,
    data: EndorsementInput | Mapping[str, Any],
) -> Endorsement:
    """Record a constituent's endorsement of the final set: the agreed recommendations now.

    Raises
    ------
    ValidationError
        ``engagement.nothing-agreed`` when no recommendation is agreed yet.
    """
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "record an endorsement")
    values = validate_input(EndorsementInput, data, "endorsement")
    constituent = _counterpart(engagement, values.organisation_id)
    agreed = list(
        session.scalars(
            select(EngagementRecommendation.id)
            .where(
                EngagementRecommendation.engagement_id == engagement.id,
                EngagementRecommendation.agreed.is_(True),
            )
            .order_by(EngagementRecommendation.id)
        )
    )
    if not agreed:
        raise ValidationError(
            f"Engagement {engagement.id} has no agreed recommendation to endorse.",
            code="engagement.nothing-agreed",
            hint="Record what the dialogue agreed on each recommendation first. Nothing was saved.",
        )
    row = session.scalars(
        select(Endorsement).where(
            Endorsement.engagement_id == engagement.id,
            Endorsement.organisation_id == values.organisation_id,
        )
    ).first()
    if row is None:
        row = Endorsement(engagement_id=engagement.id, organisation_id=values.organisation_id)
        session.add(row)
    row.constituent = constituent
    row.signed_by = values.signed_by
    row.endorsed_on = values.endorsed_on
    row.document = values.document
    row.recommendation_ids = agreed
    flush_audited(session, "engagement.endorse")
    return row


def endorsements_of(session: Session, actor: Any, engagement_id: int) -> list[dict[str, Any]]:
    """The endorsements of the engagement's final set, by constituent."""
    engagement = get_engagement(session, actor, engagement_id)
    rows = session.execute(
        select(Endorsement, Organisation.name)
        .join(Organisation, Organisation.id == Endorsement.organisation_id)
        .where(Endorsement.engagement_id == engagement.id)
        .order_by(Endorsement.endorsed_on, Endorsement.id)
    )
    return [
        {
            "organisation_id": e.organisation_id,
            "organisation": name,
            "constituent": e.constituent,
            "signed_by": e.signed_by,
            "endorsed_on": e.endorsed_on,
            "document": e.document,
            "recommendation_ids": list(e.recommendation_ids),
        }
        for e, name in rows
    ]
