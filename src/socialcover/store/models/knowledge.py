"""Practices (good and bad), publications, their links to actors, and the search documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socialcover.store.models.actors import Organisation
from socialcover.store.models.base import Audited, Base, Reviewed

__all__ = [
    "Practice",
    "PracticeClaim",
    "PracticeOrganisation",
    "Publication",
    "PublicationOrganisation",
    "SearchDocument",
    "SearchState",
]


class Practice(Reviewed, Audited, Base):
    """A documented way of extending (or failing to extend) social protection."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    country_iso3: Mapped[str] = mapped_column(String(3), index=True)
    region: Mapped[str | None] = mapped_column(String(60))
    guarantee: Mapped[str] = mapped_column(String(40), index=True)
    mechanism: Mapped[str] = mapped_column(String(120))
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    what_was_done: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    evidence_strength: Mapped[str | None] = mapped_column(String(20))
    evaluation: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    assessment: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(2), default="en")
    # title and summary in the other languages: {"fr": {"title": ..., "summary": ...}}
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    is_starter: Mapped[bool] = mapped_column(Boolean, default=False)
    starter_key: Mapped[str | None] = mapped_column(String(80), unique=True)

    organisations: Mapped[list[PracticeOrganisation]] = relationship(
        back_populates="practice", cascade="all, delete-orphan"
    )
    claims: Mapped[list[PracticeClaim]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeClaim.id"
    )


class PracticeClaim(Audited, Base):
    """One key fact of a practice (a date, an age, an amount, a coverage figure, an outcome).

    Each claim names the source that supports it and says whether a reviewer checked it there:
    ``verified`` (by whom, when, against which passage), ``unverified`` or ``disputed`` (with
    the other source). Rules in :mod:`socialcover.knowledge.claims`.
    """

    __tablename__ = "practice_claims"
    __table_args__ = (UniqueConstraint("practice_id", "claim_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    claim_key: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    event_year: Mapped[int | None] = mapped_column(Integer)
    is_key: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="unverified", index=True)
    verified_by: Mapped[str | None] = mapped_column(String(200))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    verified_against: Mapped[str] = mapped_column(Text, default="")
    dispute_source: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")

    practice: Mapped[Practice] = relationship(back_populates="claims")


class PracticeOrganisation(Audited, Base):
    """An actor's part in a practice (implementer, funder, evaluator...)."""

    __tablename__ = "practice_organisations"
    __table_args__ = (UniqueConstraint("practice_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(60), default="implementer")

    practice: Mapped[Practice] = relationship(back_populates="organisations")
    organisation: Mapped[Organisation] = relationship()


class Publication(Audited, Base):
    """A guide, study, working paper or tool; the PDF (optional) is stored by content hash.

    Reviewed with the workflow, but older than the :class:`Reviewed` columns: it has a
    ``status`` and an owner, no reviewer, review comment or publication time.
    """

    __tablename__ = "publications"
    __public_status__ = "published"  # see Reviewed

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    editors: Mapped[list[str]] = mapped_column(JSON, default=list)
    series: Mapped[str | None] = mapped_column(String(200))
    series_number: Mapped[str | None] = mapped_column(String(40))
    doi: Mapped[str | None] = mapped_column(String(200))
    isbn: Mapped[str | None] = mapped_column(String(20))
    # other language editions: [{"language": "fr", "title": ..., "url": ..., "year": ...}]
    editions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    publisher: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2), default="en")
    abstract: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    region: Mapped[str | None] = mapped_column(String(60))
    guarantee: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_size: Mapped[int | None] = mapped_column(Integer)
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    is_starter: Mapped[bool] = mapped_column(Boolean, default=False)
    starter_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisations: Mapped[list[PublicationOrganisation]] = relationship(
        back_populates="publication", cascade="all, delete-orphan"
    )


class PublicationOrganisation(Audited, Base):
    """An actor's part in a publication (author, publisher, funder)."""

    __tablename__ = "publication_organisations"
    __table_args__ = (UniqueConstraint("publication_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(60), default="publisher")

    publication: Mapped[Publication] = relationship(back_populates="organisations")
    organisation: Mapped[Organisation] = relationship()


class SearchDocument(Base):
    """One searchable record (practice, publication or organisation), kept in step on every write.

    SQLite indexes ``title`` and ``body`` with an FTS5 table (``search_fts``); PostgreSQL keeps a
    ``tsv`` tsvector column with a GIN index. Both are created by the migrations, outside this
    model, because they are dialect-specific.
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "record_id"),
        Index("ix_search_documents_public_kind", "is_public", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # practice, publication, organisation
    record_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(2))
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    region: Mapped[str | None] = mapped_column(String(60))
    branch: Mapped[str | None] = mapped_column(String(40))
    mechanism: Mapped[str | None] = mapped_column(String(120))
    assessment: Mapped[str | None] = mapped_column(String(10))
    year: Mapped[int | None] = mapped_column(Integer)
    doc_type: Mapped[str | None] = mapped_column(String(60))
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int | None] = mapped_column(Integer)


class SearchState(Base):
    """One row: a counter bumped with every change to the search documents.

    Readers cache per-document facet columns in memory (``socialcover.knowledge.columns``) and
    reload them when ``(token, generation)`` changes; ``token`` is random per row so a
    recreated row (after a restore) never matches an old cache.
    """

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    generation: Mapped[int] = mapped_column(Integer, default=0)
