"""Audit and versions: every write to an ``Audited`` record leaves a row in ``audit_log``.

Hooks on the ORM session (SQLAlchemy ``before_flush``/``after_flush`` events) do the work, so no
code path can write a record without its audit row: both go in the same transaction, or
neither does. Each row keeps the record's state before and after the write as JSON (secret
columns such as password hashes left out), who acted, when, the action and a comment.

The rows of one record ordered by version are its history; :func:`revert` copies the state of an
earlier version back onto the record as a new, itself audited, version (the model is the
"history table" pattern of SQLAlchemy's ``versioned_history`` example, kept in one JSON log).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, event, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from socialcover.store._errors import RecordNotFoundError, ValidationError
from socialcover.store.models import Audited, AuditEntry, Base, UTCDateTime, utcnow
from socialcover.store.permissions import require
from socialcover.store.public_version import note_writes

__all__ = [
    "AuditRecord",
    "audited_types",
    "flush_audited",
    "history",
    "model_for",
    "recent_activity",
    "revert",
    "revert_preview",
    "snapshot",
]

_NEVER_REVERT = frozenset({"id", "version", "created_at", "updated_at"})
# Columns every write moves: a history shows what people changed, not these.
_BOOKKEEPING = frozenset({"version", "updated_at"})


@dataclass(frozen=True)
class AuditRecord:
    """One audit row, as services return it (plain values, detached from the session)."""

    id: int
    at: dt.datetime
    user_id: int | None
    actor: str
    action: str
    entity_type: str
    entity_id: int
    version: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    comment: str

    @classmethod
    def of(cls, row: AuditEntry) -> AuditRecord:
        return cls(
            id=row.id,
            at=row.at,
            user_id=row.user_id,
            actor=row.actor,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            version=row.version,
            before=row.before,
            after=row.after,
            comment=row.comment,
        )

    def changed_fields(self) -> list[str]:
        """Names of the fields this write changed."""
        b, a = self.before or {}, self.after or {}
        return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))

    def changes(self) -> list[tuple[str, Any, Any]]:
        """``(field, old value, new value)`` for each field this write changed.

        The bookkeeping columns every write moves (version, updated_at) are left out.
        """
        b, a = self.before or {}, self.after or {}
        return [(k, b.get(k), a.get(k)) for k in self.changed_fields() if k not in _BOOKKEEPING]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: Audited) -> dict[str, Any]:
    """The record's column values as JSON-ready data (secret columns left out)."""
    mapper = inspect(obj).mapper
    exclude = type(obj).__audit_exclude__
    return {
        attr.key: _jsonable(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def _before_snapshot(obj: Audited) -> dict[str, Any]:
    state = inspect(obj)
    exclude = type(obj).__audit_exclude__
    out: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in exclude:
            continue
        hist = state.attrs[attr.key].history
        if hist.deleted:
            out[attr.key] = _jsonable(hist.deleted[0])
        elif hist.unchanged:
            out[attr.key] = _jsonable(hist.unchanged[0])
        else:
            out[attr.key] = _jsonable(state.attrs[attr.key].value)
    return out


def flush_audited(session: Session, action: str, comment: str = "") -> None:
    """Flush the session's pending writes now, their audit rows naming ``action``.

    The rows are written by the flush hooks below; this only names them (``practice.publish``
    rather than ``update``) and comments them. Writes flushed before the call (by an autoflush
    or an earlier flush) keep the default names ``create``, ``update`` and ``delete``, and a
    deletion is always logged as ``delete``.

    Parameters
    ----------
    session
        The session holding the writes.
    action
        The audit action, ``<record>.<step>`` by convention (``practice.submit``).
    comment
        Why, as the person gave it (kept in the audit row).
    """
    session.info["audit_action"] = action
    session.info["audit_comment"] = comment
    try:
        session.flush()
    finally:
        session.info.pop("audit_action", None)
        session.info.pop("audit_comment", None)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    pending: list[tuple[Audited, str, dict[str, Any] | None]] = session.info.setdefault(
        "_audit_pending", []
    )
    with session.no_autoflush:
        for obj in session.new:
            if isinstance(obj, Audited):
                obj.version = 1
                pending.append((obj, "create", None))
        for obj in session.dirty:
            if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
                before = _before_snapshot(obj)
                obj.version = (before.get("version") or 0) + 1
                obj.updated_at = utcnow()
                pending.append((obj, "update", before))
        for obj in session.deleted:
            if isinstance(obj, Audited):
                pending.append((obj, "delete", _before_snapshot(obj)))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    pending: list[tuple[Audited, str, dict[str, Any] | None]] = session.info.pop(
        "_audit_pending", []
    )
    if not pending:
        return
    user_id, label = session.info.get("actor", (None, "anonymous"))
    named = session.info.get("audit_action")
    comment = session.info.get("audit_comment", "")
    rows, writes = [], []
    for obj, kind, before in pending:
        after = None if kind == "delete" else snapshot(obj)
        writes.append((obj, before, after))
        entity_id = (after or before or {}).get("id")
        rows.append(
            {
                "at": utcnow(),
                "user_id": user_id,
                "actor": label,
                "action": named if named and kind != "delete" else kind,
                "entity_type": type(obj).__tablename__,  # type: ignore[attr-defined]
                "entity_id": entity_id,
                "version": None if after is None else after.get("version"),
                "before": before,
                "after": after,
                "comment": comment,
            }
        )
    session.connection().execute(insert(AuditEntry), rows)
    note_writes(session, writes)
    from socialcover.store.search_index import sync_documents

    sync_documents(session, [(obj, kind) for obj, kind, _ in pending])


def audited_types() -> dict[str, type[Audited]]:
    """Audited record types by table name (the ``entity_type`` of audit rows)."""
    out: dict[str, type[Audited]] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, Audited):
            out[cls.__tablename__] = cls  # type: ignore[attr-defined]
    return out


def model_for(entity_type: str) -> type[Audited]:
    """The audited model for a table name; unknown names raise with the known ones."""
    types = audited_types()
    if entity_type not in types:
        raise RecordNotFoundError(
            f"Unknown record type {entity_type!r}.",
            hint=f"Use one of: {', '.join(sorted(types))}.",
        )
    return types[entity_type]


def history(session: Session, entity_type: str, entity_id: int) -> list[AuditRecord]:
    """Every audited write to one record, oldest first (version 1 is its creation)."""
    model_for(entity_type)
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    ).all()
    return [AuditRecord.of(r) for r in rows]


