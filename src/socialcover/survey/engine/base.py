"""The engine protocol and the choice of engine for an input."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

import polars as pl

__all__ = ["Engine", "open_engine"]


class Engine(Protocol):
    """What the estimators need from a query engine."""

    name: str
    table: str

    def columns(self) -> list[str]:
        """Column names of the registered table, as the data spell them."""
        ...

    def quote(self, identifier: str) -> str:
        """The identifier quoted for this dialect."""
        ...

    def query(self, sql: str) -> pl.DataFrame:
        """Run one statement and return its result as a Polars frame."""
        ...

    def add_row_id(self, name: str) -> str:
        """Add a row-number column (for replicates of element designs); returns its name."""
        ...


def _is_spark(data: Any) -> bool:
    mod = type(data).__module__
    return mod.startswith("pyspark.sql") and type(data).__name__ == "DataFrame"


def open_engine(data: Any, engine: str | None = None) -> Engine:
    """Register ``data`` with the engine that fits it (or the one named).

    Parameters
    ----------
    data
        A Polars or pandas frame, a PyArrow table, a DuckDB relation, a Parquet path (or a list
        of paths, or a glob), or a Spark DataFrame.
    engine
        ``"duckdb"`` or ``"spark"``; by default Spark for Spark DataFrames, DuckDB otherwise.
    """
    if engine not in (None, "duckdb", "spark"):
        from socialcover.errors import InputError

        raise InputError(
            f"Unknown engine {engine!r}.",
            code="survey.unknown-engine",
            hint='Use engine="duckdb" (default) or engine="spark".',
        )
    if engine == "spark" or (engine is None and _is_spark(data)):
        from socialcover.survey.engine.spark import SparkEngine

        spark: Engine = SparkEngine(data)
        return spark
    from socialcover.survey.engine.duckdb import DuckDBEngine

    return DuckDBEngine(data)


def is_path_like(data: Any) -> bool:
    """Whether ``data`` names files rather than holding a table."""
    if isinstance(data, (str, Path)):
        return True
    return isinstance(data, (list, tuple)) and all(isinstance(d, (str, Path)) for d in data)
