"""What the estimators need from a query back-end, and the SQL every back-end reads alike."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Backend", "frame_arrays", "is_path_like", "sql_literal"]


class Backend(Protocol):
    """One registered table and the statements run over it."""

    name: str
    table: str
    #: whether :meth:`quote` tells apart columns whose names differ only by case
    exact_names: bool

    def columns(self) -> list[str]:
        """Column names of the registered table, as the data spell them."""
        ...

    def quote(self, identifier: str) -> str:
        """The identifier quoted for this dialect."""
        ...

    def query(self, sql: str) -> pl.DataFrame:
        """Run one statement and return its result as a Polars frame."""
        ...

    def query_arrays(self, sql: str) -> dict[str, Any]:
        """Run one statement; its columns as NumPy arrays (masked where values are missing)."""
        ...

    def register_arrays(self, name: str, columns: dict[str, Any]) -> str:
        """Register a small table given as NumPy columns (see :meth:`register`)."""
        ...

    def add_row_id(self, name: str) -> str:
        """Add a row-number column (for replicates of element designs); returns its name."""
        ...

    def declared_levels(self, column: str) -> list[Any] | None:
        """The levels a categorical (enum) column declares, used or not; ``None`` if none."""
        ...

    def register(self, name: str, table: pl.DataFrame) -> str:
        """Register a small table (e.g. per-domain coefficients) to join in statements."""
        ...

    def add_lookup_column(self, name: str, table: pl.DataFrame, keys: list[tuple[str, str]]) -> str:
        """Add column ``name`` of ``table`` to every row, matched on ``keys``.

        ``keys`` pairs an SQL expression over the data with a column of ``table``; the pairs
        identify one row of ``table`` per data row (e.g. the finest sampling unit).
        """
        ...


def is_path_like(data: Any) -> bool:
    """Whether ``data`` names files rather than holding a table."""
    if isinstance(data, (str, Path)):
        return True
    return isinstance(data, (list, tuple)) and all(isinstance(d, (str, Path)) for d in data)


def sql_literal(value: Any) -> str:
    """``value`` as an SQL literal both dialects read (floats keep every digit)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"CAST('{value!r}' AS DOUBLE)"
    return "'" + str(value).replace("'", "''") + "'"


def frame_arrays(frame: pl.DataFrame) -> dict[str, Any]:
    """A Polars frame's columns as NumPy arrays, masked where values are missing."""
    import numpy as np

    out: dict[str, Any] = {}
    for name in frame.columns:
        col = frame[name]
        if col.null_count():
            mask = col.is_null().to_numpy()
            filled = col.to_numpy()
            out[name] = np.ma.masked_array(filled, mask=mask)
        else:
            out[name] = col.to_numpy()
    return out
