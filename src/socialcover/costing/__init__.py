"""Costing of social protection benefits: scenarios, projections, financing gaps, uncertainty.

One way in: :func:`run_costing` with a :class:`CostingRequest` runs the projection and, as
asked, Monte Carlo, sensitivities, comparison, totals by group and file exports (the command
line and the web app call it); :func:`project_costs` is the projection alone.

Methods: ILO Rapid Assessment Protocol and the SPF costing of ESS 58 (METHODS.md B2); see
docs/costing.md.
"""

from socialcover.costing._errors import CostingDataError, ScenarioError, UnknownPresetError
from socialcover.costing.costs import project_costs, resolve_countries
from socialcover.costing.presets import describe_package, package_names
from socialcover.costing.result import CostingResult
from socialcover.costing.run import CostingRequest, CostingRun, run_costing
from socialcover.costing.scenario import Benefit, Scenario, ScenarioLike, load_scenario
from socialcover.costing.uncertainty import compare as compare_scenarios

__all__ = [
    "Benefit",
    "CostingDataError",
    "CostingRequest",
    "CostingResult",
    "CostingRun",
    "Scenario",
    "ScenarioError",
    "ScenarioLike",
    "UnknownPresetError",
    "compare_scenarios",
    "describe_package",
    "load_scenario",
    "package_names",
    "project_costs",
    "resolve_countries",
    "run_costing",
]
