"""One costing run: a scenario's projection and whatever else was asked of it.

The command line (``socialcover cost``), the web app's costing page and its REST API all call
:func:`run_costing` with a :class:`CostingRequest`. The projection always runs; Monte Carlo
bands, one-way sensitivities, a comparison with other scenarios, totals by group and the
files (results, chart) follow when the request asks for them. Everything the request names is
validated before any work starts, so a bad request computes and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from socialcover.costing import charts, uncertainty
from socialcover.costing._errors import ScenarioError
from socialcover.costing.aggregate import aggregate, check_grouping, missing_table
from socialcover.costing.costs import project_costs
from socialcover.costing.export import check_output_path, write_result
from socialcover.costing.result import CostingResult
from socialcover.costing.scenario import ScenarioLike, load_scenario
from socialcover.costing.uncertainty import MonteCarloResult

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(step, done, total)`` while a run goes; ``total`` is None when unknown."""

CHART_SUFFIXES = (".svg", ".png")


@dataclass(frozen=True)
class CostingRequest:
    """What to compute for a scenario, and which files to write.

    Parameters
    ----------
    scenario:
        A :class:`~socialcover.costing.Scenario`, a dict, or a YAML/JSON path.
    compare:
        Other scenarios to set beside this one (totals, and differences from this one).
    by:
        Add many countries up by ``ilo-region``, ``income-group``, ``world`` or ``country``.
    monte_carlo:
        Monte Carlo draws over the scenario's uncertainty ranges (0: none).
    seed:
        Seed of the draws: the same seed gives the same bands.
    tornado:
        One-way sensitivities of the last year's total.
    out:
        Write the result to ``.xlsx`` (RAP workbook), ``.csv`` or ``.json``.
    chart:
        Render a chart to ``.svg`` or ``.png``: the Monte Carlo bands when drawn, else the
        cost by benefit.
    """

    scenario: ScenarioLike
    compare: tuple[ScenarioLike, ...] = ()
    by: str | None = None
    monte_carlo: int = 0
    seed: int = 20250101
    tornado: bool = False
    out: Path | None = None
    chart: Path | None = None


@dataclass(frozen=True)
class CostingRun:
    """What a :class:`CostingRequest` produced; the parts not asked for are ``None``.

    Attributes
    ----------
    result:
        The projection (:class:`~socialcover.costing.CostingResult`).
    grouped:
        Costs added up by group and year, GDP-weighted (``by``).
    monte_carlo:
        Percentile bands (``monte_carlo``).
    tornado:
        One-way sensitivities, largest swing first (``tornado``).
    comparison:
        The scenarios side by side, this one first (``compare``).
    """

    result: CostingResult
    grouped: pl.DataFrame | None = None
    monte_carlo: MonteCarloResult | None = None
    tornado: pl.DataFrame | None = None
    comparison: pl.DataFrame | None = None

    def missing_table(self) -> pl.DataFrame:
        """Countries that could not be costed, with the reason (iso3, name, reason)."""
        return missing_table(self.result)

    def chart(self) -> charts.Spec:
        """The run's chart as a Vega-Lite spec: Monte Carlo bands when drawn, else cost by
        benefit (first country)."""
        if self.monte_carlo is not None:
            return charts.bands_chart(self.monte_carlo)
        return charts.cost_by_benefit_chart(self.result)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``rows`` (per benefit, and a ``total`` per year), then ``aggregate``,
        ``missing``, ``monte_carlo`` (bands), ``tornado`` and ``comparison`` when present."""
        doc: dict[str, Any] = {"rows": self.result.to_rows()}
        if self.grouped is not None:
            doc["aggregate"] = self.grouped.to_dicts()
        if self.result.missing:
            doc["missing"] = self.missing_table().to_dicts()
        if self.monte_carlo is not None:
            doc["monte_carlo"] = self.monte_carlo.bands.to_dicts()
        if self.tornado is not None:
            doc["tornado"] = self.tornado.to_dicts()
        if self.comparison is not None:
            doc["comparison"] = self.comparison.to_dicts()
        return doc


def run_costing(request: CostingRequest, *, progress: Progress | None = None) -> CostingRun:
    """Project a scenario's costs, with what else the request asks, and write its files.

    Parameters
    ----------
    request:
        The scenario and the work asked of it (see :class:`CostingRequest`).
    progress:
        Called as ``progress(step, done, total)`` as the run goes (for a progress bar).

    Returns
    -------
    CostingRun

    Raises
    ------
    ScenarioError
        A scenario is invalid, or an output, a grouping or a chart cannot be made (raised
        before any work is done; nothing is written).
    NotFoundError
        An unknown country (with "did you mean").
    CostingDataError
        A single-country scenario whose country lacks GDP, population or prices.

    Examples
    --------
    With the fictional demo country (``socialcover data demo``):

    >>> from socialcover.costing import CostingRequest, run_costing
    >>> run = run_costing(CostingRequest({"country": "XDM", "package": "campaign-basic",
    ...                                   "horizon": 2030}, tornado=True))
    >>> run.tornado["parameter"][0]  # the assumption that moves the cost most
    'takeup'
    """
    tell = progress or _silent
    scenario = load_scenario(request.scenario)
    others = [load_scenario(s) for s in request.compare]
    if request.out is not None:
        check_output_path(request.out)
    if request.chart is not None and request.chart.suffix.lower() not in CHART_SUFFIXES:
        raise ScenarioError(
            f"Cannot render a chart to {request.chart.name!r}.",
            code="costing.bad-output",
            key="chart",
            hint="Use a name ending in .svg or .png.",
        )
    if request.by is not None:
        check_grouping(request.by)

    tell("Projecting costs", 0, None)
    result = project_costs(scenario)
    bands = None
    if request.monte_carlo > 0:
        step, draws = f"Monte Carlo ({request.monte_carlo} draws)", request.monte_carlo
        tell(step, 0, draws)
        bands = uncertainty.monte_carlo(
            scenario,
            draws=draws,
            seed=request.seed,
            progress=lambda done, total: tell(step, done, total),
        )
    sensitivities = None
    if request.tornado:
        tell("One-way sensitivities", 0, None)
        sensitivities = uncertainty.tornado(scenario)
    comparison = None
    if others:
        tell("Comparing scenarios", 0, None)
        comparison = uncertainty.compare([scenario, *others])
    grouped = aggregate(result, request.by) if request.by is not None else None
    run = CostingRun(result, grouped, bands, sensitivities, comparison)
    if request.out is not None:
        tell(f"Writing {request.out.name}", 0, None)
        write_result(result, request.out)
    if request.chart is not None:
        charts.render_chart(run.chart(), request.chart)
    return run


def _silent(step: str, done: int, total: int | None) -> None:
    """No progress shown."""
