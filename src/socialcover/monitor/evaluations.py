"""The register of evaluations: what was evaluated, by whom, how and what it found; and the
schedule of regular evaluations, with what is overdue.

An evaluation is a reviewed record, declared once as :data:`EVALUATIONS` on the store's
workflow (docs/records.md): a contributor drafts it and submits it, a reviewer publishes it or
returns it with a comment, and only published evaluations are public. What it evaluated is a
subject: a programme (free text), a country engagement (the country's ISO3 code), a practice
(its id, so that a practice shows the evaluations that are its evidence) or the campaign
itself. Its recommendations and their follow-up live in
:mod:`socialcover.monitor.recommendations`.
Every write is audited: ``evaluation.<step>`` for the evaluation, ``evaluation.schedule`` for
the schedule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal, get_args

import polars as pl
import pydantic
from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from socialcover.data import country, pack_status
from socialcover.errors import NotFoundError
from socialcover.store import (
    REVIEW_STEPS,
    ValidationError,
    Workflow,
    flush_audited,
    require,
    validate_input,
)
from socialcover.store.fields import MAX_ID, IsoDate
from socialcover.store.models import Evaluation, Practice, Recommendation, ScheduledEvaluation

__all__ = [
    "EVALUATIONS",
    "EVALUATION_COLUMNS",
    "EVALUATION_TYPES",
    "FOLLOW_UP_STATUSES",
    "PENDING",
    "SCHEDULE_COLUMNS",
    "SUBJECT_TYPES",
    "EvaluationInput",
    "ScheduleInput",
    "create_evaluation",
    "evaluations_of_practice",
    "get_evaluation",
    "list_evaluations",
    "list_schedule",
    "overdue",
    "publish_evaluation",
    "return_evaluation",
    "schedule",
    "submit_evaluation",
    "update_evaluation",
]

SubjectType = Literal["programme", "country_engagement", "practice", "campaign"]
EvaluationType = Literal["mid_term", "final", "impact", "thematic"]
FollowUp = Literal["open", "in_progress", "done", "dropped"]

SUBJECT_TYPES: tuple[str, ...] = get_args(SubjectType)
"""What an evaluation evaluates: a programme, a country engagement, a practice, the campaign."""
EVALUATION_TYPES: tuple[str, ...] = get_args(EvaluationType)
"""The types of evaluation: mid-term, final, impact, thematic."""
# the follow-up words are here, below recommendations, because lists count pending ones
FOLLOW_UP_STATUSES: tuple[str, ...] = get_args(FollowUp)
"""Where a recommendation stands: open, in progress, done, dropped."""

PENDING: tuple[str, ...] = ("open", "in_progress")
"""The follow-up statuses of a recommendation still to act on."""
_ISO3 = r"^([A-Z]{3})?$"  # empty: no country (the before-validator makes it None)
_SUBJECT_HINT = (
    "Give subject_ref as a practice id for a practice (12), an ISO3 code for a country "
    "engagement (KEN), the programme's name for a programme, and nothing for the campaign."
)


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


class _Subject(BaseModel):
    """What is (or will be) evaluated: a type and a reference that fits it."""

    model_config = pydantic.ConfigDict(extra="forbid")

    subject_type: SubjectType
    subject_ref: str = Field(default="", max_length=300)
    evaluation_type: EvaluationType

    @field_validator("subject_ref", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return str(v).strip() if isinstance(v, str | int) else v

    @field_validator("subject_ref")
    @classmethod
    def _fits(cls, ref: str, info: pydantic.ValidationInfo) -> str:
        kind = info.data.get("subject_type")
        if kind == "practice":
            if not ref.isdigit():
                raise ValueError(f"a practice is named by its id, not {ref!r}. {_SUBJECT_HINT}")
            return str(int(ref))
        if kind == "country_engagement":
            if len(ref) != 3 or not ref.isalpha():
                raise ValueError(f"a country is named by its ISO3 code, not {ref!r}")
            return ref.upper()
        if kind == "programme" and not ref:
            raise ValueError(f"a programme needs its name. {_SUBJECT_HINT}")
        if kind == "campaign" and ref:
            raise ValueError("the campaign itself takes no subject_ref; leave it empty")
        return ref


class EvaluationInput(_Subject):
    """An evaluation as its author writes it (validated whole before anything is saved)."""

    title: str = Field(min_length=3, max_length=300)
    country_iso3: str | None = Field(default=None, pattern=_ISO3)
    started_on: IsoDate
    ended_on: IsoDate | None = None
    evaluators: list[str] = Field(default_factory=list, max_length=50)
    method: str = Field(default="", max_length=20000)
    findings: str = Field(default="", max_length=50000)
    report: str = Field(default="", max_length=500)

    _country = field_validator("country_iso3", mode="before")(_upper)

    @field_validator("evaluators")
    @classmethod
    def _names(cls, v: list[str]) -> list[str]:
        names = [n.strip() for n in v]
        if any(not n or len(n) > 200 for n in names):
            raise ValueError("each evaluator is a name of 1 to 200 characters")
        return names

    @field_validator("report")
    @classmethod
    def _report(cls, v: str) -> str:
        v = v.strip()
        if "://" in v and not v.startswith(("https://", "http://")):
            raise ValueError("a report URL starts with https:// or http://")
        return v

    @field_validator("ended_on")
    @classmethod
    def _in_order(cls, end: dt.date | None, info: pydantic.ValidationInfo) -> dt.date | None:
        start = info.data.get("started_on")
        if end is not None and start is not None and end < start:
            raise ValueError(f"it is before started_on {start}; give the dates in order")
        return end

    @model_validator(mode="after")
    def _country_of_engagement(self) -> EvaluationInput:
        if self.subject_type == "country_engagement" and self.country_iso3 is None:
            self.country_iso3 = self.subject_ref
        return self


class ScheduleInput(_Subject):
    """A planned evaluation of the regular schedule."""

    planned_on: IsoDate
    note: str = Field(default="", max_length=2000)


def _invalid(message: str, code: str, hint: str, field: str) -> ValidationError:
    return ValidationError(message, code=code, hint=hint + " Nothing was saved.", fields=[field])


def _check_country(iso3: str | None, field: str) -> None:
    if iso3 is None or pack_status() is None:  # without a pack there is no list to check
        return
    try:
        known = country(iso3).iso3 == iso3
    except NotFoundError:
        known = False
    if not known:
        raise _invalid(
            f"{field} {iso3!r} is not a country of the installed data pack.",
            "evaluation.unknown-country",
            "Use the ISO3 code of a country (KEN); `socialcover.data.countries()` lists them.",
            field,
        )


def _check_subject(session: Session, values: dict[str, Any]) -> Practice | None:
    """Check that the subject exists; return the practice evaluated, if it is one."""
    if values["subject_type"] == "country_engagement":
        _check_country(values["subject_ref"], "subject_ref")
    if values["subject_type"] != "practice":
        return None
    ref = str(values["subject_ref"]).strip()
    # a practice id is a whole number a database column holds (1 to 2^63-1)
    practice = session.get(Practice, int(ref)) if ref.isdigit() and 0 < int(ref) <= MAX_ID else None
    if practice is None:
        raise _invalid(
            f"No practice {values['subject_ref']} to evaluate.",
            "evaluation.unknown-practice",
            "Give the id of an existing practice (its page and list_practices show it).",
            "subject_ref",
        )
    return practice


def _prepare(session: Session, values: dict[str, Any], record: Evaluation | None) -> None:
    practice = _check_subject(session, values)
    if practice is not None and values["country_iso3"] is None:
        values["country_iso3"] = practice.country_iso3  # a practice's evaluation is in its country
    _check_country(values["country_iso3"], "country_iso3")


EVALUATIONS: Workflow[Evaluation] = Workflow(
    Evaluation,
    "evaluation",
    EvaluationInput,
    read="evaluation.read_published",
    draft="evaluation.draft",
    edit_any="evaluation.edit_any",
    review="evaluation.publish",
    delete="evaluation.delete",
    read_drafts="evaluation.read_drafts",
    steps=REVIEW_STEPS,
    prepare=_prepare,
)
"""The evaluation's workflow: contributors draft and submit, reviewers publish or return."""


