"""Apache Spark back-end: the same SQL statements, run by Spark SQL on the user's cluster.

A Spark DataFrame is registered as a temporary view; the statements written by the sample
(weighted sums grouped by domain and sampling unit) are plain ANSI SQL that Spark and DuckDB
both accept, with identifiers quoted in backticks. Only aggregates come back to the driver,
through Arrow; rows stay on the executors.

The session: the one the user passes (``spark=``), else the active one (for example the one
``spark-submit`` or a notebook created), else ``SparkSession.builder.getOrCreate()`` with no
option of ours, so the master and configuration Spark was given (``spark-submit --master``,
``--conf``, ``spark-defaults.conf``, ``SPARK_*`` variables) apply; plain ``python`` with no
master configured runs Spark's own default (``local[*]``).

Paths (a string, a ``pathlib.Path``, or a list of them) are read by Spark itself, so local
files, globs, partitioned folders (``year=2024/``), ``hdfs://`` and ``s3a://`` URIs work as in
``spark.read.parquet``; names ending in ``.csv`` are read as CSV with a header. Stata and
SPSS files are streamed to Parquet in a temporary folder first (in chunks, by the driver)
where the executors see the driver's disk; elsewhere they are refused with the way to convert
them. Polars frames and Arrow tables go to Spark through Arrow (no pandas on the way).

Spark's own failures are translated at the boundary (:func:`spark_error`): an analysis error
becomes an :class:`~socialcover.survey.UnknownColumnError` or an
:class:`~socialcover.survey.EstimateError`; a driver or executor out of memory, a lost
executor or any other ``Py4JJavaError`` becomes a :class:`~socialcover.survey.BackendError`
whose hint names the setting to raise.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from socialcover.errors import SocialcoverError
from socialcover.survey._errors import BackendError, EstimateError, UnknownColumnError
from socialcover.survey.backend.base import frame_arrays, is_path_like
from socialcover.survey.backend.stream import STATS_SUFFIXES, stream_to_parquet

if TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

__all__ = ["SparkBackend", "is_spark_frame", "read_spark", "spark_error", "spark_session"]

_counter = itertools.count()
CHUNK_ROWS = 200_000  # rows of a Stata or SPSS file converted at a time


def is_spark_frame(data: Any) -> bool:
    """Whether ``data`` is a Spark DataFrame (without importing pyspark)."""
    mod = type(data).__module__
    return mod.startswith("pyspark.sql") and type(data).__name__ == "DataFrame"


def _need_pyspark() -> None:
    """Refuse with ``survey.spark-missing`` (and how to install it) when pyspark is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise BackendError(
            "The Spark back-end needs pyspark.",
            code="survey.spark-missing",
            hint="pip install 'socialcover[spark]' (and Java 17).",
        ) from exc


def spark_session(spark: Any = None) -> Any:
    """The session to use: ``spark`` if given, else the active one, else Spark's default.

    Never sets a master or a configuration value: under ``spark-submit`` the session is built
    from what was submitted.
    """
    if spark is not None:
        return spark
    _need_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    try:
        return SparkSession.builder.getOrCreate()
    except Exception as exc:  # the JVM could not start: Java missing, bad master URL
        raise spark_error(exc, "starting a Spark session") from exc


