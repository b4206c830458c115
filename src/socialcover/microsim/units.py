"""Units of rule quantities, checked before anything runs.

A unit is a product of base symbols with integer powers: ``LCU/year`` is LCU¹·year⁻¹,
``LCU/month`` is LCU¹·month⁻¹, ``years`` (an age) is year¹, ``1`` is a pure number (a rate, a
share, a count). Two more kinds are not numbers at all: ``bool`` (a condition) and ``category``
(a text code such as ``sex == "female"``).

Rules: ``+``, ``-``, comparisons, ``min``/``max``/``clip`` and the branches of ``where`` need equal
units; ``*`` and ``/`` combine them; a number literal takes whatever unit its partner has (so
``age >= 65`` and ``max(0, income - 500)`` are fine). Monthly and yearly money do not mix:
``annual(x)`` turns LCU/month into LCU/year (x 12) and ``monthly(x)`` the reverse. The
dimensional-analysis idea is the one of Pint and of OpenFisca's ``unit`` metadata; the checker is
our own [I].
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["ANY", "BOOL", "CATEGORY", "DIMENSIONLESS", "Unit", "parse_unit"]

_ALIASES = {
    "currency": "LCU",
    "lcu": "LCU",
    "yr": "year",
    "years": "year",
    "y": "year",
    "months": "month",
    "mo": "month",
    "persons": "1",
    "person": "1",
    "rate": "1",
    "share": "1",
    "/1": "1",
    "count": "1",
    "number": "1",
    "ratio": "1",
}
_SYMBOL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Unit:
    """A unit: ``kind`` is "number", "bool", "category" or "any" (an untyped literal)."""

    kind: str = "number"
    powers: tuple[tuple[str, int], ...] = field(default=())

    @staticmethod
    def of(powers: dict[str, int]) -> Unit:
        return Unit("number", tuple(sorted((k, v) for k, v in powers.items() if v != 0)))

    @property
    def is_number(self) -> bool:
        return self.kind in ("number", "any")

    def __mul__(self, other: Unit) -> Unit:
        if self.kind == "any" and other.kind == "any":
            return ANY
        a = dict(self.powers) if self.kind == "number" else {}
        for k, v in other.powers if other.kind == "number" else ():
            a[k] = a.get(k, 0) + v
        return Unit.of(a)

    def inverse(self) -> Unit:
        if self.kind == "any":
            return ANY
        return Unit.of({k: -v for k, v in self.powers})

    def __truediv__(self, other: Unit) -> Unit:
        if self.kind == "any" and other.kind == "any":
            return ANY
        return self * other.inverse()

    def replace(self, old: str, new: str) -> Unit:
        a: dict[str, int] = {}
        for k, v in self.powers:
            key = new if k == old else k
            a[key] = a.get(key, 0) + v
        return Unit.of(a)

    def __str__(self) -> str:
        if self.kind != "number":
            return self.kind if self.kind != "any" else "a number"
        if not self.powers:
            return "1"
        num = [k if v == 1 else f"{k}^{v}" for k, v in self.powers if v > 0]
        den = [k if v == -1 else f"{k}^{-v}" for k, v in self.powers if v < 0]
        text = "*".join(num) or "1"
        return text + ("/" + "/".join(den) if den else "")


DIMENSIONLESS = Unit("number", ())
BOOL = Unit("bool", ())
CATEGORY = Unit("category", ())
ANY = Unit("any", ())


def parse_unit(text: object) -> Unit:
    """Parse a unit from a rules file: ``LCU/year``, ``LCU/month``, ``years``, ``1``, ``bool``.

    Raises ``ValueError`` with the accepted forms when the text is not a unit.

    Examples
    --------
    >>> str(parse_unit("LCU/month"))
    'LCU/month'
    >>> str(parse_unit("currency-year"))
    'LCU/year'
    """
    raw = str(text).strip()
    low = raw.lower()
    if low in ("bool", "boolean", "flag"):
        return BOOL
    if low in ("category", "code", "text", "str"):
        return CATEGORY
    # PolicyEngine spells money per period as "currency-year"; accept it too.
    low = low.replace("currency-", "currency/")
    if _ALIASES.get(low) == "1" or low in ("1", ""):
        return DIMENSIONLESS
    parts = low.split("/")
    powers: dict[str, int] = {}
    for i, part in enumerate(parts):
        for sym in part.split("*"):
            sym = sym.strip()
            sym = _ALIASES.get(sym, sym)
            if sym == "1":
                continue
            if not _SYMBOL.match(sym):
                raise ValueError(
                    f"{raw!r} is not a unit; write e.g. LCU/year, LCU/month, years, 1 or bool"
                )
            powers[sym] = powers.get(sym, 0) + (1 if i == 0 else -1)
    return Unit.of(powers)