def create_evaluation(
    session: Session, actor: Any, data: EvaluationInput | Mapping[str, Any]
) -> Evaluation:
    """Draft a new evaluation (needs ``evaluation.draft``); it starts as a private draft.

    Parameters
    ----------
    session, actor
        The transaction and the author.
    data
        The fields of :class:`EvaluationInput`.

    Returns
    -------
    socialcover.store.models.Evaluation
        The new draft, owned by ``actor``.

    Raises
    ------
    socialcover.store.ValidationError
        A bad field (``store.invalid``, naming each), an ISO3 code the installed pack does not
        know (``evaluation.unknown-country``), or no such practice
        (``evaluation.unknown-practice``); nothing is written.
    socialcover.store.PermissionDeniedError
        The role may not draft evaluations.
    """
    return EVALUATIONS.create(session, actor, data)


def update_evaluation(
    session: Session,
    actor: Any,
    evaluation_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Evaluation:
    """Change fields of an evaluation; the whole result is validated before it is saved.

    Its author edits it while it is a draft or returned; reviewers edit any evaluation.
    ``expected_version`` refuses a write based on an older version (``store.stale``).
    """
    return EVALUATIONS.update(
        session, actor, evaluation_id, changes, expected_version=expected_version
    )


def submit_evaluation(session: Session, actor: Any, evaluation_id: int) -> Evaluation:
    """Submit a draft (or returned) evaluation for review (its author, or an editor)."""
    return EVALUATIONS.move(session, actor, evaluation_id, "submit")


def publish_evaluation(
    session: Session, actor: Any, evaluation_id: int, comment: str = ""
) -> Evaluation:
    """Publish an evaluation (needs ``evaluation.publish``); its recommendations go public too."""
    return EVALUATIONS.move(session, actor, evaluation_id, "publish", comment)


def return_evaluation(session: Session, actor: Any, evaluation_id: int, comment: str) -> Evaluation:
    """Return a submitted evaluation to its author, saying what to change (a reviewer)."""
    return EVALUATIONS.move(session, actor, evaluation_id, "return", comment)


EVALUATION_COLUMNS: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "title": pl.String(),
    "subject_type": pl.String(),
    "subject_ref": pl.String(),
    "evaluation_type": pl.String(),
    "country_iso3": pl.String(),
    "started_on": pl.Date(),
    "ended_on": pl.Date(),
    "evaluators": pl.List(pl.String()),
    "method": pl.String(),
    "findings": pl.String(),
    "report": pl.String(),
    "status": pl.String(),
    "version": pl.Int64(),
    "recommendations": pl.Int64(),
    "recommendations_pending": pl.Int64(),
}
"""The columns of :func:`list_evaluations` and :func:`evaluations_of_practice`."""


