"""Design-based estimation on survey microdata: the engine under every survey indicator.

Declare a design once, bind it to data, then ask::

    from socialcover.survey import Design, Sample
    design = Design(weights="wt", strata="region", psu="ea", lonely_psu="adjust")
    sample = Sample(data, design)
    sample.mean("receives_pension", by=["sex", "urban"], where="age >= 65").to_polars()

Taylor linearisation follows R's ``survey`` package (Lumley 2010; Wolter 2007, ch. 6);
replicate designs (JK1, JKn, BRR, Fay, bootstrap, user-supplied) follow ``svrepdesign``.
"""

from socialcover.survey._errors import (
    ColumnCaseError,
    DesignError,
    EstimateError,
    LonelyPsuError,
    NestingError,
    UnknownColumnError,
    WeightError,
)
from socialcover.survey.design import Design
from socialcover.survey.replicate import ReplicateDesign
from socialcover.survey.result import Estimate
from socialcover.survey.sample import Sample

__all__ = [
    "ColumnCaseError",
    "Design",
    "DesignError",
    "Estimate",
    "EstimateError",
    "LonelyPsuError",
    "NestingError",
    "ReplicateDesign",
    "Sample",
    "UnknownColumnError",
    "WeightError",
]
