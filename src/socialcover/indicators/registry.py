"""The indicator registry: look indicators up by their stable dotted codes.

The registry is built once, from the explicit list
:data:`socialcover.indicators.definitions.INDICATORS`, and checked as it is built: codes are
unique and never reused, and every breakdown is one of
:data:`~socialcover.indicators.definitions.DISAGGREGATIONS`.

Indicator arithmetic follows DHIS2 (METHODS.md B5): value = numerator / denominator x factor;
a zero denominator or a missing numerator gives no value with a reason, never 0 or infinity.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from socialcover.errors import NotFoundError
from socialcover.indicators.definitions import DISAGGREGATIONS, INDICATORS, Indicator

__all__ = ["get_indicator", "indicator_codes", "list_indicators"]


def _index(indicators: Iterable[Indicator]) -> dict[str, Indicator]:
    """The indicators by code, after checking codes are unique and breakdowns are known."""
    index: dict[str, Indicator] = {}
    for indicator in indicators:
        if indicator.code in index:
            raise ValueError(f"indicator code {indicator.code!r} is defined twice")
        unknown = set(indicator.disaggregations) - set(DISAGGREGATIONS)
        if unknown:
            raise ValueError(f"{indicator.code}: unknown disaggregations {sorted(unknown)}")
        index[indicator.code] = indicator
    return index


_REGISTRY = _index(INDICATORS)


def list_indicators(prefix: str | None = None) -> list[Indicator]:
    """Every registered indicator (optionally those whose code starts with ``prefix``).

    Examples
    --------
    >>> [i.code for i in list_indicators("targeting.")]
    ['targeting.exclusion_error', 'targeting.inclusion_error']
    """
    return [i for c, i in _REGISTRY.items() if prefix is None or c.startswith(prefix)]


def indicator_codes() -> list[str]:
    """The codes of every registered indicator, in registry order."""
    return list(_REGISTRY)


def get_indicator(code: str) -> Indicator:
    """The indicator with this code.

    Raises
    ------
    NotFoundError
        No such code; the message suggests the nearest codes.
    """
    if code in _REGISTRY:
        return _REGISTRY[code]
    near = difflib.get_close_matches(code, list(_REGISTRY), n=3)
    raise NotFoundError(
        f"No indicator {code!r}.",
        code="indicators.unknown-code",
        hint=("Did you mean " + ", ".join(near) + "? " if near else "")
        + "List them with `socialcover survey indicators --list`.",
    )
