"""Reading surveys and mapping their variables to standard concepts.

- :func:`read_survey`, :func:`read_value_labels`: Stata, SPSS, CSV, Parquet and frames;
- :class:`Mapping` (``Mapping.from_yaml``): which variables and codes carry each concept;
- :func:`apply_mapping`, :func:`load_survey`: the survey in standard concept columns.
"""

from __future__ import annotations

from socialcover.survey.io.concepts import (
    BENEFIT_TYPES,
    CONCEPTS,
    CONTRIBUTORY_BY_DEFAULT,
    DESIGN_CONCEPTS,
    Concept,
)
from socialcover.survey.io.mapping import BenefitSpec, Mapping, SurveyParameters, VariableSpec
from socialcover.survey.io.reader import SURVEY_FORMATS, read_survey, read_value_labels
from socialcover.survey.io.recoding import apply_mapping, load_survey

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
    "VariableSpec",
    "apply_mapping",
    "load_survey",
    "read_survey",
    "read_value_labels",
]
