"""Microsimulation: benefit rules as data, reforms, distributional impact, informal-economy schemes.

Rules are written in YAML (see docs/microsim.md), checked completely when loaded (names, units,
entities, circular dependencies; errors point at file, line and column), compiled to SQL run by
DuckDB, and cross-checked by an independent NumPy evaluator.
"""

from socialcover.microsim._errors import Location, MicrosimDataError, RuleError
from socialcover.microsim.expression import parse_expression
from socialcover.microsim.numpy_evaluator import evaluate_numpy
from socialcover.microsim.parameters import Parameter, ParameterSet
from socialcover.microsim.rules import STANDARD_INPUTS, Programme, RuleSet, Step, load_rules
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
    "Dialect",
    "DuckDBDialect",
    "Location",
    "MicrosimDataError",
    "Parameter",
    "ParameterSet",
    "Programme",
    "RuleError",
    "RuleSet",
    "SparkDialect",
    "Step",
    "Unit",
    "compile_rules",
    "evaluate_duckdb",
    "evaluate_numpy",
    "load_rules",
    "parse_expression",
    "parse_unit",
]
