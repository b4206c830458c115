"""The shipped migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from socialcover.store import SchemaError, current_revision, head_revision, upgrade
from socialcover.store.migrate import ensure_schema
from socialcover.store.models import Base
from socialcover.store.testing import PG_SERVER


def _include(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    return not (type_ in {"column", "index"} and name in {"tsv", "ix_search_documents_tsv"})


def test_no_difference_between_migrations_and_models(db_engine: Engine) -> None:
    with db_engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _include}
        )
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    assert current_revision(db_engine) == head_revision()


def test_full_text_structures_exist(db_engine: Engine) -> None:
    names = set(inspect(db_engine).get_table_names())
    if db_engine.dialect.name == "sqlite":
        assert "search_fts" in names
    else:
        cols = {c["name"] for c in inspect(db_engine).get_columns("search_documents")}
        assert "tsv" in cols


def test_upgrade_twice_is_harmless(db_url: str) -> None:
    assert upgrade(db_url) == head_revision()
    assert upgrade(db_url) == head_revision()


@pytest.mark.postgres
def test_an_unmigrated_server_database_is_refused_with_a_hint(postgres_database: str) -> None:
    server = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text('CREATE DATABASE "socialcover_test_empty_check"'))
    empty = create_engine(PG_SERVER.rsplit("/", 1)[0] + "/socialcover_test_empty_check")
    try:
        with pytest.raises(SchemaError) as info:
            ensure_schema(empty)
        assert "socialcover db upgrade" in info.value.hint
    finally:
        empty.dispose()
        with server.connect() as conn:
            conn.execute(text('DROP DATABASE "socialcover_test_empty_check" WITH (FORCE)'))
        server.dispose()
