"""Public helpers for tests, tutorials and benchmarks.

- :func:`synthetic_survey`: a seeded synthetic household survey in the standard concepts of
  :mod:`socialcover.survey.io`, in memory or streamed to Parquet (up to 100M persons);
- :func:`load_age_structure`: the single-age population a survey's persons follow;
- ``demo``: the fictional demo country (Demoland, ``XDM``) of :mod:`socialcover.data.demo`,
  re-exported when that module exists.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from socialcover.testing.generator import BENEFITS, SurveyPlan
from socialcover.testing.population import AgeStructure, demo_age_structure, load_age_structure
from socialcover.testing.synthetic import synthetic_survey

__all__ = [
    "BENEFITS",
    "AgeStructure",
    "SurveyPlan",
    "demo",
    "demo_age_structure",
    "load_age_structure",
    "synthetic_survey",
]

demo: ModuleType | None = (
    importlib.import_module("socialcover.data.demo")
    if importlib.util.find_spec("socialcover.data.demo") is not None
    else None
)