def _frame(session: Session, query: Select[Evaluation]) -> pl.DataFrame:
    evaluations = list(session.scalars(query))
    pending = func.sum(case((Recommendation.follow_up.in_(PENDING), 1), else_=0))
    counts = {
        eid: (int(n), int(p))
        for eid, n, p in session.execute(
            select(Recommendation.evaluation_id, func.count(), pending)
            .where(Recommendation.evaluation_id.in_([e.id for e in evaluations]))
            .group_by(Recommendation.evaluation_id)
        )
    }
    own = [k for k in EVALUATION_COLUMNS if k not in ("recommendations", "recommendations_pending")]
    return pl.DataFrame(
        [
            {
                **{k: getattr(e, k) for k in own},
                "recommendations": counts.get(e.id, (0, 0))[0],
                "recommendations_pending": counts.get(e.id, (0, 0))[1],
            }
            for e in evaluations
        ],
        schema=EVALUATION_COLUMNS,
    )


def _visible(actor: Any) -> Select[Evaluation]:
    query = select(Evaluation).order_by(Evaluation.started_on.desc(), Evaluation.id.desc())
    visible = EVALUATIONS.visible_clause(actor)
    return query if visible is None else query.where(visible)


def list_evaluations(
    session: Session,
    actor: Any,
    *,
    subject: str | None = None,
    subject_ref: str | None = None,
    evaluation_type: str | None = None,
    country: str | None = None,
    status: str | None = None,
) -> pl.DataFrame:
    """The evaluations ``actor`` may see: published ones, their own, or all for reviewers.

    Parameters
    ----------
    session, actor
        The transaction and who asks (``None``: the public).
    subject, subject_ref
        Only this subject type (one of :data:`SUBJECT_TYPES`) and reference (``"12"``,
        ``"KEN"``, a programme's name).
    evaluation_type
        Only this type (one of :data:`EVALUATION_TYPES`).
    country
        Only evaluations in this country (ISO3).
    status
        Only records in this state (``draft``, ``submitted``, ``returned``, ``published``).

    Returns
    -------
    polars.DataFrame
        :data:`EVALUATION_COLUMNS`, the latest start first; ``recommendations`` counts them,
        ``recommendations_pending`` those still open or in progress.

    Raises
    ------
    socialcover.store.ValidationError
        An unknown subject or evaluation type (``evaluation.unknown-filter``).
    """
    for value, known, name in (
        (subject, SUBJECT_TYPES, "subject"),
        (evaluation_type, EVALUATION_TYPES, "evaluation_type"),
    ):
        if value is not None and value not in known:
            raise _invalid(
                f"Unknown {name} {value!r}.",
                "evaluation.unknown-filter",
                f"Use one of: {', '.join(known)}.",
                name,
            )
    query = _visible(actor)
    if subject is not None:
        query = query.where(Evaluation.subject_type == subject)
    if subject_ref is not None:
        query = query.where(Evaluation.subject_ref == subject_ref)
    if evaluation_type is not None:
        query = query.where(Evaluation.evaluation_type == evaluation_type)
    if country is not None:
        query = query.where(Evaluation.country_iso3 == country.strip().upper())
    if status is not None:
        query = query.where(Evaluation.status == status)
    return _frame(session, query)


