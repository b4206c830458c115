"""Reading surveys and mapping their variables to standard concepts.

- :func:`read_survey`, :func:`read_value_labels`: Stata, SPSS, CSV, Parquet and frames;
  :func:`survey_to_parquet`: a Stata or SPSS file streamed to Parquet in chunks (for Spark);
- :class:`Mapping` (``Mapping.from_yaml``): which variables and codes carry each concept;
- :func:`apply_mapping`, :func:`load_survey`: the survey in standard concept columns (a
  DuckDB relation or a Spark DataFrame is mapped in SQL, where it lies);
- :func:`survey_size`, :func:`check_survey_size`: what a file expands to, from its metadata,
  refused beyond limits before any of it is read.
"""

from __future__ import annotations

from socialcover.survey.io.apply import apply_mapping
from socialcover.survey.io.concepts import (
    BENEFIT_TYPES,
    CONCEPTS,
    CONTRIBUTORY_BY_DEFAULT,
    DESIGN_CONCEPTS,
    Concept,
)
from socialcover.survey.io.mapping import BenefitSpec, Mapping, SurveyParameters, VariableSpec
from socialcover.survey.io.reader import (
    SURVEY_FORMATS,
    read_survey,
    read_value_labels,
    survey_to_parquet,
)
from socialcover.survey.io.recoding import load_survey
from socialcover.survey.io.size import (
    SurveySize,
    SurveyTooLargeError,
    check_survey_size,
    survey_size,
)

__all__ = [
    "BENEFIT_TYPES",
    "CONCEPTS",
    "CONTRIBUTORY_BY_DEFAULT",
    "DESIGN_CONCEPTS",
    "SURVEY_FORMATS",
    "BenefitSpec",
    "Concept",
    "Mapping",
    "SurveyParameters",
    "SurveySize",
    "SurveyTooLargeError",
    "VariableSpec",
    "apply_mapping",
    "check_survey_size",
    "load_survey",
    "read_survey",
    "read_value_labels",
    "survey_size",
    "survey_to_parquet",
]
