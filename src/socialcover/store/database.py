"""Connections and sessions: SQLite embedded by default, PostgreSQL when configured.

The database is ``$SOCIALCOVER_DATABASE_URL`` when set (``postgresql://...`` or
``sqlite:///path``), else ``socialcover.db`` in the socialcover home folder. Nothing here
touches the schema: :func:`socialcover.store.migrate.open_database` opens a database and
brings its schema up to date, on purpose, where a program starts.

SQLite runs in WAL mode with foreign keys on, a busy timeout, ``synchronous=FULL`` (a commit
that returned is on disk) and ``BEGIN IMMEDIATE`` for write sessions, so that two writers
queue on the busy timeout instead of failing when one upgrades a read lock (SQLite docs,
"Write-Ahead Logging" and "BEGIN TRANSACTION").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from socialcover.data._home import home
from socialcover.store._errors import ConflictError

__all__ = [
    "ENV_URL",
    "MAX_CONNECTIONS",
    "Actor",
    "SystemActor",
    "database_url",
    "dispose_engines",
    "get_engine",
    "session_scope",
]

ENV_URL = "SOCIALCOVER_DATABASE_URL"
BUSY_TIMEOUT_MS = 10_000

_engines: dict[str, Engine] = {}
_lock = threading.Lock()

Actor = Any
"""Who acts: a :class:`~socialcover.store.models.User`, a :class:`SystemActor`, a label string
(audited under that label, with a reader's rights) or ``None`` (an anonymous reader)."""


@dataclass(frozen=True)
class SystemActor:
    """A local operator with full rights: the command line (``cli``) or a loader (``system:seed``).

    Only code running on the server's own machine can hold one; the web never creates it.
    """

    email: str = "cli"
    role: str = "administrator"
    id: int | None = None


def database_url(url: str | None = None) -> str:
    """The database URL in force: ``url``, else ``$SOCIALCOVER_DATABASE_URL``, else home SQLite."""
    url = url or os.environ.get(ENV_URL) or f"sqlite:///{home() / 'socialcover.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Connections one process keeps open, and how many more it may open under load. The web app
# lets fewer requests than this hold a session at once (socialcover.web.database), so a request
# that waits for a connection never waits on one held by a request that is itself waiting.
POOL_SIZE = 10
POOL_OVERFLOW = 10
MAX_CONNECTIONS = POOL_SIZE + POOL_OVERFLOW
_POOL: dict[str, Any] = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}


def get_engine(url: str | None = None) -> Engine:
    """The (cached) SQLAlchemy engine for ``url`` (default: :func:`database_url`).

    It connects and nothing more: the schema is left as it is. Start a program with
    :func:`~socialcover.store.open_database`, which also migrates it.

    Parameters
    ----------
    url
        A database URL; ``postgres://`` and ``postgresql://`` are read with psycopg 3.

    Returns
    -------
    Engine
        One engine per URL for the whole process (SQLite: WAL, foreign keys, busy timeout).
    """
    resolved = database_url(url)
    with _lock:
        engine = _engines.get(resolved)
        if engine is not None:
            return engine
        if resolved.startswith("sqlite"):
            path = resolved.split("///", 1)[-1]
            if path and path != ":memory:":
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            pool = {} if path in ("", ":memory:") else _POOL  # in memory: one connection
            engine = create_engine(
                resolved,
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                **pool,
            )
            _configure_sqlite(engine)
        else:
            engine = create_engine(resolved, pool_pre_ping=True, **_POOL)
        _engines[resolved] = engine
    return engine


def dispose_engines() -> None:
    """Close every cached engine (tests, or after a restore)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(
    actor: Actor = None,
    *,
    url: str | None = None,
    engine: Engine | None = None,
    write: bool = True,
) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error.

    Parameters
    ----------
    actor
        Who acts, recorded in the audit log of every write: a ``User``, a label such as
        ``"cli"`` or ``"system:seed"``, or ``None`` for an anonymous reader.
    url, engine
        The database (default: :func:`database_url`), whose schema is already up to date
        (see :func:`~socialcover.store.open_database`).
    write
        On SQLite, take the write lock at the start (``BEGIN IMMEDIATE``); pass ``False`` for
        read-only work so readers never wait for writers.

    Examples
    --------
    >>> from socialcover.store import open_database, session_scope
    >>> from socialcover.store.models import Practice
    >>> engine = open_database("sqlite:///example.db")
    >>> with session_scope("cli", engine=engine) as s:
    ...     print(s.get(Practice, 1))
    None
    """
    engine = engine or get_engine(url)
    bind = engine.execution_options(sqlite_immediate=True) if write else engine
    factory = sessionmaker(bind=bind, expire_on_commit=False)
    session = factory()
    set_actor(session, actor)
    try:
        yield session
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise ConflictError(
            "The record was changed by someone else since it was read; nothing was saved.",
            code="store.stale",
            hint="Reload it, redo your change and save again.",
        ) from exc
    except OperationalError as exc:
        session.rollback()
        if "locked" in str(exc.orig) or "busy" in str(exc.orig):
            raise ConflictError(
                "The database was busy with another write; nothing was saved.",
                code="store.busy",
                hint="Try again in a moment.",
            ) from exc
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def set_actor(session: Session, actor: Actor) -> None:
    """Record who acts in this session (read by the audit hooks)."""
    if actor is None:
        session.info["actor"] = (None, "anonymous")
    elif isinstance(actor, str):
        session.info["actor"] = (None, actor)
    else:
        session.info["actor"] = (getattr(actor, "id", None), getattr(actor, "email", str(actor)))
    session.info["actor_obj"] = actor if actor is not None and not isinstance(actor, str) else None
