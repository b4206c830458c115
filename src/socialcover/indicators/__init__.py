"""Coverage-gap indicators: a registry of definitions and their computation from microdata.

- :data:`INDICATORS`: every :class:`Indicator` defined (stable dotted codes such as
  ``coverage.older_persons`` or ``aspire.adequacy``), each with numerator, denominator, unit,
  source and breakdowns;
- :func:`list_indicators`, :func:`get_indicator`: the registry built from that list;
- :func:`compute_indicators`: the indicator table from persons in the standard concepts (a
  frame, or a Parquet file read in place by DuckDB in bounded memory), with
  Taylor-linearised standard errors from the survey engine; a value from fewer than
  :data:`SMALL_CELL_N` observations or with a coefficient of variation above
  :data:`SMALL_CELL_CV` is flagged fragile;
- :func:`prepare_variables`: the analysis variables the indicators are ratios of.
"""

from __future__ import annotations

from socialcover.indicators.definitions import DISAGGREGATIONS, INDICATORS, Indicator
from socialcover.indicators.registry import get_indicator, indicator_codes, list_indicators
from socialcover.indicators.table import (
    SMALL_CELL_CV,
    SMALL_CELL_N,
    IndicatorTable,
    compute_indicators,
)
from socialcover.indicators.variables import prepare_variables

__all__ = [
    "DISAGGREGATIONS",
    "INDICATORS",
    "SMALL_CELL_CV",
    "SMALL_CELL_N",
    "Indicator",
    "IndicatorTable",
    "compute_indicators",
    "get_indicator",
    "indicator_codes",
    "list_indicators",
    "prepare_variables",
]
