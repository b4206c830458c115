"""Survey jobs handed to a Spark cluster: the largest uploads read and mapped there.

With a master configured (``Settings.spark_master``, ``socialcover serve --spark-master``), a
job whose file declares at least ``Settings.spark_min_rows`` rows runs, from its worker process
as every job, as a Spark application on that master: Spark reads the uploaded file from the
job's folder (a Stata or SPSS file is first streamed to Parquet there, in chunks), the mapping
is applied in Spark SQL (:func:`socialcover.survey.io.apply_mapping`), and the mapped persons
are written back to the job's folder as Parquet by the executors; the indicator table is then
computed from them out of core (DuckDB: memory bounded by sampling units, not persons), unless
the indicator table takes the Spark frame itself. So the upload folder must be storage every
executor reads and writes (a shared mount), as it is for a local or same-machine master.

Only aggregates and the checks' answers come to the worker: its memory limit still holds, and
Spark's failures keep their codes (``survey.spark-*``, see docs/spark.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcover.errors import InputError, SocialcoverError

__all__ = ["SparkTarget", "run_on_spark"]


@dataclass(frozen=True)
class SparkTarget:
    """Where the largest survey jobs go: a master URL ("" for none) and the rows from which."""

    master: str = ""
    min_rows: int = 1_000_000

    def takes(self, rows: int) -> bool:
        """Whether a survey of ``rows`` rows runs on the cluster."""
        return bool(self.master) and rows >= self.min_rows


def _session(master: str, name: str) -> Any:
    """A session on ``master`` (the server's setting); the rest from Spark's own configuration."""
    from socialcover.survey import need_pyspark, spark_error

    need_pyspark()
    from pyspark.sql import SparkSession

    try:
        return SparkSession.builder.master(master).appName(name).getOrCreate()
    except Exception as exc:  # no Java, a bad master URL
        raise spark_error(exc, f"starting a Spark session on {master}") from exc


def run_on_spark(
    folder: Path,
    source: Path,
    master: str,
    mapping: Any,
    compute: Callable[[Any], Any],
    label: Callable[[str], None],
) -> Any:
    """The indicator table of a job, its persons read and mapped on ``master``.

    ``compute`` is the indicator table's call (a frame or a Parquet path in, the table out);
    ``label`` says what the job is doing.
    """
    from socialcover.survey import read_spark, spark_error
    from socialcover.survey.io import apply_mapping, read_value_labels, survey_to_parquet

    label(f"starting on Spark ({master})")
    session = _session(master, f"socialcover survey job {folder.name}")
    try:
        path = source
        if source.suffix.lower() in (".dta", ".sav", ".zsav"):
            label("converting to Parquet")
            path = survey_to_parquet(source, folder / "survey-converted.parquet")
        label("reading and mapping on Spark")
        frame = read_spark(str(path), session)
        if mapping is not None:
            frame = apply_mapping(frame, mapping, value_labels=read_value_labels(source))
        try:
            return compute(frame)
        except InputError as exc:
            # A survey without PSUs would bring every person to the driver: its mapped
            # persons go back to the job's folder and the table is computed there, out of core.
            if exc.code != "indicators.spark-needs-psu":
                raise
        label("writing the mapped persons")
        mapped = folder / "mapped.parquet"
        frame.write.mode("overwrite").parquet(str(mapped))
        return compute(str(mapped / "*.parquet"))
    except SocialcoverError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # Spark's and Py4J's errors, with the setting to change
        raise spark_error(exc, "running the survey job on Spark") from exc
    finally:
        session.stop()
