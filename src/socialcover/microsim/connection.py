"""The one place where microsimulation opens DuckDB and hands it a population.

Every DuckDB query microsim runs (the compiled rules on Parquet files or relations) reads the
population through :func:`relation`, on a connection made by :func:`connect` with the same
settings (or on the caller's own, for a relation passed in): a Parquet file is scanned by DuckDB
itself (only the columns the rules read, out of core), a relation is used as it is, frames held
in memory are passed as Arrow. DuckDB itself loads on first use: rules run by the array
program never import it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialcover.microsim.frames import as_frame

if TYPE_CHECKING:
    import duckdb

__all__ = ["connect", "is_duckdb_input", "is_parquet_path", "relation"]


def connect() -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection configured for batch queries (no progress bar)."""
    import duckdb

    con = duckdb.connect()
    con.sql("SET enable_progress_bar = false")
    return con


def is_parquet_path(data: Any) -> bool:
    """Whether ``data`` is the path of a Parquet file."""
    return isinstance(data, (str, Path)) and str(data).lower().endswith(".parquet")


def _is_relation(data: Any) -> bool:
    # a relation exists only if DuckDB was imported: no import just to check
    duckdb = sys.modules.get("duckdb")
    return duckdb is not None and isinstance(data, duckdb.DuckDBPyRelation)


def is_duckdb_input(data: Any) -> bool:
    """Whether ``data`` lives in DuckDB or on disk (a relation or a Parquet path)."""
    return _is_relation(data) or is_parquet_path(data)


def relation(con: duckdb.DuckDBPyConnection, data: Any) -> duckdb.DuckDBPyRelation:
    """``data`` as a DuckDB relation: a relation as is, a Parquet path scanned, frames as Arrow."""
    if _is_relation(data):
        out: duckdb.DuckDBPyRelation = data
        return out
    if is_parquet_path(data):
        if not Path(data).exists():
            as_frame(data)  # raises the missing-file error
        return con.read_parquet(str(data))
    import pyarrow as pa

    return con.from_arrow(data if isinstance(data, pa.Table) else as_frame(data).to_arrow())
