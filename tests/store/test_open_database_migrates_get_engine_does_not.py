"""Opening a database migrates it, on purpose; connecting and sessions never touch the schema."""

from __future__ import annotations

from pathlib import Path

import grimp
from sqlalchemy import inspect

from socialcover.store import (
    current_revision,
    dispose_engines,
    get_engine,
    head_revision,
    open_database,
    session_scope,
)


def test_get_engine_and_sessions_leave_a_new_database_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    try:
        engine = get_engine(url)
        with session_scope("test", url=url, write=False):
            pass
        assert current_revision(engine) is None
        assert inspect(engine).get_table_names() == []
        assert open_database(url) is engine
        assert current_revision(engine) == head_revision()
        assert "practices" in inspect(engine).get_table_names()
    finally:
        dispose_engines()


def test_the_connection_module_does_not_import_the_migrations() -> None:
    graph = grimp.build_graph("socialcover")
    assert not graph.chain_exists(
        importer="socialcover.store.database", imported="socialcover.store.migrate"
    )
