"""The standard concepts every mapped survey is expressed in.

A mapping (:mod:`.mapping`) says which of a survey's own variables and codes carry each concept;
:func:`~socialcover.survey.io.apply_mapping` then produces a frame with one column per
concept, in the types and categories below, so that indicators are written once for all surveys.

Informal employment follows the ILO operational rules of the 17th ICLS guidelines (2003) as
revised by the 21st ICLS resolution (2023), in a simplified form (ILO, *Measuring informality:
a statistical manual on the informal sector and informal employment*, 2013, ch. 3):

- an **employee** is informal when the employer does not contribute to social security on the
  employee's behalf;
- an **own-account worker**, an **employer** or a **member of a producers' cooperative** is
  informal when the economic unit is informal (here: not registered);
- a **contributing family worker** is always informal.

The full standards also use paid annual and sick leave for employees whose contributions are
not known, and the unit's legal form, bookkeeping and market orientation for the self-employed;
a mapping that has those can give an ``informal`` variable directly instead of the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BENEFIT_TYPES",
    "CONCEPTS",
    "CONTRIBUTORY_BY_DEFAULT",
    "DESIGN_CONCEPTS",
    "Concept",
]

Kind = Literal["id", "number", "category", "flag"]


@dataclass(frozen=True)
class Concept:
    """One standard concept: its column name, kind, allowed categories and meaning."""

    name: str
    kind: Kind
    description: str
    categories: tuple[str, ...] = ()


BENEFIT_TYPES: tuple[str, ...] = (
    "child",
    "maternity",
    "disability",
    "unemployment",
    "old_age",
    "social_assistance",
    "employment_injury",
)

# Benefit types counted as contributory (social insurance) unless the mapping says otherwise;
# used to find the "vulnerable" population of SDG 1.3.1 series 8 [I: our default].
CONTRIBUTORY_BY_DEFAULT = frozenset(
    {"maternity", "disability", "unemployment", "old_age", "employment_injury"}
)

DESIGN_CONCEPTS: tuple[Concept, ...] = (
    Concept("weight", "number", "Survey weight (persons represented by the row)."),
    Concept("strata", "id", "Design stratum."),
    Concept("psu", "id", "Primary sampling unit (cluster, enumeration area)."),
    Concept("fpc", "number", "Finite population correction: PSUs in the stratum population."),
)

CONCEPTS: tuple[Concept, ...] = (
    Concept("hh_id", "id", "Household identifier."),
    Concept("person_id", "id", "Person identifier."),
    Concept("age", "number", "Age in completed years."),
    Concept("sex", "category", "Sex.", ("male", "female")),
    Concept("urban", "category", "Area of residence.", ("urban", "rural")),
    Concept("region", "id", "Region or province (free labels)."),
    Concept(
        "labour_status",
        "category",
        "Labour-force status (ILO, 19th ICLS); null below working age.",
        ("employed", "unemployed", "inactive"),
    ),
    Concept(
        "status_in_employment",
        "category",
        "Status in employment (ICSE-93) of the employed.",
        ("employee", "employer", "own_account", "cooperative_member", "contributing_family"),
    ),
    Concept(
        "informal", "flag", "1 when the job is informal (ILO rules above); null if not employed."
    ),
    Concept("contributes", "flag", "1 when actively contributing to a social security scheme."),
    Concept("disabled", "flag", "1 for a person with a severe disability."),
    Concept("gave_birth", "flag", "1 for a woman who gave birth in the reference year."),
    Concept(
        "welfare", "number", "Welfare aggregate per capita (or per adult equivalent) per year."
    ),
    Concept(
        "welfare_scale",
        "number",
        "Divisor turning household money into the welfare unit: household size (per capita, "
        "the default) or the equivalence scale.",
    ),
    Concept("poverty_line", "number", "Poverty line in the welfare unit, per year."),
)

BY_NAME: dict[str, Concept] = {c.name: c for c in (*DESIGN_CONCEPTS, *CONCEPTS)}
