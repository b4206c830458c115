"""Claims: the key facts of a practice, each with the source that supports it and its status.

A practice's dates, ages, amounts, coverage figures and outcomes are the facts a reader will
repeat, so each one is a claim of its own (a :class:`socialcover.store.PracticeClaim` row):

- ``verified``: a reviewer read the passage of the cited source that supports it (who, when,
  and which passage are recorded);
- ``unverified``: nobody has confirmed it yet (the page says so plainly);
- ``disputed``: another source contradicts it (that source is recorded beside it).

Two rules make a wrong fact hard to publish. A claim is refused when its source was published
before the event it reports (a 2018 book cannot support a 2022 reform: ``claim.source-before-
event``). And a practice counts as *verified* only when every one of its key claims is; until
then a starter practice is shown as "starter, being verified" (:func:`verification_of`).

Who may do what: adding or editing claims follows the practice's workflow (the owner of a draft,
or an editor); verifying and disputing needs ``practice.verify`` (reviewers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.knowledge.practices import PRACTICES, get_practice
from socialcover.store import (
    ConflictError,
    Practice,
    PracticeClaim,
    RecordNotFoundError,
    ValidationError,
    flush_audited,
    require,
    validate_input,
)
from socialcover.store.fields import IsoDate, JsonBool

__all__ = [
    "CLAIM_KINDS",
    "CLAIM_STATUSES",
    "CitedSource",
    "ClaimInput",
    "Verification",
    "add_claim",
    "check_source_dates",
    "claim_as_dict",
    "dispute_claim",
    "list_claims",
    "new_claim_row",
    "verification_of",
    "verify_claim",
]

ClaimKind = Literal["date", "age", "amount", "coverage", "outcome", "other"]
ClaimStatus = Literal["verified", "unverified", "disputed"]
CLAIM_KINDS: tuple[str, ...] = ("date", "age", "amount", "coverage", "outcome", "other")
"""What a claim states: a date, an age, an amount, a coverage figure, an outcome, other."""
CLAIM_STATUSES: tuple[str, ...] = ("verified", "unverified", "disputed")
"""Where a claim stands: checked in its source, not yet checked, or contradicted."""


class CitedSource(BaseModel):
    """A source precise enough to check a claim in: who wrote it, when, and where to look."""

    model_config = pydantic.ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=400)
    authors: list[str] = Field(default_factory=list)
    editors: list[str] = Field(default_factory=list)
    publisher: str = Field(default="", max_length=200)
    year: int | None = Field(default=None, ge=1880, le=2100)  # None: not printed on it
    url: str | None = Field(default=None, max_length=500)
    locator: str = Field(default="", max_length=200)  # page, section, paragraph
    publication_key: str | None = Field(default=None, max_length=80)  # a library publication

    @field_validator("url")
    @classmethod
    def _http(cls, v: str | None) -> str | None:
        if v and not v.startswith(("https://", "http://")):
            raise ValueError("a source URL starts with https:// or http://")
        return v or None


class ClaimInput(BaseModel):
    """One claim as a contributor or reviewer writes it (validated before anything is saved)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")
    text: str = Field(min_length=3, max_length=1000)
    kind: ClaimKind
    event_year: int | None = Field(default=None, ge=1880, le=2100)
    is_key: JsonBool = True
    source: CitedSource | None = None
    status: ClaimStatus = "unverified"
    verified_by: str | None = Field(default=None, max_length=200)
    verified_on: IsoDate | None = None
    verified_against: str = Field(default="", max_length=2000)
    dispute_source: CitedSource | None = None
    note: str = Field(default="", max_length=4000)

    @model_validator(mode="after")
    def _status_needs(self) -> ClaimInput:
        if self.status == "verified":
            missing = [
                name
                for name in ("source", "verified_by", "verified_on")
                if getattr(self, name) is None
            ]
            if not self.verified_against.strip():
                missing.append("verified_against")
            if self.source is not None and self.source.year is None and self.event_year:
                missing.append("source.year (to show the source is not older than the event)")
            if missing:
                raise ValueError(
                    "a verified claim says who verified it, when, in which source and against "
                    f"which passage; missing: {', '.join(missing)}"
                )
        if self.status == "disputed" and self.dispute_source is None:
            raise ValueError("a disputed claim names the other source (dispute_source)")
        return self


