"""Advocacy: events (seminars, meetings, webinars, training sessions, country consultations,
validation workshops), their agenda, participants and materials; press releases; joint
statements with their partners and signatures; monthly publication download counts.

An event is a reviewed record (drafted, submitted, published): published events are public.
Its participants are people, so their name and e-mail are personal data: they are kept out of
the audit log (``__audit_exclude__``), shown only to the event's organisers (its owner and the
users of :class:`EventOrganiser`), exported and erased on request; readers see counts by sex,
constituent, organisation and country (:mod:`socialcover.advocacy.events`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socialcover.store.models.actors import Organisation
from socialcover.store.models.base import Audited, Base, Reviewed, utcnow

__all__ = [
    "Event",
    "EventMaterial",
    "EventOrganiser",
    "EventParticipant",
    "EventSession",
    "PressRelease",
    "PublicationDownload",
    "Statement",
    "StatementPartner",
    "StatementSignature",
]


class Event(Reviewed, Audited, Base):
    """One seminar, meeting, webinar, training session, consultation or validation workshop.

    ``starts_at`` and ``ends_at`` are stored in UTC; ``timezone`` (an IANA name such as
    ``Africa/Nairobi``) is the zone the event is held in, used to show its local times.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime]
    timezone: Mapped[str] = mapped_column(String(60), default="UTC")
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str | None] = mapped_column(String(500))
    country_iso3: Mapped[str | None] = mapped_column(String(3), index=True)
    language: Mapped[str] = mapped_column(String(2), default="en")
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_open: Mapped[bool] = mapped_column(Boolean, default=False)
    outcomes: Mapped[str] = mapped_column(Text, default="")

    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(EventSession.position, EventSession.id)",
    )
    materials: Mapped[list[EventMaterial]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventMaterial.id"
    )
    participants: Mapped[list[EventParticipant]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventParticipant.id"
    )
    organisers: Mapped[list[EventOrganiser]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventOrganiser.id"
    )


class EventOrganiser(Audited, Base):
    """A user who organises an event besides its owner: sees and manages its participants."""

    __tablename__ = "event_organisers"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    event: Mapped[Event] = relationship(back_populates="organisers")


class EventSession(Audited, Base):
    """One item of an event's agenda, with its speakers (public: a speaker speaks in public).

    ``speakers`` is a list of ``{"name", "affiliation", "organisation_id"}``.
    """

    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime | None]
    ends_at: Mapped[dt.datetime | None]
    description: Mapped[str] = mapped_column(Text, default="")
    speakers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    event: Mapped[Event] = relationship(back_populates="sessions")


class EventParticipant(Audited, Base):
    """A person registered for (or attending) an event.

    ``name`` and ``email`` are personal data: never written to the audit log, blanked by
    erasure (``erased_at`` set); sex, constituent, organisation and country stay, without a
    name, so that the event's counts do not change.
    """

    __tablename__ = "event_participants"
    __table_args__ = (UniqueConstraint("event_id", "email"),)
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"name", "email"})

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    sex: Mapped[str] = mapped_column(String(20), default="not_stated")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    organisation_name: Mapped[str] = mapped_column(String(300), default="")
    constituent: Mapped[str] = mapped_column(String(30), default="other")
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    role: Mapped[str] = mapped_column(String(20), default="participant")
    attended: Mapped[bool | None] = mapped_column(Boolean)
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[dt.datetime | None]

    event: Mapped[Event] = relationship(back_populates="participants")
    organisation: Mapped[Organisation | None] = relationship()


class EventMaterial(Audited, Base):
    """Slides, a paper or another document of an event: a link, or a PDF stored by hash."""

    __tablename__ = "event_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    language: Mapped[str] = mapped_column(String(2), default="en")
    url: Mapped[str | None] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_size: Mapped[int | None] = mapped_column(Integer)

    event: Mapped[Event] = relationship(back_populates="materials")


class PressRelease(Reviewed, Audited, Base):
    """A press release: texts in up to three languages whose figures are placeholders.

    ``texts`` maps a language to ``{"title", "body"}``, where ``{{ name }}`` stands for the
    figure ``name`` of ``figures`` (a list of ``{"name", "indicator", "area", "year", "sex",
    "format"}``: a value read from the indicator store, never typed). Nothing of it is public
    before ``embargo_until``; the first time it is read after that, the figures are read from
    the store and frozen (``frozen_figures``, with the store's ``data_version`` and
    ``frozen_at``), so the release keeps saying what the store said when it came out.
    """

    __tablename__ = "press_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    embargo_until: Mapped[dt.datetime] = mapped_column(index=True)
    frozen_figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    data_version: Mapped[str | None] = mapped_column(String(200))
    frozen_at: Mapped[dt.datetime | None]


class Statement(Reviewed, Audited, Base):
    """A joint statement or policy position of the campaign with partner organisations.

    ``citations`` lists what it cites: ``{"type": "practice" | "publication", "id"}`` or
    ``{"type": "figure", "indicator", "area", "year"}`` (a value of the indicator store).
    """

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default="joint_statement")
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    partners: Mapped[list[StatementPartner]] = relationship(
        back_populates="statement", cascade="all, delete-orphan", order_by="StatementPartner.id"
    )
    signatures: Mapped[list[StatementSignature]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        order_by="(StatementSignature.signed_at, StatementSignature.id)",
    )


class StatementPartner(Audited, Base):
    """A partner organisation a statement's draft is shared with (its people read and sign)."""

    __tablename__ = "statement_partners"
    __table_args__ = (UniqueConstraint("statement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )

    statement: Mapped[Statement] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship()


class StatementSignature(Audited, Base):
    """An organisation's endorsement of a statement: which organisation, who signed, when."""

    __tablename__ = "statement_signatures"
    __table_args__ = (UniqueConstraint("statement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    signed_by: Mapped[str] = mapped_column(String(200))
    signed_by_title: Mapped[str] = mapped_column(String(200), default="")
    signed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    statement: Mapped[Statement] = relationship(back_populates="signatures")
    organisation: Mapped[Organisation] = relationship()


class PublicationDownload(Base):
    """How many times a publication's file was downloaded in a month, by the country of the
    downloader's organisation (``""``: anonymous, or an organisation without a country).

    A counter, never a log: no user, no address, no time finer than the month.
    """

    __tablename__ = "publication_downloads"
    __table_args__ = (UniqueConstraint("publication_id", "month", "country_iso3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    country_iso3: Mapped[str] = mapped_column(String(3), default="")
    count: Mapped[int] = mapped_column(Integer, default=0)
