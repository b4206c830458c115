"""The audit log: one row per write to an audited record, with before and after as JSON.

The rows of one record, ordered by ``version``, are that record's history; the ``after`` of a
row is the state of that version, which :func:`socialcover.store.audit.revert` restores.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from socialcover.store.models.base import Base, utcnow

__all__ = ["AuditEntry", "PublicState"]


class AuditEntry(Base):
    """One audited write: who changed which record, when, and its state before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        Integer, index=True
    )  # no FK: the log outlives users
    actor: Mapped[str] = mapped_column(String(320))  # e-mail, or "cli", "system:seed"...
    action: Mapped[str] = mapped_column(
        String(60)
    )  # create, update, delete, revert, practice.publish...
    entity_type: Mapped[str] = mapped_column(String(60))  # the table name
    entity_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int | None] = mapped_column(Integer)  # the record's version after the write
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")


class PublicState(Base):
    """One row: the version of what anonymous readers can see.

    It grows by one with each committed transaction that wrote a record the public can see
    (before or after the write), and only then (:mod:`socialcover.store.public_version`), so
    caches of public pages keyed on it survive private drafts.
    """

    __tablename__ = "public_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
