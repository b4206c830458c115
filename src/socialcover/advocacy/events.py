"""Events: seminars, meetings, webinars, training sessions, country consultations and validation
workshops, with their agenda, participants, materials and outcomes.

An event is a reviewed record, declared once as :data:`EVENTS` on the store's workflow
(docs/records.md): a contributor drafts it and submits it, a reviewer publishes it (then it is
in the public calendar), returns it with a comment or withdraws it. As for every reviewed
record, the owner edits it (agenda, materials, outcomes) while it is a draft or returned; once
published, a reviewer edits it, or returns it to the owner by withdrawing it.

Its participants, organisers and their counts are :mod:`socialcover.advocacy.participants`.

Examples
--------
>>> import datetime as dt
>>> e = EventInput(kind="webinar", title="Coverage of informal workers",
...                starts_at=dt.datetime(2026, 3, 10, 14, 0), ends_at="2026-03-10T15:30",
...                timezone="Africa/Nairobi")
>>> e.starts_at.isoformat()
'2026-03-10T14:00:00+03:00'
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Literal, get_args

import pydantic
from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from socialcover.knowledge import store_pdf
from socialcover.store import (
    LANGUAGES,
    REVIEW_STEPS,
    Organisation,
    RecordNotFoundError,
    ValidationError,
    Workflow,
    flush_audited,
    validate_input,
)
from socialcover.store.fields import IsoDateTime, JsonBool, RecordRef
from socialcover.store.models import (
    Event,
    EventMaterial,
    EventSession,
)

__all__ = [
    "EVENTS",
    "EVENT_KINDS",
    "MATERIAL_KINDS",
    "EventInput",
    "MaterialInput",
    "SessionInput",
    "SpeakerInput",
    "add_material",
    "add_session",
    "create_event",
    "delete_event",
    "event_as_dict",
    "get_event",
    "list_events",
    "material_file",
    "publish_event",
    "remove_material",
    "remove_session",
    "return_event",
    "submit_event",
    "update_event",
    "withdraw_event",
]

EventKind = Literal[
    "seminar",
    "meeting",
    "webinar",
    "training_session",
    "consultation",
    "validation_workshop",
    "conference",
    "other",
]
MaterialKind = Literal["slides", "paper", "other"]

EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
"""What an event is: seminar, meeting, webinar, training session, (country) consultation,
validation workshop, conference, other."""
MATERIAL_KINDS: tuple[str, ...] = get_args(MaterialKind)
"""What a material is: slides, a paper, or another document."""

_ISO3 = r"^([A-Z]{3})?$"  # empty: no country (the before-validator makes it None)


def _upper(value: Any) -> Any:
    return value.strip().upper() or None if isinstance(value, str) else value


def _blank_none(value: Any) -> Any:
    return (value.strip() or None) if isinstance(value, str) else value


def _check_url(v: str | None) -> str | None:
    if v is not None and not v.startswith(("https://", "http://")):
        raise ValueError("a link starts with https:// or http://")
    return v


def _check_country(v: str | None) -> str | None:
    from socialcover.data import check_iso3  # the pack's countries; any code without a pack

    return v if v is None else check_iso3(v)


class EventInput(BaseModel):
    """An event as its organiser writes it (validated whole before anything is saved).

    ``starts_at`` and ``ends_at`` without a zone are read in ``timezone`` (an IANA name); they
    are stored in UTC.
    """

    model_config = pydantic.ConfigDict(extra="forbid")

    kind: EventKind
    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(default="", max_length=20000)
    timezone: str = Field(default="UTC", max_length=60)
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    place: str = Field(default="", max_length=300)
    online_url: str | None = Field(default=None, max_length=500)
    country_iso3: str | None = Field(default=None, pattern=_ISO3)
    language: str = "en"
    capacity: int | None = Field(default=None, ge=1, le=100000)
    registration_open: JsonBool = False
    outcomes: str = Field(default="", max_length=50000)

    _country_upper = field_validator("country_iso3", mode="before")(_upper)
    _url_blank = field_validator("online_url", mode="before")(_blank_none)
    _url = field_validator("online_url")(_check_url)
    _country = field_validator("country_iso3")(_check_country)

    @field_validator("title", "place")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            zoneinfo.ZoneInfo(v.strip())
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{v!r} is not a time zone; give an IANA name such as Europe/Zurich or UTC"
            ) from None
        return v.strip()

    @field_validator("language")
    @classmethod
    def _language(cls, v: str) -> str:
        if v not in LANGUAGES:
            raise ValueError(f"give one of {', '.join(LANGUAGES)}")
        return v

    @model_validator(mode="after")
    def _times(self) -> EventInput:
        zone = zoneinfo.ZoneInfo(self.timezone)
        if self.starts_at.tzinfo is None:
            self.starts_at = self.starts_at.replace(tzinfo=zone)
        if self.ends_at.tzinfo is None:
            self.ends_at = self.ends_at.replace(tzinfo=zone)
        if self.ends_at < self.starts_at:
            raise ValueError(
                f"ends_at {self.ends_at.isoformat()} is before starts_at "
                f"{self.starts_at.isoformat()}; give the times in order"
            )
        return self


class SpeakerInput(BaseModel):
    """A speaker of an agenda item: a name, an affiliation, optionally a registry organisation."""

    model_config = pydantic.ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    affiliation: str = Field(default="", max_length=300)
    organisation_id: RecordRef | None = None


class SessionInput(BaseModel):
    """One item of the agenda (times without a zone are read in the event's zone)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    position: int = Field(default=0, ge=0, le=10000)
    starts_at: IsoDateTime | None = None
    ends_at: IsoDateTime | None = None
    description: str = Field(default="", max_length=20000)
    speakers: list[SpeakerInput] = Field(default_factory=list, max_length=50)


class MaterialInput(BaseModel):
    """Slides, a paper or another document: a link, or a PDF given to :func:`add_material`."""

    model_config = pydantic.ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    kind: MaterialKind = "other"
    language: str = "en"
    url: str | None = Field(default=None, max_length=500)
    session_id: RecordRef | None = None

    _url_blank = field_validator("url", mode="before")(_blank_none)
    _url = field_validator("url")(_check_url)

    @field_validator("language")
    @classmethod
    def _language(cls, v: str) -> str:
        if v not in LANGUAGES:
            raise ValueError(f"give one of {', '.join(LANGUAGES)}")
        return v


def _prepare(session: Session, values: dict[str, Any], record: Event | None) -> None:
    return None


EVENTS: Workflow[Event] = Workflow(
    Event,
    "event",
    EventInput,
    read="event.read_published",
    draft="event.draft",
    edit_any="event.edit_any",
    review="event.publish",
    delete="event.delete",
    read_drafts="event.read_drafts",
    steps=REVIEW_STEPS,
    prepare=_prepare,
)
"""The event's workflow: contributors draft and submit, reviewers publish (the public calendar),
return with a comment, or withdraw."""


def _invalid(message: str, code: str, hint: str, field: str) -> ValidationError:
    return ValidationError(message, code=code, hint=hint + " Nothing was saved.", fields=[field])


# --- the event itself -------------------------------------------------------------------------


def create_event(session: Session, actor: Any, data: EventInput | Mapping[str, Any]) -> Event:
    """Draft a new event (needs ``event.draft``); it is private until a reviewer publishes it.

    Raises
    ------
    socialcover.store.ValidationError
        A bad field (``store.invalid``, naming each); nothing is written.
    socialcover.store.PermissionDeniedError
        The role may not draft events.
    """
    return EVENTS.create(session, actor, data)


def update_event(
    session: Session,
    actor: Any,
    event_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Event:
    """Change some fields of an event (its owner, or an ``event.edit_any`` role); audited."""
    return EVENTS.update(session, actor, event_id, changes, expected_version=expected_version)


def submit_event(session: Session, actor: Any, event_id: int) -> Event:
    """Send a draft to review (its owner)."""
    return EVENTS.move(session, actor, event_id, "submit")


def publish_event(session: Session, actor: Any, event_id: int, comment: str = "") -> Event:
    """Publish an event: it enters the public calendar and the feeds (a reviewer)."""
    return EVENTS.move(session, actor, event_id, "publish", comment)


def return_event(session: Session, actor: Any, event_id: int, comment: str) -> Event:
    """Return a submitted event to its owner with a comment saying what to change."""
    return EVENTS.move(session, actor, event_id, "return", comment)


def withdraw_event(session: Session, actor: Any, event_id: int, comment: str = "") -> Event:
    """Take a published event off the public calendar (a reviewer)."""
    return EVENTS.move(session, actor, event_id, "withdraw", comment)


def delete_event(session: Session, actor: Any, event_id: int) -> None:
    """Delete an event with its agenda, participants and materials (``event.delete``)."""
    EVENTS.remove(session, actor, event_id)


def get_event(session: Session, actor: Any, event_id: int) -> Event:
    """The event, if ``actor`` may see it (``store.not-found`` for a draft of someone else)."""
    return EVENTS.get(session, actor, event_id)


def list_events(
    session: Session,
    actor: Any,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    kind: str | None = None,
    country_iso3: str | None = None,
    limit: int = 500,
) -> list[Event]:
    """The events ``actor`` may see, by start time; ``since`` keeps those ending after it.

    Raises
    ------
    socialcover.store.ValidationError
        An unknown ``kind`` (``event.unknown-kind``).
    """
    stmt: Select[tuple[Event]] = select(Event)
    clause = EVENTS.visible_clause(actor)
    if clause is not None:
        stmt = stmt.where(clause)
    if kind:
        if kind not in EVENT_KINDS:
            raise _invalid(
                f"Unknown event kind {kind!r}.",
                "event.unknown-kind",
                f"Use one of {', '.join(EVENT_KINDS)}.",
                "kind",
            )
        stmt = stmt.where(Event.kind == kind)
    if country_iso3:
        stmt = stmt.where(Event.country_iso3 == country_iso3.upper())
    if since is not None:
        stmt = stmt.where(Event.ends_at >= since)
    if until is not None:
        stmt = stmt.where(Event.starts_at < until)
    stmt = stmt.order_by(Event.starts_at, Event.id).limit(limit)
    return list(session.scalars(stmt))


def _iso(t: dt.datetime | None) -> str | None:
    return None if t is None else t.astimezone(dt.UTC).isoformat()


def event_as_dict(event: Event) -> dict[str, Any]:
    """The public fields of an event, its agenda and materials (never its participants)."""
    return {
        "id": event.id,
        "kind": event.kind,
        "title": event.title,
        "summary": event.summary,
        "starts_at": _iso(event.starts_at),
        "ends_at": _iso(event.ends_at),
        "timezone": event.timezone,
        "place": event.place,
        "online_url": event.online_url,
        "country_iso3": event.country_iso3,
        "language": event.language,
        "capacity": event.capacity,
        "registration_open": event.registration_open,
        "outcomes": event.outcomes,
        "status": event.status,
        "version": event.version,
        "published_at": _iso(event.published_at),
        "sessions": [
            {
                "id": s.id,
                "position": s.position,
                "title": s.title,
                "starts_at": _iso(s.starts_at),
                "ends_at": _iso(s.ends_at),
                "description": s.description,
                "speakers": list(s.speakers),
            }
            for s in event.sessions
        ],
        "materials": [
            {
                "id": m.id,
                "title": m.title,
                "kind": m.kind,
                "language": m.language,
                "url": m.url,
                "has_file": m.file_sha256 is not None,
                "file_name": m.file_name,
                "session_id": m.session_id,
            }
            for m in event.materials
        ],
    }


# --- agenda and materials ---------------------------------------------------------------------


def _check_organisation(session: Session, organisation_id: int | None, field: str) -> None:
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise _invalid(
            f"No organisation {organisation_id} in the actor registry.",
            "event.unknown-organisation",
            "Give the id of a registered organisation, or write its name as free text.",
            field,
        )


def add_session(
    session: Session, actor: Any, event_id: int, data: SessionInput | Mapping[str, Any]
) -> EventSession:
    """Add an item to the agenda (whoever may edit the event); audited as ``event.agenda``.

    Times without a zone are read in the event's zone; they must fall within the event.
    """
    event = EVENTS.editable(session, actor, event_id)
    item = validate_input(SessionInput, data, "agenda item")
    zone = zoneinfo.ZoneInfo(event.timezone)
    times = [
        t if t is None or t.tzinfo else t.replace(tzinfo=zone)
        for t in (item.starts_at, item.ends_at)
    ]
    for name, t in zip(("starts_at", "ends_at"), times, strict=True):
        if t is not None and not (event.starts_at <= t <= event.ends_at):
            raise _invalid(
                f"The agenda item's {name} {t.isoformat()} is outside the event "
                f"({event.starts_at.isoformat()} to {event.ends_at.isoformat()}).",
                "event.session-outside",
                "Give a time within the event, or change the event's times first.",
                name,
            )
    if times[0] is not None and times[1] is not None and times[1] < times[0]:
        raise _invalid(
            f"The agenda item ends ({times[1].isoformat()}) before it starts.",
            "event.session-outside",
            "Give the times in order.",
            "ends_at",
        )
    for speaker in item.speakers:
        _check_organisation(session, speaker.organisation_id, "speakers.organisation_id")
    row = EventSession(
        event_id=event.id,
        position=item.position,
        title=item.title.strip(),
        starts_at=times[0],
        ends_at=times[1],
        description=item.description,
        speakers=[s.model_dump() for s in item.speakers],
    )
    session.add(row)
    flush_audited(session, "event.agenda")
    session.refresh(event, ["sessions"])
    return row


def remove_session(session: Session, actor: Any, event_id: int, session_id: int) -> None:
    """Remove an item of the agenda (its materials stay, attached to the event)."""
    event = EVENTS.editable(session, actor, event_id)
    row = session.get(EventSession, session_id)
    if row is None or row.event_id != event.id:
        raise RecordNotFoundError(
            f"Event {event_id} has no agenda item {session_id}.",
            hint="The event page lists its agenda items.",
        )
    session.delete(row)
    flush_audited(session, "event.agenda")


def add_material(
    session: Session,
    actor: Any,
    event_id: int,
    data: MaterialInput | Mapping[str, Any],
    file: tuple[str, bytes | IO[bytes]] | None = None,
) -> EventMaterial:
    """Attach slides, a paper or another document: a link, or a PDF ``(filename, data)`` kept
    in the platform's file store (PDF signature and size checked as for publications).

    Raises
    ------
    socialcover.store.ValidationError
        Neither a link nor a file (``event.material-empty``), both, an agenda item of another
        event, or a file that is not a PDF or too large (``knowledge.*``); nothing is kept.
    """
    event = EVENTS.editable(session, actor, event_id)
    item = validate_input(MaterialInput, data, "material")
    if (item.url is None) == (file is None):
        raise _invalid(
            "A material is a link or an uploaded PDF, not "
            + ("both." if file is not None else "neither."),
            "event.material-empty",
            "Give either `url` (https://...) or a PDF file.",
            "url",
        )
    if item.session_id is not None:
        agenda = session.get(EventSession, item.session_id)
        if agenda is None or agenda.event_id != event.id:
            raise _invalid(
                f"Event {event_id} has no agenda item {item.session_id}.",
                "event.unknown-session",
                "Give the id of one of the event's agenda items, or none.",
                "session_id",
            )
    row = EventMaterial(event_id=event.id, **item.model_dump())
    if file is not None:
        filename, content = file
        clean = os.path.basename(filename.replace("\\", "/")).strip() or "material.pdf"
        row.file_sha256, row.file_size = store_pdf(content, clean)
        row.file_name = clean[:255]
    session.add(row)
    flush_audited(session, "event.material")
    session.refresh(event, ["materials"])
    return row


def material_file(
    session: Session, actor: Any, event_id: int, material_id: int
) -> tuple[Path, str]:
    """The stored PDF of a material of an event ``actor`` may see, and its name.

    Raises
    ------
    socialcover.store.RecordNotFoundError
        No such material of that event, a link rather than a file (``event.no-file``), or a
        file missing from the store.
    """
    from socialcover.knowledge import file_path

    event = EVENTS.get(session, actor, event_id)
    row = session.get(EventMaterial, material_id)
    if row is None or row.event_id != event.id or row.file_sha256 is None:
        raise RecordNotFoundError(
            f"Event {event_id} has no material file {material_id}.",
            code="event.no-file",
            hint="The event page lists its materials; some are links.",
        )
    path = file_path(row.file_sha256)
    if not path.exists():
        raise RecordNotFoundError(
            f"The file of material {material_id} is missing from {path.parent}.",
            code="event.no-file",
            hint="Restore the files folder from backup, or upload the PDF again.",
        )
    return path, row.file_name or f"material-{row.id}.pdf"


def remove_material(session: Session, actor: Any, event_id: int, material_id: int) -> None:
    """Remove a material from an event (the stored file stays: files are kept by hash)."""
    event = EVENTS.editable(session, actor, event_id)
    row = session.get(EventMaterial, material_id)
    if row is None or row.event_id != event.id:
        raise RecordNotFoundError(
            f"Event {event_id} has no material {material_id}.",
            hint="The event page lists its materials.",
        )
    session.delete(row)
    flush_audited(session, "event.material")
