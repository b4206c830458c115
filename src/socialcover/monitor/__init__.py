"""Monitoring: the indicators the campaign follows, their observations and approval, files in
and out, regional and world aggregates, and progress towards targets.

Indicators, observations and approval (docs/monitor-indicators.md):
    the registry, the one list of codes, names, units and weights (:data:`INDICATORS`,
    :class:`IndicatorDefinition`, :class:`Weight`, :func:`get_indicator`,
    :func:`indicator_codes`, :func:`list_indicators`); the observation frame
    (:data:`OBSERVATION_SCHEMA`, :data:`KEY`, :data:`SEXES`, :data:`NATURES`, :data:`WORLD`,
    :func:`known_areas`, :func:`validate_frame`); the store, which keeps every revision
    (:func:`record_observations`, :class:`RecordReport`, :func:`observations`, :func:`history`,
    :data:`HISTORY_SCHEMA`, :func:`load_pack_series`); data sets of an area and a year, entered,
    submitted and approved as DHIS2 does (:data:`DATA_SETS`, :data:`DATA_SET_STEPS`,
    :data:`ENTERED`, :data:`SUBMITTED`, :data:`APPROVED`, :class:`DataSetInput`,
    :func:`submit_data_set`, :func:`approve_data_set`, :func:`unapprove_data_set`,
    :func:`list_data_sets`). Only approved values are read by default.

Files in and out (docs/monitor-io.md):
    ILOSTAT bulk CSV, SDMX-CSV and plain CSV readers (:func:`read_ilostat`,
    :func:`read_sdmx_csv`, :func:`read_csv`) and
    writers (:func:`write_sdmx_csv`, :func:`write_csv`, :data:`DATAFLOW`, :data:`UNIT_CODES`);
    the validation
    rules (:func:`check_observations`, :func:`accept_observations`, :class:`Problem`,
    :class:`ObservationFileError`, :class:`JumpWarning`, :func:`translate_codes`, :data:`JUMP_PP`,
    :data:`ROUNDING_PP`, :data:`STATUS_LABELS`, :data:`NATURE_OF_STATUS`); files into and out
    of the store (:func:`import_observations`, :func:`enter_observations`,
    :func:`export_observations`,
    :data:`IMPORT_FORMATS`, :data:`EXPORT_FORMATS`); survey indicator tables and costing runs
    as observations (:func:`observations_from_indicator_table`, :func:`publish_survey_results`,
    :func:`observations_from_costing`, :data:`COSTING_INDICATORS`).

Aggregates (docs/monitor-aggregate.md):
    :func:`aggregate` of an observation frame, :func:`aggregate_store` of the store's approved
    observations, :func:`aggregates_as_observations` (:data:`AGGREGATE_SOURCE`) for files,
    :func:`observations_from_pack`, :data:`GROUPINGS`, :data:`NO_INCOME_GROUP`; their charts
    (:func:`aggregate_chart`, :func:`series_chart`); the weights (:func:`denominators`,
    :func:`check_indicator`, :data:`SHORT_PREFIX`) and the imputation (:func:`impute`,
    :data:`METHODS`).

Targets and progress (docs/monitor-progress.md):
    :class:`Target`; :func:`trend`, :class:`Trend`, :func:`project`, :func:`year_reached`,
    :class:`Reached`, :func:`status`, :data:`STATUSES`, :func:`progress`; the charts,
    :func:`progress_chart`, :func:`series_chart` (the platform's one line chart, with its
    :func:`source_line`, :data:`SOURCE_LINE`) and the card that dresses one for sharing,
    :func:`card` (docs/advocacy.md, media kits).

Evaluations (docs/monitor-evaluations.md):
    the register, a reviewed record (:data:`EVALUATIONS`, :class:`EvaluationInput`,
    :func:`create_evaluation`, :func:`update_evaluation`, :func:`submit_evaluation`,
    :func:`publish_evaluation`, :func:`return_evaluation`, :func:`list_evaluations`,
    :func:`evaluations_of_practice`, :func:`get_evaluation`, :data:`EVALUATION_COLUMNS`,
    :data:`SUBJECT_TYPES`, :data:`EVALUATION_TYPES`); recommendations and their follow-up
    (:class:`RecommendationInput`, :func:`add_recommendation`, :func:`update_recommendation`,
    :func:`follow_up_recommendation`, :func:`list_recommendations`, :func:`recommendations_due`,
    :data:`RECOMMENDATION_COLUMNS`, :data:`FOLLOW_UP_STATUSES`); the schedule of regular
    evaluations (:class:`ScheduleInput`, :func:`schedule`, :func:`list_schedule`,
    :func:`overdue`, :data:`SCHEDULE_COLUMNS`).

The campaign's process indicators (docs/monitor-process.md):
    :data:`PROCESS_INDICATORS` in the registry, counted from the platform's records by
    :func:`count_process_indicators` and recorded by :func:`refresh_process_indicators`
    (:class:`ProcessReport`, :data:`PROCESS_SOURCE`, :data:`RECOUNT_COMMENT`,
    :data:`PENDING_RECORDS`).
"""

