"""People in the networks: who they are, what they know, where they belong, and "who knows
what".

A person (:class:`~socialcover.store.models.Contact`) may work at an organisation of the
registry (``organisation_id``) or at none: an independent expert, a retired actuary, a
consultant (``organisation_id`` None, with the ``country_iso3`` where the person works). Any
person may also belong to further organisations and networks, each with a role and dates
(:class:`~socialcover.store.models.Membership`).

People are personal data: only signed-in roles with ``actor.edit`` record them, read them
(:func:`get_person`, :func:`person_as_dict`) or find them (:func:`who_knows_what`); readers see
institutions only, never a name, an e-mail or a telephone number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic
from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.actors.organisations import ContactInput, organisation_as_dict
from socialcover.store import (
    ActorType,
    ConflictError,
    Contact,
    Membership,
    Organisation,
    RecordNotFoundError,
    ValidationError,
    can,
    flush_audited,
    require,
    validate_input,
)
from socialcover.store.fields import IsoDate, RecordRef

__all__ = [
    "MembershipInput",
    "PersonInput",
    "add_membership",
    "add_person",
    "get_person",
    "person_as_dict",
    "remove_membership",
    "update_person",
    "who_knows_what",
]


class PersonInput(ContactInput):
    """A person, at an organisation of the registry or at none, validated whole."""

    organisation_id: RecordRef | None = None
    country_iso3: str | None = Field(default=None, pattern=r"^([A-Z]{3})?$")
    # a blank e-mail means none (forms send one): the pattern says so to API clients too
    email: str | None = Field(
        default=None, max_length=320, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$"
    )

    @field_validator("email", "phone", "position", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return (v.strip() or None) if isinstance(v, str) else v

    @field_validator("country_iso3", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return v.strip().upper() or None if isinstance(v, str) else v

    @field_validator("country_iso3")
    @classmethod
    def _known(cls, v: str | None) -> str | None:
        from socialcover.data import check_iso3  # the pack's countries; any code without a pack

        return v if v is None else check_iso3(v)


class MembershipInput(BaseModel):
    """A membership: the organisation or network, the role held, and the dates (optional)."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    organisation_id: RecordRef
    role: str = Field(default="member", min_length=1, max_length=200)
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None

    @model_validator(mode="after")
    def _order(self) -> MembershipInput:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError(
                f"ends_on {self.ends_on} is before starts_on {self.starts_on}; give them in order"
            )
        return self


def _role(actor: Any) -> str | None:
    return getattr(actor, "role", None)


def _check_organisation(session: Session, organisation_id: int | None) -> None:
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise ValidationError(
            f"No organisation {organisation_id} in the actor registry.",
            code="actors.unknown-organisation",
            hint="Register the organisation first, or leave it empty for a person who belongs "
            "to none; nothing was saved.",
            fields=["organisation_id"],
        )


def add_person(session: Session, actor: Any, data: PersonInput | Mapping[str, Any]) -> Contact:
    """Record a person, at an organisation or at none (needs ``actor.edit``); audited as
    ``actor.person.add``.

    Raises
    ------
    socialcover.store.ValidationError
        A bad field (``store.invalid``) or an unknown organisation
        (``actors.unknown-organisation``); nothing is written.
    """
    require(_role(actor), "actor.edit")
    clean = validate_input(PersonInput, data, "person")
    _check_organisation(session, clean.organisation_id)
    person = Contact(**clean.model_dump())
    session.add(person)
    flush_audited(session, "actor.person.add")
    return person


def get_person(session: Session, actor: Any, person_id: int) -> Contact:
    """The person with this id (needs ``actor.edit``: people are personal data).

    Raises
    ------
    socialcover.store.RecordNotFoundError
        No such person (``actors.unknown-person``).
    """
    require(_role(actor), "actor.edit")
    person = session.get(Contact, person_id)
    if person is None:
        raise RecordNotFoundError(
            f"There is no person {person_id} in the networks.",
            code="actors.unknown-person",
            hint="Search the networks (/networks) for the person's id.",
        )
    return person


