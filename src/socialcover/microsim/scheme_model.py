"""What a checked informal-economy scheme is: its numbers and its take-up model.

Kept apart from :mod:`socialcover.microsim.scheme` (reading schemes, running them in memory)
so that the Spark path (:mod:`socialcover.microsim.spark_targeting`), which ``run_scheme``
calls, can name these types without the two modules importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from socialcover.microsim.rules import RuleSet
from socialcover.microsim.source import Node


@dataclass(frozen=True)
class TakeUp:
    """Parameters of the take-up logit (see module docstring)."""

    intercept: float = -1.0
    price_elasticity: float = -0.8
    income_effect: float = 0.3
    transaction_cost: float = 120.0
    ranges: Mapping[str, tuple[float, float]] | None = None


def take_up_probability(
    net_price: np.ndarray[Any, Any], income: np.ndarray[Any, Any], median_income: float, t: TakeUp
) -> np.ndarray[Any, Any]:
    """Probability of joining for each person (vectorised logit).

    Examples
    --------
    >>> p = take_up_probability(np.array([0.0, 500.0, 2000.0]), np.full(3, 10000.0), 10000.0,
    ...                         TakeUp())
    >>> bool(p[0] > p[1] > p[2])
    True
    """
    y = np.maximum(np.asarray(income, np.float64), 1.0)
    price = np.maximum(np.asarray(net_price, np.float64), t.transaction_cost)
    u = (
        t.intercept
        + t.price_elasticity * np.log(price / y)
        + t.income_effect * np.log(y / max(median_income, 1.0))
    )
    out: np.ndarray[Any, Any] = 1.0 / (1.0 + np.exp(-u))
    return out


@dataclass(frozen=True)
class Scheme:
    """A checked scheme: its rules (for the expressions) and its numbers."""

    name: str
    rules: RuleSet
    groups: tuple[str, ...]
    rate: float
    subsidy: dict[str, float | str]
    benefits: tuple[tuple[str, float, bool], ...]
    take_up: TakeUp
    period: str
    source: Node
