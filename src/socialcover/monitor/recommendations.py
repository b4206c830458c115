"""Recommendations of evaluations, management's response to each, and their follow-up.

A recommendation is a record of its own, because management responds to it and follows it up
(open, in progress, done, dropped, with a due date) long after its evaluation is published.
The evaluation's author writes its recommendations while the evaluation may be edited
(:data:`~socialcover.monitor.evaluations.EVALUATIONS`); roles with ``evaluation.follow_up``
record the response and the follow-up. A recommendation is seen by whoever sees its
evaluation. Every write is audited: ``recommendation.create``, ``recommendation.update``,
``recommendation.follow_up`` (with its comment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import polars as pl
import pydantic
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.monitor.evaluations import EVALUATIONS, PENDING, FollowUp
from socialcover.store import (
    ConflictError,
    RecordNotFoundError,
    ValidationError,
    flush_audited,
    require,
    validate_input,
)
from socialcover.store.fields import IsoDate
from socialcover.store.models import Evaluation, Recommendation

__all__ = [
    "RECOMMENDATION_COLUMNS",
    "RecommendationInput",
    "add_recommendation",
    "follow_up_recommendation",
    "list_recommendations",
    "recommendations_due",
    "update_recommendation",
]


class RecommendationInput(BaseModel):
    """A recommendation, management's response to it and its follow-up."""

    model_config = pydantic.ConfigDict(extra="forbid")

    text: str = Field(min_length=3, max_length=5000)
    due_on: IsoDate | None = None
    response: str = Field(default="", max_length=5000)
    follow_up: FollowUp = "open"


def _recommendation(session: Session, actor: Any, recommendation_id: int) -> Recommendation:
    rec = session.get(Recommendation, recommendation_id)
    if rec is not None:
        try:
            EVALUATIONS.get(session, actor, rec.evaluation_id)
        except RecordNotFoundError:
            rec = None
    if rec is None:
        raise RecordNotFoundError(
            f"No recommendation {recommendation_id}.",
            hint="It may not exist, or belong to an evaluation you cannot see.",
        )
    return rec


def _write(
    session: Session,
    rec: Recommendation,
    changes: Mapping[str, Any],
    editable: tuple[str, ...],
    action: str,
    *,
    comment: str = "",
    expected_version: int | None = None,
) -> Recommendation:
    unknown = sorted(set(changes) - set(editable))
    if unknown:
        raise ValidationError(
            f"These recommendation fields are not changed here: {', '.join(unknown)}.",
            hint=f"Change only {', '.join(editable)} here.",
            fields=unknown,
        )
    if expected_version is not None and rec.version != expected_version:
        raise ConflictError(
            f"Recommendation {rec.id} is at version {rec.version}, "
            f"you edited version {expected_version}.",
            code="store.stale",
            hint="Someone changed it meanwhile: reload it, redo your change, and save again.",
        )
    fields = tuple(RecommendationInput.model_fields)
    merged = {k: getattr(rec, k) for k in fields} | dict(changes)
    values = validate_input(RecommendationInput, merged, "recommendation").model_dump()
    for key, value in values.items():
        if getattr(rec, key) != value:
            setattr(rec, key, value)
    flush_audited(session, action, comment)
    return rec


def add_recommendation(
    session: Session,
    actor: Any,
    evaluation_id: int,
    data: RecommendationInput | Mapping[str, Any],
) -> Recommendation:
    """Add a recommendation to an evaluation its author (or an editor) may still edit.

    Parameters
    ----------
    session, actor
        The transaction and the author of the evaluation, or an editor.
    evaluation_id
        The evaluation, editable by ``actor`` (a draft of theirs, or any for editors).
    data
        The fields of :class:`RecommendationInput`.

    Returns
    -------
    socialcover.store.models.Recommendation
        The new recommendation, audited as ``recommendation.create``.

    Raises
    ------
    socialcover.store.ValidationError
        A bad field; nothing is written.
    socialcover.store.PermissionDeniedError
        The actor may not edit the evaluation.
    """
    EVALUATIONS.editable(session, actor, evaluation_id)
    values = validate_input(RecommendationInput, data, "recommendation").model_dump()
    rec = Recommendation(evaluation_id=evaluation_id, **values)
    session.add(rec)
    flush_audited(session, "recommendation.create")
    return rec