def update_person(
    session: Session,
    actor: Any,
    person_id: int,
    data: PersonInput | Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Contact:
    """Replace a person's fields (needs ``actor.edit``), checking the version when given.

    Raises
    ------
    socialcover.store.ConflictError
        The person changed since it was read (``store.stale``); nothing is written.
    """
    person = get_person(session, actor, person_id)
    clean = validate_input(PersonInput, data, "person")
    if expected_version is not None and person.version != expected_version:
        raise ConflictError(
            f"Person {person_id} is at version {person.version}, not {expected_version}.",
            code="store.stale",
            hint="Reload the person, then make your change again; nothing was saved.",
        )
    _check_organisation(session, clean.organisation_id)
    for key, value in clean.model_dump().items():
        setattr(person, key, value)
    flush_audited(session, "actor.person.update")
    return person


def add_membership(
    session: Session, actor: Any, person_id: int, data: MembershipInput | Mapping[str, Any]
) -> Membership:
    """Record that a person belongs to an organisation or a network, with a role and dates
    (needs ``actor.edit``); audited as ``actor.membership.add``.

    Raises
    ------
    socialcover.store.ValidationError
        A bad field, dates out of order (``store.invalid``) or an unknown organisation
        (``actors.unknown-organisation``).
    socialcover.store.ConflictError
        The same person, organisation and role twice (``actors.duplicate``).
    """
    person = get_person(session, actor, person_id)
    clean = validate_input(MembershipInput, data, "membership")
    _check_organisation(session, clean.organisation_id)
    exists = session.scalar(
        select(Membership.id).where(
            Membership.contact_id == person.id,
            Membership.organisation_id == clean.organisation_id,
            Membership.role == clean.role,
        )
    )
    if exists is not None:
        raise ConflictError(
            f"{person.name} is already recorded as {clean.role!r} of organisation "
            f"{clean.organisation_id} (membership {exists}).",
            code="actors.duplicate",
            hint="Give another role, or change the existing membership.",
        )
    row = Membership(contact_id=person.id, **clean.model_dump())
    session.add(row)
    flush_audited(session, "actor.membership.add")
    session.refresh(person, ["memberships"])
    return row


def remove_membership(session: Session, actor: Any, membership_id: int) -> None:
    """Delete a membership (needs ``actor.edit``)."""
    require(_role(actor), "actor.edit")
    row = session.get(Membership, membership_id)
    if row is None:
        raise RecordNotFoundError(
            f"No membership {membership_id}.",
            code="actors.unknown-membership",
            hint="The person's page lists the memberships.",
        )
    session.delete(row)
    flush_audited(session, "actor.membership.remove")


def _organisations_of(person: Contact) -> list[Organisation]:
    out = [person.organisation] if person.organisation is not None else []
    for m in person.memberships:
        if m.organisation not in out:
            out.append(m.organisation)
    return out


def _country_of(person: Contact) -> str | None:
    if person.country_iso3:
        return person.country_iso3
    return person.organisation.country_iso3 if person.organisation is not None else None


def person_as_dict(person: Contact) -> dict[str, Any]:
    """A person as JSON-ready data, with contact details: give it only to ``actor.edit``
    roles (:func:`get_person` checks)."""
    org = person.organisation
    return {
        "id": person.id,
        "name": person.name,
        "position": person.position,
        "email": person.email,
        "phone": person.phone,
        "notes": person.notes,
        "expertise": list(person.expertise or []),
        "languages": list(person.languages or []),
        "organisation_id": person.organisation_id,
        "organisation": org.name if org is not None else None,
        "country_iso3": _country_of(person),
        "memberships": [
            {
                "id": m.id,
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name,
                "actor_type": m.organisation.actor_type,
                "role": m.role,
                "starts_on": m.starts_on.isoformat() if m.starts_on else None,
                "ends_on": m.ends_on.isoformat() if m.ends_on else None,
            }
            for m in person.memberships
        ],
        "version": person.version,
    }


def who_knows_what(
    session: Session,
    actor: Any,
    *,
    expertise: str | None = None,
    language: str | None = None,
    country: str | None = None,
    actor_type: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Organisations, and people, who know a topic, work in a language, in a country, or at a
    kind of organisation: "who knows what".

    ``expertise`` matches any part of an expertise term, in any case (``pension`` finds
    "Pension reform"); ``language`` is a two-letter code; ``country`` an ISO3 code;
    ``actor_type`` a kind of organisation (:class:`~socialcover.store.ActorType`).

    An organisation is listed when it matches itself. A person is listed when the person's own
    expertise and languages match, the person's country (their own, else their
    organisation's) matches, and, for ``actor_type``, one of the organisations the person works
    at or belongs to is of that kind: a person without an organisation is found by expertise,
    language and country. People are personal data: the ``people`` list is empty unless the
    actor has ``actor.edit``.

    Raises
    ------
    socialcover.store.ValidationError
        An unknown ``actor_type`` (``actors.unknown-type``).

    Examples
    --------
    >>> _matches(["Pension reform"], "pension")
    True
    """
    wanted_lang = (language or "").strip().lower() or None
    wanted_iso3 = (country or "").strip().upper() or None
    wanted_topic = (expertise or "").strip().lower() or None
    wanted_type = (actor_type or "").strip() or None
    kinds = [t.value for t in ActorType]
    if wanted_type is not None and wanted_type not in kinds:
        raise ValidationError(
            f"Unknown kind of organisation {wanted_type!r}.",
            code="actors.unknown-type",
            hint=f"Use one of {', '.join(kinds)}.",
            fields=["actor_type"],
        )

    def fits(terms: list[str] | None, langs: list[str] | None, iso3: str | None) -> bool:
        return (
            (wanted_topic is None or _matches(terms or [], wanted_topic))
            and (wanted_lang is None or wanted_lang in (langs or []))
            and (wanted_iso3 is None or iso3 == wanted_iso3)
        )

    orgs = session.scalars(select(Organisation).order_by(Organisation.name))
    found = [
        organisation_as_dict(o)
        for o in orgs
        if fits(o.expertise, o.languages, o.country_iso3)
        and (wanted_type is None or o.actor_type == wanted_type)
    ]
    people: list[dict[str, Any]] = []
    if can(_role(actor), "actor.edit"):
        for c in session.scalars(select(Contact).order_by(Contact.name, Contact.id)):
            belongs = _organisations_of(c)
            if not fits(c.expertise, c.languages, _country_of(c)):
                continue
            if wanted_type is not None and not any(o.actor_type == wanted_type for o in belongs):
                continue
            org = c.organisation
            people.append(
                {
                    "id": c.id,
                    "name": c.name,
                    "position": c.position,
                    "email": c.email,
                    "expertise": list(c.expertise or []),
                    "languages": list(c.languages or []),
                    "organisation_id": org.id if org is not None else None,
                    "organisation": org.name if org is not None else None,
                    "organisations": [{"id": o.id, "name": o.name} for o in belongs],
                    "country_iso3": _country_of(c),
                }
            )
    return {"organisations": found, "people": people}


def _matches(terms: list[str], wanted: str) -> bool:
    return any(wanted in t.lower() for t in terms)
