"""What the recommendations cost: the saved costing scenarios they link to, costed for the
engagement's country, and the sum of a chosen set against the financing gap.

A recommendation links to one version of a saved scenario (:mod:`socialcover.store.scenarios`):
the version the team linked, so that the cost the matrix shows stays the one discussed even
when the scenario is saved again. Its cost is the costing engine's projection
(:func:`socialcover.costing.project_costs`, ILO Rapid Assessment Protocol) of that version's
document for the engagement's country, year by year over the scenario's horizon: in local
currency, % of GDP and % of government expenditure, with the financing gap (cost minus current
spending on the same guarantees).

The sum of a set adds the recommendations' costs year by year; it assumes their scenarios
cost different benefits (two scenarios paying the same benefit would count it twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from socialcover.store import RecordNotFoundError, ValidationError, history
from socialcover.store.models import CostingScenario, Engagement, EngagementRecommendation

__all__ = ["check_scenario", "scenario_cost", "scenario_label", "set_cost"]

_COLUMNS = (
    "cost_lcu",
    "cost_pct_gdp",
    "cost_pct_gov_expenditure",
    "current_spending_lcu",
    "financing_gap_lcu",
    "financing_gap_pct_gdp",
)


def check_scenario(session: Session, actor: Any, engagement: Engagement, scenario_id: int) -> int:
    """The current version of a saved scenario ``actor`` may see that applies to the
    engagement's country (the version a recommendation then links to).

    Raises
    ------
    ValidationError
        ``engagement.unknown-scenario`` (none that ``actor`` may see) or
        ``engagement.scenario-elsewhere`` (a scenario of another country).
    """
    from socialcover.store.scenarios import SCENARIOS

    try:
        record = SCENARIOS.get(session, actor, scenario_id)
    except RecordNotFoundError:
        raise ValidationError(
            f"No saved costing scenario {scenario_id} that you may see.",
            code="engagement.unknown-scenario",
            hint="Save the scenario first (the costing page, or `socialcover cost save`), and "
            "give its id. Nothing was saved.",
            fields=["scenario_id"],
        ) from None
    if record.country_iso3 and record.country_iso3 != engagement.country_iso3:
        raise ValidationError(
            f"Costing scenario {scenario_id} ({record.name!r}) costs {record.country_iso3}, "
            f"not {engagement.country_iso3}.",
            code="engagement.scenario-elsewhere",
            hint="Link a scenario of the engagement's country. Nothing was saved.",
            fields=["scenario_id"],
        )
    return int(record.version)


def _document(session: Session, scenario_id: int, version: int) -> tuple[str, dict[str, Any]]:
    """The name and scenario document of one version of a saved scenario."""
    record = session.get(CostingScenario, scenario_id)
    if record is None:
        raise RecordNotFoundError(
            f"Costing scenario {scenario_id} no longer exists.",
            hint="Link the recommendation to another saved scenario.",
        )
    if record.version == version:
        return record.name, dict(record.document)
    for entry in reversed(history(session, CostingScenario.__tablename__, scenario_id)):
        if entry.version == version and entry.after is not None:
            return str(entry.after["name"]), dict(entry.after["document"])
    raise RecordNotFoundError(
        f"Costing scenario {scenario_id} has no version {version}.",
        hint=f"Its versions run from 1 to {record.version}.",
    )


def _projection(session: Session, scenario_id: int, version: int, iso3: str) -> pl.DataFrame:
    from socialcover.costing import load_scenario, project_costs

    _name, document = _document(session, scenario_id, version)
    result = project_costs(load_scenario(document), countries=[iso3])
    return result.totals.filter(pl.col("iso3") == iso3).select("year", *_COLUMNS).sort("year")


def scenario_label(session: Session, scenario_id: int, version: int) -> str:
    """A saved scenario's version as ``name@version`` (as the matrix and the brief cite it)."""
    return f"{_document(session, scenario_id, version)[0]}@{version}"


def scenario_cost(session: Session, scenario_id: int, version: int, iso3: str) -> dict[str, Any]:
    """The cost of one version of a saved scenario for one country, year by year.

    Returns
    -------
    dict
        ``scenario`` (``name@version``), ``scenario_id``, ``version``, ``first`` and ``last``
        (the base and horizon years' rows) and ``years`` (every row: year, cost_lcu,
        cost_pct_gdp, cost_pct_gov_expenditure, current_spending_lcu, financing_gap_lcu,
        financing_gap_pct_gdp).
    """
    name = _document(session, scenario_id, version)[0]
    rows = _projection(session, scenario_id, version, iso3).to_dicts()
    return {
        "scenario": f"{name}@{version}",
        "scenario_id": scenario_id,
        "version": version,
        "first": rows[0] if rows else None,
        "last": rows[-1] if rows else None,
        "years": rows,
    }


def set_cost(
    session: Session,
    actor: Any,
    engagement_id: int,
    recommendation_ids: Sequence[int] | None = None,
) -> dict[str, Any]:
    """The cost of a chosen set of costed recommendations, summed year by year.

    Parameters
    ----------
    recommendation_ids
        The set; ``None`` takes the agreed ones (the final set).

    Returns
    -------
    dict
        ``recommendation_ids`` (those summed), ``years`` (per year: the sums of cost_lcu,
        cost_pct_gdp, cost_pct_gov_expenditure, current_spending_lcu, financing_gap_lcu and
        financing_gap_pct_gdp).

    Raises
    ------
    ValidationError
        A recommendation not of this engagement, or one not costed.
    """
    from sqlalchemy import select

    from socialcover.countries.engagements import get_engagement

    engagement = get_engagement(session, actor, engagement_id)
    query = select(EngagementRecommendation).where(
        EngagementRecommendation.engagement_id == engagement.id
    )
    recs = {r.id: r for r in session.scalars(query)}
    if recommendation_ids is None:
        chosen = [r for r in recs.values() if r.agreed and r.scenario_id]
    else:
        unknown = sorted(set(recommendation_ids) - set(recs))
        if unknown:
            raise ValidationError(
                f"Engagement {engagement.id} has no recommendation {unknown[0]}.",
                code="engagement.unknown-recommendation",
                hint="Choose among the recommendations of its matrix.",
                fields=["recommendation_ids"],
            )
        chosen = [recs[i] for i in dict.fromkeys(recommendation_ids)]
        uncosted = [r.id for r in chosen if not r.scenario_id]
        if uncosted:
            raise ValidationError(
                f"Recommendation {uncosted[0]} is not costed.",
                code="engagement.not-costed",
                hint="Link it to a saved costing scenario first.",
                fields=["recommendation_ids"],
            )
    frames = [
        _projection(
            session, int(r.scenario_id or 0), int(r.scenario_version or 1), engagement.country_iso3
        )
        for r in chosen
    ]
    if not frames:
        return {"recommendation_ids": [], "years": []}
    total = pl.concat(frames).group_by("year").agg(pl.col(c).sum() for c in _COLUMNS).sort("year")
    return {"recommendation_ids": [r.id for r in chosen], "years": total.to_dicts()}
