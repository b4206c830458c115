"""The public version: a number that changes when, and only when, what the public sees changes.

Caches of what anonymous readers see (pages, search results, report figures) are keyed on it.
The newest audit row would do as a key, but every write adds one, so a contributor saving a
private draft would throw every cached public page away. Here a committed transaction adds one
to the ``public_state`` row if it wrote a record the public can see before or after the write:

- a record with a review state (:class:`~socialcover.store.models.Reviewed`, a publication)
  is public in its ``__public_status__`` (``published``; a data set once ``approved``): a
  draft saved, submitted or returned is not a public change; a publication, a withdrawal, an
  edit or a deletion of a published record is;
- a record seen only through another (``__public_through__ = (foreign key, model)``: an
  observation through its data set) follows that record's current state;
- any other record counts as public: when in doubt, a cache is emptied rather than kept stale.

The bump happens at commit, after the last flush, in the same transaction as the writes: a
reader sees the new version exactly when it sees the writes, and on PostgreSQL the row's lock
orders concurrent public writes by commit (the newest audit id does not: ids are taken at
insert, so a later id can commit first). It is the transaction's last statement, taken once,
so it cannot take part in a deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, event, insert, select, update
from sqlalchemy.orm import Session, SessionTransaction

from socialcover.store.models import Audited, PublicState

__all__ = ["bump", "note_writes", "public_version", "shows_publicly"]

_FLAG = "_public_change"


def shows_publicly(
    session: Session,
    obj: Audited,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> bool:
    """Whether a write of ``obj`` (its states before and after; ``None`` where it did not
    exist) may change what an anonymous reader sees."""
    model = type(obj)
    public = getattr(model, "__public_status__", None)
    if public is not None:
        return any(state is not None and state.get("status") == public for state in (before, after))
    through = getattr(model, "__public_through__", None)
    if through is None:
        return True
    key, parent_model = through
    with session.no_autoflush:
        for parent_id in {state.get(key) for state in (before, after) if state is not None}:
            parent = session.get(parent_model, parent_id) if parent_id is not None else None
            if parent is None or shows_publicly(session, parent, None, _state(parent)):
                return True
    return False


def _state(obj: Any) -> dict[str, Any]:
    return {"status": getattr(obj, "status", None)}


def note_writes(
    session: Session, writes: Iterable[tuple[Audited, dict[str, Any] | None, dict[str, Any] | None]]
) -> None:
    """Mark the session's transaction as a public change if one of ``writes`` is one (called by
    the audit hook with each flush's writes)."""
    if not session.info.get(_FLAG) and any(
        shows_publicly(session, obj, before, after) for obj, before, after in writes
    ):
        session.info[_FLAG] = True


def public_version(session: Session) -> int:
    """The public version of the session's database (0 before any public write)."""
    value = session.execute(select(PublicState.version).where(PublicState.id == 1)).scalar()
    return int(value or 0)


@event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit bumps, once
    session.flush()  # the commit's own flush comes after this hook: its writes count too
    if session.info.pop(_FLAG, False):
        bump(session.connection())


def bump(conn: Connection) -> None:
    """Add one to the public version, in ``conn``'s transaction (commits do it themselves; a
    restore, which writes without the ORM, calls it)."""
    done = conn.execute(
        update(PublicState).where(PublicState.id == 1).values(version=PublicState.version + 1)
    )
    if done.rowcount == 0:  # a database made without the migration's first row
        conn.execute(insert(PublicState).values(id=1, version=1))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction ended: committed or rolled back
        session.info.pop(_FLAG, None)