def update_recommendation(
    session: Session,
    actor: Any,
    recommendation_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Recommendation:
    """Change a recommendation's text or due date while its evaluation is editable.

    Whoever may edit the evaluation may (:func:`add_recommendation`); audited as
    ``recommendation.update``. The response and the follow-up are
    :func:`follow_up_recommendation`'s.
    """
    rec = _recommendation(session, actor, recommendation_id)
    EVALUATIONS.editable(session, actor, rec.evaluation_id)
    return _write(
        session,
        rec,
        changes,
        ("text", "due_on"),
        "recommendation.update",
        expected_version=expected_version,
    )


def follow_up_recommendation(
    session: Session,
    actor: Any,
    recommendation_id: int,
    changes: Mapping[str, Any],
    *,
    comment: str = "",
    expected_version: int | None = None,
) -> Recommendation:
    """Record management's response to a recommendation, its follow-up status or due date.

    Parameters
    ----------
    session, actor
        The transaction and a role with ``evaluation.follow_up``.
    recommendation_id
        The recommendation (of an evaluation ``actor`` may see, published or not).
    changes
        Any of ``response``, ``follow_up`` (one of :data:`FOLLOW_UP_STATUSES`) and ``due_on``.
    comment
        Why, kept in the audit row (``recommendation.follow_up``).
    expected_version
        Refuse the write if the recommendation changed since (``store.stale``).

    Raises
    ------
    socialcover.store.ValidationError
        An unknown status or another field; nothing is written.
    socialcover.store.ConflictError
        The recommendation changed since ``expected_version`` (``store.stale``).
    socialcover.store.PermissionDeniedError
        The role may not follow recommendations up.
    """
    require(getattr(actor, "role", None), "evaluation.follow_up")
    rec = _recommendation(session, actor, recommendation_id)
    return _write(
        session,
        rec,
        changes,
        ("response", "follow_up", "due_on"),
        "recommendation.follow_up",
        comment=comment.strip(),
        expected_version=expected_version,
    )


RECOMMENDATION_COLUMNS: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "evaluation_id": pl.Int64(),
    "evaluation_title": pl.String(),
    "text": pl.String(),
    "response": pl.String(),
    "follow_up": pl.String(),
    "due_on": pl.Date(),
    "version": pl.Int64(),
}
"""The columns of :func:`recommendations_due`."""


def recommendations_due(
    session: Session, actor: Any, *, before: dt.date, evaluation_id: int | None = None
) -> pl.DataFrame:
    """The open and in-progress recommendations due before a date, of evaluations ``actor`` sees.

    Parameters
    ----------
    session, actor
        The transaction and who asks.
    before
        Recommendations due strictly before this date (``today`` gives those late).
    evaluation_id
        Only this evaluation's.

    Returns
    -------
    polars.DataFrame
        :data:`RECOMMENDATION_COLUMNS`, the earliest due first.
    """
    query = (
        select(Recommendation, Evaluation.title)
        .join(Evaluation, Evaluation.id == Recommendation.evaluation_id)
        .where(
            Recommendation.follow_up.in_(PENDING),
            Recommendation.due_on.is_not(None),
            Recommendation.due_on < before,
        )
        .order_by(Recommendation.due_on, Recommendation.id)
    )
    visible = EVALUATIONS.visible_clause(actor)
    if visible is not None:
        query = query.where(visible)
    if evaluation_id is not None:
        query = query.where(Recommendation.evaluation_id == evaluation_id)
    return pl.DataFrame(
        [
            {
                "id": r.id,
                "evaluation_id": r.evaluation_id,
                "evaluation_title": title,
                "text": r.text,
                "response": r.response,
                "follow_up": r.follow_up,
                "due_on": r.due_on,
                "version": r.version,
            }
            for r, title in session.execute(query)
        ],
        schema=RECOMMENDATION_COLUMNS,
    )


def list_recommendations(
    session: Session, actor: Any, evaluation_id: int, *, today: dt.date | None = None
) -> pl.DataFrame:
    """Every recommendation of one evaluation ``actor`` may see, with whether it is late.

    Parameters
    ----------
    session, actor
        The transaction and who asks.
    evaluation_id
        The evaluation (one ``actor`` may see).
    today
        The date to judge lateness by (default: today, in UTC).

    Returns
    -------
    polars.DataFrame
        :data:`RECOMMENDATION_COLUMNS` and ``late`` (still open or in progress, due before
        ``today``), in the order they were written.

    Raises
    ------
    socialcover.store.RecordNotFoundError
        No such evaluation, or one ``actor`` may not see.
    """
    evaluation = EVALUATIONS.get(session, actor, evaluation_id)
    today = today or dt.datetime.now(dt.UTC).date()
    query = (
        select(Recommendation)
        .where(Recommendation.evaluation_id == evaluation.id)
        .order_by(Recommendation.id)
    )
    return pl.DataFrame(
        [
            {
                "id": r.id,
                "evaluation_id": r.evaluation_id,
                "evaluation_title": evaluation.title,
                "text": r.text,
                "response": r.response,
                "follow_up": r.follow_up,
                "due_on": r.due_on,
                "version": r.version,
                "late": r.follow_up in PENDING and r.due_on is not None and r.due_on < today,
            }
            for r in session.scalars(query)
        ],
        schema={**RECOMMENDATION_COLUMNS, "late": pl.Boolean()},
    )
