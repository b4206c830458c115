"""Practices, good and bad, and their review workflow.

A contributor drafts a practice and submits it; a reviewer publishes it or returns it with a
comment; only published practices are public. Every step is an audited write named after the
step (``practice.submit``, ``practice.publish``, ``practice.return``), so the history shows who
moved a practice through the workflow and when.

The fields follow the ILO's good-practice documentation for social protection extension
(country, branch, mechanism, target groups, period, what was done, results with evidence,
evaluation, lessons, sources), with an explicit good/bad/mixed assessment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from socialcover.knowledge._validation import parse, region_of
from socialcover.store import (
    Assessment,
    ConflictError,
    EvidenceStrength,
    Guarantee,
    PermissionDeniedError,
    Practice,
    PracticeStatus,
    RecordNotFoundError,
    ValidationError,
    audit_action,
    can,
    require,
)
from socialcover.store.models import utcnow

__all__ = [
    "PracticeInput",
    "SourceRef",
    "create_practice",
    "delete_practice",
    "get_practice",
    "list_practices",
    "practice_as_dict",
    "publish_practice",
    "return_practice",
    "submit_practice",
    "update_practice",
    "withdraw_practice",
]


class SourceRef(BaseModel):
    """A public source: a title and publisher always; a URL only when it is known to exist."""

    model_config = pydantic.ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=400)
    publisher: str = Field(default="", max_length=200)
    year: int | None = Field(default=None, ge=1880, le=2100)
    url: str | None = Field(default=None, max_length=500)

    @field_validator("url")
    @classmethod
    def _http(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith(("https://", "http://")):
            raise ValueError("a source URL starts with https:// or http://")
        return v


class PracticeInput(BaseModel):
    """A practice as a contributor writes it (validated completely before anything is saved)."""

    model_config = pydantic.ConfigDict(extra="forbid", use_enum_values=True)

    title: str = Field(min_length=3, max_length=300)
    country_iso3: str = Field(pattern=r"^[A-Z]{3}$")
    region: str | None = Field(default=None, max_length=60)
    guarantee: Guarantee
    mechanism: str = Field(min_length=2, max_length=120)
    target_groups: list[str] = Field(default_factory=list)
    period_start: int | None = Field(default=None, ge=1880, le=2100)
    period_end: int | None = Field(default=None, ge=1880, le=2100)
    summary: str = Field(min_length=10, max_length=5000)
    what_was_done: str = Field(default="", max_length=20000)
    results: str = Field(default="", max_length=20000)
    evidence_strength: EvidenceStrength | None = None
    evaluation: str = Field(default="", max_length=20000)
    lessons: str = Field(default="", max_length=20000)
    sources: list[SourceRef] = Field(default_factory=list)
    assessment: Assessment
    language: Literal["en", "fr", "es"] = "en"

    @field_validator("country_iso3", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return v.strip().upper() if isinstance(v, str) else v

    @model_validator(mode="after")
    def _period(self) -> PracticeInput:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError(
                f"period_end {self.period_end} is before period_start {self.period_start}"
            )
        return self


_EDITABLE = tuple(PracticeInput.model_fields)


def practice_as_dict(p: Practice) -> dict[str, Any]:
    """A practice as plain JSON-ready data (for the API and exports)."""
    out: dict[str, Any] = {k: getattr(p, k) for k in ("id", *_EDITABLE)}
    out.update(
        status=p.status,
        review_comment=p.review_comment,
        is_starter=p.is_starter,
        version=p.version,
        created_by_id=p.created_by_id,
        reviewed_by_id=p.reviewed_by_id,
        created_at=p.created_at.isoformat() if p.created_at else None,
        updated_at=p.updated_at.isoformat() if p.updated_at else None,
        published_at=p.published_at.isoformat() if p.published_at else None,
    )
    return out


def _role(actor: Any) -> str | None:
    return getattr(actor, "role", None)


def _is_owner(actor: Any, p: Practice) -> bool:
    uid = getattr(actor, "id", None)
    return uid is not None and p.created_by_id == uid


def _visible(actor: Any, p: Practice) -> bool:
    if p.status == PracticeStatus.PUBLISHED:
        return can(_role(actor), "practice.read_published")
    return _is_owner(actor, p) or can(_role(actor), "practice.read_drafts")


def get_practice(session: Session, actor: Any, practice_id: int) -> Practice:
    """A practice the caller may see (published, own, or any for reviewers)."""
    p = session.get(Practice, practice_id)
    if p is None or not _visible(actor, p):
        raise RecordNotFoundError(
            f"No practice {practice_id}.",
            hint="It may not exist, or be a draft you cannot see; search the published ones.",
        )
    return p


def list_practices(
    session: Session,
    actor: Any,
    *,
    status: str | None = None,
    country_iso3: str | None = None,
    guarantee: str | None = None,
    assessment: str | None = None,
    mine: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[Practice]:
    """Practices visible to the caller, newest first, optionally filtered."""
    q = select(Practice).order_by(Practice.updated_at.desc(), Practice.id.desc())
    uid = getattr(actor, "id", None)
    if not can(_role(actor), "practice.read_drafts"):
        visible = Practice.status == PracticeStatus.PUBLISHED.value
        q = q.where(or_(visible, Practice.created_by_id == uid) if uid else visible)
    if mine:
        q = q.where(Practice.created_by_id == uid)
    if status:
        q = q.where(Practice.status == status)
    if country_iso3:
        q = q.where(Practice.country_iso3 == country_iso3.upper())
    if guarantee:
        q = q.where(Practice.guarantee == guarantee)
    if assessment:
        q = q.where(Practice.assessment == assessment)
    return list(session.scalars(q.limit(limit).offset(offset)).all())


def create_practice(
    session: Session, actor: Any, data: PracticeInput | Mapping[str, Any]
) -> Practice:
    """Draft a new practice (needs ``practice.draft``); it starts as a private draft."""
    require(_role(actor), "practice.draft")
    clean = parse(PracticeInput, data, "practice")
    values = clean.model_dump()
    values["sources"] = [s.model_dump() for s in clean.sources]
    if not values.get("region"):
        values["region"] = region_of(clean.country_iso3)
    p = Practice(
        **values,
        status=PracticeStatus.DRAFT.value,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(p)
    with audit_action(session, "practice.create"):
        pass
    return p


def _check_version(p: Practice, expected_version: int | None) -> None:
    if expected_version is not None and p.version != expected_version:
        raise ConflictError(
            f"Practice {p.id} is at version {p.version}, you edited version {expected_version}.",
            code="store.stale",
            hint="Someone changed it meanwhile: reload it, redo your change, and save again.",
        )


def update_practice(
    session: Session,
    actor: Any,
    practice_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Practice:
    """Change fields of a practice; the whole result is validated before it is saved.

    Contributors edit their own drafts and returned practices; reviewers edit any practice.
    ``expected_version`` (the version the editor loaded) guards against lost updates.
    """
    p = get_practice(session, actor, practice_id)
    editable_own = _is_owner(actor, p) and p.status in {
        PracticeStatus.DRAFT,
        PracticeStatus.RETURNED,
    }
    if not (can(_role(actor), "practice.edit_any") or editable_own):
        require(_role(actor), "practice.draft")
        raise PermissionDeniedError(
            f"Practice {practice_id} is {p.status}; you may edit only your own drafts.",
            hint="Ask a reviewer to return it to you, or to make the change.",
        )
    unknown = sorted(set(changes) - set(_EDITABLE))
    if unknown:
        raise ValidationError(
            f"Unknown or read-only practice fields: {', '.join(unknown)}.",
            hint=f"Editable fields: {', '.join(_EDITABLE)}.",
        )
    _check_version(p, expected_version)
    merged = {k: getattr(p, k) for k in _EDITABLE} | dict(changes)
    clean = parse(PracticeInput, merged, "practice")
    values = clean.model_dump()
    values["sources"] = [s.model_dump() for s in clean.sources]
    for key, value in values.items():
        if getattr(p, key) != value:
            setattr(p, key, value)
    with audit_action(session, "practice.update"):
        pass
    return p


def _transition(
    session: Session,
    p: Practice,
    allowed_from: Sequence[PracticeStatus],
    to: PracticeStatus,
    action: str,
    comment: str,
) -> Practice:
    if p.status not in {s.value for s in allowed_from}:
        raise ConflictError(
            f"Practice {p.id} is {p.status}; {action} needs it to be "
            f"{' or '.join(s.value for s in allowed_from)}.",
            code="knowledge.bad-transition",
            hint="Reload the practice to see its current state.",
        )
    p.status = to.value
    with audit_action(session, action, comment):
        pass
    return p


def submit_practice(session: Session, actor: Any, practice_id: int) -> Practice:
    """Send one's draft (or returned practice) to the reviewers."""
    require(_role(actor), "practice.draft")
    p = get_practice(session, actor, practice_id)
    if not (_is_owner(actor, p) or can(_role(actor), "practice.edit_any")):
        raise PermissionDeniedError(
            f"Practice {practice_id} is not yours to submit.", hint="Only its author submits it."
        )
    return _transition(
        session,
        p,
        (PracticeStatus.DRAFT, PracticeStatus.RETURNED),
        PracticeStatus.SUBMITTED,
        "practice.submit",
        "",
    )


