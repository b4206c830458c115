"""The participants of events: who organises them, who registers and takes part, and the counts
everyone may see.

Participants are people. Their name and e-mail are seen only by the event's organisers (its
owner, the users added with :func:`add_organiser`, and administrators); everyone who may see
the event sees :func:`participant_counts` by sex, constituent, organisation and country. A
person's data across all events is exported by :func:`export_person` and erased by
:func:`erase_person` (name and e-mail blanked, the anonymous row kept so that counts stay).
Names and e-mails never enter the audit log (``EventParticipant.__audit_exclude__``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import pydantic
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from socialcover.advocacy.events import (
    EVENTS,
    _blank_none,
    _check_country,
    _check_organisation,
    _invalid,
    _upper,
)
from socialcover.store import (
    ConflictError,
    Organisation,
    PermissionDeniedError,
    RecordNotFoundError,
    can,
    flush_audited,
    require,
    validate_input,
)
from socialcover.store.fields import JsonBool, RecordRef
from socialcover.store.models import Event, EventOrganiser, EventParticipant, User, utcnow
from socialcover.store.workflow import PUBLISHED

__all__ = [
    "CONSTITUENTS",
    "PARTICIPANT_ROLES",
    "SEXES",
    "ParticipantCounts",
    "ParticipantInput",
    "add_organiser",
    "add_participant",
    "erase_person",
    "export_person",
    "is_organiser",
    "list_participants",
    "participant_counts",
    "register",
    "remove_participant",
]

Constituent = Literal[
    "government",
    "employers",
    "workers",
    "civil_society",
    "development_partner",
    "academia",
    "other",
]
Sex = Literal["female", "male", "other", "not_stated"]
ParticipantRole = Literal["participant", "speaker", "facilitator", "organiser"]

CONSTITUENTS: tuple[str, ...] = get_args(Constituent)
"""Whom a participant speaks for: the tripartite constituents (government, employers, workers),
civil society, development partners, academia, other."""
SEXES: tuple[str, ...] = get_args(Sex)
"""A participant's sex as they state it (``not_stated`` when they do not)."""
PARTICIPANT_ROLES: tuple[str, ...] = get_args(ParticipantRole)
"""A participant's part in an event."""
_ISO3 = r"^([A-Z]{3})?$"  # empty: no country (the before-validator makes it None)


class ParticipantInput(BaseModel):
    """A participant: who they are, whom they speak for, from which country."""

    model_config = pydantic.ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    sex: Sex = "not_stated"
    organisation_id: RecordRef | None = None
    organisation_name: str = Field(default="", max_length=300)
    constituent: Constituent = "other"
    country_iso3: str | None = Field(default=None, pattern=_ISO3)
    role: ParticipantRole = "participant"
    attended: JsonBool | None = None

    _country_upper = field_validator("country_iso3", mode="before")(_upper)
    _email_blank = field_validator("email", mode="before")(_blank_none)
    _country = field_validator("country_iso3")(_check_country)

    @field_validator("name", "organisation_name")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is None:
            return None
        v = v.lower()
        local, _, domain = v.partition("@")
        if not local or "." not in domain or " " in v or domain.startswith("."):
            raise ValueError(f"{v!r} is not an e-mail address (name@example.org)")
        return v


# --- organisers and participants --------------------------------------------------------------


def is_organiser(actor: Any, event: Event) -> bool:
    """Whether ``actor`` sees and manages the event's participants: its owner, a co-organiser
    added with :func:`add_organiser`, or a role with ``event.participants_any``."""
    if can(getattr(actor, "role", None), "event.participants_any"):
        return True
    uid = getattr(actor, "id", None)
    if uid is None:
        return False
    return event.created_by_id == uid or any(o.user_id == uid for o in event.organisers)


def _organised(session: Session, actor: Any, event_id: int) -> Event:
    event = EVENTS.get(session, actor, event_id)
    if not is_organiser(actor, event):
        raise PermissionDeniedError(
            f"Only the organisers of event {event_id} see and manage its participants.",
            code="event.not-organiser",
            hint="Ask the event's owner to add you as an organiser; everyone sees the counts.",
        )
    return event


