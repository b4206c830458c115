"""The actor registry: organisations, their contact people, and partnerships between them.

Actor types are the campaign's partners (governments, employers' and workers' organisations, UN
agencies, international financial institutions, the ISSA, development agencies, social
security institutions, universities, civil society). Contact details are personal data: only
signed-in people with ``actor.edit`` see them (:func:`organisation_as_dict`).

Organisations are edited through the store's record workflow (:data:`ORGANISATIONS`): always
public, changed by anyone with ``actor.edit``, version-checked and audited as ``actor.*``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic
from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from socialcover.store import (
    ActorType,
    ConflictError,
    Contact,
    Organisation,
    Partnership,
    RecordNotFoundError,
    Workflow,
    can,
    flush_audited,
    require,
    validate_input,
)
from socialcover.store.fields import RecordRef

__all__ = [
    "ORGANISATIONS",
    "ContactInput",
    "OrganisationInput",
    "PartnershipInput",
    "add_contact",
    "add_partnership",
    "create_organisation",
    "delete_organisation",
    "find_organisation",
    "get_organisation",
    "list_organisations",
    "organisation_as_dict",
    "partnerships_of",
    "remove_contact",
    "remove_partnership",
    "update_organisation",
]


def _terms(v: list[str]) -> list[str]:
    """Short terms, stripped, each once (case kept as first given)."""
    out: list[str] = []
    for term in (t.strip() for t in v):
        if not term or len(term) > 100:
            raise ValueError(f"a term has 1 to 100 characters, not {term!r}")
        if term.lower() not in (o.lower() for o in out):
            out.append(term)
    return out


def _languages_valid(v: list[str]) -> list[str]:
    """ISO 639-1 codes (two letters), lower case, each once."""
    out: list[str] = []
    for code in (c.strip().lower() for c in v):
        if len(code) != 2 or not code.isalpha() or not code.isascii():
            raise ValueError(f"a language is a two-letter ISO 639-1 code (fr), not {code!r}")
        if code not in out:
            out.append(code)
    return out


class OrganisationInput(BaseModel):
    """An organisation as submitted, validated whole before anything is written."""

    model_config = pydantic.ConfigDict(extra="forbid", use_enum_values=True)

    name: str = Field(min_length=2, max_length=300)
    acronym: str | None = Field(default=None, max_length=40)
    actor_type: ActorType
    country_iso3: str | None = Field(default=None, pattern=r"^([A-Z]{3})?$")  # "" = none
    website: str | None = Field(default=None, max_length=500)
    description: str = Field(default="", max_length=5000)
    expertise: list[str] = Field(default_factory=list, max_length=50)
    languages: list[str] = Field(default_factory=list, max_length=20)

    _expertise = field_validator("expertise")(_terms)
    _languages = field_validator("languages")(_languages_valid)

    @field_validator("country_iso3", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return v.strip().upper() or None if isinstance(v, str) else v

    @field_validator("country_iso3")
    @classmethod
    def _known(cls, v: str | None) -> str | None:
        from socialcover.data import check_iso3  # the pack's countries; any code without a pack

        return v if v is None else check_iso3(v)

    @field_validator("website")
    @classmethod
    def _http(cls, v: str | None) -> str | None:
        if v and not v.startswith(("https://", "http://")):
            raise ValueError("a website starts with https:// or http://")
        return v or None


class ContactInput(BaseModel):
    """A contact person of an organisation, validated whole before anything is written."""

    model_config = pydantic.ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=200)
    position: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=60)
    notes: str = Field(default="", max_length=2000)
    expertise: list[str] = Field(default_factory=list, max_length=50)
    languages: list[str] = Field(default_factory=list, max_length=20)

    _expertise = field_validator("expertise")(_terms)
    _languages = field_validator("languages")(_languages_valid)


class PartnershipInput(BaseModel):
    """A partnership between two distinct organisations, with its years in order."""

    model_config = pydantic.ConfigDict(extra="forbid")

    organisation_a_id: RecordRef
    organisation_b_id: RecordRef
    kind: str = Field(min_length=2, max_length=60)
    description: str = Field(default="", max_length=2000)
    start_year: int | None = Field(default=None, ge=1900, le=2100)
    end_year: int | None = Field(default=None, ge=1900, le=2100)

    @model_validator(mode="after")
    def _distinct(self) -> PartnershipInput:
        if self.organisation_a_id == self.organisation_b_id:
            raise ValueError("an organisation cannot partner with itself")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValueError("end_year is before start_year")
        return self


def _role(actor: Any) -> str | None:
    return getattr(actor, "role", None)


def organisation_as_dict(org: Organisation, actor: Any = None) -> dict[str, Any]:
    """An organisation as JSON-ready data; contacts only for people allowed to edit actors."""
    out: dict[str, Any] = {
        "id": org.id,
        "name": org.name,
        "acronym": org.acronym,
        "actor_type": org.actor_type,
        "country_iso3": org.country_iso3,
        "website": org.website,
        "description": org.description,
        "expertise": list(org.expertise or []),
        "languages": list(org.languages or []),
        "is_starter": org.is_starter,
        "version": org.version,
    }
    if can(_role(actor), "actor.edit"):
        out["contacts"] = [
            {
                "id": c.id,
                "name": c.name,
                "country_iso3": c.country_iso3,
                "position": c.position,
                "email": c.email,
                "phone": c.phone,
                "notes": c.notes,
                "expertise": list(c.expertise or []),
                "languages": list(c.languages or []),
            }
            for c in org.contacts
        ]
    return out


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    """An organisation by id (every organisation is public)."""
    return ORGANISATIONS.get(session, None, organisation_id)


def find_organisation(session: Session, name_or_acronym: str) -> Organisation | None:
    """An organisation by exact name or acronym (case-insensitive), or ``None``."""
    key = name_or_acronym.strip().lower()
    return session.scalars(
        select(Organisation).where(
            or_(func.lower(Organisation.name) == key, func.lower(Organisation.acronym) == key)
        )
    ).first()


def list_organisations(
    session: Session,
    *,
    actor_type: str | None = None,
    country_iso3: str | None = None,
    name_contains: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[Organisation]:
    """Organisations by name, optionally filtered (public: ``actor.read`` is everyone's)."""
    q = select(Organisation).order_by(Organisation.name)
    if actor_type:
        q = q.where(Organisation.actor_type == actor_type)
    if country_iso3:
        q = q.where(Organisation.country_iso3 == country_iso3.upper())
    if name_contains:
        like = f"%{name_contains.lower()}%"
        q = q.where(
            or_(
                func.lower(Organisation.name).like(like),
                func.lower(Organisation.acronym).like(like),
            )
        )
    return list(session.scalars(q.limit(limit).offset(offset)).all())


def _unique_name(session: Session, values: dict[str, Any], own: Organisation | None) -> None:
    name = values["name"]
    other = session.scalars(
        select(Organisation).where(func.lower(Organisation.name) == name.strip().lower())
    ).first()
    if other is not None and (own is None or other.id != own.id):
        raise ConflictError(
            f"An organisation named {name!r} already exists (id {other.id}).",
            code="actors.duplicate",
            hint="Edit the existing organisation instead of creating a second one.",
        )


ORGANISATIONS = Workflow(
    Organisation,
    "organisation",
    OrganisationInput,
    read="actor.read",
    draft="actor.edit",
    edit_any="actor.edit",
    delete="actor.delete",
    actions="actor",
    prepare=_unique_name,
)
"""The organisation's workflow: no drafts or review; any ``actor.edit`` role edits."""


def create_organisation(
    session: Session, actor: Any, data: OrganisationInput | Mapping[str, Any]
) -> Organisation:
    """Register an organisation (needs ``actor.edit``)."""
    return ORGANISATIONS.create(session, actor, data)


def update_organisation(
    session: Session,
    actor: Any,
    organisation_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Organisation:
    """Change an organisation's fields (needs ``actor.edit``), validated as a whole."""
    return ORGANISATIONS.update(
        session, actor, organisation_id, changes, expected_version=expected_version
    )


def delete_organisation(session: Session, actor: Any, organisation_id: int) -> None:
    """Delete an organisation with its contacts and partnerships (needs ``actor.delete``)."""
    require(_role(actor), "actor.delete")
    org = get_organisation(session, organisation_id)
    for p in partnerships_of(session, org.id):
        session.delete(p)
    session.delete(org)
    session.flush()


def add_contact(
    session: Session, actor: Any, organisation_id: int, data: ContactInput | Mapping[str, Any]
) -> Contact:
    """Add a contact person to an organisation (needs ``actor.edit``)."""
    require(_role(actor), "actor.edit")
    org = get_organisation(session, organisation_id)
    clean = validate_input(ContactInput, data, "contact")
    contact = Contact(organisation_id=org.id, **clean.model_dump())
    session.add(contact)
    flush_audited(session, "actor.contact.add")
    return contact


def remove_contact(session: Session, actor: Any, contact_id: int) -> None:
    """Delete a contact person (needs ``actor.edit``)."""
    require(_role(actor), "actor.edit")
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise RecordNotFoundError(f"No contact {contact_id}.", hint="List the organisation's.")
    session.delete(contact)
    session.flush()


def add_partnership(
    session: Session, actor: Any, data: PartnershipInput | Mapping[str, Any]
) -> Partnership:
    """Record a partnership between two registered organisations (needs ``actor.edit``)."""
    require(_role(actor), "actor.edit")
    clean = validate_input(PartnershipInput, data, "partnership")
    get_organisation(session, clean.organisation_a_id)
    get_organisation(session, clean.organisation_b_id)
    a, b = clean.organisation_a_id, clean.organisation_b_id
    exists = session.scalars(
        select(Partnership).where(
            or_(
                (Partnership.organisation_a_id == a) & (Partnership.organisation_b_id == b),
                (Partnership.organisation_a_id == b) & (Partnership.organisation_b_id == a),
            ),
            Partnership.kind == clean.kind,
        )
    ).first()
    if exists is not None:
        raise ConflictError(
            f"This partnership is already recorded (id {exists.id}).",
            code="actors.duplicate",
            hint="Edit the existing partnership instead.",
        )
    p = Partnership(**clean.model_dump())
    session.add(p)
    flush_audited(session, "actor.partnership.add")
    return p


def partnerships_of(session: Session, organisation_id: int) -> list[Partnership]:
    """Partnerships in which the organisation takes part (either side)."""
    return list(
        session.scalars(
            select(Partnership)
            .where(
                or_(
                    Partnership.organisation_a_id == organisation_id,
                    Partnership.organisation_b_id == organisation_id,
                )
            )
            .order_by(Partnership.id)
        ).all()
    )


def remove_partnership(session: Session, actor: Any, partnership_id: int) -> None:
    """Delete a partnership (needs ``actor.edit``)."""
    require(_role(actor), "actor.edit")
    p = session.get(Partnership, partnership_id)
    if p is None:
        raise RecordNotFoundError(f"No partnership {partnership_id}.", hint="List them first.")
    session.delete(p)
    session.flush()
