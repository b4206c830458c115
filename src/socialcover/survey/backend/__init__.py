"""Query back-ends that run the survey package's one SQL formulation.

A back-end owns one registered table and answers the plain SQL the estimators write; results
come back as Polars frames through Arrow. DuckDB is the default (embedded, columnar, out of
core for Parquet input); Spark runs the same statements when the data are a Spark DataFrame.
:func:`open_backend` chooses one for the data.
"""

from __future__ import annotations

from typing import Any

from socialcover.errors import InputError
from socialcover.survey.backend.base import Backend
from socialcover.survey.backend.duckdb import DuckDBBackend
from socialcover.survey.backend.spark import SparkBackend, is_spark_frame

__all__ = ["Backend", "open_backend"]


def open_backend(data: Any, backend: str | None = None, *, spark: Any = None) -> Backend:
    """Register ``data`` with the back-end that fits it (or the one named).

    Parameters
    ----------
    data
        A Polars or pandas frame, a PyArrow table, a DuckDB relation, a Parquet path (or a list
        of paths, or a glob), or a Spark DataFrame.
    backend
        ``"duckdb"`` or ``"spark"``; by default Spark for Spark DataFrames (or when a
        ``spark`` session is given), DuckDB otherwise.
    spark
        The SparkSession to read paths and frames with (by default the active one).

    Raises
    ------
    socialcover.errors.InputError
        An unknown back-end name (code ``survey.unknown-backend``).
    """
    if backend not in (None, "duckdb", "spark"):
        raise InputError(
            f"Unknown back-end {backend!r}.",
            code="survey.unknown-backend",
            hint='Use backend="duckdb" (default) or backend="spark".',
        )
    if backend == "spark" or (backend is None and (is_spark_frame(data) or spark is not None)):
        return SparkBackend(data, spark=spark)
    return DuckDBBackend(data)
