"""Answers of the advocacy routes: events, press releases, statements, training courses.

Each mirrors a domain dict: :func:`socialcover.advocacy.event_as_dict` (with the participant
counts), the press release view's ``as_dict``, :func:`~socialcover.advocacy.statement_as_dict`,
:func:`~socialcover.advocacy.course_as_dict` and the course results' ``as_dict``.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from socialcover.advocacy import CourseInput, EventInput, StatementInput
from socialcover.web.schemas import Out, record_model

__all__ = [
    "CourseOut",
    "CourseResultsOut",
    "EndorsersOut",
    "ErasedOut",
    "EventDetailOut",
    "EventOut",
    "MaterialOut",
    "PressOut",
    "RegisteredOut",
    "ScoresOut",
    "ScoresRecordedOut",
    "SessionOut",
    "SharedOut",
    "StatementOut",
]


class AgendaItem(Out):
    """One item of an event's agenda."""

    id: int
    position: int | None = None
    title: str
    starts_at: str | None = None
    ends_at: str | None = None
    description: str | None = None
    speakers: list[Any] = Field(default_factory=list)


class MaterialOut(Out):
    """A material of an event (a link, or a file the platform keeps)."""

    id: int
    title: str
    kind: str | None = None
    language: str | None = None
    url: str | None = None
    has_file: bool
    file_name: str | None = None
    session_id: int | None = None


EventOut = record_model(
    "EventOut",
    EventInput,
    "An event: what its organisers wrote, its agenda, materials, state and version.",
    id=(int, ...),
    status=(str, ...),
    version=(int, ...),
    published_at=(str | None, None),
    sessions=(list[AgendaItem], ...),
    materials=(list[MaterialOut], ...),
)


class ParticipantCountsOut(Out):
    """How many took part, by sex, constituent, organisation and country."""

    total: int
    by_sex: dict[str, int]
    by_constituent: dict[str, int]
    by_organisation: dict[str, int]
    by_country: dict[str, int]


EventDetailOut = record_model(
    "EventDetailOut",
    EventOut,
    "An event with its participant counts.",
    counts=(ParticipantCountsOut, ...),
)


class SessionOut(Out):
    """An agenda item just added."""

    id: int
    title: str


class RegisteredOut(Out):
    """A registration taken."""

    registered: bool


class ErasedOut(Out):
    """How many registrations had the person's name and e-mail blanked."""

    erased: int


class PressOut(Out):
    """A press release in one language, its figures and embargo (before it: organisers only)."""

    id: int
    language: str
    languages: list[str]
    title: str
    body: str
    figures: dict[str, dict[str, Any]] = Field(description="Each placeholder's figure.")
    embargo_until: str
    status: str
    public: bool
    frozen_at: str | None = None
    data_version: str | None = None


class Endorser(Out):
    """An organisation that signed a statement: who signed, when."""

    organisation_id: int
    organisation: str
    signed_by: str | None = None
    signed_by_title: str | None = None
    signed_at: str


class Partner(Out):
    """An organisation a draft statement is shared with."""

    organisation_id: int
    organisation: str


StatementOut = record_model(
    "StatementOut",
    StatementInput,
    "A joint statement or policy position, its endorsers (its partners while a draft).",
    id=(int, ...),
    status=(str, ...),
    version=(int, ...),
    endorsers=(list[Endorser], ...),
    partners=(list[Partner] | None, None),
)


class EndorsersOut(Out):
    """A statement's endorsers after a signature."""

    endorsers: list[Endorser]


class SharedOut(Out):
    """The organisation a statement was just shared with."""

    shared_with: int


CourseOut = record_model(
    "CourseOut",
    CourseInput,
    "A training course: its content, trainers, maximum score and its sessions (event ids).",
    id=(int, ...),
    sessions=(list[int], ...),
    version=(int, ...),
)


class GainOut(Out):
    """Scores of the participants assessed before and after, in points."""

    assessed: int
    mean_pre: float | None = None
    mean_post: float | None = None
    mean_gain: float | None = None


class CourseResultsOut(Out):
    """A course's gains: overall, by sex and by constituent."""

    course_id: int
    participants: int
    overall: GainOut
    by_sex: dict[str, GainOut]
    by_constituent: dict[str, GainOut]


class ScoresOut(Out):
    """One participant's scores before and after, and the gain."""

    participant_id: int
    pre_score: float | None = None
    post_score: float | None = None
    gain: float | None = None


class ScoresRecordedOut(Out):
    """A score sheet taken: the course and how many participants' scores were recorded."""

    course_id: int
    recorded: int
