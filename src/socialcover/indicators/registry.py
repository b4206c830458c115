"""The indicator registry: stable dotted codes, each with its definition and source.

An :class:`Indicator` says what is counted (numerator), over what (denominator), in which unit,
after which methodology, which concepts it needs and by which groups it may be broken down.
How it is computed from microdata is named by ``numerator_var``/``denominator_var`` (columns
built by :mod:`socialcover.indicators.variables`) or by ``kind`` for the Gini reduction.

Indicator arithmetic follows DHIS2 (METHODS.md B5): value = numerator / denominator x factor;
a zero denominator or a missing numerator gives no value with a reason, never 0 or infinity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from socialcover.errors import NotFoundError

__all__ = [
    "DISAGGREGATIONS",
    "Indicator",
    "get_indicator",
    "indicator_codes",
    "list_indicators",
    "register",
]

Unit = Literal["percent", "ratio"]
Kind = Literal["ratio", "gini_reduction"]

DISAGGREGATIONS: dict[str, str] = {
    "sex": "Sex (male, female).",
    "age_band": "Age band: 0-14, 15-24, 25-54, 55-64, 65+.",
    "urban": "Area of residence (urban, rural).",
    "quintile": "Welfare quintile of persons (Q1 poorest to Q5 richest), weighted.",
    "labour_status": "Labour-force status (employed, unemployed, inactive), persons of working "
    "age and above.",
    "formality": "Formal or informal employment (ILO rules), employed persons.",
}

ALL_GROUPS = tuple(DISAGGREGATIONS)
PERSON_GROUPS = ("sex", "age_band", "urban", "quintile", "labour_status", "formality")


@dataclass(frozen=True)
class Indicator:
    """One indicator of the registry."""

    code: str
    name: str
    numerator: str
    denominator: str
    unit: Unit
    source: str
    requires: tuple[str, ...]
    disaggregations: tuple[str, ...]
    kind: Kind = "ratio"
    numerator_var: str = ""
    denominator_var: str = ""
    categories: tuple[str, ...] = ()  # e.g. quintiles for incidence (numerator per category)
    evidence: str = "V"  # METHODS.md tags: V read in a source, R recalled, I our construction
    note: str = ""

    @property
    def factor(self) -> float:
        """Multiplier of numerator / denominator (100 for percentages, as in DHIS2)."""
        return 100.0 if self.unit == "percent" else 1.0

    def to_dict(self) -> dict[str, object]:
        """The definition as JSON-ready data (for docs, the CLI and the API)."""
        return {
            "code": self.code,
            "name": self.name,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "unit": self.unit,
            "source": self.source,
            "evidence": self.evidence,
            "requires": list(self.requires),
            "disaggregations": list(self.disaggregations),
            "categories": list(self.categories),
            "note": self.note,
        }


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add an indicator; codes are unique and never reused."""
    if indicator.code in _REGISTRY:
        raise ValueError(f"indicator code {indicator.code!r} is registered twice")
    unknown = set(indicator.disaggregations) - set(DISAGGREGATIONS)
    if unknown:
        raise ValueError(f"{indicator.code}: unknown disaggregations {sorted(unknown)}")
    _REGISTRY[indicator.code] = indicator
    return indicator


def _ensure_loaded() -> None:
    if not _REGISTRY:
        from socialcover.indicators import definitions  # noqa: F401 - registers on import


def list_indicators(prefix: str | None = None) -> list[Indicator]:
    """Every registered indicator (optionally those whose code starts with ``prefix``).

    Examples
    --------
    >>> [i.code for i in list_indicators("targeting.")]
    ['targeting.exclusion_error', 'targeting.inclusion_error']
    """
    _ensure_loaded()
    return [i for c, i in _REGISTRY.items() if prefix is None or c.startswith(prefix)]


def indicator_codes() -> list[str]:
    """The codes of every registered indicator, in registry order."""
    return [i.code for i in list_indicators()]


def get_indicator(code: str) -> Indicator:
    """The indicator with this code.

    Raises
    ------
    NotFoundError
        No such code; the message suggests the nearest codes.
    """
    _ensure_loaded()
    if code in _REGISTRY:
        return _REGISTRY[code]
    import difflib

    near = difflib.get_close_matches(code, list(_REGISTRY), n=3)
    raise NotFoundError(
        f"No indicator {code!r}.",
        code="indicators.unknown-code",
        hint=("Did you mean " + ", ".join(near) + "? " if near else "")
        + "List them with `socialcover survey indicators --list`.",
    )