def check_source_dates(claim: ClaimInput, what: str = "claim") -> None:
    """Refuse a claim whose source (or disputing source) predates the event it reports.

    Raises
    ------
    ValidationError
        ``claim.source-before-event``, with both years; nothing is written.

    Examples
    --------
    >>> c = ClaimInput(
    ...     key="guaranteed-pension",
    ...     text="A universal guaranteed pension was enacted in 2022.",
    ...     kind="date",
    ...     event_year=2022,
    ...     source={"title": "Reversing pension privatizations", "year": 2018},
    ... )
    >>> check_source_dates(c)
    Traceback (most recent call last):
    ...
    socialcover.store._errors.ValidationError: The source of claim 'guaranteed-pension' ...
    """
    if claim.event_year is None:
        return
    for label, source in (("source", claim.source), ("disputing source", claim.dispute_source)):
        if source is not None and source.year is not None and source.year < claim.event_year:
            raise ValidationError(
                f"The {label} of {what} {claim.key!r} ({source.title!r}, {source.year}) was "
                f"published before the event it reports ({claim.event_year}).",
                code="claim.source-before-event",
                hint="Cite a source published in or after the year of the event, or correct "
                "event_year; nothing was saved.",
                key=claim.key,
                source_year=source.year,
                event_year=claim.event_year,
            )


def claim_as_dict(c: PracticeClaim) -> dict[str, Any]:
    """A claim as plain JSON-ready data (for the API, the page and exports)."""
    return {
        "id": c.id,
        "practice_id": c.practice_id,
        "key": c.claim_key,
        "text": c.text,
        "kind": c.kind,
        "event_year": c.event_year,
        "is_key": c.is_key,
        "source": c.source,
        "status": c.status,
        "verified_by": c.verified_by,
        "verified_on": c.verified_on.isoformat() if c.verified_on else None,
        "verified_against": c.verified_against,
        "dispute_source": c.dispute_source,
        "note": c.note,
        "version": c.version,
    }


def _columns(claim: ClaimInput) -> dict[str, Any]:
    return {
        "claim_key": claim.key,
        "text": claim.text,
        "kind": claim.kind,
        "event_year": claim.event_year,
        "is_key": claim.is_key,
        "source": claim.source.model_dump() if claim.source else None,
        "status": claim.status,
        "verified_by": claim.verified_by,
        "verified_on": claim.verified_on,
        "verified_against": claim.verified_against,
        "dispute_source": claim.dispute_source.model_dump() if claim.dispute_source else None,
        "note": claim.note,
    }


def new_claim_row(practice_id: int, claim: ClaimInput) -> PracticeClaim:
    """The row for a validated claim (date rule checked); the caller adds and audits it."""
    check_source_dates(claim)
    return PracticeClaim(practice_id=practice_id, **_columns(claim))


def add_claim(
    session: Session, actor: Any, practice_id: int, data: ClaimInput | Mapping[str, Any]
) -> PracticeClaim:
    """Add a key fact to a practice the caller may edit (owner of a draft, or an editor).

    A contributor's claim is saved as ``unverified`` whatever it says: only reviewers verify.

    Raises
    ------
    ValidationError
        A bad field (``store.invalid``) or a source older than the event
        (``claim.source-before-event``); nothing is written.
    ConflictError
        The practice already has a claim with this key (``claim.duplicate``).
    """
    claim = validate_input(ClaimInput, data, "claim")
    PRACTICES.editable(session, actor, practice_id)
    if claim.status != "unverified" and not _may_verify(actor):
        claim = claim.model_copy(
            update={"status": "unverified", "verified_by": None, "verified_on": None}
        )
    exists = session.scalars(
        select(PracticeClaim).where(
            PracticeClaim.practice_id == practice_id, PracticeClaim.claim_key == claim.key
        )
    ).first()
    if exists is not None:
        raise ConflictError(
            f"Practice {practice_id} already has a claim {claim.key!r}.",
            code="claim.duplicate",
            hint="Give the new claim another key, or verify or dispute the existing one.",
        )
    row = new_claim_row(practice_id, claim)
    session.add(row)
    flush_audited(session, "claim.create")
    return row


def _may_verify(actor: Any) -> bool:
    from socialcover.store import can

    return can(getattr(actor, "role", None), "practice.verify")


def _claim(session: Session, actor: Any, claim_id: int) -> PracticeClaim:
    row = session.get(PracticeClaim, claim_id)
    if row is None:
        raise RecordNotFoundError(
            f"No claim {claim_id}.",
            code="claim.not-found",
            hint="List a practice's claims on its page or with GET /api/v1/practices/{id}/claims.",
        )
    get_practice(session, actor, row.practice_id)  # the caller must see the practice
    return row


def _reviewer_name(actor: Any) -> str:
    return str(
        getattr(actor, "name", "")
        or getattr(actor, "display_name", "")
        or getattr(actor, "email", "")
        or f"user {getattr(actor, 'id', '?')}"
    )


