"""Answers and bodies of the monitoring routes: indicators, observations and their data sets,
aggregates; evaluations, their recommendations, the schedule, charts.

The rows mirror the domain's tables, column for column: :data:`socialcover.monitor.evaluations.
EVALUATION_COLUMNS`, ``SCHEDULE_COLUMNS`` and :data:`socialcover.monitor.recommendations.
RECOMMENDATION_COLUMNS` (with ``late`` in an evaluation's list).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from socialcover.monitor.evaluations import EVALUATION_COLUMNS, SCHEDULE_COLUMNS
from socialcover.monitor.recommendations import RECOMMENDATION_COLUMNS
from socialcover.web.schemas import Out, frame_model

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "AggregateList",
    "AggregateOut",
    "DataSetOut",
    "DataSetPage",
    "EvaluationOut",
    "IndicatorList",
    "IndicatorOut",
    "Listing",
    "ObservationIn",
    "ObservationOut",
    "ObservationPage",
    "ObservationRows",
    "ProblemOut",
    "RecommendationRow",
    "RecordOut",
    "ScheduleRow",
    "StepIn",
    "VegaLiteOut",
    "WeightOut",
]

FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years an observation may have (monitor.frame)

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


# -- response models ----------------------------------------------------------------------


class WeightOut(BaseModel):
    """The population that weights an indicator in aggregates."""

    series: str
    age_band: str | None
    note: str


class IndicatorOut(BaseModel):
    """An indicator's metadata, as the registry defines it."""

    code: str
    name: str
    definition: str
    numerator: str
    denominator: str
    weight: WeightOut | None
    unit: str
    bounds: list[float | None]
    disaggregations: list[str]
    methodology: str
    origin: str
    metadata: dict[str, str]
    sex: str


class IndicatorList(BaseModel):
    """Every monitored indicator."""

    items: list[IndicatorOut]


class Listing(BaseModel):
    """One page of a list, with the total and the next page's address."""

    page: int
    per_page: int
    total: int
    next: str | None


class ObservationOut(BaseModel):
    """The current value of one observation (indicator, area, year, sex)."""

    indicator: str
    area: str
    year: int
    sex: str
    value: float | None
    se: float | None
    lower: float | None
    upper: float | None
    nature: str
    source: str
    vintage: str
    footnotes: str


class ObservationPage(Listing):
    """Observations, sorted by indicator, area, year and sex."""

    items: list[ObservationOut]


class AggregateOut(BaseModel):
    """An indicator's value for a group, weighted by its denominator population."""

    group_type: str
    group: str
    year: int
    value: float | None
    population: float | None
    not_covered: float | None
    population_share_observed: float | None
    population_share_imputed: float | None
    n_countries_observed: int
    n_countries_imputed: int


class AggregateList(BaseModel):
    """One row per group."""

    items: list[AggregateOut]


class DataSetOut(BaseModel):
    """The values of one area and year, and where they stand in approval."""

    id: int
    area: str
    year: int
    status: str
    version: int
    created_by_id: int | None
    reviewed_by_id: int | None
    review_comment: str | None
    approved_at: datetime | None


class DataSetPage(Listing):
    """Data sets, sorted by area and year."""

    items: list[DataSetOut]


class ProblemOut(BaseModel):
    """A validation rule's finding about one row: where, what, why and how to fix it."""

    row: int
    column: str
    value: str
    code: str
    why: str
    fix: str
    level: str


class RecordOut(BaseModel):
    """What was written: new values, revisions, unchanged rows, the data sets written to, and
    the warnings (values that jump from the previous period: written, but worth a look)."""

    new: int
    revised: int
    unchanged: int
    data_sets: list[int]
    warnings: list[ProblemOut]


# -- request bodies -----------------------------------------------------------------------


class ObservationIn(BaseModel):
    """One value to enter; the registry and the validation rules check it."""

    indicator: str = Field(max_length=80)
    area: str = Field(max_length=60)
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    sex: Literal["both", "female", "male"] = "both"
    value: float = Field(allow_inf_nan=False)
    se: float | None = Field(None, allow_inf_nan=False)
    lower: float | None = Field(None, allow_inf_nan=False)
    upper: float | None = Field(None, allow_inf_nan=False)
    nature: Literal["observed", "survey_estimate", "administrative", "modelled", "imputed"] = (
        "observed"
    )
    source: str = Field(min_length=1, max_length=500)
    vintage: str = Field(min_length=1, max_length=40)
    footnotes: str = Field("", max_length=4000)


class ObservationRows(BaseModel):
    """Values to enter, all or nothing; problems name the row (1 = the first)."""

    rows: list[ObservationIn] = Field(min_length=1, max_length=10_000)


class StepIn(BaseModel):
    """A reviewer's comment (required to un-approve)."""

    comment: str = Field(default="", max_length=2000)
    back_to: Literal["submitted", "entered"] = Field(
        default="submitted", description="unapprove only: submitted, or entered for corrections."
    )
