"""Design-based estimation on survey microdata: the engine under every survey indicator.

Declare a design once, bind it to data, then ask::

    from socialcover.survey import Design, Sample
    design = Design(weights="wt", strata="region", psu="ea", lonely_psu="adjust")
    sample = Sample(data, design)
    sample.mean("receives_pension", by=["sex", "urban"], where="age >= 65").to_polars()

Taylor linearisation follows R's ``survey`` package (Lumley 2010; Wolter 2007, ch. 6);
replicate designs (JK1, JKn, BRR, Fay, bootstrap, user-supplied) follow ``svrepdesign``.

Estimators written in NumPy over an in-memory frame (many ratios at once, the Gini) bind the
design row by row with :func:`bind_rows` and send their linearised scores through the same
variance: :func:`unit_sums` with :func:`ratios` and :func:`totals`, :func:`gini_linearised` and
:class:`Linearised`; :func:`gini_unit_totals` gives the Gini's score totals per sampling unit
from sums a database computes, without rows in memory.

On Spark (a Spark DataFrame, a ``spark=`` session, or ``backend="spark"``), Spark's failures
become the package's errors (:func:`spark_error`, also used by the rule engine's Spark path).
Engines that compute their own sums where the data lie (the indicator table, the rule engine's
impacts) read with :func:`read_spark`, bind the design with :func:`bind` (its sampling
structure), find quantiles with :func:`locate_windows`, ask the back-end for sums per
sampling unit with :func:`sum_units` (or :func:`sum_units_by`, several breakdowns in one
statement) and estimate from them with :func:`unit_design`, or get many totals and means
with their variances at once with :func:`estimate_units` (element designs too);
:func:`running_sums` gives running sums in a sort order on Spark (a weighted rank, the
Gini's N_k) divided across executors.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from socialcover.survey._errors import (
    BackendError,
    ColumnCaseError,
    DesignError,
    EstimateError,
    LonelyPsuError,
    NestingError,
    UnknownColumnError,
    WeightError,
)
from socialcover.survey.backend.spark import _need_pyspark as need_pyspark
from socialcover.survey.backend.spark import is_spark_frame, read_spark, spark_error
from socialcover.survey.bound import bind
from socialcover.survey.ciprop import proportion_interval, t_quantile
from socialcover.survey.design import Design, LonelyPsuRule
from socialcover.survey.ratios import Ratios, Totals, UnitSums, ratios, totals, unit_sums
from socialcover.survey.replicate import ReplicateDesign
from socialcover.survey.result import Estimate
from socialcover.survey.rows import Groups, RowDesign, bind_rows, groups_of
from socialcover.survey.sample import Sample

if _TYPE_CHECKING:
    from socialcover.survey.gini import GiniUnitTotals, gini_linearised, gini_unit_totals
    from socialcover.survey.linearised import Linearised
    from socialcover.survey.quantile_search import locate_windows
    from socialcover.survey.running import RunningSums, running_sums
    from socialcover.survey.unit_query import (
        UnitEstimates,
        estimate_units,
        sum_units,
        sum_units_by,
        unit_design,
    )

#: Public names whose modules load on first use (PEP 562): a process that only takes means
#: or proportions does not import the Gini, the quantile search or the engines' unit sums
#: (which need Polars). No module here shares its name with a public name: ``ratios`` names
#: a module and its function, and importing the module (lazily, or by another engine's
#: ``from socialcover.survey.ratios import``) would rebind the package's ``ratios`` to the
#: module, so it loads above, eagerly.
_LAZY = {
    "GiniUnitTotals": "gini",
    "gini_linearised": "gini",
    "gini_unit_totals": "gini",
    "Linearised": "linearised",
    "locate_windows": "quantile_search",
    "RunningSums": "running",
    "running_sums": "running",
    "UnitEstimates": "unit_query",
    "estimate_units": "unit_query",
    "sum_units": "unit_query",
    "sum_units_by": "unit_query",
    "unit_design": "unit_query",
}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BackendError",
    "ColumnCaseError",
    "Design",
    "DesignError",
    "Estimate",
    "EstimateError",
    "GiniUnitTotals",
    "Groups",
    "Linearised",
    "LonelyPsuError",
    "LonelyPsuRule",
    "NestingError",
    "Ratios",
    "ReplicateDesign",
    "RowDesign",
    "RunningSums",
    "Sample",
    "Totals",
    "UnitEstimates",
    "UnitSums",
    "UnknownColumnError",
    "WeightError",
    "bind",
    "bind_rows",
    "estimate_units",
    "gini_linearised",
    "gini_unit_totals",
    "groups_of",
    "is_spark_frame",
    "locate_windows",
    "need_pyspark",
    "proportion_interval",
    "ratios",
    "read_spark",
    "running_sums",
    "spark_error",
    "sum_units",
    "sum_units_by",
    "t_quantile",
    "totals",
    "unit_design",
    "unit_sums",
]