def verify_claim(
    session: Session,
    actor: Any,
    claim_id: int,
    *,
    against: str,
    source: CitedSource | Mapping[str, Any] | None = None,
    on: dt.date | None = None,
    by: str | None = None,
) -> PracticeClaim:
    """Record that a reviewer checked one claim in its source (needs ``practice.verify``).

    Parameters
    ----------
    against
        The passage read: page, section or a short paraphrase of what the source says there.
    source
        The source checked, when it is not (or no longer) the one the claim cites; it replaces
        the claim's source.
    on
        The day of the check (today by default).
    by
        The reviewer's name, when the caller is not a signed-in person (the command line).

    Raises
    ------
    ValidationError
        No source to verify against, an empty ``against`` (``claim.invalid``) or a source
        older than the event (``claim.source-before-event``); nothing is written.
    """
    require(getattr(actor, "role", None), "practice.verify")
    row = _claim(session, actor, claim_id)
    values = {**_input_of(row), "status": "verified", "verified_against": against.strip()}
    values["verified_by"] = (by or "").strip() or _reviewer_name(actor)
    values["verified_on"] = on or dt.date.today()
    values["dispute_source"] = None
    if source is not None:
        values["source"] = source
    if values["source"] is None or not values["verified_against"]:
        raise ValidationError(
            f"Claim {row.claim_key!r} cannot be verified without a source and the passage read.",
            code="claim.invalid",
            hint="Give the source checked and say where in it the fact is (page or section).",
        )
    claim = validate_input(ClaimInput, values, "claim")
    check_source_dates(claim)
    _write(row, claim, getattr(actor, "id", None))
    flush_audited(session, "claim.verify", against)
    return row


def dispute_claim(
    session: Session,
    actor: Any,
    claim_id: int,
    *,
    other_source: CitedSource | Mapping[str, Any],
    note: str,
) -> PracticeClaim:
    """Mark a claim as contradicted by another source (needs ``practice.verify``).

    Raises
    ------
    ValidationError
        An incomplete source, an empty note, or a disputing source older than the event.
    """
    require(getattr(actor, "role", None), "practice.verify")
    row = _claim(session, actor, claim_id)
    if not note.strip():
        raise ValidationError(
            f"Say why claim {row.claim_key!r} is disputed.",
            code="claim.invalid",
            hint="Give a note: what the other source says, and where.",
        )
    values = {
        **_input_of(row),
        "status": "disputed",
        "dispute_source": other_source,
        "note": note.strip(),
        "verified_by": None,
        "verified_on": None,
    }
    claim = validate_input(ClaimInput, values, "claim")
    check_source_dates(claim)
    _write(row, claim, None)
    flush_audited(session, "claim.dispute", note)
    return row


def _input_of(row: PracticeClaim) -> dict[str, Any]:
    return {
        "key": row.claim_key,
        "text": row.text,
        "kind": row.kind,
        "event_year": row.event_year,
        "is_key": row.is_key,
        "source": row.source,
        "status": row.status,
        "verified_by": row.verified_by,
        "verified_on": row.verified_on,
        "verified_against": row.verified_against,
        "dispute_source": row.dispute_source,
        "note": row.note,
    }


def _write(row: PracticeClaim, claim: ClaimInput, reviewer_id: int | None) -> None:
    for name, value in _columns(claim).items():
        setattr(row, name, value)
    row.verified_by_id = reviewer_id


def list_claims(session: Session, actor: Any, practice_id: int) -> list[PracticeClaim]:
    """The claims of a practice the caller may see, in the order they were added."""
    get_practice(session, actor, practice_id)
    q = select(PracticeClaim).where(PracticeClaim.practice_id == practice_id)
    return list(session.scalars(q.order_by(PracticeClaim.id)).all())


@dataclass(frozen=True)
class Verification:
    """Where a practice stands: its state, the date it was last verified, what is not."""

    state: Literal["verified", "starter", "being-verified", "no-claims"]
    as_of: dt.date | None
    verified: int
    total: int
    unverified: list[str] = field(default_factory=list)
    disputed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "state": self.state,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "verified": self.verified,
            "total": self.total,
            "unverified": self.unverified,
            "disputed": self.disputed,
        }


def verification_of(practice: Practice, claims: Sequence[PracticeClaim]) -> Verification:
    """A practice is verified only when every key claim is; else starter or being verified.

    ``as_of`` is the latest day a claim of the practice was verified (``None`` if none was).
    """
    key = [c for c in claims if c.is_key]
    done = [c for c in key if c.status == "verified"]
    dates = [c.verified_on for c in claims if c.status == "verified" and c.verified_on]
    state: Literal["verified", "starter", "being-verified", "no-claims"]
    if not key:
        state = "starter" if practice.is_starter else "no-claims"
    elif len(done) == len(key):
        state = "verified"
    else:
        state = "starter" if practice.is_starter else "being-verified"
    return Verification(
        state=state,
        as_of=max(dates) if dates else None,
        verified=len(done),
        total=len(key),
        unverified=[c.text for c in claims if c.status == "unverified"],
        disputed=[c.text for c in claims if c.status == "disputed"],
    )