def evaluations_of_practice(session: Session, actor: Any, practice_id: int) -> pl.DataFrame:
    """The evaluations of one practice that ``actor`` may see: the evidence its page shows.

    Returns
    -------
    polars.DataFrame
        As :func:`list_evaluations`; empty when the practice has none (or does not exist).
    """
    return list_evaluations(session, actor, subject="practice", subject_ref=str(practice_id))


def schedule(
    session: Session, actor: Any, data: ScheduleInput | Mapping[str, Any]
) -> ScheduledEvaluation:
    """Plan an evaluation of the regular schedule (needs ``evaluation.schedule``).

    Parameters
    ----------
    session, actor
        The transaction and a role with ``evaluation.schedule``.
    data
        The fields of :class:`ScheduleInput`: subject, evaluation type, planned date, note.

    Returns
    -------
    socialcover.store.models.ScheduledEvaluation
        The planned evaluation, audited as ``evaluation.schedule``.

    Raises
    ------
    socialcover.store.ValidationError
        A bad field, an unknown country or practice; nothing is written.
    """
    require(getattr(actor, "role", None), "evaluation.schedule")
    values = validate_input(ScheduleInput, data, "scheduled evaluation").model_dump()
    _check_subject(session, values)
    planned = ScheduledEvaluation(**values)
    session.add(planned)
    flush_audited(session, "evaluation.schedule")
    return planned