from socialcover.monitor.aggregate import (
    AGGREGATE_SOURCE,
    GROUPINGS,
    aggregate,
    aggregate_store,
    aggregates_as_observations,
    observations_from_pack,
)
from socialcover.monitor.charts import (
    SOURCE_LINE,
    aggregate_chart,
    card,
    progress_chart,
    series_chart,
    source_line,
)
from socialcover.monitor.datasets import (
    APPROVED,
    DATA_SET_STEPS,
    DATA_SETS,
    ENTERED,
    SUBMITTED,
    DataSetInput,
    approve_data_set,
    list_data_sets,
    submit_data_set,
    unapprove_data_set,
)
from socialcover.monitor.denominators import SHORT_PREFIX, check_indicator, denominators
from socialcover.monitor.evaluations import (
    EVALUATION_COLUMNS,
    EVALUATION_TYPES,
    EVALUATIONS,
    FOLLOW_UP_STATUSES,
    SCHEDULE_COLUMNS,
    SUBJECT_TYPES,
    EvaluationInput,
    ScheduleInput,
    create_evaluation,
    evaluations_of_practice,
    get_evaluation,
    list_evaluations,
    list_schedule,
    overdue,
    publish_evaluation,
    return_evaluation,
    schedule,
    submit_evaluation,
    update_evaluation,
)
from socialcover.monitor.feeds import (
    COSTING_INDICATORS,
    observations_from_costing,
    observations_from_indicator_table,
    publish_survey_results,
)
from socialcover.monitor.files import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    enter_observations,
    export_observations,
    import_observations,
)
from socialcover.monitor.frame import (
    KEY,
    NATURES,
    NO_INCOME_GROUP,
    OBSERVATION_SCHEMA,
    SEXES,
    WORLD,
    known_areas,
    validate_frame,
)
from socialcover.monitor.ilostat import read_ilostat
from socialcover.monitor.imputation import METHODS, impute
from socialcover.monitor.observations import (
    HISTORY_SCHEMA,
    RecordReport,
    history,
    load_pack_series,
    observations,
    record_observations,
)
from socialcover.monitor.process import (
    PENDING_RECORDS,
    PROCESS_SOURCE,
    RECOUNT_COMMENT,
    ProcessReport,
    count_process_indicators,
    refresh_process_indicators,
)
from socialcover.monitor.progress import (
    STATUSES,
    Reached,
    Trend,
    progress,
    project,
    status,
    trend,
    year_reached,
)
from socialcover.monitor.recommendations import (
    RECOMMENDATION_COLUMNS,
    RecommendationInput,
    add_recommendation,
    follow_up_recommendation,
    list_recommendations,
    recommendations_due,
    update_recommendation,
)
from socialcover.monitor.registry import (
    INDICATORS,
    PROCESS_INDICATORS,
    IndicatorDefinition,
    Weight,
    get_indicator,
    indicator_codes,
    list_indicators,
)
from socialcover.monitor.rules import (
    JUMP_PP,
    NATURE_OF_STATUS,
    ROUNDING_PP,
    STATUS_LABELS,
    JumpWarning,
    ObservationFileError,
    Problem,
    accept_observations,
    check_observations,
    translate_codes,
)
from socialcover.monitor.sdmx import (
    DATAFLOW,
    UNIT_CODES,
    read_csv,
    read_sdmx_csv,
    write_csv,
    write_sdmx_csv,
)
from socialcover.monitor.targets import Target

