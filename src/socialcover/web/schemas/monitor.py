"""Answers of the monitoring routes: evaluations, their recommendations, the schedule, charts.

The rows mirror the domain's tables, column for column: :data:`socialcover.monitor.evaluations.
EVALUATION_COLUMNS`, ``SCHEDULE_COLUMNS`` and :data:`socialcover.monitor.recommendations.
RECOMMENDATION_COLUMNS` (with ``late`` in an evaluation's list).
"""

from __future__ import annotations

import polars as pl
from pydantic import ConfigDict, Field

from socialcover.monitor.evaluations import EVALUATION_COLUMNS, SCHEDULE_COLUMNS
from socialcover.monitor.recommendations import RECOMMENDATION_COLUMNS
from socialcover.web.schemas import Out, frame_model

__all__ = ["EvaluationOut", "RecommendationRow", "ScheduleRow", "VegaLiteOut"]

ScheduleRow = frame_model(
    "ScheduleRow", SCHEDULE_COLUMNS, "A planned evaluation, the last of its kind, whether late."
)

RecommendationRow = frame_model(
    "RecommendationRow",
    {**RECOMMENDATION_COLUMNS, "late": pl.Boolean()},
    "A recommendation of an evaluation, its follow-up and whether it is late.",
)

EvaluationOut = frame_model(
    "EvaluationOut",
    EVALUATION_COLUMNS,
    "An evaluation, its review fields and its recommendations.",
    review_comment=(str | None, None),
    created_by_id=(int | None, None),
    recommendations_list=(list[RecommendationRow], ...),  # type: ignore[valid-type]
)


class VegaLiteOut(Out):
    """A chart as a Vega-Lite specification (https://vega.github.io/vega-lite/), to draw as is."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    schema_url: str = Field(alias="$schema", description="The Vega-Lite schema's address.")
