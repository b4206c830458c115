"""Training: courses (title, topics, language, materials, trainers), the training sessions
(events of kind ``training_session``) that deliver them, and each participant's pre and post
assessment scores.

A score belongs to one participant row of one of the course's sessions
(:class:`~socialcover.store.models.advocacy.EventParticipant`); it is personal data, seen by the
course's owner and the organisers of that session only, while everyone sees the course's mean
gain overall and by sex and constituent (:mod:`socialcover.advocacy.training`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socialcover.store.models.advocacy import Event, EventParticipant
from socialcover.store.models.base import Audited, Base

__all__ = ["TrainingAssessment", "TrainingCourse", "TrainingCourseSession"]


class TrainingCourse(Audited, Base):
    """A course: what is taught, in which language, with which materials and trainers.

    ``topics`` is a list of short strings; ``materials`` a list of ``{"title", "url"}``;
    ``trainers`` a list of ``{"name", "affiliation"}``. ``max_score`` is the top of the
    assessment scale (100 by default); every score lies between 0 and it.
    """

    __tablename__ = "training_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(2), default="en")
    materials: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    trainers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    max_score: Mapped[float] = mapped_column(Float, default=100.0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    sessions: Mapped[list[TrainingCourseSession]] = relationship(
        back_populates="course", cascade="all, delete-orphan"
    )


class TrainingCourseSession(Audited, Base):
    """One training session (an event) that delivers a course; an event delivers one course."""

    __tablename__ = "training_course_sessions"
    __table_args__ = (UniqueConstraint("event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))

    course: Mapped[TrainingCourse] = relationship(back_populates="sessions")
    event: Mapped[Event] = relationship()


class TrainingAssessment(Audited, Base):
    """A participant's scores before and after a course (either may be missing)."""

    __tablename__ = "training_assessments"
    __table_args__ = (UniqueConstraint("participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("event_participants.id", ondelete="CASCADE")
    )
    pre_score: Mapped[float | None] = mapped_column(Float)
    post_score: Mapped[float | None] = mapped_column(Float)
    assessed_at: Mapped[dt.datetime | None]

    participant: Mapped[EventParticipant] = relationship()
