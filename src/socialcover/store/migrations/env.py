"""Alembic environment: runs on the connection handed over by ``socialcover.store.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from socialcover.store.models import Base

config = context.config
connection: Connection | None = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only through socialcover.store.migrate
    raise RuntimeError(
        "Run migrations with socialcover.store.upgrade() or `socialcover db upgrade`."
    )


def _include(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # Dialect-specific search structures live outside the models (see search_index.py).
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    return not (type_ in {"column", "index"} and name in {"tsv", "ix_search_documents_tsv"})


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    include_object=_include,
)
with context.begin_transaction():
    context.run_migrations()