__all__ = [
    "AGGREGATE_SOURCE",
    "APPROVED",
    "COSTING_INDICATORS",
    "DATAFLOW",
    "DATA_SETS",
    "DATA_SET_STEPS",
    "ENTERED",
    "EVALUATIONS",
    "EVALUATION_COLUMNS",
    "EVALUATION_TYPES",
    "EXPORT_FORMATS",
    "FOLLOW_UP_STATUSES",
    "GROUPINGS",
    "HISTORY_SCHEMA",
    "IMPORT_FORMATS",
    "INDICATORS",
    "JUMP_PP",
    "KEY",
    "METHODS",
    "NATURES",
    "NATURE_OF_STATUS",
    "NO_INCOME_GROUP",
    "OBSERVATION_SCHEMA",
    "PENDING_RECORDS",
    "PROCESS_INDICATORS",
    "PROCESS_SOURCE",
    "RECOMMENDATION_COLUMNS",
    "RECOUNT_COMMENT",
    "ROUNDING_PP",
    "SCHEDULE_COLUMNS",
    "SEXES",
    "SHORT_PREFIX",
    "SOURCE_LINE",
    "STATUSES",
    "STATUS_LABELS",
    "SUBJECT_TYPES",
    "SUBMITTED",
    "UNIT_CODES",
    "WORLD",
    "DataSetInput",
    "EvaluationInput",
    "IndicatorDefinition",
    "JumpWarning",
    "ObservationFileError",
    "Problem",
    "ProcessReport",
    "Reached",
    "RecommendationInput",
    "RecordReport",
    "ScheduleInput",
    "Target",
    "Trend",
    "Weight",
    "accept_observations",
    "add_recommendation",
    "aggregate",
    "aggregate_chart",
    "aggregate_store",
    "aggregates_as_observations",
    "approve_data_set",
    "card",
    "check_indicator",
    "check_observations",
    "count_process_indicators",
    "create_evaluation",
    "denominators",
    "enter_observations",
    "evaluations_of_practice",
    "export_observations",
    "follow_up_recommendation",
    "get_evaluation",
    "get_indicator",
    "history",
    "import_observations",
    "impute",
    "indicator_codes",
    "known_areas",
    "list_data_sets",
    "list_evaluations",
    "list_indicators",
    "list_recommendations",
    "list_schedule",
    "load_pack_series",
    "observations",
    "observations_from_costing",
    "observations_from_indicator_table",
    "observations_from_pack",
    "overdue",
    "progress",
    "progress_chart",
    "project",
    "publish_evaluation",
    "publish_survey_results",
    "read_csv",
    "read_ilostat",
    "read_sdmx_csv",
    "recommendations_due",
    "record_observations",
    "refresh_process_indicators",
    "return_evaluation",
    "schedule",
    "series_chart",
    "source_line",
    "status",
    "submit_data_set",
    "submit_evaluation",
    "translate_codes",
    "trend",
    "unapprove_data_set",
    "update_evaluation",
    "update_recommendation",
    "validate_frame",
    "write_csv",
    "write_sdmx_csv",
    "year_reached",
]
