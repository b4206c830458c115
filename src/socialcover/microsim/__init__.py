"""Microsimulation: benefit rules as data, reforms, distributional impact, informal-economy schemes.

Rules are written in YAML (see docs/microsim.md), checked completely when loaded (names, units,
entities, circular dependencies; errors point at file, line and column), compiled to SQL run by
DuckDB, and cross-checked by an independent NumPy evaluator.
"""

from socialcover.microsim._errors import Location, MicrosimDataError, RuleError
from socialcover.microsim.analysis import SimulationResult, simulate
from socialcover.microsim.calibration import Calibration, PMTResult, calibrate, proxy_means_test
from socialcover.microsim.execution import RuleResult, run_rules
from socialcover.microsim.expression import parse_expression
from socialcover.microsim.impact import Impact, gini, gini_linearised, measure_impact
from socialcover.microsim.numpy_evaluator import evaluate_numpy
from socialcover.microsim.parameters import Parameter, ParameterSet
from socialcover.microsim.reform import Reform
from socialcover.microsim.rules import STANDARD_INPUTS, Programme, RuleSet, Step, load_rules
from socialcover.microsim.scheme import SchemeResult, TakeUp, load_scheme, run_scheme
from socialcover.microsim.simulation import PopulationRun, run_population
from socialcover.microsim.situation import (
    Situation,
    SituationOutcome,
    collect_situations,
    run_situation,
)
from socialcover.microsim.sql_compiler import (
    Dialect,
    DuckDBDialect,
    SparkDialect,
    compile_rules,
    evaluate_duckdb,
)
from socialcover.microsim.units import Unit, parse_unit

__all__ = [
    "STANDARD_INPUTS",
    "Calibration",
    "Dialect",
    "DuckDBDialect",
    "Impact",
    "Location",
    "MicrosimDataError",
    "PMTResult",
    "Parameter",
    "ParameterSet",
    "PopulationRun",
    "Programme",
    "Reform",
    "RuleError",
    "RuleResult",
    "RuleSet",
    "SchemeResult",
    "SimulationResult",
    "Situation",
    "SituationOutcome",
    "SparkDialect",
    "Step",
    "TakeUp",
    "Unit",
    "calibrate",
    "collect_situations",
    "compile_rules",
    "evaluate_duckdb",
    "evaluate_numpy",
    "gini",
    "gini_linearised",
    "load_rules",
    "load_scheme",
    "measure_impact",
    "parse_expression",
    "parse_unit",
    "proxy_means_test",
    "run_population",
    "run_rules",
    "run_scheme",
    "run_situation",
    "simulate",
]
