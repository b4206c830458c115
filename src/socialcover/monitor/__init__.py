"""Monitoring: the indicators the campaign follows, their observations, and their approval.

The registry (:data:`INDICATORS`, :func:`get_indicator`) defines every indicator with its
numerator, denominator, weighting population, unit and metadata. Observations travel as one
frame (:data:`OBSERVATION_SCHEMA`, checked by :func:`validate_frame`); the store keeps every
revision of every value (:func:`record_observations`, :func:`observations`, :func:`history`,
:func:`load_pack_series`). Values belong to a data set of an area and a year that is entered,
submitted and approved as DHIS2 does (:data:`DATA_SETS`, :func:`submit_data_set`,
:func:`approve_data_set`, :func:`unapprove_data_set`); only approved values are read by
default. See docs/monitor-store.md.
"""

from socialcover.monitor.aggregate import aggregate_store
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
from socialcover.monitor.files import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    export_observations,
    import_observations,
)
from socialcover.monitor.frame import KEY, NATURES, OBSERVATION_SCHEMA, SEXES, validate_frame
from socialcover.monitor.ilostat import read_ilostat
from socialcover.monitor.observations import (
    HISTORY_SCHEMA,
    RecordReport,
    history,
    load_pack_series,
    observations,
    record_observations,
)
from socialcover.monitor.registry import (
    INDICATORS,
    IndicatorDefinition,
    Weight,
    get_indicator,
    indicator_codes,
    list_indicators,
)
from socialcover.monitor.rules import ObservationFileError
from socialcover.monitor.sdmx import read_sdmx_csv

__all__ = [
    "APPROVED",
    "DATA_SETS",
    "DATA_SET_STEPS",
    "ENTERED",
    "EXPORT_FORMATS",
    "HISTORY_SCHEMA",
    "IMPORT_FORMATS",
    "INDICATORS",
    "KEY",
    "NATURES",
    "OBSERVATION_SCHEMA",
    "SEXES",
    "SUBMITTED",
    "DataSetInput",
    "IndicatorDefinition",
    "ObservationFileError",
    "RecordReport",
    "Weight",
    "aggregate_store",
    "approve_data_set",
    "export_observations",
    "get_indicator",
    "history",
    "import_observations",
    "indicator_codes",
    "list_data_sets",
    "list_indicators",
    "load_pack_series",
    "observations",
    "read_ilostat",
    "read_sdmx_csv",
    "record_observations",
    "submit_data_set",
    "unapprove_data_set",
    "validate_frame",
]
