"""Training courses, the sessions that deliver them, and what participants learnt.

A course (:class:`~socialcover.store.models.TrainingCourse`) has a title, topics, a language,
materials and trainers; its sessions are events of kind ``training_session``
(:mod:`socialcover.advocacy.events`), linked with :func:`add_course_session`, so their
participants, by sex, constituent and country, are the events' participants. Each participant
may have a score before the course and one after (:func:`record_scores`); the gain is the post
score minus the pre score, in points of the course's scale (0 to ``max_score``).

Who sees what:

- everyone sees a course and its results (:func:`course_results`): the number assessed, the
  mean pre and post scores and the mean gain, overall and by sex and constituent, over the
  participants of the course's **published** sessions who have both scores;
- a signed-in person with ``training.edit`` creates a course; its owner (or a role with
  ``training.edit_any``) edits it and links sessions, and only sessions he or she organises;
- a participant's scores are personal data, as names and e-mails are: the organisers of that
  session record and read them (:func:`record_scores`, :func:`list_scores`), and the course's
  owner reads them; anyone else gets ``event.not-organiser``.

The campaign's "people trained" indicator (:mod:`socialcover.monitor.process`) counts these
records: a person attending several sessions of one course is trained once, in the year of the
first session attended.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.advocacy.events import EVENTS
from socialcover.advocacy.participants import CONSTITUENTS, SEXES, is_organiser
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    ValidationError,
    can,
    flush_audited,
    require,
    validate_input,
)
from socialcover.store.models import (
    Event,
    EventParticipant,
    TrainingAssessment,
    TrainingCourse,
    TrainingCourseSession,
    utcnow,
)
from socialcover.store.workflow import PUBLISHED

__all__ = [
    "CourseInput",
    "CourseResults",
    "GainSummary",
    "MaterialLink",
    "ScoresInput",
    "Trainer",
    "add_course_session",
    "course_as_dict",
    "course_results",
    "create_course",
    "get_course",
    "list_courses",
    "list_scores",
    "record_scores",
    "remove_course_session",
    "update_course",
]


class MaterialLink(BaseModel):
    """A course material: a title and a link."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    url: str = Field(pattern=r"^https?://\S+$", max_length=2000)


class Trainer(BaseModel):
    """A trainer: a name and an affiliation."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    affiliation: str = Field(default="", max_length=300)


class CourseInput(BaseModel):
    """A course as submitted, validated whole before anything is written."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    summary: str = Field(default="", max_length=20_000)
    topics: list[str] = Field(default_factory=list, max_length=50)
    language: Literal["en", "fr", "es"] = "en"
    materials: list[MaterialLink] = Field(default_factory=list, max_length=100)
    trainers: list[Trainer] = Field(default_factory=list, max_length=100)
    max_score: float = Field(default=100.0, gt=0, le=10_000)

    @field_validator("topics")
    @classmethod
    def _topics(cls, v: list[str]) -> list[str]:
        out: list[str] = []
        for topic in (t.strip() for t in v):
            if not topic or len(topic) > 100:
                raise ValueError(f"a topic must have 1 to 100 characters, not {topic!r}")
            if topic not in out:
                out.append(topic)
        return out


