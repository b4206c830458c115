"""The assessment matrix as it is read: each cell with its cited observation, and each
recommendation with its constituents' positions and its cost (:mod:`.matrix` writes it,
:mod:`.dialogue` records the positions, :mod:`.costs` costs the linked scenarios)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.countries.costs import scenario_cost
from socialcover.countries.dialogue import positions_of
from socialcover.countries.engagements import get_engagement
from socialcover.countries.vocabulary import GUARANTEES
from socialcover.errors import SocialcoverError
from socialcover.store.models import AssessmentCell, EngagementRecommendation, Observation

__all__ = ["assessment_matrix"]


def _observation_dict(obs: Observation | None) -> dict[str, Any] | None:
    if obs is None:
        return None
    return {
        "id": obs.id,
        "indicator": obs.indicator,
        "area": obs.area,
        "year": obs.year,
        "sex": obs.sex,
        "value": obs.value,
        "revision": obs.revision,
        "source": obs.source,
        "vintage": obs.vintage,
    }


def assessment_matrix(session: Session, actor: Any, engagement_id: int) -> list[dict[str, Any]]:
    """The matrix as rows (guarantee order of the floor), each with its cited observation and
    its recommendations (with their positions and, when costed, their scenario's costs).

    Recommendations outside any cell come last, in a row with ``guarantee`` ``None``.
    """
    engagement = get_engagement(session, actor, engagement_id)
    cells = list(
        session.scalars(select(AssessmentCell).where(AssessmentCell.engagement_id == engagement.id))
    )
    cells.sort(key=lambda c: (GUARANTEES.index(c.guarantee), c.population_group, c.id))
    recs = list(
        session.scalars(
            select(EngagementRecommendation)
            .where(EngagementRecommendation.engagement_id == engagement.id)
            .order_by(EngagementRecommendation.id)
        )
    )
    positions = positions_of(session, actor, engagement.id)

    def cost(r: EngagementRecommendation) -> dict[str, Any] | None:
        if r.scenario_id is None:
            return None
        try:
            return scenario_cost(
                session, r.scenario_id, r.scenario_version or 1, engagement.country_iso3
            )
        except SocialcoverError as exc:  # no pack, or the scenario is gone: say so in the row
            return {"error": f"{exc.message} {exc.hint}".strip()}

    def rec_dict(r: EngagementRecommendation) -> dict[str, Any]:
        return {
            "id": r.id,
            "text": r.text,
            "cell_id": r.cell_id,
            "scenario_id": r.scenario_id,
            "scenario_version": r.scenario_version,
            "cost": cost(r),
            "agreed": r.agreed,
            "agreement": r.agreement,
            "positions": [p for p in positions if p["recommendation_id"] == r.id],
        }

    rows: list[dict[str, Any]] = []
    for c in cells:
        obs = (
            session.get(Observation, c.coverage_observation_id)
            if c.coverage_observation_id
            else None
        )
        rows.append(
            {
                "id": c.id,
                "guarantee": c.guarantee,
                "population_group": c.population_group,
                "existing_schemes": c.existing_schemes,
                "legal_coverage": c.legal_coverage,
                "effective_coverage": c.effective_coverage,
                "observation": _observation_dict(obs),
                "policy_gaps": c.policy_gaps,
                "implementation_issues": c.implementation_issues,
                "recommendations": [rec_dict(r) for r in recs if r.cell_id == c.id],
            }
        )
    loose = [rec_dict(r) for r in recs if r.cell_id is None]
    if loose:
        rows.append(
            {
                "id": None,
                "guarantee": None,
                "population_group": "",
                "existing_schemes": "",
                "legal_coverage": "",
                "effective_coverage": "",
                "observation": None,
                "policy_gaps": "",
                "implementation_issues": "",
                "recommendations": loose,
            }
        )
    return rows
