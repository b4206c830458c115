"""Microsimulation: benefit rules as data, reforms, distributional impact, informal-economy schemes.

Rules are written in YAML (see docs/microsim.md), checked completely when loaded (names, units,
entities, circular dependencies; errors point at file, line and column) and run by one entry
point, :func:`run_rules`, on the back-end that fits where the data are (a NumPy array program
in memory, compiled SQL on DuckDB for Parquet files, Spark SQL for Spark frames). An
independent reference evaluator (:mod:`socialcover.microsim.reference`) checks them in tests.
"""

import importlib as _importlib
import typing as _typing

from socialcover.microsim._errors import Location, MicrosimDataError, RuleError

if _typing.TYPE_CHECKING:
    from socialcover.microsim.analysis import SimulationResult, simulate
    from socialcover.microsim.calibration import (
        Calibration,
        PMTResult,
        calibrate,
        proxy_means_test,
    )
    from socialcover.microsim.execution import RuleResult, run_rules
    from socialcover.microsim.impact import Impact, measure_impact
    from socialcover.microsim.reform import Reform
    from socialcover.microsim.rules import RuleSet, load_rules
    from socialcover.microsim.scheme import (
        SchemeResult,
        TakeUpCalibration,
        calibrate_take_up,
        load_scheme,
        run_scheme,
    )
    from socialcover.microsim.simulation import PopulationRun, run_population
    from socialcover.microsim.situation import (
        SituationOutcome,
        collect_situations,
        run_situation,
    )

# Public name -> module. Names load on first use, so that running rules does not import the
# survey estimators (and SciPy) that only impacts, calibration and schemes need.
_LAZY = {
    "SimulationResult": "analysis",
    "simulate": "analysis",
    "Calibration": "calibration",
    "PMTResult": "calibration",
    "calibrate": "calibration",
    "proxy_means_test": "calibration",
    "RuleResult": "execution",
    "run_rules": "execution",
    "Impact": "impact",
    "measure_impact": "impact",
    "Reform": "reform",
    "RuleSet": "rules",
    "load_rules": "rules",
    "SchemeResult": "scheme",
    "TakeUpCalibration": "scheme",
    "calibrate_take_up": "scheme",
    "load_scheme": "scheme",
    "run_scheme": "scheme",
    "PopulationRun": "simulation",
    "run_population": "simulation",
    "SituationOutcome": "situation",
    "collect_situations": "situation",
    "run_situation": "situation",
}


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        value = getattr(_importlib.import_module(f"socialcover.microsim.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'socialcover.microsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Calibration",
    "Impact",
    "Location",
    "MicrosimDataError",
    "PMTResult",
    "PopulationRun",
    "Reform",
    "RuleError",
    "RuleResult",
    "RuleSet",
    "SchemeResult",
    "SimulationResult",
    "SituationOutcome",
    "TakeUpCalibration",
    "calibrate",
    "calibrate_take_up",
    "collect_situations",
    "load_rules",
    "load_scheme",
    "measure_impact",
    "proxy_means_test",
    "run_population",
    "run_rules",
    "run_scheme",
    "run_situation",
    "simulate",
]
