"""Policy platforms: joint statements and policy positions with partner organisations.

A statement is a reviewed record (:data:`STATEMENTS`). Its draft is shared with named partner
organisations (:func:`share_statement`): the people of those organisations (users whose
organisation is a partner) read it before it is published, and sign it for their organisation
(:func:`sign_statement`: which organisation, who, when). Once published, its page lists its
endorsers. A statement cites practices, publications and figures of the indicator store
(``citations``), each checked to exist when it is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.store import (
    REVIEW_STEPS,
    ConflictError,
    Organisation,
    PermissionDeniedError,
    Practice,
    Publication,
    RecordNotFoundError,
    ValidationError,
    Workflow,
    can,
    flush_audited,
    require,
)
from socialcover.store.fields import RecordRef
from socialcover.store.models import Statement, StatementPartner, StatementSignature, User
from socialcover.store.workflow import PUBLISHED

__all__ = [
    "STATEMENTS",
    "STATEMENT_KINDS",
    "StatementInput",
    "create_statement",
    "endorsers",
    "get_statement",
    "list_statements",
    "publish_statement",
    "share_statement",
    "sign_statement",
    "signing_organisation",
    "statement_as_dict",
    "submit_statement",
    "update_statement",
]

STATEMENT_KINDS: tuple[str, ...] = ("joint_statement", "policy_position")
"""A joint statement (signed by partners) or a policy position."""


class _RecordCitation(BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    type: Literal["practice", "publication"]
    id: RecordRef


class _FigureCitation(BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    type: Literal["figure"]
    indicator: str = Field(max_length=80)
    area: str = Field(min_length=1, max_length=60)
    year: int = Field(ge=1990, le=2100)


Citation = Annotated[_RecordCitation | _FigureCitation, Field(discriminator="type")]


class StatementInput(BaseModel):
    """A statement as its author writes it (validated whole before anything is saved)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    kind: Literal["joint_statement", "policy_position"] = "joint_statement"
    title: str = Field(min_length=3, max_length=300)
    text: str = Field(default="", max_length=50000)
    language: Literal["en", "fr", "es"] = "en"
    citations: list[Citation] = Field(default_factory=list, max_length=100)


def _check_citations(session: Session, values: dict[str, Any], record: Any) -> None:
    from socialcover.errors import NotFoundError
    from socialcover.monitor import get_indicator

    for i, c in enumerate(values["citations"]):
        if c["type"] == "figure":
            try:
                c["indicator"] = get_indicator(c["indicator"]).code
            except NotFoundError as exc:
                raise ValidationError(
                    exc.message, code="statement.bad-citation", hint=exc.hint, fields=["citations"]
                ) from None
            continue
        model = Practice if c["type"] == "practice" else Publication
        if session.get(model, c["id"]) is None:
            raise ValidationError(
                f"Citation {i + 1} names {c['type']} {c['id']}, which does not exist.",
                code="statement.bad-citation",
                hint=f"Give the id of an existing {c['type']}; nothing was saved.",
                fields=["citations"],
            )


STATEMENTS: Workflow[Statement] = Workflow(
    Statement,
    "statement",
    StatementInput,
    read="statement.read_published",
    draft="statement.draft",
    edit_any="statement.edit_any",
    review="statement.publish",
    delete="statement.delete",
    read_drafts="statement.read_drafts",
    steps=REVIEW_STEPS,
    prepare=_check_citations,
)
"""The statement's workflow: contributors draft and submit; reviewers publish or return."""


def _organisation_of(session: Session, actor: Any) -> int | None:
    uid = getattr(actor, "id", None)
    if uid is None:
        return None
    user = session.get(User, uid)
    return None if user is None else user.organisation_id


def _is_partner(session: Session, actor: Any, statement: Statement) -> bool:
    org = _organisation_of(session, actor)
    return org is not None and any(p.organisation_id == org for p in statement.partners)


def get_statement(session: Session, actor: Any, statement_id: int) -> Statement:
    """The statement, if ``actor`` may see it: published; or its author, an editor, or a
    person of one of its partner organisations.

    Raises
    ------
    socialcover.store.RecordNotFoundError
        No such statement, or a draft this person may not see.
    """
    try:
        return STATEMENTS.get(session, actor, statement_id)
    except RecordNotFoundError:
        statement = session.get(Statement, statement_id)
        if statement is not None and _is_partner(session, actor, statement):
            return statement
        raise


def list_statements(session: Session, actor: Any, *, limit: int = 500) -> list[Statement]:
    """The statements ``actor`` may see (with the drafts shared with their organisation)."""
    stmt = select(Statement)
    clause = STATEMENTS.visible_clause(actor)
    org = _organisation_of(session, actor)
    if clause is not None and org is not None:
        shared = select(StatementPartner.statement_id).where(
            StatementPartner.organisation_id == org
        )
        clause = clause | Statement.id.in_(shared)
    if clause is not None:
        stmt = stmt.where(clause)
    return list(session.scalars(stmt.order_by(Statement.id.desc()).limit(limit)))


def create_statement(
    session: Session, actor: Any, data: StatementInput | Mapping[str, Any]
) -> Statement:
    """Draft a statement (``statement.draft``); its citations must exist
    (``statement.bad-citation``)."""
    return STATEMENTS.create(session, actor, data)