def add_organiser(session: Session, actor: Any, event_id: int, email: str) -> EventOrganiser:
    """Make the user with this e-mail a co-organiser (the owner, or an ``event.edit_any`` role),
    in any state of the event.

    Raises
    ------
    socialcover.store.ValidationError
        No account with that e-mail (``event.unknown-user``).
    socialcover.store.ConflictError
        Already an organiser (``event.duplicate-organiser``).
    """
    require(getattr(actor, "role", None), EVENTS.draft)
    event = EVENTS.get(session, actor, event_id)
    if not (EVENTS.is_owner(actor, event) or can(getattr(actor, "role", None), EVENTS.edit_any)):
        raise PermissionDeniedError(
            f"Only the owner of event {event_id} adds its organisers.",
            code="event.not-organiser",
            hint="Ask the event's owner or a reviewer.",
        )
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise _invalid(
            f"No account with the e-mail {email!r}.",
            "event.unknown-user",
            "An organiser needs an account first (socialcover admin create-user).",
            "email",
        )
    if user.id == event.created_by_id or any(o.user_id == user.id for o in event.organisers):
        raise ConflictError(
            f"{email} already organises event {event_id}.",
            code="event.duplicate-organiser",
            hint="Nothing to do.",
        )
    row = EventOrganiser(event_id=event.id, user_id=user.id)
    session.add(row)
    flush_audited(session, "event.organiser")
    session.refresh(event, ["organisers"])
    return row


def _new_participant(
    session: Session, event: Event, data: ParticipantInput | Mapping[str, Any], action: str
) -> EventParticipant:
    person = validate_input(ParticipantInput, data, "participant")
    _check_organisation(session, person.organisation_id, "organisation_id")
    count = session.scalar(
        select(func.count())
        .select_from(EventParticipant)
        .where(EventParticipant.event_id == event.id)
    )
    if event.capacity is not None and (count or 0) >= event.capacity:
        raise ConflictError(
            f"Event {event.id} is full: {count} of {event.capacity} places taken.",
            code="event.full",
            hint="Ask the organisers to raise the capacity or to open a waiting list.",
        )
    if person.email is not None and session.scalar(
        select(EventParticipant.id).where(
            EventParticipant.event_id == event.id, EventParticipant.email == person.email
        )
    ):
        raise ConflictError(
            f"{person.email} is already registered for event {event.id}.",
            code="event.duplicate-participant",
            hint="Each person registers once; the organisers can change a registration.",
        )
    row = EventParticipant(event_id=event.id, **person.model_dump())
    session.add(row)
    try:
        flush_audited(session, action)
    except IntegrityError:  # a registration with the same e-mail at the same moment
        session.rollback()
        raise ConflictError(
            f"{person.email} is already registered for event {event.id}.",
            code="event.duplicate-participant",
            hint="Each person registers once; nothing was saved.",
        ) from None
    return row


def add_participant(
    session: Session, actor: Any, event_id: int, data: ParticipantInput | Mapping[str, Any]
) -> EventParticipant:
    """Add a participant (an organiser: from an attendance list, a speaker...); audited as
    ``event.participant`` without the person's name or e-mail.

    Raises
    ------
    socialcover.store.PermissionDeniedError
        Not an organiser of the event (``event.not-organiser``).
    socialcover.store.ValidationError
        A bad field (``store.invalid``), an unknown organisation
        (``event.unknown-organisation``); nothing is written.
    socialcover.store.ConflictError
        The same e-mail twice (``event.duplicate-participant``), or the event is full
        (``event.full``).
    """
    event = _organised(session, actor, event_id)
    return _new_participant(session, event, data, "event.participant")


