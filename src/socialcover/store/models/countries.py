"""Country engagements: technical assistance from diagnosis to an endorsed national strategy.

An engagement (one country, one period) is a reviewed record whose team drafts it and makes
it public (:mod:`socialcover.countries.engagements`); everything else hangs off it: the team
and the national constituents' representatives, the partners, the six stages with their
milestones, the assessment matrix and its recommendations (after the ILO's assessment-based
national dialogue), each constituent's position on each recommendation, the endorsements of
the final set, and the system diagnostics after ISPA's Core Diagnostic Instrument (CODI).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socialcover.store.models.base import Audited, Base, Reviewed

__all__ = [
    "AssessmentCell",
    "CodiAssessment",
    "CodiScore",
    "Endorsement",
    "Engagement",
    "EngagementEvent",
    "EngagementMember",
    "EngagementPartner",
    "EngagementRecommendation",
    "LogframeIndicator",
    "Milestone",
    "Position",
    "Stage",
    "Strategy",
    "StrategyMeasure",
    "StrategyObjective",
    "StrategyProgressReport",
]


class Engagement(Reviewed, Audited, Base):
    """The campaign's technical assistance to one country over one period."""

    __tablename__ = "engagements"
    __table_args__ = (
        UniqueConstraint("country_iso3", "period_start"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(String(3), index=True)
    region: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")

    members: Mapped[list[EngagementMember]] = relationship(
        cascade="all, delete-orphan", order_by="EngagementMember.id"
    )
    partners: Mapped[list[EngagementPartner]] = relationship(
        cascade="all, delete-orphan", order_by="EngagementPartner.id"
    )
    stages: Mapped[list[Stage]] = relationship(cascade="all, delete-orphan", order_by="Stage.id")


class EngagementMember(Audited, Base):
    """A person's role in one engagement: on its team, or representing a national constituent."""

    __tablename__ = "engagement_members"
    __table_args__ = (UniqueConstraint("engagement_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # lead, member, representative
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    constituent: Mapped[str | None] = mapped_column(String(30))


class EngagementPartner(Audited, Base):
    """An organisation in an engagement: a national counterpart (a constituent) or a partner."""

    __tablename__ = "engagement_partners"
    __table_args__ = (UniqueConstraint("engagement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # counterpart, partner
    constituent: Mapped[str | None] = mapped_column(String(30))


class EngagementEvent(Audited, Base):
    """An event of the engagement: a consultation, a validation workshop, a training session.

    The event itself (date, place, agenda, participants, materials) is advocacy's
    :class:`~socialcover.store.models.advocacy.Event`; the engagement's team organises it.
    """

    __tablename__ = "engagement_events"
    __table_args__ = (UniqueConstraint("event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))


class Stage(Audited, Base):
    """One of the six stages of an engagement, with its dates, status and documents."""

    __tablename__ = "engagement_stages"
    __table_args__ = (UniqueConstraint("engagement_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    documents: Mapped[list[str]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")

    milestones: Mapped[list[Milestone]] = relationship(
        cascade="all, delete-orphan", order_by="Milestone.due_on"
    )


class Milestone(Audited, Base):
    """A dated step of a stage (a report delivered, a workshop held)."""

    __tablename__ = "engagement_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_stages.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)


class AssessmentCell(Audited, Base):
    """One cell of the assessment matrix: a guarantee for a population group."""

    __tablename__ = "assessment_cells"
    __table_args__ = (UniqueConstraint("engagement_id", "guarantee", "population_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    guarantee: Mapped[str] = mapped_column(String(30))
    population_group: Mapped[str] = mapped_column(String(100))
    existing_schemes: Mapped[str] = mapped_column(Text, default="")
    legal_coverage: Mapped[str] = mapped_column(Text, default="")
    # the indicator store's observation (one revision: its value, year, source and vintage)
    coverage_observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitor_observations.id", ondelete="SET NULL")
    )
    effective_coverage: Mapped[str] = mapped_column(Text, default="")
    policy_gaps: Mapped[str] = mapped_column(Text, default="")
    implementation_issues: Mapped[str] = mapped_column(Text, default="")


class EngagementRecommendation(Audited, Base):
    """A recommendation of the assessment matrix, costed by a saved scenario, agreed or not."""

    __tablename__ = "engagement_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    cell_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_cells.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    # the saved costing scenario that costs it, at the version the team linked
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("costing_scenarios.id", ondelete="SET NULL"), index=True
    )
    scenario_version: Mapped[int | None] = mapped_column(Integer)
    agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    agreement: Mapped[str] = mapped_column(Text, default="")  # what the dialogue agreed


class Position(Audited, Base):
    """A national constituent's position on one recommendation (its history: audit versions)."""

    __tablename__ = "engagement_positions"
    __table_args__ = (UniqueConstraint("recommendation_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_recommendations.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    constituent: Mapped[str] = mapped_column(String(30))
    stance: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    # the consultation or workshop where the position was stated, if any
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_by: Mapped[str] = mapped_column(String(320))


class Endorsement(Audited, Base):
    """A constituent's endorsement of the agreed recommendations: by whom, when, the document."""

    __tablename__ = "engagement_endorsements"
    __table_args__ = (UniqueConstraint("engagement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    constituent: Mapped[str] = mapped_column(String(30))
    signed_by: Mapped[str] = mapped_column(String(200))
    endorsed_on: Mapped[dt.date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(String(500))
    recommendation_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)


class CodiAssessment(Audited, Base):
    """One round of the system diagnostic (CODI); a later round shows what moved."""

    __tablename__ = "codi_assessments"
    __table_args__ = (UniqueConstraint("engagement_id", "assessed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(200), default="")

    scores: Mapped[list[CodiScore]] = relationship(
        cascade="all, delete-orphan", order_by="CodiScore.id"
    )


class CodiScore(Audited, Base):
    """A key area scored 1-4 against one performance criterion, with its evidence and source."""

    __tablename__ = "codi_scores"
    __table_args__ = (
        UniqueConstraint("assessment_id", "key_area", "criterion"),
        CheckConstraint("score BETWEEN 1 AND 4", name="four_point_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("codi_assessments.id", ondelete="CASCADE"), index=True
    )
    module: Mapped[str] = mapped_column(String(30))
    key_area: Mapped[str] = mapped_column(String(100))
    criterion: Mapped[str] = mapped_column(String(60))
    score: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


class Strategy(Audited, Base):
    """The national strategy an engagement helps formulate (one per engagement); its team
    drafts it and makes it public (``status``: draft, published)."""

    __tablename__ = "engagement_strategies"
    __table_args__ = (
        UniqueConstraint("engagement_id"),
        CheckConstraint("end_year >= start_year", name="strategy_years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    vision: Mapped[str] = mapped_column(Text, default="")
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")

    objectives: Mapped[list[StrategyObjective]] = relationship(
        cascade="all, delete-orphan", order_by="StrategyObjective.id"
    )
    measures: Mapped[list[StrategyMeasure]] = relationship(
        cascade="all, delete-orphan", order_by="StrategyMeasure.id"
    )
    logframe: Mapped[list[LogframeIndicator]] = relationship(
        cascade="all, delete-orphan", order_by="LogframeIndicator.id"
    )


class StrategyObjective(Audited, Base):
    """An objective of the strategy."""

    __tablename__ = "strategy_objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_strategies.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)


class StrategyMeasure(Audited, Base):
    """A measure of the strategy: what is done, when, by whom, carrying out which
    recommendations (and their saved costing scenarios)."""

    __tablename__ = "strategy_measures"
    __table_args__ = (CheckConstraint("end_year >= start_year", name="measure_years"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_strategies.id", ondelete="CASCADE"), index=True
    )
    objective_id: Mapped[int | None] = mapped_column(
        ForeignKey("strategy_objectives.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    responsible: Mapped[str] = mapped_column(String(300), default="")
    responsible_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    recommendation_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)


class LogframeIndicator(Audited, Base):
    """A row of the logframe: an indicator of the monitor registry with its baseline (an
    observation of the store), its target and its means of verification."""

    __tablename__ = "strategy_logframe"
    __table_args__ = (UniqueConstraint("strategy_id", "indicator", "sex"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_strategies.id", ondelete="CASCADE"), index=True
    )
    objective_id: Mapped[int | None] = mapped_column(
        ForeignKey("strategy_objectives.id", ondelete="SET NULL")
    )
    level: Mapped[str] = mapped_column(String(20))  # impact, outcome, output
    indicator: Mapped[str] = mapped_column(String(100))
    sex: Mapped[str] = mapped_column(String(10), default="both")
    baseline_observation_id: Mapped[int | None] = mapped_column(
        ForeignKey("monitor_observations.id", ondelete="SET NULL")
    )
    target_value: Mapped[float] = mapped_column(Float)
    target_year: Mapped[int] = mapped_column(Integer)
    means_of_verification: Mapped[str] = mapped_column(Text, default="")


class StrategyProgressReport(Audited, Base):
    """A progress report issued by the strategy's team for a period: what the logframe's
    indicators stood at when it was issued (``rows``: each row's baseline, target, latest
    observation with its id, revision, source and vintage, and status), kept as it was read so
    that later revisions in the indicator store do not change it."""

    __tablename__ = "strategy_progress_reports"
    __table_args__ = (UniqueConstraint("strategy_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_strategies.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(10))  # 2025, 2025-H1, 2025-Q3, 2025-06, ...
    note: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[dt.datetime] = mapped_column()
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_by: Mapped[str] = mapped_column(String(320), default="")
    strategy_title: Mapped[str] = mapped_column(String(300))
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