SCHEDULE_COLUMNS: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "subject_type": pl.String(),
    "subject_ref": pl.String(),
    "evaluation_type": pl.String(),
    "planned_on": pl.Date(),
    "note": pl.String(),
    "last_finished_on": pl.Date(),
    "overdue": pl.Boolean(),
    "days_overdue": pl.Int64(),
}
"""The columns of :func:`list_schedule` and :func:`overdue`."""


def list_schedule(session: Session, *, today: dt.date | None = None) -> pl.DataFrame:
    """The schedule of regular evaluations, each planned one with whether it is overdue.

    A planned evaluation is overdue when its date is past and no evaluation of the same
    subject and type finished on or after that date (by ``today``). Every evaluation record
    counts, whatever its review state: an evaluation that took place is not overdue while its
    record is still being reviewed.

    Parameters
    ----------
    session
        The transaction.
    today
        The date to judge by (default: today, in UTC).

    Returns
    -------
    polars.DataFrame
        :data:`SCHEDULE_COLUMNS`, by planned date: ``last_finished_on`` is the end of the
        latest evaluation of that subject and type finished by ``today``; ``days_overdue`` is
        ``today - planned_on`` for an overdue one, else null.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    finished: dict[tuple[str, str, str], list[dt.date]] = {}
    for kind, ref, etype, ended in session.execute(
        select(
            Evaluation.subject_type,
            Evaluation.subject_ref,
            Evaluation.evaluation_type,
            Evaluation.ended_on,
        ).where(Evaluation.ended_on.is_not(None), Evaluation.ended_on <= today)
    ):
        if ended is not None:  # filtered above; the check tells the type checker
            finished.setdefault((kind, ref, etype), []).append(ended)
    rows = []
    plans = select(ScheduledEvaluation).order_by(
        ScheduledEvaluation.planned_on, ScheduledEvaluation.id
    )
    for plan in session.scalars(plans):
        ends = finished.get((plan.subject_type, plan.subject_ref, plan.evaluation_type), [])
        late = plan.planned_on < today and not any(end >= plan.planned_on for end in ends)
        rows.append(
            {
                "id": plan.id,
                "subject_type": plan.subject_type,
                "subject_ref": plan.subject_ref,
                "evaluation_type": plan.evaluation_type,
                "planned_on": plan.planned_on,
                "note": plan.note,
                "last_finished_on": max(ends, default=None),
                "overdue": late,
                "days_overdue": (today - plan.planned_on).days if late else None,
            }
        )
    return pl.DataFrame(rows, schema=SCHEDULE_COLUMNS)


def overdue(session: Session, *, today: dt.date | None = None) -> pl.DataFrame:
    """The planned evaluations that are overdue by ``today`` (see :func:`list_schedule`).

    Examples
    --------
    >>> from socialcover.store import open_database, session_scope
    >>> engine = open_database("sqlite:///overdue-example.db")
    >>> with session_scope(engine=engine, write=False) as s:
    ...     overdue(s, today=dt.date(2026, 1, 1)).height
    0
    """
    return list_schedule(session, today=today).filter(pl.col("overdue"))


def get_evaluation(session: Session, actor: Any, evaluation_id: int) -> dict[str, Any]:
    """One evaluation ``actor`` may see, as a dict of :data:`EVALUATION_COLUMNS` plus its
    review fields (``review_comment``, ``created_by_id``).

    Raises
    ------
    socialcover.store.RecordNotFoundError
        No such evaluation, or one ``actor`` may not see (``store.not-found``).
    """
    record = EVALUATIONS.get(session, actor, evaluation_id)
    (row,) = _frame(session, select(Evaluation).where(Evaluation.id == record.id)).to_dicts()
    row["review_comment"] = record.review_comment
    row["created_by_id"] = record.created_by_id
    return row