def read_spark(data: Any, spark: Any = None) -> Any:
    """``data`` as a Spark DataFrame: paths read by Spark, frames sent through Arrow.

    Raises
    ------
    socialcover.survey.UnknownColumnError
        A path that Spark finds no file at (code ``survey.file-not-found``).
    socialcover.survey.EstimateError
        Data of a type Spark cannot take (code ``survey.unsupported-data``).
    """
    if is_spark_frame(data):
        return data
    session = spark_session(spark)
    if is_path_like(data):
        paths = [str(p) for p in data] if isinstance(data, (list, tuple)) else [str(data)]
        paths = [_as_parquet(p, session) for p in paths]
        try:
            if all(p.lower().endswith(".csv") for p in paths):
                return session.read.csv(paths, header=True, inferSchema=True)
            return session.read.parquet(*paths)
        except Exception as exc:
            err = spark_error(exc, f"reading {', '.join(paths)}")
            if "PATH_NOT_FOUND" in err.message or "does not exist" in err.message:
                raise UnknownColumnError(
                    f"Spark found no file at {', '.join(repr(p) for p in paths)}.",
                    code="survey.file-not-found",
                    hint="Pass Parquet files, a folder of them (partitioned folders too), a "
                    "glob, or an hdfs:// or s3a:// URI the cluster can read.",
                ) from exc
            raise err from exc
    import polars as pl
    import pyarrow as pa  # here: a mean over a Parquet file on DuckDB never needs it

    if isinstance(data, pl.LazyFrame):
        data = data.collect()
    if isinstance(data, pl.DataFrame):
        data = data.to_arrow()
    if isinstance(data, pa.RecordBatchReader):
        data = data.read_all()
    if isinstance(data, pa.Table):
        # Spark has no large_string/large_list: plain Arrow types go through as they are
        return session.createDataFrame(_small_types(data))
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return session.createDataFrame(
            _small_types(pa.Table.from_pandas(data, preserve_index=False))
        )
    raise EstimateError(
        f"Cannot read data of type {type(data).__name__} on Spark.",
        code="survey.unsupported-data",
        hint="Pass a Spark DataFrame, a Parquet path (local, glob, folder, hdfs://, s3a://), "
        "or a Polars/pandas frame or Arrow table.",
    )


def _as_parquet(path: str, session: Any) -> str:
    """A Stata or SPSS file streamed to Parquet in a temporary folder (other paths as given).

    Spark has no reader for them: the driver converts the file in chunks (bounded memory),
    which works only where the executors see the driver's disk (a local master, or a
    standalone master on this machine).
    """
    if not path.lower().endswith(STATS_SUFFIXES):
        return path
    import tempfile
    from pathlib import Path

    name = Path(path).name
    kind = "Stata" if name.lower().endswith(".dta") else "SPSS"
    master = str(session.sparkContext.master)
    host = master.split("://", 1)[-1].split(":")[0]
    if not (master.startswith("local") or host in ("127.0.0.1", "localhost")):
        raise BackendError(
            f"{name!r} is a {kind} file on the driver; Spark has no reader for it, and the "
            f"executors of {master} cannot read a copy on the driver's disk.",
            code="survey.spark-driver-file",
            hint="Convert it once to Parquet (socialcover.survey.io.survey_to_parquet(path, "
            "'persons.parquet'), in bounded memory), put the Parquet where the cluster reads "
            "(hdfs dfs -put persons.parquet /surveys/, or an s3a:// bucket) and pass that URI.",
        )
    if not Path(path).is_file():
        raise UnknownColumnError(
            f"No file {path!r}.",
            code="survey.file-not-found",
            hint="Check the path; relative paths are read from the current directory.",
        )
    target = Path(tempfile.mkdtemp(prefix="socialcover-spark-")) / (Path(path).stem + ".parquet")
    try:
        return str(stream_to_parquet(Path(path), target, CHUNK_ROWS))
    except Exception as exc:  # the reader's failure, explained once
        raise EstimateError(
            f"Cannot read {name!r} as a {kind} file: {exc}",
            code="survey.unreadable-file",
            hint=f"The file may be corrupt, truncated or not really {kind}: save it again from "
            "the software that wrote it, or export it to Parquet.",
        ) from exc


def _small_types(table: pa.Table) -> pa.Table:
    import pyarrow as pa

    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_large_string(t):
            t = pa.string()
        elif pa.types.is_large_binary(t):
            t = pa.binary()
        elif pa.types.is_string_view(t):
            t = pa.string()
        fields.append(pa.field(f.name, t, f.nullable))
    return table.cast(pa.schema(fields))


#: Spark settings named by the hints, by what ran out.
_OOM_HINTS = {
    "driver": "Raise spark.driver.memory (spark-submit --driver-memory 4g); results, never "
    "rows, come back to the driver, so this is rarely needed: check for a collect of rows.",
    "executor": "Raise spark.executor.memory (spark-submit --executor-memory 4g) or "
    "spark.sql.shuffle.partitions so each task holds less.",
    "result": "Raise spark.driver.maxResultSize (spark-submit --conf "
    "spark.driver.maxResultSize=2g).",
}


