"""What a practice or publication page shows, read in one call: the record, its claims and
their verification, its evidence, and how to cite it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from socialcover.knowledge.citation import cite_line, csl_of_practice, csl_of_publication
from socialcover.knowledge.claims import claim_as_dict, list_claims, verification_of
from socialcover.knowledge.evidence import evidence_of_practice
from socialcover.knowledge.practices import get_practice, practice_as_dict
from socialcover.knowledge.publications import get_publication, publication_as_dict

__all__ = ["practice_view", "publication_view"]


def practice_view(
    session: Session, actor: Any, practice_id: int, base_url: str = ""
) -> dict[str, Any]:
    """A practice with ``claims``, ``verification``, ``evidence``, ``csl`` and ``cite``."""
    practice = get_practice(session, actor, practice_id)
    claims = list_claims(session, actor, practice_id)
    state = verification_of(practice, claims)
    csl = csl_of_practice(practice, f"{base_url}/practices/{practice_id}", state.as_of)
    out = practice_as_dict(practice)
    out.update(
        claims=[claim_as_dict(c) for c in claims],
        verification=state.as_dict(),
        evidence=evidence_of_practice(session, practice_id),
        csl=csl,
        cite=cite_line(csl),
    )
    return out


def publication_view(
    session: Session, actor: Any, publication_id: int, base_url: str = ""
) -> dict[str, Any]:
    """A publication with its ``csl`` item and ``cite`` line."""
    publication = get_publication(session, actor, publication_id)
    csl = csl_of_publication(publication, f"{base_url}/publications/{publication_id}")
    out = publication_as_dict(publication)
    out.update(csl=csl, cite=cite_line(csl))
    return out