def update_statement(
    session: Session,
    actor: Any,
    statement_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Statement:
    """Change a statement (its author while a draft; editors)."""
    return STATEMENTS.update(
        session, actor, statement_id, changes, expected_version=expected_version
    )


def submit_statement(session: Session, actor: Any, statement_id: int) -> Statement:
    """Send a draft to review."""
    return STATEMENTS.move(session, actor, statement_id, "submit")


def publish_statement(
    session: Session, actor: Any, statement_id: int, comment: str = ""
) -> Statement:
    """Publish a statement (a reviewer): its page and its endorsers become public."""
    return STATEMENTS.move(session, actor, statement_id, "publish", comment)


def share_statement(
    session: Session, actor: Any, statement_id: int, organisation_id: int
) -> StatementPartner:
    """Share the statement with a partner organisation (its author or an editor, in any state).

    Raises
    ------
    socialcover.store.ValidationError
        No such organisation (``statement.unknown-organisation``).
    socialcover.store.ConflictError
        Already shared with it (``statement.duplicate-partner``).
    """
    require(getattr(actor, "role", None), STATEMENTS.draft)
    statement = STATEMENTS.get(session, actor, statement_id)
    if not (
        STATEMENTS.is_owner(actor, statement)
        or can(getattr(actor, "role", None), STATEMENTS.edit_any)
    ):
        raise PermissionDeniedError(
            f"Only the author of statement {statement_id} or an editor shares it.",
            hint="Ask its author.",
        )
    if session.get(Organisation, organisation_id) is None:
        raise ValidationError(
            f"No organisation {organisation_id} in the actor registry.",
            code="statement.unknown-organisation",
            hint="Register the organisation first (socialcover actors); nothing was saved.",
            fields=["organisation_id"],
        )
    if any(p.organisation_id == organisation_id for p in statement.partners):
        raise ConflictError(
            f"Statement {statement_id} is already shared with organisation {organisation_id}.",
            code="statement.duplicate-partner",
            hint="Nothing to do.",
        )
    row = StatementPartner(statement_id=statement.id, organisation_id=organisation_id)
    session.add(row)
    flush_audited(session, "statement.share")
    session.refresh(statement, ["partners"])
    return row


def sign_statement(
    session: Session,
    actor: Any,
    statement_id: int,
    *,
    signed_by: str,
    signed_by_title: str = "",
    organisation_id: int | None = None,
) -> StatementSignature:
    """Sign a statement for one's organisation, a partner of it (or, for an editor, on behalf
    of any partner organisation named by ``organisation_id``). Audited as ``statement.sign``.

    Raises
    ------
    socialcover.store.PermissionDeniedError
        The person's organisation is not a partner of the statement (``statement.not-partner``).
    socialcover.store.ConflictError
        The organisation already signed (``statement.already-signed``), or the statement was
        withdrawn (``statement.closed``).
    socialcover.store.ValidationError
        No signatory name (``statement.signatory-required``).
    """
    require(getattr(actor, "role", None), "statement.sign")
    statement = get_statement(session, actor, statement_id)
    own = _organisation_of(session, actor)
    editor = can(getattr(actor, "role", None), STATEMENTS.edit_any)
    org = organisation_id if (editor and organisation_id is not None) else own
    partners = {p.organisation_id for p in statement.partners}
    if org is None or org not in partners:
        raise PermissionDeniedError(
            f"Organisation {org} is not a partner of statement {statement_id}.",
            code="statement.not-partner",
            hint="Ask the statement's author to share it with your organisation first.",
        )
    if statement.status == "returned" and statement.published_at is not None:
        raise ConflictError(
            f"Statement {statement_id} was withdrawn; it takes no signatures.",
            code="statement.closed",
            hint="Ask its author.",
        )
    name = signed_by.strip()
    if not name or len(name) > 200:
        raise ValidationError(
            f"Give the name of the person who signs (1 to 200 characters), not {signed_by!r}.",
            code="statement.signatory-required",
            hint="The endorsers' list shows who signed for each organisation.",
            fields=["signed_by"],
        )
    if any(s.organisation_id == org for s in statement.signatures):
        raise ConflictError(
            f"Organisation {org} already signed statement {statement_id}.",
            code="statement.already-signed",
            hint="Each organisation signs once.",
        )
    row = StatementSignature(
        statement_id=statement.id,
        organisation_id=org,
        signed_by=name,
        signed_by_title=signed_by_title.strip()[:200],
        signed_by_user_id=getattr(actor, "id", None),
    )
    session.add(row)
    flush_audited(session, "statement.sign")
    session.refresh(statement, ["signatures"])
    return row


def signing_organisation(session: Session, actor: Any, statement: Statement) -> int | None:
    """The organisation ``actor`` would sign ``statement`` for: their own, when it is a partner
    that has not signed yet and the statement still takes signatures; else ``None``."""
    if not can(getattr(actor, "role", None), "statement.sign"):
        return None
    org = _organisation_of(session, actor)
    if org is None or not _is_partner(session, actor, statement):
        return None
    if statement.status == "returned" and statement.published_at is not None:
        return None
    return None if any(s.organisation_id == org for s in statement.signatures) else org


def endorsers(statement: Statement) -> list[dict[str, Any]]:
    """The organisations that signed, in signing order: organisation, who, when."""
    return [
        {
            "organisation_id": s.organisation_id,
            "organisation": s.organisation.name,
            "signed_by": s.signed_by,
            "signed_by_title": s.signed_by_title,
            "signed_at": s.signed_at.isoformat(),
        }
        for s in statement.signatures
    ]


def statement_as_dict(statement: Statement) -> dict[str, Any]:
    """A statement's fields, its citations and endorsers (partners only while not public)."""
    out: dict[str, Any] = {
        "id": statement.id,
        "kind": statement.kind,
        "title": statement.title,
        "text": statement.text,
        "language": statement.language,
        "citations": list(statement.citations),
        "status": statement.status,
        "version": statement.version,
        "endorsers": endorsers(statement),
    }
    if statement.status != PUBLISHED:
        out["partners"] = [
            {"organisation_id": p.organisation_id, "organisation": p.organisation.name}
            for p in statement.partners
        ]
    return out
