"""Query engines that run the survey engine's one SQL formulation.

An engine owns one registered table and answers SQL written by
:mod:`socialcover.survey.engine.sql`; results come back as Polars frames through Arrow.
DuckDB is the default (embedded, columnar, out of core for Parquet input); Spark runs the
same statements when the data are a Spark DataFrame.
"""

from __future__ import annotations

from socialcover.survey.engine.base import Engine, open_engine

__all__ = ["Engine", "open_engine"]