def recent_activity(
    session: Session,
    actor: Any,
    *,
    limit: int = 100,
    entity_type: str | None = None,
    user_id: int | None = None,
    before_id: int | None = None,
) -> list[AuditRecord]:
    """The audit log, newest first (needs ``audit.read``); ``before_id`` pages backwards."""
    require(getattr(actor, "role", None), "audit.read")
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity_type:
        q = q.where(AuditEntry.entity_type == entity_type)
    if user_id is not None:
        q = q.where(AuditEntry.user_id == user_id)
    if before_id is not None:
        q = q.where(AuditEntry.id < before_id)
    return [AuditRecord.of(r) for r in session.scalars(q).all()]


def _from_json(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, UTCDateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return dt.date.fromisoformat(value)
    return value


def revert_preview(
    session: Session, entity_type: str, entity_id: int, to_version: int
) -> list[tuple[str, Any, Any]]:
    """``(field, current value, value after the revert)`` for each field a revert would change.

    Raises the same errors as ``revert`` for a record or version that does not exist.
    """
    obj, row = _version_of(session, entity_type, entity_id, to_version)
    current, target = snapshot(obj), row.after or {}
    return [
        (key, current.get(key), value)
        for key, value in sorted(target.items())
        if key not in _NEVER_REVERT and key in current and current.get(key) != value
    ]


def _version_of(
    session: Session, entity_type: str, entity_id: int, to_version: int
) -> tuple[Audited, AuditEntry]:
    model = model_for(entity_type)
    obj = session.get(model, entity_id)
    if obj is None:
        raise RecordNotFoundError(
            f"No {entity_type} record with id {entity_id}.",
            hint="A deleted record cannot be reverted; see its last state in the audit log.",
        )
    row = session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == entity_type,
            AuditEntry.entity_id == entity_id,
            AuditEntry.version == to_version,
        )
    ).first()
    if row is None or row.after is None:
        raise ValidationError(
            f"{entity_type} {entity_id} has no version {to_version}.",
            code="store.no-such-version",
            hint=f"Its current version is {obj.version}; list versions with its history.",
        )
    return obj, row


def revert(
    session: Session,
    actor: Any,
    entity_type: str,
    entity_id: int,
    to_version: int,
    *,
    comment: str = "",
) -> Audited:
    """Restore the state a record had at ``to_version``, as a new audited version.

    Needs ``record.revert``. Identity, version and timestamps are not copied; secret
    columns (never logged) are left as they are.
    """
    require(getattr(actor, "role", None), "record.revert")
    obj, row = _version_of(session, entity_type, entity_id, to_version)
    assert row.after is not None  # _version_of refuses a version without a state
    columns = {c.key: c.columns[0].type for c in inspect(type(obj)).column_attrs}
    for key, value in row.after.items():
        if key in _NEVER_REVERT or key not in columns:
            continue
        setattr(obj, key, _from_json(columns[key], value))
    flush_audited(session, "revert", comment or f"reverted to version {to_version}")
    return obj
