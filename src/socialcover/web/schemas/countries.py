"""Answers of the country engagement routes: the engagement, its matrix, dialogue, events,
CODI rounds and national strategy.

Each mirrors a domain function of :mod:`socialcover.countries`: ``engagement_as_dict``,
``assessment_matrix``, ``position_history``, ``set_cost``, ``engagement_events``,
``endorsements_of``, ``codi_assessments``, ``compare_codi``, ``strategy_as_dict``,
``strategy_financing`` and ``progress_report``. Nested parts that are read as documents
(observations, scores, scenario labels) stay open objects.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from socialcover.countries import EngagementInput
from socialcover.web.schemas import Out, record_model
from socialcover.web.schemas.advocacy import EventOut, ParticipantCountsOut

__all__ = [
    "AgreedOut",
    "CellItemsOut",
    "CodiComparisonOut",
    "CodiRoundsOut",
    "EndorsementsOut",
    "EngagementEventOut",
    "EngagementEventsOut",
    "EngagementOut",
    "FinancingOut",
    "MatrixOut",
    "PositionHistoryOut",
    "PositionOut",
    "ProgressOut",
    "ProgressReportOut",
    "ProgressReportSummary",
    "ProgressReportsOut",
    "RecommendationOut",
    "SetCostOut",
    "StrategyOut",
    "TeamParticipantOut",
]


class EngagementPartner(Out):
    """A counterpart or partner organisation of an engagement."""

    organisation_id: int
    name: str
    kind: str | None = None
    constituent: str | None = None


class Milestone(Out):
    """A milestone of a stage."""

    title: str
    due_on: str | None = None
    done_on: str | None = None


class Stage(Out):
    """One stage of the engagement, its dates, documents and milestones."""

    stage: str
    status: str
    starts_on: str | None = None
    ends_on: str | None = None
    documents: list[Any] = Field(default_factory=list)
    note: str | None = None
    milestones: list[Milestone] = Field(default_factory=list)


class Member(Out):
    """A person with a role in the engagement (shown to its team and representatives)."""

    user_id: int
    name: str
    role: str
    organisation_id: int | None = None
    constituent: str | None = None


EngagementOut = record_model(
    "EngagementOut",
    EngagementInput,
    "A country engagement: its stages, partners, state; members for the team.",
    id=(int, ...),
    status=(str, ...),
    version=(int, ...),
    current_stage=(str | None, None),
    editable=(bool, ...),
    partners=(list[EngagementPartner], ...),
    stages=(list[Stage], ...),
    members=(list[Member] | None, None),
)


class MatrixRecommendation(Out):
    """A recommendation in a cell of the matrix, its costed scenario and positions."""

    id: int
    text: str
    cell_id: int | None = None
    scenario_id: int | None = None
    scenario_version: int | None = None
    agreed: bool | None = None
    agreement: str | None = None


class MatrixRow(Out):
    """A guarantee and population group: schemes, coverage, gaps, recommendations."""

    id: int | None = None
    guarantee: str
    population_group: str
    recommendations: list[MatrixRecommendation] = Field(default_factory=list)


class MatrixOut(Out):
    """The assessment matrix, row by row."""

    items: list[MatrixRow]


class CellItemsOut(MatrixOut):
    """The cell just written, and the matrix."""

    id: int


class RecommendationOut(Out):
    """A recommendation of the matrix."""

    id: int
    text: str
    cell_id: int | None = None


class PositionOut(Out):
    """A constituent's stance on a recommendation."""

    id: int
    stance: str
    constituent: str | None = None
    version: int


class PositionVersion(Out):
    """A position as it stood at one version."""

    version: int
    stance: str
    text: str | None = None
    event_id: int | None = None
    recorded_by: str | None = None
    at: str | None = None


class PositionHistoryOut(Out):
    """How a position moved, oldest first."""

    items: list[PositionVersion]


class AgreedOut(Out):
    """What was agreed on a recommendation."""

    id: int
    agreed: bool
    agreement: str | None = None


class SetCostOut(Out):
    """The summed costs of a set of recommendations, year by year, with the financing gap."""

    recommendation_ids: list[int]
    years: list[dict[str, Any]]


class TeamParticipantOut(Out):
    """A participant just added to an engagement's event."""

    id: int
    event_id: int


EngagementEventOut = record_model(
    "EngagementEventOut",
    EventOut,
    "An engagement's event with its counts; the participants for the team.",
    counts=(ParticipantCountsOut, ...),
    participants=(list[dict[str, Any]] | None, None),
)


class EngagementEventsOut(Out):
    """The engagement's consultations, workshops and training sessions."""

    items: list[EngagementEventOut]  # type: ignore[valid-type]


class Endorsement(Out):
    """A constituent's endorsement of the agreed recommendations."""

    organisation_id: int | None = None
    organisation: str | None = None
    constituent: str | None = None
    signed_by: str | None = None
    endorsed_on: str
    document: str | None = None
    recommendation_ids: list[int] = Field(default_factory=list)


class EndorsementsOut(Out):
    """Who endorsed the final set."""

    items: list[Endorsement]


class CodiRound(Out):
    """A round of the CODI diagnostic and its scores."""

    id: int
    assessed_on: str
    label: str | None = None
    scores: list[dict[str, Any]]


class CodiRoundsOut(Out):
    """The rounds of the CODI diagnostic."""

    items: list[CodiRound]


class CodiChange(Out):
    """A criterion's score in two rounds."""

    module: str
    key_area: str
    criterion: str
    before: float | None = None
    after: float | None = None
    change: float | None = None


class CodiComparisonOut(Out):
    """What moved between two rounds."""

    items: list[CodiChange]


class StrategyOut(Out):
    """A national strategy: objectives with their measures, timeline and logframe."""

    id: int | None = None
    engagement_id: int
    title: str | None = None
    vision: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    status: str | None = None
    editable: bool
    objectives: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    logframe: list[dict[str, Any]]


class FinancingOut(Out):
    """The strategy's costs, measure by measure and year by year, against fiscal space."""

    scenarios: list[Any]
    measures: list[dict[str, Any]]
    years: list[dict[str, Any]]


class ProgressRow(Out):
    """A logframe indicator: baseline, target, latest value, pace and status."""

    id: int
    level: str
    indicator: str
    sex: str | None = None
    baseline: dict[str, Any] | None = None
    target_value: float | None = None
    target_year: int | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    pace_pp_year: float | None = None
    projected_value: float | None = None
    status: str
    reason: str | None = None


class ProgressOut(Out):
    """Progress report on the logframe."""

    items: list[ProgressRow]


class ProgressReportSummary(Out):
    """An issued progress report: its period, when, and how many indicators in each status."""

    id: int
    period: str
    issued_at: str
    strategy_title: str | None = None
    note: str | None = None
    indicators: int
    statuses: dict[str, int]
    issued_by: int | str | None = None


class ProgressReportsOut(Out):
    """The progress reports issued on a strategy, newest first."""

    items: list[ProgressReportSummary]


class ProgressReportOut(ProgressReportSummary):
    """One issued progress report with its rows as the indicator store read them then."""

    engagement_id: int
    country_iso3: str
    rows: list[dict[str, Any]]
