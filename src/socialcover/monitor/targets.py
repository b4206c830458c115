"""Targets: a value an indicator should reach in an area by a year (SDG target 1.3: universal).

A target is a plain frozen value, validated when it is made, so that a bad one (a year before
its baseline, a coverage above 100) fails where it is written and not deep in a progress table.
Its direction is read from its baseline: a target below its baseline value asks for a fall (a
poverty rate), any other for a rise (coverage).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NoReturn

from socialcover.errors import InputError

__all__ = ["Target"]


@dataclass(frozen=True)
class Target:
    """The value an indicator should reach in an area by a year.

    Parameters
    ----------
    indicator
        Dotted indicator code, e.g. ``sdg131.at_least_one_benefit``.
    area
        ISO3 code or group code (``World``).
    value
        The target value, in the indicator's unit (coverage in percent, 0-100).
    year
        The year by which it should be reached.
    baseline_year, baseline_value
        Optional starting point (both or neither); a baseline above ``value`` makes it a target
        to reduce.
    source
        Who set it (e.g. "SDG target 1.3, A/RES/70/1").

    Raises
    ------
    InputError
        ``monitor.bad-target`` with the field at fault.

    Examples
    --------
    >>> Target("sdg131.at_least_one_benefit", "World", 100.0, 2030, source="SDG target 1.3")
    Target(indicator='sdg131.at_least_one_benefit', area='World', value=100.0, year=2030, ...)
    >>> Target("sdg131.at_least_one_benefit", "World", 100.0, 2030, 2031, 40.0)
    Traceback (most recent call last):
    ...
    socialcover.errors.InputError: The baseline year 2031 is not before the target year 2030. ...
    """

    indicator: str
    area: str
    value: float
    year: int
    baseline_year: int | None = None
    baseline_value: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("indicator", "area"):
            text = getattr(self, name)
            if not isinstance(text, str) or not text.strip():
                _bad(name, text, f"A target needs a non-empty {name} code.", "e.g. 'World'.")
        if not _is_number(self.value):
            _bad("value", self.value, f"Target value {self.value!r} is not a finite number.")
        if not isinstance(self.year, int) or isinstance(self.year, bool):
            _bad("year", self.year, f"Target year {self.year!r} is not a whole year.")
        if (self.baseline_year is None) != (self.baseline_value is None):
            _bad(
                "baseline",
                (self.baseline_year, self.baseline_value),
                "A baseline needs both its year and its value.",
                "Pass baseline_year and baseline_value together, or neither.",
            )
        if self.baseline_year is not None and self.baseline_year >= self.year:
            _bad(
                "baseline_year",
                self.baseline_year,
                f"The baseline year {self.baseline_year} is not before the target year "
                f"{self.year}.",
            )
        if self.baseline_value is not None and not _is_number(self.baseline_value):
            _bad("baseline_value", self.baseline_value, "The baseline value is not a number.")
        if self.indicator.startswith("sdg131.") and not 0 <= self.value <= 100:
            _bad(
                "value",
                self.value,
                f"A coverage target of {self.value} is outside 0-100 percent.",
                "Coverage is in percent: universal coverage is 100.",
            )

    @property
    def rising(self) -> bool:
        """Whether the target asks the indicator to rise (no baseline, or one below the value)."""
        return self.baseline_value is None or self.baseline_value <= self.value


def _is_number(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _bad(field: str, got: object, message: str, hint: str = "") -> NoReturn:
    raise InputError(
        message,
        code="monitor.bad-target",
        hint=hint or "See docs/monitor-progress.md, 'Targets'.",
        field=field,
        got=got,
    )