def register(
    session: Session,
    actor: Any,
    event_id: int,
    data: ParticipantInput | Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> EventParticipant:
    """Register for a published event open to registration (anyone, signed in or not), until
    it ends (``now``: the current time by default).

    Raises
    ------
    socialcover.store.ConflictError
        Registration is closed, or the event has ended (``event.registration-closed``), is
        full or the e-mail is already registered.
    """
    require(getattr(actor, "role", None), "event.register")
    event = EVENTS.get(session, actor, event_id)
    if (
        event.status != PUBLISHED
        or not event.registration_open
        or event.ends_at < (now or utcnow())
    ):
        raise ConflictError(
            f"Registration for event {event_id} is closed.",
            code="event.registration-closed",
            hint="Contact the organisers of the event.",
        )
    person = validate_input(ParticipantInput, data, "registration")
    if person.email is None:
        raise _invalid(
            "A registration needs an e-mail address.",
            "event.email-required",
            "Give the e-mail at which the organisers can reach you.",
            "email",
        )
    return _new_participant(
        session, event, person.model_copy(update={"role": "participant"}), "event.register"
    )


def remove_participant(session: Session, actor: Any, event_id: int, participant_id: int) -> None:
    """Remove a participant (an organiser); audited as ``event.participant``."""
    event = _organised(session, actor, event_id)
    row = session.get(EventParticipant, participant_id)
    if row is None or row.event_id != event.id:
        raise RecordNotFoundError(
            f"Event {event_id} has no participant {participant_id}.",
            hint="List the participants of the event to find the id.",
        )
    session.delete(row)
    flush_audited(session, "event.participant")


def _person(p: EventParticipant) -> dict[str, Any]:
    return {
        "id": p.id,
        "event_id": p.event_id,
        "name": p.name,
        "email": p.email,
        "sex": p.sex,
        "organisation_id": p.organisation_id,
        "organisation_name": p.organisation_name,
        "constituent": p.constituent,
        "country_iso3": p.country_iso3,
        "role": p.role,
        "attended": p.attended,
        "registered_at": p.registered_at.isoformat(),
        "erased": p.erased_at is not None,
    }


def list_participants(session: Session, actor: Any, event_id: int) -> list[dict[str, Any]]:
    """The event's participants with their personal data (its organisers only)."""
    event = _organised(session, actor, event_id)
    return [_person(p) for p in event.participants]


@dataclass(frozen=True)
class ParticipantCounts:
    """How many took part, by sex, constituent, organisation and country (no names)."""

    total: int
    by_sex: dict[str, int]
    by_constituent: dict[str, int]
    by_organisation: dict[str, int]
    by_country: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        """The counts as plain JSON values."""
        return {
            "total": self.total,
            "by_sex": self.by_sex,
            "by_constituent": self.by_constituent,
            "by_organisation": self.by_organisation,
            "by_country": self.by_country,
        }


def participant_counts(session: Session, actor: Any, event_id: int) -> ParticipantCounts:
    """The counts of an event's participants, for anyone who may see the event.

    An organisation is named by its registry name, else by the free-text name given; a
    participant without either is counted under ``""``; without a country under ``""``.
    """
    event = EVENTS.get(session, actor, event_id)
    rows = session.execute(
        select(
            EventParticipant.sex,
            EventParticipant.constituent,
            func.coalesce(Organisation.name, EventParticipant.organisation_name),
            func.coalesce(EventParticipant.country_iso3, ""),
        )
        .outerjoin(Organisation, Organisation.id == EventParticipant.organisation_id)
        .where(EventParticipant.event_id == event.id)
    ).all()

    def tally(i: int, order: Sequence[str] = ()) -> dict[str, int]:
        out: dict[str, int] = {k: 0 for k in order}
        for r in rows:
            out[r[i]] = out.get(r[i], 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))) if not order else out

    return ParticipantCounts(
        total=len(rows),
        by_sex=tally(0, SEXES),
        by_constituent=tally(1, CONSTITUENTS),
        by_organisation=tally(2),
        by_country=tally(3),
    )


# --- one person's data ------------------------------------------------------------------------


def _may_handle_person(actor: Any, email: str) -> None:
    own = (getattr(actor, "email", None) or "").lower() == email
    if not own and not can(getattr(actor, "role", None), "event.participants_any"):
        raise PermissionDeniedError(
            f"Only an administrator, or the person signed in as {email}, may see or erase "
            "this person's data.",
            code="event.not-organiser",
            hint="Ask an administrator to export or erase the data.",
        )


def export_person(session: Session, actor: Any, email: str) -> list[dict[str, Any]]:
    """Everything the events hold about the person with this e-mail, one dict per
    registration, with the event's id and title (the person, or an administrator)."""
    email = email.strip().lower()
    _may_handle_person(actor, email)
    rows = session.execute(
        select(EventParticipant, Event.title)
        .join(Event, Event.id == EventParticipant.event_id)
        .where(EventParticipant.email == email)
        .order_by(EventParticipant.id)
    ).all()
    return [_person(p) | {"event_title": title} for p, title in rows]


def erase_person(session: Session, actor: Any, email: str) -> int:
    """Blank the name and e-mail of every registration with this e-mail; return how many.

    The anonymous rows stay (sex, constituent, organisation, country) so that the events'
    counts do not change; the audit log never held the name or the e-mail. Audited as
    ``event.erase``.
    """
    email = email.strip().lower()
    _may_handle_person(actor, email)
    rows = list(session.scalars(select(EventParticipant).where(EventParticipant.email == email)))
    now = utcnow()
    for p in rows:
        p.name = ""
        p.email = None
        p.erased_at = now
    flush_audited(session, "event.erase")
    return len(rows)
