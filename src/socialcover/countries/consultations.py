"""The engagement's events: consultations, validation workshops and training sessions.

An event is advocacy's record (:mod:`socialcover.advocacy`): its date, place, agenda,
materials and participants (name, sex, organisation, constituent, country). The engagement's
team organises its events: whoever records one owns it, and every other member of the team is
made a co-organiser, now and when they join the team later, so that participants' personal
data are seen by the team alone. Readers see the events the team has published and their
counts (by sex, constituent, organisation, country), never names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.advocacy import (
    EventInput,
    add_participant,
    create_event,
    event_as_dict,
    list_participants,
    participant_counts,
)
from socialcover.countries.engagements import (
    get_engagement,
    is_team,
    require_team,
    share_events_with_team,
)
from socialcover.store import RecordNotFoundError, ValidationError, flush_audited, validate_input
from socialcover.store.models import (
    Engagement,
    EngagementEvent,
    Event,
    EventParticipant,
)

__all__ = [
    "ENGAGEMENT_EVENT_KINDS",
    "add_engagement_participant",
    "engagement_events",
    "engagement_participants",
    "record_event",
]

ENGAGEMENT_EVENT_KINDS: tuple[str, ...] = (
    "consultation",
    "validation_workshop",
    "training_session",
)
"""The events an engagement holds."""


def record_event(
    session: Session, actor: Any, engagement_id: int, data: EventInput | Mapping[str, Any]
) -> Event:
    """Record a consultation, validation workshop or training session of the engagement (its
    team): a draft event in the engagement's country, organised by the team.

    Raises
    ------
    ValidationError
        Another kind of event (``engagement.event-kind``), or a bad event (``store.invalid``);
        nothing is saved.
    """
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "record its events")
    raw = dict(data) if isinstance(data, Mapping) else data.model_dump()
    raw.setdefault("country_iso3", engagement.country_iso3)
    values = validate_input(EventInput, raw, "event")
    if values.kind not in ENGAGEMENT_EVENT_KINDS:
        raise ValidationError(
            f"An engagement holds consultations, validation workshops and training sessions, "
            f"not a {values.kind}.",
            code="engagement.event-kind",
            hint="Give kind: " + ", ".join(ENGAGEMENT_EVENT_KINDS) + ". Nothing was saved.",
            fields=["kind"],
        )
    event = create_event(session, actor, values)
    session.add(EngagementEvent(engagement_id=engagement.id, event_id=event.id))
    flush_audited(session, "engagement.event")
    share_events_with_team(session, engagement)
    return event


def _linked(session: Session, engagement: Engagement) -> list[Event]:
    return list(
        session.scalars(
            select(Event)
            .join(EngagementEvent, EngagementEvent.event_id == Event.id)
            .where(EngagementEvent.engagement_id == engagement.id)
            .order_by(Event.starts_at)
        )
    )


def engagement_events(session: Session, actor: Any, engagement_id: int) -> list[dict[str, Any]]:
    """The engagement's events ``actor`` may see, each with its participant counts; for the
    team also the participants (names, sex, organisation, constituent, country)."""
    from socialcover.advocacy import EVENTS

    engagement = get_engagement(session, actor, engagement_id)
    team = is_team(actor, engagement)
    out = []
    for event in _linked(session, engagement):
        if not EVENTS.visible(actor, event):
            continue  # a draft of another member: advocacy shows drafts to their owner only
        row = event_as_dict(event)
        row["counts"] = participant_counts(session, actor, event.id).as_dict()
        if team:
            row["participants"] = list_participants(session, actor, event.id)
        out.append(row)
    return out


def add_engagement_participant(
    session: Session, actor: Any, engagement_id: int, event_id: int, data: Mapping[str, Any]
) -> EventParticipant:
    """Add a participant to one of the engagement's events (its team)."""
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "record participants")
    if event_id not in {e.id for e in _linked(session, engagement)}:
        raise RecordNotFoundError(
            f"Engagement {engagement_id} has no event {event_id}.",
            hint="The engagement's page lists its consultations and workshops.",
        )
    share_events_with_team(session, engagement)
    return add_participant(session, actor, event_id, data)


def engagement_participants(
    session: Session, actor: Any, engagement_id: int
) -> list[dict[str, Any]]:
    """Every participant of the engagement's events with their personal data (its team only),
    for export; one person's data are erased with :func:`socialcover.advocacy.erase_person`."""
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "see its participants")
    share_events_with_team(session, engagement)
    from socialcover.advocacy import EVENTS

    rows = []
    for event in _linked(session, engagement):
        if not EVENTS.visible(actor, event):
            continue
        for p in list_participants(session, actor, event.id):
            rows.append(p | {"event_title": event.title, "event_kind": event.kind})
    return rows


def check_event(session: Session, engagement: Engagement, event_id: int) -> None:
    """Refuse an event that is not one of the engagement's (``engagement.unknown-event``)."""
    linked = session.scalar(
        select(EngagementEvent.id).where(
            EngagementEvent.engagement_id == engagement.id, EngagementEvent.event_id == event_id
        )
    )
    if linked is None:
        raise ValidationError(
            f"Event {event_id} is not an event of engagement {engagement.id}.",
            code="engagement.unknown-event",
            hint="Record the consultation on the engagement first. Nothing was saved.",
            fields=["event_id"],
        )
