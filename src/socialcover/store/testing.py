"""Pytest fixtures that run a test against both databases (a pytest plugin).

Use it from a ``conftest.py``::

    pytest_plugins = ["socialcover.store.testing"]

``db_url`` is parametrised over ``sqlite`` (a fresh file per test) and ``postgresql`` (a
database ``socialcover_test_<random>`` created once per session on 127.0.0.1:5432 as user
``postgres``, emptied between tests, dropped at the end; marked ``postgres``; skipped with the
reason when the server cannot be reached). It also sets ``SOCIALCOVER_DATABASE_URL`` and an
empty ``SOCIALCOVER_HOME`` so code that uses the defaults lands in the same place.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from socialcover.store.database import ENV_URL, dispose_engines, get_engine
from socialcover.store.migrate import open_database, upgrade

__all__ = ["PG_SERVER", "db_engine", "db_url", "postgres_database"]

PG_SERVER = os.environ.get(
    "SOCIALCOVER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _server_engine() -> Engine:
    return create_engine(
        PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session (dropped at the end)."""
    server = _server_engine()
    try:
        with server.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any connection failure means: no server to test against
        server.dispose()
        reason = f"PostgreSQL is not reachable at {PG_SERVER}: {exc.__class__.__name__}"
        if os.environ.get("SOCIALCOVER_REQUIRE_POSTGRES"):  # CI: never skip silently
            pytest.fail(reason + " (SOCIALCOVER_REQUIRE_POSTGRES is set)")
        pytest.skip(reason)
    name = f"socialcover_test_{secrets.token_hex(6)}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_SERVER.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        dispose_engines()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def _empty_postgres(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
        names = ", ".join(f'"{t}"' for t in tables)
        if names:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A migrated, empty database URL: SQLite file or PostgreSQL (see module docstring)."""
    monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "home"))
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
        _empty_postgres(url)
    monkeypatch.setenv(ENV_URL, url)
    open_database(url)  # migrates SQLite; checks PostgreSQL
    yield url
    dispose_engines()


@pytest.fixture
def db_engine(db_url: str) -> Engine:
    """The engine of ``db_url``."""
    return get_engine(db_url)
