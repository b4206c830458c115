"""Where the bounded indicator table runs its SQL: DuckDB in process, or the user's Spark.

:class:`~socialcover.indicators.bounded.SqlWorkspace` writes one dialect
(:mod:`.variables_sql`: backticked names, ``CAST``, no engine-specific clauses) and asks a
store to run it. A store reads the persons (``source``: the SQL that names them), keeps a
query's rows where the engine keeps data (:meth:`keep`: a DuckDB table spilled to disk, or a
Spark DataFrame persisted on the executors), registers small tables and returns only query
results (sums per group and sampling unit), never persons.

- :class:`DuckStore`: a private DuckDB database in a temporary directory, one thread (the
  same survey gives the same table to the bit), a 512 MB buffer limit; out of memory is
  ``MemoryError`` (:func:`memory_errors`).
- :class:`SparkStore`: the survey engine's Spark pieces (:mod:`socialcover.survey.backend.spark`):
  paths read by Spark itself, the given or active session (never configured), and Spark's
  failures translated to coded errors (:func:`~socialcover.survey.backend.spark.spark_error`).
  Its temporary views carry a prefix of their own, so a user's views are never replaced.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import duckdb
import polars as pl
import pyarrow as pa

from socialcover.errors import InputError, SocialcoverError

__all__ = ["MEMORY_LIMIT", "DuckStore", "SparkStore", "Store", "memory_errors", "spark_errors"]

MEMORY_LIMIT = "512MB"  # DuckDB's own buffers; it spills to a temporary directory beyond
FETCH_ROWS = 100_000  # rows per batch when reading results from DuckDB
_counter = itertools.count()


class Store(Protocol):
    """An SQL engine holding the persons; results come back, rows stay."""

    #: SQL naming the persons as read (a table, a view or a table function)
    source: str
    #: prefix of the store's own table names
    prefix: str

    def frame(self, sql: str) -> pl.DataFrame:
        """A small result as a Polars frame."""
        ...

    def batches(self, sql: str) -> Iterator[pa.RecordBatch]:
        """A result (sums per group and unit) in Arrow batches."""
        ...

    def keep(self, name: str, sql: str) -> None:
        """Materialise the rows of ``sql`` as table ``name``, where the engine keeps data."""
        ...

    def view(self, name: str, sql: str) -> None:
        """Name a query."""
        ...

    def register(self, name: str, table: pl.DataFrame) -> None:
        """Make a small table (one row per sampling unit) joinable as ``name``."""
        ...

    def forget(self, name: str) -> None:
        """Drop a registered table or view that is no longer needed."""
        ...

    def close(self) -> None:
        """Free what the store holds (never the user's session)."""
        ...


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class DuckStore:
    """A private DuckDB database in a temporary directory, removed on :meth:`close`."""

    prefix = ""

    def __init__(self, source: pl.DataFrame | Path) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="socialcover-indicators-")
        self.con = duckdb.connect(str(Path(self._tmp.name) / "persons.duckdb"))
        try:
            self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            self.con.execute(f"SET temp_directory = {_literal(Path(self._tmp.name) / 'spill')}")
            self.con.execute("SET preserve_insertion_order = false")
            self.con.execute("SET enable_progress_bar = false")
            # One thread: sums over threads are added in whatever order the threads finish,
            # so the last bits of a table would differ from one run to the next. The same
            # survey must give the same table, to the bit (the web job's test compares them).
            self.con.execute("SET threads = 1")
            self._registered: set[str] = set()
            if isinstance(source, pl.DataFrame):
                self.register("_source", source)
                self.source = "_source"
            else:
                self.source = f"read_parquet({_literal(source)})"
        except BaseException:
            self.close()
            raise

    def frame(self, sql: str) -> pl.DataFrame:
        out: pl.DataFrame = self.con.sql(sql).pl()
        return out

    def batches(self, sql: str) -> Iterator[pa.RecordBatch]:
        yield from self.con.sql(sql).to_arrow_reader(FETCH_ROWS)

    def keep(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE TABLE {name} AS {sql}")

    def view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE VIEW {name} AS {sql}")

    def register(self, name: str, table: pl.DataFrame) -> None:
        self.con.register(name, table.to_arrow())
        self._registered.add(name)

    def forget(self, name: str) -> None:
        if name in self._registered:
            self.con.unregister(name)
            self._registered.discard(name)

    def close(self) -> None:
        self.con.close()
        self._tmp.cleanup()


@contextmanager
def memory_errors() -> Iterator[None]:
    """DuckDB's out-of-memory error raised as ``MemoryError``."""
    try:
        yield
    except duckdb.OutOfMemoryException as exc:
        raise MemoryError(f"DuckDB ran out of memory: {str(exc).splitlines()[0]}") from exc


class SparkStore:
    """Temporary views and persisted DataFrames in the user's Spark session.

    Parameters
    ----------
    data
        A Spark DataFrame, or a path Spark reads (local, glob, folder, ``hdfs://``,
        ``s3a://``).
    spark
        The session for a path (by default the active one).
    """

    def __init__(self, data: Any, spark: Any = None) -> None:
        from socialcover.survey import read_spark

        df = read_spark(data, spark)
        self.session = df.sparkSession
        self.prefix = f"sc_indicators_{next(_counter)}_"
        self._views: list[str] = []
        self._kept: list[Any] = []
        self.source = self.prefix + "source"
        self._name(self.source, df)

    def _name(self, name: str, df: Any) -> None:
        df.createOrReplaceTempView(name)
        self._views.append(name)

    def name(self, name: str, df: Any) -> None:
        """Name a Spark DataFrame as a view (dropped by :meth:`forget` or :meth:`close`)."""
        self._name(name, df)

    def dataframe(self, sql: str) -> Any:
        """The Spark DataFrame of a query (lazy), for the survey engine's Spark pieces."""
        return self._sql(sql)

    def _sql(self, sql: str) -> Any:
        with spark_errors("planning a query of the indicator table"):
            return self.session.sql(sql)

    def frame(self, sql: str) -> pl.DataFrame:
        return pl.DataFrame(self._arrow(sql))

    def batches(self, sql: str) -> Iterator[pa.RecordBatch]:
        yield from self._arrow(sql).to_batches()

    def _arrow(self, sql: str) -> pa.Table:
        df = self._sql(sql)
        with spark_errors("computing the indicator table"):
            return df.toArrow()

    def keep(self, name: str, sql: str) -> None:
        # Cached on the executors (memory, then their disks) when the first query scans it;
        # later breakdowns read the cache instead of joining households again.
        df = self._sql(sql).persist()
        self._kept.append(df)
        self._name(name, df)

    def view(self, name: str, sql: str) -> None:
        self._name(name, self._sql(sql))

    def register(self, name: str, table: pl.DataFrame) -> None:
        from socialcover.survey import read_spark

        with spark_errors("sending the sampling units to Spark"):
            self._name(name, read_spark(table.to_arrow(), self.session))

    def forget(self, name: str) -> None:
        if name in self._views:
            self.session.catalog.dropTempView(name)
            self._views.remove(name)

    def close(self) -> None:
        """Unpersist what was kept and drop the views (the session stays the user's)."""
        try:
            for df in self._kept:
                df.unpersist()
            for name in self._views:
                self.session.catalog.dropTempView(name)
        except Exception:  # a stopped session has nothing left to free
            pass
        self._kept, self._views = [], []


@contextmanager
def spark_errors(doing: str) -> Iterator[None]:
    """Spark's failures as coded errors: the survey engine's translation, plus division by
    zero (Spark's ANSI mode refuses it where DuckDB and Polars give infinity)."""
    try:
        yield
    except SocialcoverError:
        raise
    except Exception as exc:
        if "DIVIDE_BY_ZERO" in str(exc):
            raise InputError(
                f"Spark refused a division by zero while {doing}.",
                code="indicators.division-by-zero",
                hint="A person has welfare_scale or poverty_line equal to 0: fix or drop "
                "those rows (both must be positive).",
            ) from exc
        from socialcover.survey import spark_error

        raise spark_error(exc, doing) from exc