class ScoresInput(BaseModel):
    """A participant's scores before and after the course (either may be left out)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    pre_score: float | None = Field(default=None, ge=0)
    post_score: float | None = Field(default=None, ge=0)


# --- courses ----------------------------------------------------------------------------------


def course_as_dict(course: TrainingCourse) -> dict[str, Any]:
    """A course as the API gives it (no personal data: trainers are named publicly)."""
    return {
        "id": course.id,
        "title": course.title,
        "summary": course.summary,
        "topics": list(course.topics),
        "language": course.language,
        "materials": list(course.materials),
        "trainers": list(course.trainers),
        "max_score": course.max_score,
        "sessions": sorted(s.event_id for s in course.sessions),
        "version": course.version,
    }


def get_course(session: Session, course_id: int) -> TrainingCourse:
    """The course with this id (public).

    Raises
    ------
    socialcover.store.RecordNotFoundError
        No such course (``training.not-found``).
    """
    course = session.get(TrainingCourse, course_id)
    if course is None:
        raise RecordNotFoundError(
            f"There is no training course {course_id}.",
            code="training.not-found",
            hint="List the courses (GET /api/v1/training/courses) for their ids.",
        )
    return course


def list_courses(
    session: Session, *, topic: str | None = None, language: str | None = None
) -> list[TrainingCourse]:
    """Every course, newest first; ``topic`` keeps those with that topic (any case)."""
    query = select(TrainingCourse).order_by(TrainingCourse.id.desc())
    if language:
        query = query.where(TrainingCourse.language == language)
    courses = list(session.scalars(query))
    if topic:
        wanted = topic.strip().lower()
        courses = [c for c in courses if any(t.lower() == wanted for t in c.topics)]
    return courses


def _values(data: CourseInput) -> dict[str, Any]:
    return data.model_dump(mode="json")


def create_course(
    session: Session, actor: Any, data: CourseInput | Mapping[str, Any]
) -> TrainingCourse:
    """Create a course (needs ``training.edit``); audited as ``training.create``.

    Raises
    ------
    socialcover.store.PermissionDeniedError
        The role may not create courses.
    socialcover.store.ValidationError
        A bad field (``store.invalid``, naming it); nothing is written.
    """
    require(getattr(actor, "role", None), "training.edit")
    course_in = validate_input(CourseInput, data, "training course")
    course = TrainingCourse(**_values(course_in), created_by_id=getattr(actor, "id", None))
    session.add(course)
    flush_audited(session, "training.create")
    return course


def _owned(session: Session, actor: Any, course_id: int) -> TrainingCourse:
    require(getattr(actor, "role", None), "training.edit")
    course = get_course(session, course_id)
    uid = getattr(actor, "id", None)
    if not can(getattr(actor, "role", None), "training.edit_any") and (
        uid is None or course.created_by_id != uid
    ):
        raise PermissionDeniedError(
            f"Only the owner of training course {course_id} or an editor may change it.",
            code="training.not-owner",
            hint="Ask the course's owner, or a reviewer, to make the change.",
        )
    return course


def update_course(
    session: Session,
    actor: Any,
    course_id: int,
    data: CourseInput | Mapping[str, Any],
    *,
    version: int,
) -> TrainingCourse:
    """Replace a course's fields (its owner, or ``training.edit_any``), checking ``version``.

    Raises
    ------
    socialcover.store.ConflictError
        The course changed since it was read (``store.stale``); nothing is written.
    """
    course = _owned(session, actor, course_id)
    course_in = validate_input(CourseInput, data, "training course")
    if course.version != version:
        raise ConflictError(
            f"Training course {course_id} is at version {course.version}, not {version}.",
            code="store.stale",
            hint="Reload the course, then make your change again.",
        )
    for key, value in _values(course_in).items():
        setattr(course, key, value)
    flush_audited(session, "training.update")
    return course


def add_course_session(
    session: Session, actor: Any, course_id: int, event_id: int
) -> TrainingCourseSession:
    """Link a training session (an event of kind ``training_session`` that the actor
    organises) to a course the actor owns; audited as ``training.session``.

    Raises
    ------
    socialcover.store.ValidationError
        The event is not a training session (``training.not-training-session``).
    socialcover.store.PermissionDeniedError
        Not the course's owner (``training.not-owner``) or not an organiser of the event
        (``event.not-organiser``).
    socialcover.store.ConflictError
        The event already delivers a course (``training.session-taken``).
    """
    course = _owned(session, actor, course_id)
    event = EVENTS.get(session, actor, event_id)
    if event.kind != "training_session":
        raise ValidationError(
            f"Event {event_id} is a {event.kind}, not a training session.",
            code="training.not-training-session",
            hint="Link events of kind training_session; nothing was saved.",
            fields=["event_id"],
        )
    if not is_organiser(actor, event):
        raise PermissionDeniedError(
            f"Only the organisers of event {event_id} may link it to a course.",
            code="event.not-organiser",
            hint="Ask the event's owner to add you as an organiser.",
        )
    taken = session.scalar(
        select(TrainingCourseSession.course_id).where(TrainingCourseSession.event_id == event_id)
    )
    if taken is not None:
        raise ConflictError(
            f"Event {event_id} already delivers training course {taken}.",
            code="training.session-taken",
            hint="A session delivers one course; remove it from that course first.",
        )
    link = TrainingCourseSession(course_id=course.id, event_id=event.id)
    session.add(link)
    flush_audited(session, "training.session")
    session.refresh(course)
    return link


def remove_course_session(session: Session, actor: Any, course_id: int, event_id: int) -> None:
    """Unlink a session from a course (its owner); the session's scores for it go too."""
    course = _owned(session, actor, course_id)
    link = session.scalar(
        select(TrainingCourseSession).where(
            TrainingCourseSession.course_id == course.id,
            TrainingCourseSession.event_id == event_id,
        )
    )
    if link is None:
        raise RecordNotFoundError(
            f"Event {event_id} is not a session of training course {course_id}.",
            code="training.unknown-session",
            hint="The course's sessions are listed with the course.",
        )
    for row in session.scalars(
        select(TrainingAssessment)
        .join(EventParticipant, EventParticipant.id == TrainingAssessment.participant_id)
        .where(TrainingAssessment.course_id == course.id, EventParticipant.event_id == event_id)
    ):
        session.delete(row)
    session.delete(link)
    flush_audited(session, "training.session-remove")
    session.refresh(course)