def spark_error(exc: BaseException, doing: str = "running a query") -> SocialcoverError:
    """A Spark (or Py4J) exception as a project error with a hint; other errors unchanged.

    Parameters
    ----------
    exc
        What Spark raised.
    doing
        What was being done, for the message.
    """
    if isinstance(exc, SocialcoverError):
        return exc
    text = str(exc)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    name = type(exc).__name__
    if name == "AnalysisException" or "UNRESOLVED_COLUMN" in text:
        if "UNRESOLVED_COLUMN" in text or "cannot be resolved" in text:
            return UnknownColumnError(
                f"Spark could not resolve a column: {first}",
                code="survey.unknown-column",
                hint="Check the column names in the variable, by= and where= arguments.",
            )
        if "PATH_NOT_FOUND" in text:
            return BackendError(
                f"Spark could not find the data while {doing}: {first}",
                code="survey.backend-error",
                hint="PATH_NOT_FOUND: check the path or URI is readable by the cluster.",
            )
        return EstimateError(
            f"Spark could not run an expression: {first}",
            code="survey.bad-expression",
            hint='Variables and where= take SQL expressions, e.g. "age >= 65".',
        )
    if "OutOfMemoryError" in text or "out of memory" in text.lower():
        where = "driver"
        if "maxResultSize" in text:
            where = "result"
        elif "executor" in text.lower() and "driver" not in first.lower():
            where = "executor"
        return BackendError(
            f"Spark ran out of memory ({where}) while {doing}: {first}",
            code="survey.spark-out-of-memory",
            hint=_OOM_HINTS[where],
        )
    if "maxResultSize" in text:
        return BackendError(
            f"Spark refused a result too large for the driver while {doing}: {first}",
            code="survey.spark-out-of-memory",
            hint=_OOM_HINTS["result"],
        )
    if name in ("Py4JNetworkError", "ConnectionRefusedError") or "Connection refused" in text:
        return BackendError(
            f"The Spark driver is gone while {doing}: {first}",
            code="survey.spark-driver-lost",
            hint="The driver JVM stopped (often out of memory): see its log, raise "
            "spark.driver.memory, and start a new SparkSession.",
        )
    if name == "JAVA_GATEWAY_EXITED" or "JAVA_GATEWAY_EXITED" in text or "JAVA_HOME" in text:
        return BackendError(
            f"Spark could not start while {doing}: {first}",
            code="survey.spark-not-started",
            hint="Install Java 17 (JAVA_HOME), and check the master URL (--master / spark.master).",
        )
    if name in ("Py4JJavaError", "Py4JError") or type(exc).__module__.startswith(
        ("pyspark", "py4j")
    ):
        return BackendError(
            f"Spark failed while {doing}: {first}",
            code="survey.backend-error",
            hint="See the Spark driver log and the application's page on the master "
            "(a lost executor: raise spark.executor.memory or spark.task.maxFailures).",
        )
    return BackendError(
        f"Spark failed while {doing}: {name}: {first}",
        code="survey.backend-error",
        hint="See the Spark driver log.",
    )


class SparkBackend:
    """One Spark session and one temporary view.

    Parameters
    ----------
    data
        A Spark DataFrame, a path Spark reads, or a frame sent to Spark through Arrow.
    spark
        The session to use for data that are not already a Spark DataFrame (by default the
        active one, see :func:`spark_session`).
    """

    name = "spark"
    exact_names = False  # Spark resolves names without case: a clash is ambiguous

    def __init__(self, data: Any, *, spark: Any = None) -> None:
        _need_pyspark()
        df = read_spark(data, spark)
        self.spark = df.sparkSession
        self.frame = df
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

    def register_arrays(self, name: str, columns: dict[str, Any]) -> str:
        """Register a small table given as NumPy columns under ``name``."""
        import polars as pl

        return self.register(name, pl.DataFrame(columns))

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
        try:
            table = self.spark.sql(sql).toArrow()
        except Exception as exc:
            raise spark_error(exc) from exc
        import polars as pl

        return pl.DataFrame(table)

    def query_arrays(self, sql: str) -> dict[str, Any]:
        """Run one statement; its columns as NumPy arrays (masked where values are missing)."""
        return frame_arrays(self.query(sql))
