"""Costing of social protection benefits: scenarios, projections, financing gaps, uncertainty.

Methods: ILO Rapid Assessment Protocol and the SPF costing of ESS 58 (METHODS.md B2); see
docs/costing.md.
"""

from socialcover.costing._errors import CostingDataError, ScenarioError, UnknownPresetError
from socialcover.costing.engine import project_costs, resolve_countries
from socialcover.costing.presets import describe_package, package_names
from socialcover.costing.result import CostingResult
from socialcover.costing.scenario import Benefit, Scenario, load_scenario

__all__ = [
    "Benefit",
    "CostingDataError",
    "CostingResult",
    "Scenario",
    "ScenarioError",
    "UnknownPresetError",
    "describe_package",
    "load_scenario",
    "package_names",
    "project_costs",
    "resolve_countries",
]
