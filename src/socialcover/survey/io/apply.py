"""``apply_mapping``: a survey in the project's concepts, wherever its rows lie.

In memory (a Polars or pandas frame, or a file read whole) the mapping runs on Polars
(:func:`~socialcover.survey.io.recoding.map_frame`); on a DuckDB relation or a Spark DataFrame
it runs as one SQL statement where the data lie
(:func:`~socialcover.survey.io.mapping_sql.apply_mapping_sql`), with the same checks.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from socialcover.survey.io.mapping import Mapping
from socialcover.survey.io.mapping_sql import apply_mapping_sql, is_sql_frame
from socialcover.survey.io.reader import SurveySource
from socialcover.survey.io.recoding import map_frame

__all__ = ["apply_mapping"]


def apply_mapping(
    data: SurveySource,
    mapping: Mapping,
    *,
    value_labels: dict[str, dict[Any, str]] | None = None,
) -> pl.DataFrame:
    if is_sql_frame(data):
        mapped: pl.DataFrame = apply_mapping_sql(data, mapping, value_labels=value_labels)
        return mapped  # typed as Polars for the callers that pass Polars; see Returns
    return map_frame(data, mapping, value_labels=value_labels)


apply_mapping.__doc__ = map_frame.__doc__
