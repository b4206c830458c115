"""Links from practices and publications to the organisations that took part in them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.knowledge.practices import get_practice
from socialcover.knowledge.publications import get_publication
from socialcover.store import (
    ConflictError,
    Organisation,
    PracticeOrganisation,
    PublicationOrganisation,
    RecordNotFoundError,
    flush_audited,
    require,
)

__all__ = ["link_organisation", "linked_organisations", "records_of_organisation", "unlink"]


def _org(session: Session, organisation_id: int) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise RecordNotFoundError(
            f"No organisation {organisation_id}.", hint="Register it in the actor registry first."
        )
    return org


def link_organisation(
    session: Session,
    actor: Any,
    kind: str,
    record_id: int,
    organisation_id: int,
    role: str = "implementer",
) -> PracticeOrganisation | PublicationOrganisation:
    """Say that an organisation took part in a practice or publication (needs ``actor.edit``).

    ``kind`` is ``"practice"`` or ``"publication"``; ``role`` e.g. implementer, funder,
    evaluator, author, publisher.
    """
    require(getattr(actor, "role", None), "actor.edit")
    _org(session, organisation_id)
    link: PracticeOrganisation | PublicationOrganisation
    exists: PracticeOrganisation | PublicationOrganisation | None
    if kind == "practice":
        get_practice(session, actor, record_id)
        exists = session.scalars(
            select(PracticeOrganisation).where(
                PracticeOrganisation.practice_id == record_id,
                PracticeOrganisation.organisation_id == organisation_id,
                PracticeOrganisation.role == role,
            )
        ).first()
        link = PracticeOrganisation(
            practice_id=record_id, organisation_id=organisation_id, role=role
        )
    elif kind == "publication":
        get_publication(session, actor, record_id)
        exists = session.scalars(
            select(PublicationOrganisation).where(
                PublicationOrganisation.publication_id == record_id,
                PublicationOrganisation.organisation_id == organisation_id,
                PublicationOrganisation.role == role,
            )
        ).first()
        link = PublicationOrganisation(
            publication_id=record_id, organisation_id=organisation_id, role=role
        )
    else:
        raise RecordNotFoundError(
            f"Unknown record kind {kind!r}.", hint="Use 'practice' or 'publication'."
        )
    if exists is not None:
        raise ConflictError(
            f"Organisation {organisation_id} is already linked to {kind} {record_id} as {role}.",
            code="actors.duplicate",
            hint="Nothing to do.",
        )
    session.add(link)
    flush_audited(session, f"{kind}.link")
    return link


def unlink(session: Session, actor: Any, kind: str, link_id: int) -> None:
    """Remove a link (needs ``actor.edit``)."""
    require(getattr(actor, "role", None), "actor.edit")
    model = PracticeOrganisation if kind == "practice" else PublicationOrganisation
    link = session.get(model, link_id)
    if link is None:
        raise RecordNotFoundError(f"No {kind} link {link_id}.", hint="List the links first.")
    session.delete(link)
    session.flush()


def linked_organisations(
    session: Session, kind: str, record_id: int
) -> list[tuple[Organisation, str]]:
    """Organisations linked to a practice or publication, with their role."""
    if kind == "practice":
        rows = session.execute(
            select(Organisation, PracticeOrganisation.role)
            .join(PracticeOrganisation, PracticeOrganisation.organisation_id == Organisation.id)
            .where(PracticeOrganisation.practice_id == record_id)
            .order_by(Organisation.name)
        ).all()
    else:
        rows = session.execute(
            select(Organisation, PublicationOrganisation.role)
            .join(
                PublicationOrganisation, PublicationOrganisation.organisation_id == Organisation.id
            )
            .where(PublicationOrganisation.publication_id == record_id)
            .order_by(Organisation.name)
        ).all()
    return [(org, str(role)) for org, role in rows]


def records_of_organisation(session: Session, organisation_id: int) -> dict[str, list[int]]:
    """Ids of the practices and publications an organisation is linked to."""
    practices = session.scalars(
        select(PracticeOrganisation.practice_id).where(
            PracticeOrganisation.organisation_id == organisation_id
        )
    ).all()
    publications = session.scalars(
        select(PublicationOrganisation.publication_id).where(
            PublicationOrganisation.organisation_id == organisation_id
        )
    ).all()
    return {"practice": sorted(set(practices)), "publication": sorted(set(publications))}
