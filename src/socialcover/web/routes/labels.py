"""Reader-facing names of coverage groups (msgids translated through the catalogues)."""

from __future__ import annotations

from collections.abc import Callable

# The SDG 1.3.1 groups (ILO World Social Protection Report), in the order the ILO lists them.
CONTINGENCIES: dict[str, str] = {
    "at_least_one_benefit": "Population covered by at least one benefit",
    "children": "Children",
    "mothers_with_newborns": "Mothers with newborns",
    "persons_with_severe_disabilities": "Persons with severe disabilities",
    "unemployed": "Unemployed persons",
    "older_persons_pension": "Older persons receiving a pension",
    "vulnerable_social_assistance": "Vulnerable persons covered by social assistance",
    "poor_social_assistance": "Poor persons covered",
    "employment_injury": "Workers protected in case of employment injury",
}


def N_(text: str) -> str:
    """Mark a string for extraction (``pybabel -k N_``) without translating it here."""
    return text


# extraction markers so pybabel finds the labels above
_MARKED = [
    N_("Population covered by at least one benefit"),
    N_("Children"),
    N_("Mothers with newborns"),
    N_("Persons with severe disabilities"),
    N_("Unemployed persons"),
    N_("Older persons receiving a pension"),
    N_("Vulnerable persons covered by social assistance"),
    N_("Poor persons covered"),
    N_("Workers protected in case of employment injury"),
]


def contingency_label(code: str, gettext: Callable[[str], str]) -> str:
    """The translated label of a coverage group code (the code itself when unknown)."""
    text = CONTINGENCIES.get(code)
    return gettext(text) if text else code.replace("_", " ")


def contingency_order(code: str) -> int:
    """Sort key: the ILO's order of groups."""
    keys = list(CONTINGENCIES)
    return keys.index(code) if code in keys else len(keys)