# --- scores -----------------------------------------------------------------------------------


def _may_see_scores(actor: Any, course: TrainingCourse, event: Event) -> bool:
    uid = getattr(actor, "id", None)
    return is_organiser(actor, event) or (uid is not None and course.created_by_id == uid)


def record_scores(
    session: Session,
    actor: Any,
    course_id: int,
    participant_id: int,
    data: ScoresInput | Mapping[str, Any],
) -> TrainingAssessment:
    """Record (or replace) a participant's pre and post scores; the organisers of the
    participant's session do it; audited as ``training.scores``.

    Raises
    ------
    socialcover.store.RecordNotFoundError
        The participant is not in a session of this course (``training.unknown-participant``).
    socialcover.store.PermissionDeniedError
        Not an organiser of that session (``event.not-organiser``).
    socialcover.store.ValidationError
        A score below 0 (``store.invalid``) or above the course's ``max_score``
        (``training.score-out-of-range``); nothing is written.
    """
    course = get_course(session, course_id)
    scores = validate_input(ScoresInput, data, "assessment")
    row = session.execute(
        select(EventParticipant, Event)
        .join(Event, Event.id == EventParticipant.event_id)
        .join(TrainingCourseSession, TrainingCourseSession.event_id == Event.id)
        .where(EventParticipant.id == participant_id, TrainingCourseSession.course_id == course.id)
    ).first()
    if row is None:
        raise RecordNotFoundError(
            f"Participant {participant_id} is not in a session of training course {course_id}.",
            code="training.unknown-participant",
            hint="Add the person to one of the course's sessions first.",
        )
    participant, event = row[0], row[1]
    if not is_organiser(actor, event):
        raise PermissionDeniedError(
            f"Only the organisers of event {event.id} record its participants' scores.",
            code="event.not-organiser",
            hint="Ask the session's owner to add you as an organiser.",
        )
    for name in ("pre_score", "post_score"):
        value = getattr(scores, name)
        if value is not None and value > course.max_score:
            raise ValidationError(
                f"A {name.replace('_', ' ')} of {value:g} is above the course's maximum of "
                f"{course.max_score:g}.",
                code="training.score-out-of-range",
                hint=f"Scores run from 0 to {course.max_score:g}; nothing was saved.",
                fields=[name],
            )
    assessment = session.scalar(
        select(TrainingAssessment).where(TrainingAssessment.participant_id == participant.id)
    )
    if assessment is None:
        assessment = TrainingAssessment(course_id=course.id, participant_id=participant.id)
        session.add(assessment)
    assessment.pre_score = scores.pre_score
    assessment.post_score = scores.post_score
    assessment.assessed_at = utcnow()
    flush_audited(session, "training.scores")
    return assessment


