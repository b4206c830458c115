"""The system diagnostic after ISPA's Core Diagnostic Instrument (CODI).

CODI assesses a country's whole social protection system in three modules (policy,
programme design, programme implementation), each made of key areas, and scores the system
against a standard set of performance criteria tracked over time, so that a second
assessment shows what moved. Here each score is one key area against one criterion, on a
four-point scale (1 weakest, 4 strongest), with the evidence and its source; an assessment is
written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.countries.engagements import get_engagement, require_team
from socialcover.countries.vocabulary import CODI_CRITERIA, CODI_KEY_AREAS, CODI_MODULES
from socialcover.store import RecordNotFoundError, ValidationError, flush_audited, validate_input
from socialcover.store.fields import IsoDate
from socialcover.store.models import CodiAssessment, CodiScore

__all__ = ["CodiInput", "ScoreInput", "codi_assessments", "compare_codi", "record_codi"]


class ScoreInput(BaseModel):
    """One key area scored against one performance criterion."""

    model_config = ConfigDict(extra="forbid")
    module: str = Field(pattern="^(" + "|".join(CODI_MODULES) + ")$")
    key_area: str = Field(pattern=r"^[a-z][a-z0-9_]{1,99}$")
    criterion: str = Field(pattern="^(" + "|".join(CODI_CRITERIA) + ")$")
    score: int = Field(ge=1, le=4)
    evidence: str = Field(min_length=3, max_length=20_000)
    source: str = Field(min_length=3, max_length=2_000)

    @model_validator(mode="after")
    def _area_of_module(self) -> ScoreInput:
        for module, areas in CODI_KEY_AREAS.items():
            if self.key_area in areas and module != self.module:
                raise ValueError(f"key area {self.key_area!r} belongs to module {module!r}")
        return self


class CodiInput(BaseModel):
    """One round of the diagnostic: its date, a label and its scores."""

    model_config = ConfigDict(extra="forbid")
    assessed_on: IsoDate
    label: str = Field(default="", max_length=200)
    scores: list[ScoreInput] = Field(min_length=1, max_length=2_000)

    @model_validator(mode="after")
    def _once_each(self) -> CodiInput:
        seen: set[tuple[str, str]] = set()
        for s in self.scores:
            key = (s.key_area, s.criterion)
            if key in seen:
                raise ValueError(f"{s.key_area} is scored twice on {s.criterion}")
            seen.add(key)
        return self


def record_codi(
    session: Session, actor: Any, engagement_id: int, data: CodiInput | Mapping[str, Any]
) -> CodiAssessment:
    """Record one round of the diagnostic, whole (its team).

    Raises
    ------
    ValidationError
        Any bad score (out of 1-4, an unknown criterion, a key area under the wrong module, no
        evidence or source), or a round already recorded on that date; nothing is saved.
    """
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "record a system diagnostic")
    values = validate_input(CodiInput, data, "CODI assessment")
    clash = session.scalars(
        select(CodiAssessment.id).where(
            CodiAssessment.engagement_id == engagement.id,
            CodiAssessment.assessed_on == values.assessed_on,
        )
    ).first()
    if clash is not None:
        raise ValidationError(
            f"Engagement {engagement.id} already has a CODI assessment on {values.assessed_on}.",
            code="engagement.codi-duplicate",
            hint="A new round is a new date; nothing was saved.",
            fields=["assessed_on"],
        )
    row = CodiAssessment(
        engagement_id=engagement.id, assessed_on=values.assessed_on, label=values.label
    )
    row.scores.extend(CodiScore(**s.model_dump()) for s in values.scores)
    session.add(row)
    flush_audited(session, "engagement.codi")
    return row


def codi_assessments(session: Session, actor: Any, engagement_id: int) -> list[dict[str, Any]]:
    """The rounds of the diagnostic, oldest first, with their scores."""
    engagement = get_engagement(session, actor, engagement_id)
    rounds = session.scalars(
        select(CodiAssessment)
        .where(CodiAssessment.engagement_id == engagement.id)
        .order_by(CodiAssessment.assessed_on)
    )
    return [
        {
            "id": a.id,
            "assessed_on": a.assessed_on,
            "label": a.label,
            "scores": [
                {
                    "module": s.module,
                    "key_area": s.key_area,
                    "criterion": s.criterion,
                    "score": s.score,
                    "evidence": s.evidence,
                    "source": s.source,
                }
                for s in a.scores
            ],
        }
        for a in rounds
    ]


def compare_codi(
    session: Session, actor: Any, engagement_id: int, before_id: int, after_id: int
) -> list[dict[str, Any]]:
    """What moved between two rounds: each (key area, criterion) scored in either, with both
    scores and the change (``None`` where one round did not score it)."""
    rounds = {a["id"]: a for a in codi_assessments(session, actor, engagement_id)}
    for rid in (before_id, after_id):
        if rid not in rounds:
            raise RecordNotFoundError(
                f"No CODI assessment {rid} in engagement {engagement_id}.",
                hint="List the rounds with codi_assessments.",
            )

    def index(rid: int) -> dict[tuple[str, str, str], int]:
        return {
            (s["module"], s["key_area"], s["criterion"]): s["score"] for s in rounds[rid]["scores"]
        }

    old, new = index(before_id), index(after_id)
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        out.append(
            {
                "module": key[0],
                "key_area": key[1],
                "criterion": key[2],
                "before": a,
                "after": b,
                "change": None if a is None or b is None else b - a,
            }
        )
    return out
