"""The evaluations that are a practice's evidence, read from the store's evaluation register.

The register belongs to :mod:`socialcover.monitor` (above this package): an evaluation names
what it evaluated (``subject_type="practice"``, ``subject_ref`` the practice's id). The library
reads those rows here, from the store's tables, so a practice page shows its evidence without
the library depending on the monitoring domain. Only published evaluations are shown.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.store.models import Evaluation

__all__ = ["evidence_of_practice"]


def evidence_of_practice(session: Session, practice_id: int) -> list[dict[str, Any]]:
    """The published evaluations of one practice, newest first, as plain data."""
    q = (
        select(Evaluation)
        .where(
            Evaluation.subject_type == "practice",
            Evaluation.subject_ref == str(practice_id),
            Evaluation.status == "published",
        )
        .order_by(Evaluation.started_on.desc(), Evaluation.id.desc())
    )
    return [
        {
            "id": e.id,
            "title": e.title,
            "evaluation_type": e.evaluation_type,
            "evaluators": list(e.evaluators or []),
            "started_on": e.started_on.isoformat(),
            "ended_on": e.ended_on.isoformat() if e.ended_on else None,
            "method": e.method,
            "findings": e.findings,
            "report": e.report,
        }
        for e in session.scalars(q).all()
    ]
