"""Evaluations: the register of what the campaign evaluated, their recommendations and follow-up,
and the schedule of regular evaluations.

An evaluation is a reviewed record (drafted, submitted, published); its recommendations are
records of their own, because management responds to them and follows them up long after the
evaluation is published (:mod:`socialcover.monitor.evaluations`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from socialcover.store.models.base import Audited, Base, Reviewed

__all__ = ["Evaluation", "Recommendation", "ScheduledEvaluation"]


class Evaluation(Reviewed, Audited, Base):
    """One evaluation of a programme, a country engagement, a practice or the campaign itself."""

    __tablename__ = "evaluations"
    __table_args__ = (Index("ix_evaluations_subject", "subject_type", "subject_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    subject_type: Mapped[str] = mapped_column(String(30))
    # a practice id for a practice, an ISO3 code for a country engagement, free text for a
    # programme, empty for the campaign itself
    subject_ref: Mapped[str] = mapped_column(String(300), default="")
    evaluation_type: Mapped[str] = mapped_column(String(20))
    country_iso3: Mapped[str | None] = mapped_column(String(3), index=True)
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    evaluators: Mapped[list[str]] = mapped_column(default=list)
    method: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    report: Mapped[str] = mapped_column(String(500), default="")  # a path or a URL


class Recommendation(Audited, Base):
    """One recommendation of an evaluation, with management's response and its follow-up."""

    __tablename__ = "evaluation_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    response: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(String(20), default="open")
    due_on: Mapped[dt.date | None] = mapped_column(Date)


class ScheduledEvaluation(Audited, Base):
    """A planned evaluation of the regular schedule: a subject, a type and a date."""

    __tablename__ = "evaluation_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_ref: Mapped[str] = mapped_column(String(300), default="")
    evaluation_type: Mapped[str] = mapped_column(String(20))
    planned_on: Mapped[dt.date] = mapped_column(Date, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
