"""One workflow for every record people draft, review and publish.

A record type declares its :class:`Workflow` once: its model, its input schema, the names in
:data:`~socialcover.store.permissions.PERMISSIONS` that guard it, and its steps. The workflow
then does, the same way for every type, what each service used to write for itself:

- who sees a record: published ones are public; drafts only to their owner (``created_by_id``)
  and to roles with the ``read_drafts`` permission;
- who edits it: its owner while it is a draft (or returned), roles with ``edit_any`` always;
- the optimistic version check (``expected_version``), refused as ``store.stale``;
- the steps (submit, publish, return, withdraw between draft, submitted, returned and
  published): the role or ownership each needs, the states it starts from, the reviewer and
  comment it records;
- the audit row of each write, named ``<actions>.<step>`` (``practice.publish``).

A model without a ``status`` column (an organisation) is always public and has no steps; one
without ``created_by_id`` has no owner. A new model takes both, and the reviewer's columns,
from the ``Reviewed`` mixin of :mod:`socialcover.store.models` (docs/records.md shows a whole
new record type).

Examples
--------
>>> from socialcover.store import Practice, REVIEW_STEPS, Workflow
>>> from pydantic import BaseModel
>>> class Note(BaseModel):
...     title: str
>>> notes = Workflow(
...     Practice, "practice", Note, read="practice.read_published", draft="practice.draft",
...     edit_any="practice.edit_any", review="practice.publish", delete="practice.delete",
...     read_drafts="practice.read_drafts", steps=REVIEW_STEPS,
... )
>>> notes.visible(None, Practice(status="published")), notes.visible(None, Practice())
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, cast

import pydantic
from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import Session

from socialcover.store._errors import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    ValidationError,
)
from socialcover.store.audit import flush_audited
from socialcover.store.models import Audited, Reviewed, utcnow
from socialcover.store.permissions import can, require
from socialcover.store.vocabulary import PracticeStatus

__all__ = ["REVIEW_STEPS", "Step", "Team", "Workflow", "validate_input"]

R = TypeVar("R", bound=Audited)
M = TypeVar("M", bound=pydantic.BaseModel)

# the states of REVIEW_STEPS, named by the first reviewed record's vocabulary
DRAFT = PracticeStatus.DRAFT.value
SUBMITTED = PracticeStatus.SUBMITTED.value
RETURNED = PracticeStatus.RETURNED.value
PUBLISHED = PracticeStatus.PUBLISHED.value


@dataclass(frozen=True)
class Step:
    """One move of a record between states.

    Attributes
    ----------
    sources
        The states it starts from; from any other it is refused (``store.bad-transition``).
    target
        The state it leads to.
    by_reviewer
        Needs the workflow's ``review`` permission; otherwise it is the owner's step (or an
        ``edit_any`` role's) and needs ``draft``.
    comment_required
        Refused without a comment (returning a record says what to change).
    signs
        Records the acting reviewer as ``reviewed_by_id`` (models with the review columns).
    """

    sources: tuple[str, ...]
    target: str
    by_reviewer: bool = False
    comment_required: bool = False
    signs: bool = False


REVIEW_STEPS: Mapping[str, Step] = {
    "submit": Step(sources=(DRAFT, RETURNED), target=SUBMITTED),
    "publish": Step(
        sources=(SUBMITTED, DRAFT, RETURNED), target=PUBLISHED, by_reviewer=True, signs=True
    ),
    "return": Step(
        sources=(SUBMITTED,), target=RETURNED, by_reviewer=True, comment_required=True, signs=True
    ),
    "withdraw": Step(sources=(PUBLISHED,), target=RETURNED, by_reviewer=True),
}
"""The review of a contributed record: the author submits; a reviewer publishes, returns it
with a comment, or withdraws a published one (back to the author as returned)."""


def validate_input(schema: type[M], data: M | Mapping[str, Any], what: str) -> M:
    """Validate ``data`` completely as ``schema`` before anything is written.

    Parameters
    ----------
    schema
        The pydantic model of the record's fields.
    data
        The input: a mapping, or an instance of ``schema`` (returned as it is).
    what
        The record's name in the message ("The practice is not valid: ...").

    Returns
    -------
    pydantic.BaseModel
        The validated ``schema`` instance.

    Raises
    ------
    ValidationError
        Naming every bad field with the value given (``context["fields"]`` lists them).
    """
    if isinstance(data, schema):
        return data
    try:
        return schema.model_validate(dict(data))
    except pydantic.ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "(record)"
            problems.append(f"{name}: {err['msg']} (got {err.get('input')!r:.60})")
        raise ValidationError(
            f"The {what} is not valid: " + "; ".join(problems) + ".",
            code="store.invalid",
            hint="Correct the fields named above; nothing was saved.",
            fields=[".".join(str(p) for p in e["loc"]) for e in exc.errors()],
        ) from None


class _Stated(Protocol):
    status: str


def _role(actor: Any) -> str | None:
    return getattr(actor, "role", None)


def _status(record: Any) -> str:
    return str(getattr(record, "status", PUBLISHED))  # no status column: always public


Prepare = Callable[[Session, dict[str, Any], Any], None]


class Team(Protocol):
    """The people who own a record together (a country engagement's team).

    A workflow with a ``team`` lets its members see the record in any state, edit it and take
    its author steps, as its owner may; the permission table still decides what their role
    may do at all.
    """

    def has(self, actor: Any, record: Any) -> bool:
        """Whether ``actor`` is on ``record``'s team."""
        ...

    def clause(self, actor: Any) -> ColumnElement[bool] | None:
        """The ``WHERE`` clause of the records whose team ``actor`` is on (``None``: none)."""
        ...


def _nothing_to_prepare(session: Session, values: dict[str, Any], record: Any) -> None:
    return None


@dataclass(frozen=True)
class Workflow(Generic[R]):
    """How one record type is seen, created, edited, moved between states and deleted.

    Parameters
    ----------
    model
        The mapped class (an :class:`~socialcover.store.models.Audited` record).
    noun
        Its name in messages: ``"practice"`` gives "No practice 12.".
    schema
        The pydantic model of its editable fields; input is validated whole before a write.
    read, draft, edit_any, review, delete, read_drafts
        Names in ``PERMISSIONS``: to read published records; to create, and to edit and
        submit one's own drafts; to edit any record; for the reviewer's steps; to delete; to
        see every draft (owners always see their own). ``review`` and ``read_drafts`` are
        ``None`` for a record type without review.
    steps
        Step name to :class:`Step`; ``REVIEW_STEPS`` for contributed records.
    owner_edits
        The states in which the owner may still edit.
    initial, public
        The state of a new record, and the state in which records are public (``draft`` and
        ``published`` by default; a data set is ``entered``, then public once ``approved``).
    actions
        Prefix of the audit actions (default: ``noun``).
    prepare
        Called with the validated values (and the record, ``None`` on create) before they are
        written: fills in derived values, checks what needs the database (a unique name).
    team
        The record's team (:class:`Team`), who see, edit and move it as its owner does, in
        any state; ``None`` for records owned by one person.
    """

    model: type[R]
    noun: str
    schema: type[pydantic.BaseModel]
    read: str
    draft: str
    edit_any: str
    delete: str
    review: str | None = None
    read_drafts: str | None = None
    steps: Mapping[str, Step] = field(default_factory=dict)
    owner_edits: tuple[str, ...] = (DRAFT, RETURNED)
    initial: str = DRAFT
    public: str = PUBLISHED
    actions: str = ""
    prepare: Prepare = _nothing_to_prepare
    team: Team | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        """The editable fields (those of ``schema``)."""
        return tuple(self.schema.model_fields)

    def __post_init__(self) -> None:
        if self.review is None and any(s.by_reviewer for s in self.steps.values()):
            raise TypeError(f"The {self.noun} workflow has reviewer steps: give it `review`.")

    def _column(self, name: str) -> Any:
        return getattr(self.model, name)

    def _name(self, record: Any) -> str:
        return f"{self.noun.capitalize()} {record.id}"

    def _audit(self, session: Session, step: str, comment: str = "") -> None:
        flush_audited(session, f"{self.actions or self.noun}.{step}", comment)

    def is_owner(self, actor: Any, record: R) -> bool:
        """Whether ``actor`` drafted ``record`` (records without an owner have none)."""
        uid = getattr(actor, "id", None)
        return uid is not None and getattr(record, "created_by_id", None) == uid

    def on_team(self, actor: Any, record: R) -> bool:
        """Whether ``actor`` is on ``record``'s team (``False`` for a workflow without one)."""
        return (
            self.team is not None
            and getattr(actor, "id", None) is not None
            and (self.team.has(actor, record))
        )

    def visible(self, actor: Any, record: R) -> bool:
        """Whether ``actor`` may see ``record``: published, their own, or any for editors."""
        if getattr(record, "status", self.public) == self.public:  # no status: always public
            return can(_role(actor), self.read)
        return (
            self.is_owner(actor, record)
            or self.on_team(actor, record)
            or (self.read_drafts is not None and can(_role(actor), self.read_drafts))
        )

    def visible_clause(self, actor: Any) -> ColumnElement[bool] | None:
        """The ``WHERE`` clause of the records ``actor`` may see (``None``: all of them)."""
        if not hasattr(self.model, "status"):
            return None
        if self.read_drafts is not None and can(_role(actor), self.read_drafts):
            return None
        published: ColumnElement[bool] = self._column("status") == self.public
        uid = getattr(actor, "id", None)
        if uid is None:
            return published
        seen = [published]
        if hasattr(self.model, "created_by_id"):
            seen.append(self._column("created_by_id") == uid)
        team = self.team.clause(actor) if self.team is not None else None
        if team is not None:
            seen.append(team)
        return or_(*seen) if len(seen) > 1 else published

    def may_edit(self, actor: Any, record: R) -> bool:
        """Whether ``actor`` may change ``record``'s fields in its present state."""
        if can(_role(actor), self.edit_any) or self.on_team(actor, record):
            return True
        return self.is_owner(actor, record) and _status(record) in self.owner_edits

    def get(self, session: Session, actor: Any, record_id: int) -> R:
        """The record, if it exists and ``actor`` may see it.

        Raises
        ------
        RecordNotFoundError
            Also for a record the actor may not see, so that drafts do not leak.
        """
        record = session.get(self.model, record_id)
        if record is None or not self.visible(actor, record):
            raise RecordNotFoundError(
                f"No {self.noun} {record_id}.",
                hint="It may not exist, or be a draft you cannot see; list or search them.",
            )
        return record

    def check_version(self, record: R, expected_version: int | None) -> None:
        """Refuse a write based on an older version than the record's (``store.stale``)."""
        if expected_version is not None and record.version != expected_version:
            raise ConflictError(
                f"{self._name(record)} is at version {record.version}, "
                f"you edited version {expected_version}.",
                code="store.stale",
                hint="Someone changed it meanwhile: reload it, redo your change, and save again.",
            )

    def create(
        self, session: Session, actor: Any, data: pydantic.BaseModel | Mapping[str, Any]
    ) -> R:
        """Validate ``data`` and add it as a new record, a draft owned by ``actor``.

        Needs ``draft``; audited as ``<actions>.create``.
        """
        require(_role(actor), self.draft)
        values = validate_input(self.schema, data, self.noun).model_dump()
        self.prepare(session, values, None)
        if hasattr(self.model, "status"):
            values["status"] = self.initial
        if hasattr(self.model, "created_by_id"):
            values["created_by_id"] = getattr(actor, "id", None)
        record = self.model(**values)
        session.add(record)
        self._audit(session, "create")
        return record

    def editable(
        self, session: Session, actor: Any, record_id: int, expected_version: int | None = None
    ) -> R:
        """The record, checked first that ``actor`` may change it at ``expected_version``.

        Raises
        ------
        PermissionDeniedError
            Without ``draft``; or not the owner of a draft (nor an ``edit_any`` role).
        RecordNotFoundError
            No such record visible to ``actor``.
        ConflictError
            The record is no longer at ``expected_version`` (``store.stale``).
        """
        require(_role(actor), self.draft)
        record = self.get(session, actor, record_id)
        if not self.may_edit(actor, record):
            back = "return it to you, or to " if "return" in self.steps else ""
            raise PermissionDeniedError(
                f"{self._name(record)} is {_status(record)}; you may edit only your own drafts.",
                hint=f"Ask a reviewer to {back}make the change.",
            )
        self.check_version(record, expected_version)
        return record

    def update(
        self,
        session: Session,
        actor: Any,
        record_id: int,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
    ) -> R:
        """Change some fields; the whole result is validated before anything is saved.

        See :meth:`editable` for who may; audited as ``<actions>.update``.
        """
        record = self.editable(session, actor, record_id, expected_version)
        unknown = sorted(set(changes) - set(self.fields))
        if unknown:
            raise ValidationError(
                f"Unknown or read-only {self.noun} fields: {', '.join(unknown)}.",
                hint=f"Editable fields: {', '.join(self.fields)}.",
            )
        merged = {k: getattr(record, k) for k in self.fields} | dict(changes)
        values = validate_input(self.schema, merged, self.noun).model_dump()
        self.prepare(session, values, record)
        for key, value in values.items():
            if getattr(record, key) != value:
                setattr(record, key, value)
        self._audit(session, "update")
        return record

    def move(self, session: Session, actor: Any, record_id: int, step: str, comment: str = "") -> R:
        """Take one step of :attr:`steps` (``submit``, ``publish``...), audited with its comment.

        Raises
        ------
        PermissionDeniedError
            The role lacks the step's permission, or an author step on someone else's record.
        ValidationError
            The step needs a comment and none was given (``store.comment-required``).
        ConflictError
            The record is not in a state the step starts from (``store.bad-transition``).
        """
        rule = self.steps[step]
        comment = comment.strip()
        needs = self.review if rule.by_reviewer else self.draft
        assert needs is not None  # checked when the workflow was declared
        require(_role(actor), needs)
        if rule.comment_required and not comment:
            raise ValidationError(
                f"The {step} step needs a comment.",
                code="store.comment-required",
                hint="Say what the author should change before it can be published.",
            )
        record = self.get(session, actor, record_id)
        if not rule.by_reviewer and not (
            self.is_owner(actor, record)
            or self.on_team(actor, record)
            or can(_role(actor), self.edit_any)
        ):
            raise PermissionDeniedError(
                f"{self._name(record)} is not yours to {step}.",
                hint=f"Only its author may {step} it.",
            )
        if _status(record) not in rule.sources:
            raise ConflictError(
                f"{self._name(record)} is {_status(record)}; {self.actions or self.noun}.{step} "
                f"needs it to be {' or '.join(rule.sources)}.",
                code="store.bad-transition",
                hint=f"Reload the {self.noun} to see its current state.",
            )
        cast(_Stated, record).status = rule.target
        if isinstance(record, Reviewed):
            if rule.by_reviewer:
                record.review_comment = comment
            if rule.signs:
                record.reviewed_by_id = getattr(actor, "id", None)
            if rule.target == self.public:
                record.published_at = utcnow()
        self._audit(session, step, comment)
        return record

    def remove(self, session: Session, actor: Any, record_id: int) -> None:
        """Delete a record for good (needs ``delete``); its audit history stays."""
        require(_role(actor), self.delete)
        session.delete(self.get(session, actor, record_id))
        session.flush()
