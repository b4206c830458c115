"""Practices, good and bad, and their review workflow.

A contributor drafts a practice and submits it; a reviewer publishes it or returns it with a
comment; only published practices are public. Every step is an audited write named after the
step (``practice.submit``, ``practice.publish``, ``practice.return``), so the history shows who
moved a practice through the workflow and when. The rules are the store's one reviewed-record
workflow (:data:`PRACTICES`, a :class:`socialcover.store.Workflow`); this module says what a
practice holds.

The fields follow the ILO's good-practice documentation for social protection extension
(country, branch, mechanism, target groups, period, what was done, results with evidence,
evaluation, lessons, sources), with an explicit good/bad/mixed assessment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from socialcover.knowledge._region import region_of
from socialcover.store import (
    REVIEW_STEPS,
    Assessment,
    EvidenceStrength,
    Guarantee,
    Practice,
    Workflow,
)

__all__ = [
    "PRACTICES",
    "PracticeInput",
    "PracticeTranslation",
    "SourceRef",
    "create_practice",
    "delete_practice",
    "get_practice",
    "list_practices",
    "practice_as_dict",
    "publish_practice",
    "return_practice",
    "submit_practice",
    "translated",
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


class PracticeTranslation(BaseModel):
    """A practice's title and summary in another language (a faithful translation)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=300)
    summary: str = Field(min_length=10, max_length=5000)


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
    translations: dict[Literal["en", "fr", "es"], PracticeTranslation] = Field(
        default_factory=dict,
        description="Title and summary in the other languages, e.g. "
        '{"fr": {"title": "...", "summary": "..."}}; pages in that language show them.',
    )

    @field_validator("country_iso3", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return v.strip().upper() if isinstance(v, str) else v

    @field_validator("country_iso3")
    @classmethod
    def _known(cls, v: str) -> str:
        from socialcover.data import check_iso3  # the pack's countries; any code without a pack

        return check_iso3(v)

    @model_validator(mode="after")
    def _period(self) -> PracticeInput:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError(
                f"period_end {self.period_end} is before period_start {self.period_start}"
            )
        if self.language in self.translations:
            raise ValueError(
                f"translations has {self.language!r}, the practice's own language: the title "
                "and summary are already in it; give translations in the other languages only"
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


def translated(practice: Mapping[str, Any] | Practice, lang: str) -> dict[str, str] | None:
    """The title and summary of a practice in ``lang``, or ``None`` when it is written in
    ``lang`` or has no translation into it.

    Examples
    --------
    >>> p = {"language": "es", "translations": {"fr": {"title": "T", "summary": "S"}}}
    >>> translated(p, "fr"), translated(p, "en"), translated(p, "es")
    ({'title': 'T', 'summary': 'S'}, None, None)
    """
    get = practice.get if isinstance(practice, Mapping) else lambda k: getattr(practice, k, None)
    if get("language") == lang:
        return None
    found = (get("translations") or {}).get(lang)
    if not found or not found.get("title"):
        return None
    return {"title": str(found["title"]), "summary": str(found.get("summary") or "")}


def _derive_region(session: Session, values: dict[str, Any], practice: Practice | None) -> None:
    if practice is None and not values.get("region"):
        values["region"] = region_of(values["country_iso3"])


PRACTICES = Workflow(
    Practice,
    "practice",
    PracticeInput,
    read="practice.read_published",
    draft="practice.draft",
    edit_any="practice.edit_any",
    review="practice.publish",
    delete="practice.delete",
    read_drafts="practice.read_drafts",
    steps=REVIEW_STEPS,
    prepare=_derive_region,
)
"""The practice's workflow: contributors draft and submit, reviewers publish or return."""


def get_practice(session: Session, actor: Any, practice_id: int) -> Practice:
    """A practice the caller may see (published, own, or any for reviewers)."""
    return PRACTICES.get(session, actor, practice_id)


def _practice_query(
    actor: Any,
    status: str | None,
    country_iso3: str | None,
    guarantee: str | None,
    assessment: str | None,
    mine: bool,
) -> Select[Practice]:
    """The practices visible to the caller that pass the filters (unordered)."""
    q = select(Practice)
    visible = PRACTICES.visible_clause(actor)
    if visible is not None:
        q = q.where(visible)
    if mine:
        q = q.where(Practice.created_by_id == getattr(actor, "id", None))
    if status:
        q = q.where(Practice.status == status)
    if country_iso3:
        q = q.where(Practice.country_iso3 == country_iso3.upper())
    if guarantee:
        q = q.where(Practice.guarantee == guarantee)
    if assessment:
        q = q.where(Practice.assessment == assessment)
    return q


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
    q = _practice_query(actor, status, country_iso3, guarantee, assessment, mine)
    q = q.order_by(Practice.updated_at.desc(), Practice.id.desc())
    return list(session.scalars(q.limit(limit).offset(offset)).all())


def count_practices(
    session: Session,
    actor: Any,
    *,
    status: str | None = None,
    country_iso3: str | None = None,
    guarantee: str | None = None,
    assessment: str | None = None,
    mine: bool = False,
) -> int:
    """How many practices :func:`list_practices` would give with the same filters, unpaged."""
    q = _practice_query(actor, status, country_iso3, guarantee, assessment, mine)
    return int(session.scalar(select(func.count()).select_from(q.subquery())) or 0)


def create_practice(
    session: Session, actor: Any, data: PracticeInput | Mapping[str, Any]
) -> Practice:
    """Draft a new practice (needs ``practice.draft``); it starts as a private draft."""
    return PRACTICES.create(session, actor, data)


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
    return PRACTICES.update(session, actor, practice_id, changes, expected_version=expected_version)


def submit_practice(session: Session, actor: Any, practice_id: int) -> Practice:
    """Send one's draft (or returned practice) to the reviewers."""
    return PRACTICES.move(session, actor, practice_id, "submit")


def publish_practice(session: Session, actor: Any, practice_id: int, comment: str = "") -> Practice:
    """Publish a practice (needs ``practice.publish``): it becomes public."""
    return PRACTICES.move(session, actor, practice_id, "publish", comment)


def return_practice(session: Session, actor: Any, practice_id: int, comment: str) -> Practice:
    """Return a submitted practice to its author with a comment saying what to change."""
    return PRACTICES.move(session, actor, practice_id, "return", comment)


def withdraw_practice(session: Session, actor: Any, practice_id: int, comment: str) -> Practice:
    """Take a published practice off the public site (back to the author as returned)."""
    return PRACTICES.move(session, actor, practice_id, "withdraw", comment)


def delete_practice(session: Session, actor: Any, practice_id: int) -> None:
    """Delete a practice for good (needs ``practice.delete``); its audit history stays."""
    PRACTICES.remove(session, actor, practice_id)