def list_scores(session: Session, actor: Any, course_id: int) -> list[dict[str, Any]]:
    """Each participant of the course's sessions that the actor may see (the organisers of
    each session, the course's owner), with name, e-mail, sex, constituent, country and scores.

    Raises
    ------
    socialcover.store.PermissionDeniedError
        The actor may see none of them (``event.not-organiser``).
    """
    course = get_course(session, course_id)
    rows = session.execute(
        select(EventParticipant, Event, TrainingAssessment)
        .join(Event, Event.id == EventParticipant.event_id)
        .join(TrainingCourseSession, TrainingCourseSession.event_id == Event.id)
        .outerjoin(TrainingAssessment, TrainingAssessment.participant_id == EventParticipant.id)
        .where(TrainingCourseSession.course_id == course.id)
        .order_by(Event.starts_at, EventParticipant.id)
    ).all()
    if not any(_may_see_scores(actor, course, e) for e in {r[1] for r in rows}) and not (
        course.created_by_id is not None and course.created_by_id == getattr(actor, "id", None)
    ):
        raise PermissionDeniedError(
            f"Only the organisers of the sessions of training course {course_id} see its "
            "participants' scores.",
            code="event.not-organiser",
            hint="Everyone sees the course's results (GET .../results), never a name.",
        )
    out = []
    for p, event, a in rows:
        if not _may_see_scores(actor, course, event):
            continue
        pre = a.pre_score if a else None
        post = a.post_score if a else None
        out.append(
            {
                "participant_id": p.id,
                "event_id": event.id,
                "name": p.name,
                "email": p.email,
                "sex": p.sex,
                "constituent": p.constituent,
                "country_iso3": p.country_iso3,
                "pre_score": pre,
                "post_score": post,
                "gain": None if pre is None or post is None else post - pre,
            }
        )
    return out


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GainSummary:
    """Scores of the participants assessed before and after (both scores), in points."""

    assessed: int
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None

    @classmethod
    def of(cls, pairs: Sequence[tuple[float, float]]) -> GainSummary:
        """The summary of (pre, post) pairs; means are None when there are none."""
        if not pairs:
            return cls(0, None, None, None)
        return cls(
            assessed=len(pairs),
            mean_pre=statistics.fmean(p for p, _ in pairs),
            mean_post=statistics.fmean(q for _, q in pairs),
            mean_gain=statistics.fmean(q - p for p, q in pairs),
        )

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        return {
            "assessed": self.assessed,
            "mean_pre": self.mean_pre,
            "mean_post": self.mean_post,
            "mean_gain": self.mean_gain,
        }


@dataclass(frozen=True)
class CourseResults:
    """What a course's participants learnt: counts and mean gains, never a name."""

    course_id: int
    participants: int
    overall: GainSummary
    by_sex: dict[str, GainSummary] = field(default_factory=dict)
    by_constituent: dict[str, GainSummary] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        return {
            "course_id": self.course_id,
            "participants": self.participants,
            "overall": self.overall.as_dict(),
            "by_sex": {k: v.as_dict() for k, v in self.by_sex.items()},
            "by_constituent": {k: v.as_dict() for k, v in self.by_constituent.items()},
        }


def course_results(session: Session, course_id: int) -> CourseResults:
    """The course's results over its published sessions (public): the participants (role
    ``participant``, not marked absent), and the mean pre, post and gain of those with both
    scores, overall, by sex (:data:`SEXES`) and by constituent (:data:`CONSTITUENTS`).

    Examples
    --------
    >>> GainSummary.of([(40.0, 70.0), (60.0, 70.0)]).mean_gain
    20.0
    """
    course = get_course(session, course_id)
    rows = session.execute(
        select(
            EventParticipant.sex,
            EventParticipant.constituent,
            TrainingAssessment.pre_score,
            TrainingAssessment.post_score,
        )
        .join(Event, Event.id == EventParticipant.event_id)
        .join(TrainingCourseSession, TrainingCourseSession.event_id == Event.id)
        .outerjoin(TrainingAssessment, TrainingAssessment.participant_id == EventParticipant.id)
        .where(
            TrainingCourseSession.course_id == course.id,
            Event.status == PUBLISHED,
            EventParticipant.role == "participant",
            EventParticipant.attended.is_not(False),
        )
    ).all()
    both = [(r[0], r[1], r[2], r[3]) for r in rows if r[2] is not None and r[3] is not None]

    def by(i: int, order: Sequence[str]) -> dict[str, GainSummary]:
        return {k: GainSummary.of([(p, q) for *g, p, q in both if g[i] == k]) for k in order}

    return CourseResults(
        course_id=course.id,
        participants=len(rows),
        overall=GainSummary.of([(p, q) for _, _, p, q in both]),
        by_sex=by(0, SEXES),
        by_constituent=by(1, CONSTITUENTS),
    )
