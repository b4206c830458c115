"""Answers of the knowledge routes: practices, their claims and history, publications, actors.

Each mirrors a domain dict: :func:`socialcover.knowledge.practice_as_dict`,
:func:`~socialcover.knowledge.claim_as_dict`, :func:`~socialcover.knowledge.publication_as_dict`
(and ``publication_view``), :func:`socialcover.actors.organisation_as_dict`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from socialcover.actors import OrganisationInput
from socialcover.knowledge import ClaimInput, PracticeInput, PublicationInput
from socialcover.web.schemas import Out, record_model

__all__ = [
    "ClaimOut",
    "ClaimsOut",
    "CslItem",
    "DeletedOut",
    "ExpertsOut",
    "HistoryOut",
    "MembershipOut",
    "OrganisationOut",
    "PartnershipOut",
    "PersonOut",
    "PracticeOut",
    "PublicationOut",
    "PublicationViewOut",
]

PracticeOut = record_model(
    "PracticeOut",
    PracticeInput,
    "A practice: what its author wrote, its review state and version.",
    id=(int, ...),
    status=(str, ...),
    review_comment=(str | None, None),
    is_starter=(bool, False),
    version=(int, ...),
    created_by_id=(int | None, None),
    reviewed_by_id=(int | None, None),
    created_at=(str | None, None),
    updated_at=(str | None, None),
    published_at=(str | None, None),
)


class AuditOut(Out):
    """One audited write: who, when, what, the fields before and after."""

    id: int
    at: dt.datetime
    user_id: int | None = None
    actor: str
    action: str
    entity_type: str
    entity_id: int
    version: int | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    comment: str = ""


class HistoryOut(Out):
    """A record's audited writes, oldest first."""

    items: list[AuditOut]


ClaimOut = record_model(
    "ClaimOut",
    ClaimInput,
    "A key fact of a practice, its source and whether a reviewer checked it there.",
    id=(int, ...),
    practice_id=(int, ...),
    version=(int, ...),
)


class VerificationOut(Out):
    """Where a practice stands: verified, starter, being verified or without claims."""

    state: Literal["verified", "starter", "being-verified", "no-claims"]
    as_of: dt.date | None = None
    verified: int
    total: int
    unverified: list[str] = Field(default_factory=list)
    disputed: list[str] = Field(default_factory=list)


class ClaimsOut(Out):
    """A practice's claims and its verification state."""

    verification: VerificationOut
    claims: list[ClaimOut]  # type: ignore[valid-type]


PublicationOut = record_model(
    "PublicationOut",
    PublicationInput,
    "A publication: its bibliographic fields, its file (if any), its state and version.",
    id=(int, ...),
    status=(str, ...),
    has_file=(bool, False),
    file_name=(str | None, None),
    file_size=(int | None, None),
    download_count=(int, 0),
    is_starter=(bool, False),
    version=(int, ...),
    created_by_id=(int | None, None),
)


class CslItem(Out):
    """One item of CSL-JSON (Citation Style Language), as citation managers read it."""

    id: str
    type: str
    title: str


class LinkedOrganisation(Out):
    """An organisation linked to a record, and its role."""

    id: int
    name: str
    role: str | None = None


PublicationViewOut = record_model(
    "PublicationViewOut",
    PublicationOut,
    "A publication with its CSL-JSON item, its citation line and its organisations.",
    csl=(CslItem, ...),
    cite=(str, ...),
    organisations=(list[LinkedOrganisation], []),
)


class ContactOut(Out):
    """A contact person of an organisation (shown to editors only)."""

    id: int
    name: str
    position: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None
    expertise: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)


OrganisationOut = record_model(
    "OrganisationOut",
    OrganisationInput,
    "An organisation; its contacts for editors, its partners and linked records when read.",
    id=(int, ...),
    is_starter=(bool, False),
    version=(int, ...),
    contacts=(list[ContactOut] | None, None),
    partnerships=(list[dict[str, Any]] | None, None),
    practices=(list[dict[str, Any]] | None, None),
    publications=(list[dict[str, Any]] | None, None),
)


class PartnershipOut(Out):
    """A partnership between two organisations."""

    id: int
    organisation_a_id: int
    organisation_b_id: int


class ExpertOut(ContactOut):
    """A person who knows a subject, with their organisation (none for a person on their own)."""

    organisation_id: int | None = None
    organisation: str | None = None
    country_iso3: str | None = None


class MembershipOut(Out):
    """A person's place in an organisation or network: role and dates."""

    id: int
    organisation_id: int
    organisation: str
    actor_type: str
    role: str | None = None
    starts_on: str | None = None
    ends_on: str | None = None


class PersonOut(ExpertOut):
    """A person with contact details and memberships (for ``actor.edit`` roles)."""

    memberships: list[MembershipOut] = Field(default_factory=list)
    version: int


class DeletedOut(Out):
    """The id of the record deleted."""

    deleted: int


class ExpertsOut(Out):
    """Who knows what: organisations, and people for those who may see them."""

    organisations: list[OrganisationOut]  # type: ignore[valid-type]
    people: list[ExpertOut]
