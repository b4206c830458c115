"""Public helpers for tests, tutorials and benchmarks.

- :func:`synthetic_survey`: a seeded synthetic household survey in the standard concepts of
  :mod:`socialcover.survey.io`, in memory or streamed to Parquet (up to 100M persons);
- :func:`load_age_structure`: the single-age population a survey's persons follow;
- ``demo``: the fictional demo country (Demoland, ``XDM``), :mod:`socialcover.data.demo`.
"""

from __future__ import annotations

from socialcover.data import demo
from socialcover.testing.age_structure import AgeStructure, demo_age_structure, load_age_structure
from socialcover.testing.generator import BENEFITS, SurveyPlan
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
