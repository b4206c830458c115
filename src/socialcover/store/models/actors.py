"""Organisations (the actor registry), their contacts, and partnerships between them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socialcover.store.models.base import Audited, Base

__all__ = ["Contact", "Membership", "Organisation", "Partnership"]


class Organisation(Audited, Base):
    """A government body, social partner, UN agency, IFI, institution, university or NGO."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    acronym: Mapped[str | None] = mapped_column(String(40))
    actor_type: Mapped[str] = mapped_column(String(60), index=True)
    country_iso3: Mapped[str | None] = mapped_column(String(3), index=True)  # None: international
    website: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)  # topics it knows
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 639-1 codes
    is_starter: Mapped[bool] = mapped_column(default=False)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Contact.id"
    )


class Contact(Audited, Base):
    """A person in the networks: a focal point at an organisation, or someone who belongs to
    none (``organisation_id`` None: an independent expert), with further organisations and
    networks as :class:`Membership` rows."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    country_iso3: Mapped[str | None] = mapped_column(String(3), index=True)  # where they work
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str] = mapped_column(Text, default="")
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)

    organisation: Mapped[Organisation | None] = relationship(back_populates="contacts")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="Membership.id"
    )


class Membership(Audited, Base):
    """A person's membership of an organisation or a network: a role, and the dates."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("contact_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(200), default="member")
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)

    contact: Mapped[Contact] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()


class Partnership(Audited, Base):
    """A working relation between two organisations (network, cooperation, funding...)."""

    __tablename__ = "partnerships"
    __table_args__ = (
        UniqueConstraint("organisation_a_id", "organisation_b_id", "kind"),
        CheckConstraint("organisation_a_id <> organisation_b_id", name="distinct_partners"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_a_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    organisation_b_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)

    organisation_a: Mapped[Organisation] = relationship(foreign_keys=[organisation_a_id])
    organisation_b: Mapped[Organisation] = relationship(foreign_keys=[organisation_b_id])
