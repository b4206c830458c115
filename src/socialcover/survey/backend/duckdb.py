"""DuckDB back-end: the default, embedded and out of core for Parquet input.

In-memory frames (Polars, pandas, Arrow) are registered as Arrow scans, without a copy;
Parquet files are read lazily through ``read_parquet`` so tables larger than memory work.
A process that must stay within a memory budget (the web app's survey jobs) sets
``SOCIALCOVER_DUCKDB_MEMORY_LIMIT`` (DuckDB's ``memory_limit``, e.g. ``1024MB``); a query
that needs more raises ``MemoryError``.
DuckDB folds the case of identifiers (``nh`` and ``Nh`` are one column to it): the
:class:`~socialcover.survey.Sample` refuses such tables before any query runs.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import polars as pl

from socialcover.survey._errors import EstimateError, UnknownColumnError
from socialcover.survey.backend.base import is_path_like

__all__ = ["DuckDBBackend"]

_counter = itertools.count()


class _ArrowStream:
    """A Polars frame seen only through the Arrow C stream interface.

    DuckDB scans such an object (each scan asks for a new stream) without converting the
    frame to a PyArrow table, so registering a small table does not import PyArrow.
    """

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self.frame.__arrow_c_stream__(requested_schema)


def _is_arrow(data: Any) -> bool:
    """Whether ``data`` is a PyArrow table or stream (PyArrow is loaded if it can be)."""
    pa = sys.modules.get("pyarrow")
    return pa is not None and isinstance(data, (pa.Table, pa.RecordBatchReader))


class DuckDBBackend:
    """One DuckDB connection holding one registered table."""

    name = "duckdb"
    exact_names = True  # quote() names a column whose name clashes by case exactly

    def __init__(self, data: Any, *, threads: int | None = None) -> None:
        self.con = duckdb.connect(":memory:")
        # a query over a few seconds (hundreds of replicate columns) would draw DuckDB's
        # progress bar on standard output, into a caller's JSON or CSV
        self.con.execute("SET enable_progress_bar = false")
        memory = os.environ.get("SOCIALCOVER_DUCKDB_MEMORY_LIMIT")
        if memory:
            self.con.execute("SET memory_limit = '" + memory.replace("'", "") + "'")
        if threads is not None:
            self.con.execute(f"SET threads = {int(threads)}")
        self.table = f"sc_data_{next(_counter)}"
        self._keep: Any = None
        self._names: list[str] = []
        self._inner: dict[str, str] = {}
        if is_path_like(data):
            paths = [str(p) for p in data] if isinstance(data, (list, tuple)) else [str(data)]
            for p in paths:
                if "*" not in p and not Path(p).exists():
                    raise UnknownColumnError(
                        f"No file {p!r}.",
                        code="survey.file-not-found",
                        hint="Pass an existing Parquet file, a glob, or a frame.",
                    )
            import glob

            first = sorted(glob.glob(paths[0]))[0] if "*" in paths[0] else paths[0]
            self._names = self._parquet_names(first)
            lst = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
            self.con.execute(f"CREATE VIEW {self.table} AS SELECT * FROM read_parquet([{lst}])")
            self._map_names()
            return
        pl_ = sys.modules.get("polars")  # a Polars frame means Polars is loaded already
        if isinstance(data, duckdb.DuckDBPyRelation):
            arrow: Any = data.to_arrow_table()
        elif pl_ is not None and isinstance(data, pl_.LazyFrame):
            arrow = data.collect().to_arrow()
        elif pl_ is not None and isinstance(data, pl_.DataFrame):
            arrow = data.to_arrow()
        elif _is_arrow(data):
            arrow = data
        else:
            import pandas as pd
            import pyarrow as pa

            if isinstance(data, pd.DataFrame):
                arrow = pa.Table.from_pandas(data, preserve_index=False)
            else:
                raise EstimateError(
                    f"Cannot read data of type {type(data).__name__}.",
                    code="survey.unsupported-data",
                    hint="Pass a Polars/pandas frame, an Arrow table, a DuckDB relation, "
                    "a Parquet path or a Spark DataFrame.",
                )
        self._keep = arrow
        self._names = list(arrow.schema.names)
        self.con.register(self.table, arrow)
        self._map_names()

    def _parquet_names(self, path: str) -> list[str]:
        """The top-level column names a Parquet file's schema spells (before DuckDB's folding).

        ``parquet_schema`` lists the schema tree depth first (the root, then each column and
        its children): the root's children, skipping each one's subtree, are the columns.
        """
        lit = "'" + path.replace("'", "''") + "'"
        rows = self.con.execute(
            f"SELECT name, COALESCE(num_children, 0) FROM parquet_schema({lit})"
        ).fetchall()
        names: list[str] = []
        i, n_top = 1, int(rows[0][1]) if rows else 0
        while len(names) < n_top and i < len(rows):
            names.append(str(rows[i][0]))
            pending = int(rows[i][1])  # descendants still to skip
            i += 1
            while pending:
                pending += int(rows[i][1]) - 1
                i += 1
        return names

    def _map_names(self) -> None:
        """Map each source name to DuckDB's name for it, by position.

        DuckDB folds case, so of ``nh`` and ``Nh`` it calls the second ``Nh_1``: quoting by
        this map lets a column whose name clashes by case still be named exactly.
        """
        inner = self.con.sql(f"SELECT * FROM {self.table} LIMIT 0").columns
        self._inner = dict(zip(self._names, inner, strict=True))

    def columns(self) -> list[str]:
        # The source's own names: DuckDB would report "H" beside "h" as "H_1".
        return list(self._names)

    def add_row_id(self, name: str) -> str:
        """Copy the table with a row number column ``name`` (small element designs only)."""
        new = f"{self.table}_rows"
        self.con.execute(
            f"CREATE TABLE {new} AS SELECT *, row_number() OVER () AS {self.quote(name)} "
            f"FROM {self.table}"
        )
        self.table = new
        self._names = [*self._names, name]
        return name

    def declared_levels(self, column: str) -> list[Any] | None:
        """Levels of a dictionary-encoded (Polars Enum/Categorical, pandas Categorical) column."""
        arrow = self._keep
        if not _is_arrow(arrow) or not hasattr(arrow, "column"):
            return None
        if column not in arrow.schema.names:
            return None
        import pyarrow as pa

        col = arrow.column(column)
        if not pa.types.is_dictionary(col.type):
            return None
        levels: dict[Any, None] = {}
        for chunk in col.chunks:
            for v in chunk.dictionary.to_pylist():
                levels.setdefault(v, None)
        return list(levels)

    def register(self, name: str, table: pl.DataFrame) -> str:
        """Register a small table (e.g. per-domain coefficients) under ``name``."""
        self.con.register(name, _ArrowStream(table))
        return name

    def add_lookup_column(self, name: str, table: pl.DataFrame, keys: list[tuple[str, str]]) -> str:
        """Copy the table with column ``name`` of ``table`` joined on ``keys``."""
        lk = f"{self.table}_lookup"
        new = f"{self.table}_w"
        self.con.register(lk, _ArrowStream(table))
        on = " AND ".join(f"d.{e} IS NOT DISTINCT FROM lk.{a}" for e, a in keys) or "TRUE"
        sql = (
            f"SELECT d.*, lk.{self.quote(name)} FROM {self.table} AS d LEFT JOIN {lk} AS lk ON {on}"
        )
        self.con.execute(f"CREATE TABLE {new} AS {sql}")
        self.table = new
        self._names = [*self._names, name]
        self._inner[name] = name
        return name

    def quote(self, identifier: str) -> str:
        identifier = self._inner.get(identifier, identifier)
        return '"' + identifier.replace('"', '""') + '"'

    def query(self, sql: str) -> pl.DataFrame:
        import polars as pl

        # through the Arrow C stream: no PyArrow table in between (nor its import)
        frame: pl.DataFrame = self._run(lambda: pl.DataFrame(self.con.sql(sql)))
        return frame

    def query_arrays(self, sql: str) -> dict[str, Any]:
        """Run one statement; its columns as NumPy arrays (masked where values are missing).

        Neither Polars nor PyArrow is imported (DuckDB's ``fetchnumpy``).
        """
        arrays: dict[str, Any] = self._run(lambda: dict(self.con.sql(sql).fetchnumpy()))
        return arrays

    def register_arrays(self, name: str, columns: dict[str, Any]) -> str:
        """Register a small table of NumPy columns under ``name`` (no Polars, no PyArrow)."""
        self.con.register(name, columns)
        return name

    def _run(self, fetch: Any) -> Any:
        try:
            return fetch()
        except duckdb.OutOfMemoryException as exc:
            raise MemoryError(f"DuckDB ran out of memory: {str(exc).splitlines()[0]}") from exc
        except duckdb.BinderException as exc:
            raise UnknownColumnError(
                f"DuckDB could not bind an expression: {str(exc).splitlines()[0]}",
                code="survey.unknown-column",
                hint="Check the column names in the variable, by= and where= arguments.",
            ) from exc
        except duckdb.Error as exc:
            raise EstimateError(
                f"DuckDB could not run an expression: {str(exc).splitlines()[0]}",
                code="survey.bad-expression",
                hint='Variables and where= take SQL expressions, e.g. "age >= 65".',
            ) from exc
