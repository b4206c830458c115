"""Targeting and calibration: the parameter value that spends a budget or reaches a poverty
target, and proxy means test (PMT) scoring with its exclusion and inclusion errors.

Calibration solves ``f(x) = target`` for one parameter ``x`` with Brent's method
(:func:`scipy.optimize.brentq`; Brent 1973, *Algorithms for Minimization without Derivatives*,
ch. 4) after bracketing the root. Each evaluation runs the rules with the parameter overridden
(:func:`~socialcover.microsim.execution.run_rules`, on the population converted to Arrow
once). Cost is monotone in a benefit level, so the root is unique; the poverty headcount is a
step function, so the answer is the level at which the target is first reached, to within
``xtol``. The result reports the value, the target reached (``achieved``) and both tolerances.

PMT errors follow the usual definitions (Coady, Grosh and Hoddinott 2004, *Targeting of
Transfers in Developing Countries*, World Bank, ch. 2; ASPIRE, METHODS.md B3.1):
**exclusion error** = share of the poor who are not selected; **inclusion error** = share of the
selected who are not poor; both among persons, weighted, with design-based SEs (ratio
estimators in the survey engine).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
from scipy.optimize import brentq

from socialcover.errors import InputError
from socialcover.microsim._errors import RuleError
from socialcover.microsim.execution import run_rules
from socialcover.microsim.frames import as_frame
from socialcover.microsim.rules import RuleSet, load_rules

if TYPE_CHECKING:
    from socialcover.microsim.spark_targeting import SparkEvaluator

__all__ = ["Calibration", "PMTResult", "calibrate", "proxy_means_test"]


@dataclass(frozen=True)
class Calibration:
    """The calibrated parameter value and how close it gets."""

    parameter: str
    value: float
    target: float
    achieved: float
    measure: str
    xtol: float
    evaluations: int

    @property
    def gap(self) -> float:
        return self.achieved - self.target


class _Evaluator:
    """Runs the rules on a population converted once, for many parameter values."""

    def __init__(
        self,
        rules: RuleSet,
        data: Any,
        period: int | str,
        weight: str | None,
        programmes: list[str] | None,
    ) -> None:
        self.rules = rules
        self.period = period
        frame = as_frame(data)
        if weight is not None and weight not in frame.columns:
            raise InputError(
                f"the population has no weight column {weight!r}",
                code="microsim.missing-column",
                hint="Pass weight=None for an unweighted population.",
            )
        self.table = frame.to_arrow()
        self.present = frame.columns
        self.weight = weight
        self.programmes = programmes or list(rules.programmes)
        self.calls = 0

    def close(self) -> None:
        """Nothing to release in memory (the Spark evaluator unpersists its columns)."""

    def run(self, params: dict[str, float]) -> pl.DataFrame:
        self.calls += 1
        keep = [c for c in ("hh_id", "poverty_line", self.weight) if c and c in self.present]
        out: pl.DataFrame = run_rules(
            self.rules,
            self.table,
            self.period,
            outputs=[*self.programmes, "disposable_income"],
            keep=keep,
            params=params,
            spread=True,
        ).persons
        return out

    def cost(self, params: dict[str, float]) -> float:
        f = self.run(params)
        w = f[self.weight].to_numpy() if self.weight else np.ones(f.height)
        size = f.select(pl.len().over("hh_id")).to_series().to_numpy()
        total = 0.0
        for name in self.programmes:
            x = f[name].to_numpy()
            if self.rules.programmes[name].entity == "household":
                x = x / size
            total += float((w * x).sum())
        return total

    def poverty(self, params: dict[str, float], line: str | float, alpha: int) -> float:
        f = self.run(params)
        w = f[self.weight].to_numpy() if self.weight else np.ones(f.height)
        y = f["disposable_income"].to_numpy()
        z = f[line].to_numpy() if isinstance(line, str) else np.full(f.height, float(line))
        gap = np.clip((z - y) / z, 0.0, None)
        fgt = (y < z).astype(float) if alpha == 0 else gap**alpha
        return float((w * fgt).sum() / w.sum())


def calibrate(
    rules: RuleSet | str,
    data: Any,
    *,
    period: int | str,
    parameter: str,
    budget: float | None = None,
    poverty_reduction: float | None = None,
    line: str | float = "poverty_line",
    measure: str = "fgt0",
    programmes: list[str] | None = None,
    bracket: tuple[float, float] | None = None,
    weight: str | None = "weight",
    xtol: float = 1e-3,
    engine: str = "auto",
    spark: Any = None,
) -> Calibration:
    """Find the value of ``parameter`` that spends ``budget`` or cuts poverty by a target.

    Parameters
    ----------
    parameter
        Dotted name of a numeric parameter (e.g. ``child_benefit.amount``).
    budget
        Weighted yearly cost of ``programmes`` (all by default) to reach, in LCU.
    poverty_reduction
        Reduction of the poverty ``measure`` (``fgt0``, ``fgt1``, ``fgt2``) below its value
        with the parameter at the bracket's low end, in index points (0.02 = 2 points).
    bracket
        ``(low, high)`` values of the parameter known to straddle the answer; by default
        ``(0, current value)`` doubled upwards until it does.
    xtol
        Absolute tolerance of the answer (in the parameter's unit).
    engine, spark
        A Spark DataFrame (or a path with ``engine="spark"``, read by Spark; ``spark=`` names
        the session) is calibrated on Spark: the search runs on the driver, each evaluation is
        the rules as Spark SQL and one aggregate statement (only sums come back).
    """
    rs = rules if isinstance(rules, RuleSet) else load_rules(rules)
    if (budget is None) == (poverty_reduction is None):
        raise InputError(
            "give exactly one of budget= or poverty_reduction=",
            code="microsim.bad-calibration",
            hint="e.g. calibrate(..., parameter='child_benefit.amount', budget=2e9).",
        )
    if parameter not in rs.parameters:
        from difflib import get_close_matches

        near = get_close_matches(parameter, list(rs.parameters.names()), n=1)
        raise RuleError(
            f"the rules have no parameter {parameter!r}",
            code="microsim.unknown-parameter",
            hint=(f"Did you mean {near[0]!r}? " if near else "")
            + "Name a parameter of the rules file.",
        )
    if measure not in ("fgt0", "fgt1", "fgt2"):
        raise InputError(
            f"measure {measure!r} is not known",
            code="microsim.bad-calibration",
            hint="Use fgt0 (headcount), fgt1 (gap) or fgt2 (severity).",
        )
    from socialcover.microsim.spark_targeting import SparkEvaluator, on_spark

    sdf = on_spark(data, engine, spark)
    ev: _Evaluator | SparkEvaluator
    if sdf is not None:
        ev = SparkEvaluator(rs, sdf, period, weight, programmes, line)
    else:
        ev = _Evaluator(rs, data, period, weight, programmes)
    try:
        return _solve(
            rs, ev, period, parameter, budget, poverty_reduction, line, measure, bracket, xtol
        )
    finally:
        ev.close()


def _solve(
    rs: RuleSet,
    ev: _Evaluator | SparkEvaluator,
    period: int | str,
    parameter: str,
    budget: float | None,
    poverty_reduction: float | None,
    line: str | float,
    measure: str,
    bracket: tuple[float, float] | None,
    xtol: float,
) -> Calibration:
    current = float(rs.parameters[parameter].at(period))
    lo, hi = bracket if bracket is not None else (0.0, max(current, 1.0))
    alpha = int(measure[-1])
    if budget is not None:
        target = float(budget)

        def f(x: float) -> float:
            return float(ev.cost({parameter: x})) - target

        label = "cost"
    else:
        start = float(ev.poverty({parameter: lo}, line, alpha))
        target = start - float(poverty_reduction or 0.0)

        def f(x: float) -> float:
            # positive while poverty is still above the target
            return target - float(ev.poverty({parameter: x}, line, alpha))

        label = measure
    f_lo, f_hi = f(lo), f(hi)
    grow = 0
    while bracket is None and np.sign(f_lo) == np.sign(f_hi) and grow < 40:
        lo, hi = hi, hi * 2.0
        f_lo, f_hi = f_hi, f(hi)
        grow += 1
    if np.sign(f_lo) == np.sign(f_hi) and f_lo != 0 and f_hi != 0:
        raise InputError(
            f"the target is not reached for {parameter} between {lo:g} and {hi:g}",
            code="microsim.calibration-unreachable",
            hint="Widen bracket=(low, high), or check that the parameter moves the target "
            "(e.g. a budget above what paying everyone eligible costs cannot be spent).",
        )
    value = float(brentq(f, lo, hi, xtol=xtol)) if f_lo != 0 else lo
    achieved = f(value) + target if budget is not None else target - f(value)
    return Calibration(parameter, value, target, float(achieved), label, xtol, ev.calls)


@dataclass(frozen=True)
class PMTResult:
    """Scores per person and the targeting errors with SEs."""

    scores: Any  # hh_id, score, selected, poor (on Spark, a lazy Spark DataFrame)
    errors: pl.DataFrame  # indicator, estimate, se

    def get(self, indicator: str) -> tuple[float, float]:
        row = self.errors.filter(pl.col("indicator") == indicator).row(0, named=True)
        return float(row["estimate"]), float(row["se"])


def proxy_means_test(
    data: Any,
    formula: str,
    *,
    cutoff: float,
    poor: str = "welfare < poverty_line",
    period: int | str = 2025,
    rules_text: str = "",
    design: Any = None,
    progress: Callable[[str], None] | None = None,
    engine: str = "auto",
    spark: Any = None,
) -> PMTResult:
    """Score households with a PMT ``formula`` (rule language) and measure targeting errors.

    Parameters
    ----------
    formula
        Predicted (log) welfare, e.g. ``"8.1 + 0.4 * (urban == 'urban') - 0.12 * hh_size()"``;
        household functions make it a household score.
    cutoff
        Households scoring below the cut-off are selected.
    poor
        Condition marking the truly poor (rule language).
    rules_text
        Extra YAML (``inputs:``, ``parameters:``) the formula needs.
    engine, spark
        A Spark DataFrame (or a path with ``engine="spark"``, read by Spark; ``spark=`` names
        the session) is scored on Spark: ``scores`` is then a lazy Spark DataFrame (rows in no
        set order) and the errors come from sums per (group, sampling unit).
    """
    import yaml as _yaml

    from socialcover.microsim.estimation import PopulationEstimates
    from socialcover.survey import Design

    say = progress or (lambda _m: None)
    extra = _yaml.safe_load(rules_text) if rules_text else {}
    spec = {
        **(extra or {}),
        "variables": {"pmt_score": {"formula": formula}, "pmt_poor": {"formula": poor}},
        "programmes": {
            "pmt_selected": {"eligibility": f"pmt_score < {float(cutoff)!r}", "amount": 0}
        },
    }
    rules = load_rules(text=_yaml.safe_dump(spec), name="<pmt>")
    from socialcover.microsim.spark_targeting import on_spark, pmt_on_spark

    sdf = on_spark(data, engine, spark)
    if sdf is not None:
        scores, errors = pmt_on_spark(rules, sdf, period, design, say)
        return PMTResult(scores, errors)
    frame = as_frame(data)
    say("scoring households")
    out = run_rules(
        rules,
        frame,
        period,
        outputs=["pmt_score", "pmt_poor", "pmt_selected_eligible"],
        keep=["hh_id"],
        spread=True,
    ).persons
    cols = frame.columns
    if design is None:
        design = Design(
            weights="weight" if "weight" in cols else None,
            strata="strata" if "strata" in cols else None,
            psu="psu" if "psu" in cols else None,
            lonely_psu="adjust",
        )
    say("estimating targeting errors")
    selected = out["pmt_selected_eligible"].cast(pl.Float64).to_numpy()
    is_poor = out["pmt_poor"].cast(pl.Float64).to_numpy()
    est = PopulationEstimates(frame, design)
    parts = [
        est.means({"exclusion_error": is_poor * (1 - selected)}, denominator=is_poor),
        est.means({"inclusion_error": selected * (1 - is_poor)}, denominator=selected),
        est.means({"share_selected": selected, "share_poor": is_poor}),
    ]
    errors = pl.concat(parts).select(indicator="variable", estimate="estimate", se="se")
    scores = pl.DataFrame(
        {
            "hh_id": out["hh_id"],
            "score": out["pmt_score"],
            "selected": out["pmt_selected_eligible"],
            "poor": out["pmt_poor"],
        }
    )
    return PMTResult(scores, errors)