def publish_practice(session: Session, actor: Any, practice_id: int, comment: str = "") -> Practice:
    """Publish a practice (needs ``practice.publish``): it becomes public."""
    require(_role(actor), "practice.publish")
    p = get_practice(session, actor, practice_id)
    p.reviewed_by_id = getattr(actor, "id", None)
    p.published_at = utcnow()
    p.review_comment = comment
    return _transition(
        session,
        p,
        (PracticeStatus.SUBMITTED, PracticeStatus.DRAFT, PracticeStatus.RETURNED),
        PracticeStatus.PUBLISHED,
        "practice.publish",
        comment,
    )


def return_practice(session: Session, actor: Any, practice_id: int, comment: str) -> Practice:
    """Return a submitted practice to its author with a comment saying what to change."""
    require(_role(actor), "practice.publish")
    if not comment.strip():
        raise ValidationError(
            "Returning a practice needs a comment.",
            code="knowledge.comment-required",
            hint="Say what the author should change before it can be published.",
        )
    p = get_practice(session, actor, practice_id)
    p.reviewed_by_id = getattr(actor, "id", None)
    p.review_comment = comment.strip()
    return _transition(
        session,
        p,
        (PracticeStatus.SUBMITTED,),
        PracticeStatus.RETURNED,
        "practice.return",
        comment.strip(),
    )


def withdraw_practice(session: Session, actor: Any, practice_id: int, comment: str) -> Practice:
    """Take a published practice off the public site (back to the author as returned)."""
    require(_role(actor), "practice.publish")
    p = get_practice(session, actor, practice_id)
    p.review_comment = comment.strip()
    return _transition(
        session,
        p,
        (PracticeStatus.PUBLISHED,),
        PracticeStatus.RETURNED,
        "practice.withdraw",
        comment.strip(),
    )


def delete_practice(session: Session, actor: Any, practice_id: int) -> None:
    """Delete a practice for good (needs ``practice.delete``); its audit history stays."""
    require(_role(actor), "practice.delete")
    p = get_practice(session, actor, practice_id)
    session.delete(p)
    session.flush()
