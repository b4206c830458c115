"""Apache Spark back-end: the same SQL statements, run by Spark SQL.

A Spark DataFrame is registered as a temporary view; the statements written by the sample
(weighted sums grouped by domain and sampling unit) are plain ANSI SQL that Spark and DuckDB
both accept, with identifiers quoted in backticks. Results come back through Arrow. Frames
that are not Spark's are sent to the active (or a new local) Spark session first.
"""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl
import pyarrow as pa

from socialcover.survey._errors import EstimateError, UnknownColumnError

__all__ = ["SparkBackend", "is_spark_frame"]

_counter = itertools.count()


def is_spark_frame(data: Any) -> bool:
    """Whether ``data`` is a Spark DataFrame (without importing pyspark)."""
    mod = type(data).__module__
    return mod.startswith("pyspark.sql") and type(data).__name__ == "DataFrame"


def _session() -> Any:
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    return (
        SparkSession.builder.master("local[2]")
        .appName("socialcover-survey")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


class SparkBackend:
    """One Spark session and one temporary view."""

    name = "spark"
    exact_names = False  # Spark resolves names without case: a clash is ambiguous

    def __init__(self, data: Any) -> None:
        try:
            from pyspark.sql import DataFrame as SparkFrame
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EstimateError(
                "The Spark back-end needs pyspark.",
                code="survey.spark-missing",
                hint="pip install 'socialcover[spark]' (and Java 17).",
            ) from exc
        if isinstance(data, SparkFrame):
            self.spark = data.sparkSession
            df = data
        else:
            self.spark = _session()
            if isinstance(data, pl.LazyFrame):
                data = data.collect()
            if isinstance(data, (pl.DataFrame, pa.Table)):
                data = data.to_pandas()
            df = self.spark.createDataFrame(data)
        self.table = f"sc_data_{next(_counter)}"
        df.createOrReplaceTempView(self.table)
        self._names = list(df.columns)

    def columns(self) -> list[str]:
        return list(self._names)

    def quote(self, identifier: str) -> str:
        return "`" + identifier.replace("`", "``") + "`"

    def add_row_id(self, name: str) -> str:
        """A view with a unique row id ``name`` (small element designs only)."""
        new = f"{self.table}_rows"
        self.spark.sql(
            f"SELECT *, monotonically_increasing_id() AS {self.quote(name)} FROM {self.table}"
        ).createOrReplaceTempView(new)
        self.table = new
        self._names = [*self._names, name]
        return name

    def declared_levels(self, column: str) -> list[Any] | None:
        """Spark frames have no categorical type: no declared levels."""
        return None

    def register(self, name: str, table: pl.DataFrame) -> str:
        """Register a small table (e.g. per-domain coefficients) under ``name``."""
        self.spark.createDataFrame(table.to_pandas()).createOrReplaceTempView(name)
        return name

    def add_lookup_column(self, name: str, table: pl.DataFrame, keys: list[tuple[str, str]]) -> str:
        """Copy the table with column ``name`` of ``table`` joined on ``keys``."""
        lk = f"{self.table}_lookup"
        new = f"{self.table}_w"
        self.spark.createDataFrame(table.to_pandas()).createOrReplaceTempView(lk)
        on = " AND ".join(f"d.{e} IS NOT DISTINCT FROM lk.{a}" for e, a in keys) or "TRUE"
        sql = (
            f"SELECT d.*, lk.{self.quote(name)} FROM {self.table} AS d LEFT JOIN {lk} AS lk ON {on}"
        )
        self.spark.sql(sql).createOrReplaceTempView(new)
        self.table = new
        self._names = [*self._names, name]
        return name

    def query(self, sql: str) -> pl.DataFrame:
        from pyspark.errors import AnalysisException, PySparkException

        try:
            frame = self.spark.sql(sql)
            table = frame.toArrow() if hasattr(frame, "toArrow") else None
            if table is None:  # pragma: no cover - pyspark < 4
                return pl.from_pandas(frame.toPandas())
        except AnalysisException as exc:
            msg = str(exc).splitlines()[0]
            if "UNRESOLVED_COLUMN" in msg or "cannot be resolved" in msg:
                raise UnknownColumnError(
                    f"Spark could not resolve a column: {msg}",
                    code="survey.unknown-column",
                    hint="Check the column names in the variable, by= and where= arguments.",
                ) from exc
            raise EstimateError(
                f"Spark could not run an expression: {msg}",
                code="survey.bad-expression",
                hint='Variables and where= take SQL expressions, e.g. "age >= 65".',
            ) from exc
        except PySparkException as exc:
            raise EstimateError(
                f"Spark failed: {str(exc).splitlines()[0]}",
                code="survey.backend-error",
                hint="See the Spark log for details.",
            ) from exc
        return pl.DataFrame(table)
