"""The assessment matrix: for each guarantee and population group, what exists, the coverage
it reaches (citing the indicator store), the gaps, and the recommendations.

This is the first step of the ILO's assessment-based national dialogue (ABND): the matrix
compares the social protection in place with the guarantees of the floor and proposes
recommendations, which are then costed (each links to a saved costing scenario) and discussed
with the national constituents (:mod:`socialcover.countries.dialogue`).

A cell's effective coverage cites one observation of the indicator store
(:mod:`socialcover.monitor`): the revision cited, so that its value, year, source and vintage
stay what the team read, even once the store holds a newer revision. Only observations of the
engagement's country in an approved data set may be cited, since readers see the matrix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.countries.engagements import get_engagement, require_team
from socialcover.countries.vocabulary import GUARANTEES
from socialcover.store import (
    RecordNotFoundError,
    ValidationError,
    flush_audited,
    validate_input,
)
from socialcover.store.fields import RecordRef
from socialcover.store.models import (
    AssessmentCell,
    DataSet,
    Engagement,
    EngagementRecommendation,
    Observation,
)

__all__ = [
    "CellInput",
    "RecommendationInput",
    "add_recommendation",
    "cited_observation",
    "get_recommendation",
    "set_cell",
    "update_recommendation",
]

_TEXT = Field(default="", max_length=20_000)


class CellInput(BaseModel):
    """One cell of the matrix (a guarantee for a population group)."""

    model_config = ConfigDict(extra="forbid")
    guarantee: str = Field(pattern="^(" + "|".join(GUARANTEES) + ")$")
    population_group: str = Field(min_length=2, max_length=100)
    existing_schemes: str = _TEXT
    legal_coverage: str = _TEXT
    coverage_observation_id: RecordRef | None = None
    effective_coverage: str = _TEXT
    policy_gaps: str = _TEXT
    implementation_issues: str = _TEXT


class RecommendationInput(BaseModel):
    """A recommendation of the matrix, optionally in a cell and costed by a saved scenario."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=3, max_length=20_000)
    cell_id: RecordRef | None = None
    scenario_id: RecordRef | None = None


def cited_observation(session: Session, engagement: Engagement, observation_id: int) -> Observation:
    """The observation a cell cites, checked: it exists, is of the engagement's country and
    its data set is approved.

    Raises
    ------
    ValidationError
        ``engagement.unknown-observation``, ``engagement.observation-elsewhere`` or
        ``engagement.unapproved-observation``.
    """
    obs = session.get(Observation, observation_id)
    if obs is None:
        raise ValidationError(
            f"No observation {observation_id} in the indicator store.",
            code="engagement.unknown-observation",
            hint="List the country's observations (/monitor, or `socialcover monitor show`) and "
            "cite one by its id. Nothing was saved.",
            fields=["coverage_observation_id"],
        )
    if obs.area != engagement.country_iso3:
        raise ValidationError(
            f"Observation {observation_id} is of {obs.area}, not {engagement.country_iso3}.",
            code="engagement.observation-elsewhere",
            hint="Cite an observation of the engagement's country. Nothing was saved.",
            fields=["coverage_observation_id"],
        )
    data_set = session.get(DataSet, obs.data_set_id)
    if data_set is None or data_set.status != "approved":
        raise ValidationError(
            f"Observation {observation_id} is in a data set not yet approved.",
            code="engagement.unapproved-observation",
            hint="Have the data set approved first: the matrix is public once the engagement "
            "is. Nothing was saved.",
            fields=["coverage_observation_id"],
        )
    return obs


def set_cell(
    session: Session, actor: Any, engagement_id: int, data: CellInput | Mapping[str, Any]
) -> AssessmentCell:
    """Write a cell of the matrix (its team): created, or replaced whole if it exists."""
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "fill its assessment matrix")
    values = validate_input(CellInput, data, "matrix cell")
    if values.coverage_observation_id is not None:
        cited_observation(session, engagement, values.coverage_observation_id)
    cell = session.scalars(
        select(AssessmentCell).where(
            AssessmentCell.engagement_id == engagement.id,
            AssessmentCell.guarantee == values.guarantee,
            AssessmentCell.population_group == values.population_group,
        )
    ).first()
    if cell is None:
        cell = AssessmentCell(engagement_id=engagement.id, **values.model_dump())
        session.add(cell)
    else:
        for key, value in values.model_dump().items():
            if getattr(cell, key) != value:
                setattr(cell, key, value)
    flush_audited(session, "engagement.matrix")
    return cell


def _check_links(
    session: Session, actor: Any, engagement: Engagement, values: RecommendationInput
) -> int | None:
    """Check the cell and the scenario; return the scenario version to link (or ``None``)."""
    if values.cell_id is not None:
        cell = session.get(AssessmentCell, values.cell_id)
        if cell is None or cell.engagement_id != engagement.id:
            raise ValidationError(
                f"No cell {values.cell_id} in the matrix of engagement {engagement.id}.",
                code="engagement.unknown-cell",
                hint="Give the id of a cell of this engagement's matrix. Nothing was saved.",
                fields=["cell_id"],
            )
    if values.scenario_id is None:
        return None
    from socialcover.countries.costs import check_scenario

    return check_scenario(session, actor, engagement, values.scenario_id)


def get_recommendation(
    session: Session, actor: Any, recommendation_id: int
) -> tuple[EngagementRecommendation, Engagement]:
    """A recommendation and its engagement, if ``actor`` may see the engagement."""
    rec = session.get(EngagementRecommendation, recommendation_id)
    if rec is None:
        raise RecordNotFoundError(
            f"No recommendation {recommendation_id}.",
            hint="The engagement's matrix lists its recommendations.",
        )
    return rec, get_engagement(session, actor, rec.engagement_id)


def add_recommendation(
    session: Session,
    actor: Any,
    engagement_id: int,
    data: RecommendationInput | Mapping[str, Any],
) -> EngagementRecommendation:
    """Add a recommendation to the matrix (its team)."""
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "add recommendations")
    values = validate_input(RecommendationInput, data, "recommendation")
    version = _check_links(session, actor, engagement, values)
    rec = EngagementRecommendation(
        engagement_id=engagement.id, scenario_version=version, **values.model_dump()
    )
    session.add(rec)
    flush_audited(session, "engagement.recommendation")
    return rec


def update_recommendation(
    session: Session, actor: Any, recommendation_id: int, changes: Mapping[str, Any]
) -> EngagementRecommendation:
    """Change a recommendation's text, cell or costing scenario (its team).

    Giving ``scenario_id`` (even the same one) links the scenario's current version.
    """
    rec, engagement = get_recommendation(session, actor, recommendation_id)
    require_team(actor, engagement, "change recommendations")
    current = {k: getattr(rec, k) for k in RecommendationInput.model_fields}
    values = validate_input(RecommendationInput, current | dict(changes), "recommendation")
    version = _check_links(session, actor, engagement, values)
    if "scenario_id" in changes or values.scenario_id is None:
        rec.scenario_version = version
    for key, value in values.model_dump().items():
        if getattr(rec, key) != value:
            setattr(rec, key, value)
    flush_audited(session, "engagement.recommendation")
    return rec
