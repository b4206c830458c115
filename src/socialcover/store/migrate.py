"""Schema migrations (Alembic), shipped in the package and run programmatically.

``open_database()`` is how a program opens the platform's database: it migrates an embedded
SQLite database to the newest schema and refuses, with a hint, to touch a PostgreSQL server
whose schema is behind (an institution's administrator migrates a shared server on purpose,
with ``upgrade()`` or ``socialcover db upgrade``).
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from socialcover.store._errors import SchemaError
from socialcover.store.database import get_engine

__all__ = ["current_revision", "ensure_schema", "head_revision", "open_database", "upgrade"]


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "socialcover.store:migrations")
    return cfg


def head_revision() -> str:
    """The newest schema revision this code knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None  # the package always ships at least one migration
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (``None`` for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(url: str | None = None, *, engine: Engine | None = None, revision: str = "head") -> str:
    """Migrate the database to ``revision`` (default: newest); returns the revision reached."""
    if engine is None:
        engine = get_engine(url)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    rev = current_revision(engine)
    return rev or ""


def ensure_schema(engine: Engine) -> None:
    """Migrate an embedded SQLite database; check that a server database is up to date."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if engine.dialect.name == "sqlite":
        upgrade(engine=engine)
        return
    raise SchemaError(
        f"The database at {engine.url.render_as_string(hide_password=True)} is at schema "
        f"revision {current or 'none (empty)'}, this code needs {head}.",
        hint="Run `socialcover db upgrade` (back it up first with `socialcover db backup FILE`).",
    )


def open_database(url: str | None = None) -> Engine:
    """Open the platform's database with its schema up to date: the way a program starts.

    Parameters
    ----------
    url
        A database URL (default: ``$SOCIALCOVER_DATABASE_URL``, else the home's SQLite file).

    Returns
    -------
    Engine
        The cached engine of :func:`~socialcover.store.get_engine`, once an embedded SQLite
        database is migrated to the newest schema (created if new).

    Raises
    ------
    SchemaError
        A PostgreSQL database is behind: it is migrated on purpose, never on the way.

    Examples
    --------
    >>> from socialcover.store import open_database, session_scope
    >>> engine = open_database("sqlite:///example.db")
    >>> with session_scope("cli", engine=engine) as s:
    ...     s.connection().dialect.name
    'sqlite'
    """
    engine = get_engine(url)
    ensure_schema(engine)
    return engine
