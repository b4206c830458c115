"""What an indicator is, and the ones socialcover defines: SDG 1.3.1 coverage, ASPIRE survey
indicators, targeting errors.

An :class:`Indicator` says what is counted (numerator), over what (denominator), in which unit,
after which methodology, which concepts it needs and by which groups it may be broken down.
How it is computed from microdata is named by ``numerator_var``/``denominator_var`` (columns
built by :mod:`socialcover.indicators.variables`) or by ``kind`` for the Gini reduction.
:data:`INDICATORS` lists them all, in the order tables show them; the registry
(:mod:`socialcover.indicators.registry`) is built from that list.

Sources (METHODS.md B1 and B3):

- **SDG 1.3.1** effective coverage, ILO custodian: UN SDG metadata for indicator 1.3.1,
  sections 4.c-4.g, and the ILO World Social Protection Report. Coverage counts persons
  receiving a cash benefit (contributory or not) or actively contributing, over the group's
  reference population. From a survey, series 3 (mothers with newborns) uses women who gave
  birth in the survey year and series 4 persons reported as severely disabled, instead of the
  WPP fertility and WHO prevalence denominators used for administrative data [I].
- **ASPIRE** (World Bank Atlas of Social Protection: Indicators of Resilience and Equity),
  datatopics.worldbank.org/aspire/documentation: coverage counts direct and indirect
  beneficiaries (everyone in a household where a member receives); incidence, adequacy,
  poverty and inequality reductions with pre-transfer welfare = post-transfer welfare minus
  transfers; ADePT SP (World Bank) produces the same tables.
- **Targeting errors**: exclusion error = share of the target group (the pre-transfer poor)
  not reached; inclusion error = share of beneficiaries outside it (Coady, Grosh and
  Hoddinott 2004, *Targeting of Transfers in Developing Countries*, ch. 2) [R].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from socialcover.survey.io import BENEFIT_TYPES

__all__ = ["DISAGGREGATIONS", "INDICATORS", "QUINTILES", "Indicator"]

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


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it counts, over what, and from which analysis variables."""

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
    proportion: bool = False
    """The numerator is part of the denominator (a share of persons or of transfers): the value
    lies in [0, 100] % and so does its interval (logit scale, R's ``svyciprop``)."""

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
            "proportion": self.proportion,
        }


SDG = "UN SDG indicator 1.3.1 metadata (ILO), sec. 4.c-4.g; ILO World Social Protection Report"
ASPIRE = "World Bank ASPIRE documentation (datatopics.worldbank.org/aspire); ADePT SP"
TARGETING = "Coady, Grosh and Hoddinott (2004), Targeting of Transfers, ch. 2"
QUINTILES = ("Q1", "Q2", "Q3", "Q4", "Q5")
ALL = ("sex", "age_band", "urban", "quintile", "labour_status", "formality")


def _sdg(
    code: str,
    name: str,
    numerator: str,
    denominator: str,
    requires: tuple[str, ...],
    disaggregations: tuple[str, ...],
    *,
    evidence: str = "V",
    note: str = "",
) -> Indicator:
    return Indicator(
        code=f"coverage.{code}",
        name=name,
        numerator=numerator,
        denominator=denominator,
        unit="percent",
        source=SDG,
        requires=requires,
        disaggregations=disaggregations,
        numerator_var=f"y_coverage_{code}",
        denominator_var=f"x_coverage_{code}",
        evidence=evidence,
        note=note,
        proportion=True,
    )


def _aspire_coverage(benefit: str) -> Indicator:
    label = "any programme" if benefit == "any" else benefit.replace("_", " ") + " benefits"
    return Indicator(
        code=f"aspire.coverage.{benefit}",
        name=f"Coverage of {label} (direct and indirect beneficiaries)",
        numerator=f"Persons living in a household where at least one member receives {label}",
        denominator="Persons in the group",
        unit="percent",
        source=ASPIRE,
        requires=("hh_id", "benefits" if benefit == "any" else f"receives_{benefit}"),
        disaggregations=ALL,
        numerator_var=f"hh_receives_{benefit}",
        denominator_var="one",
        proportion=True,
    )


INDICATORS: tuple[Indicator, ...] = (
    _sdg(
        "at_least_one",
        "Population covered by at least one social protection benefit (SDG 1.3.1)",
        "Persons receiving at least one cash benefit or actively contributing",
        "Total population",
        ("benefits",),
        ALL,
        note="Household benefits count for every member of the household.",
    ),
    _sdg(
        "children",
        "Children receiving child or family cash benefits",
        "Children (0 to child_age_max) in a household receiving a child or family benefit",
        "Children (0 to child_age_max)",
        ("age", "receives_child"),
        ("sex", "urban", "quintile"),
    ),
    _sdg(
        "maternity",
        "Mothers with newborns receiving maternity cash benefits",
        "Women who gave birth in the reference year and receive a maternity cash benefit",
        "Women who gave birth in the reference year",
        ("gave_birth", "receives_maternity"),
        ("age_band", "urban", "quintile", "labour_status", "formality"),
        evidence="I",
        note="Survey denominator (births reported) instead of WPP fertility rates.",
    ),
    _sdg(
        "older_persons",
        "Persons above pensionable age receiving an old-age pension",
        "Persons aged pensionable_age or more receiving an old-age pension (contributory or not)",
        "Persons aged pensionable_age or more",
        ("age", "receives_old_age"),
        ("sex", "urban", "quintile", "labour_status"),
    ),
    _sdg(
        "disability",
        "Persons with severe disabilities receiving disability cash benefits",
        "Persons with severe disabilities receiving a disability cash benefit",
        "Persons with severe disabilities (as reported in the survey)",
        ("disabled", "receives_disability"),
        ("sex", "age_band", "urban", "quintile"),
        evidence="I",
        note="Survey denominator instead of the WHO prevalence ratio.",
    ),
    _sdg(
        "unemployed",
        "Unemployed persons receiving unemployment cash benefits",
        "Unemployed persons receiving an unemployment cash benefit",
        "Unemployed persons",
        ("labour_status", "receives_unemployment"),
        ("sex", "age_band", "urban", "quintile"),
    ),
    _sdg(
        "employment_injury",
        "Employed persons protected in case of employment injury",
        "Employed persons contributing to social insurance or receiving an employment-injury "
        "benefit",
        "Employed persons",
        ("labour_status", "contributes"),
        ("sex", "age_band", "urban", "quintile", "formality"),
        evidence="I",
        note="Contributing to social insurance is used as the proxy of injury protection.",
    ),
    _sdg(
        "vulnerable",
        "Vulnerable persons receiving social assistance",
        "Vulnerable persons receiving social assistance cash benefits",
        "Children, plus adults not contributing and not receiving contributory benefits, plus "
        "persons above pensionable age not receiving contributory benefits",
        ("age", "receives_social_assistance"),
        ("sex", "age_band", "urban", "quintile"),
    ),
    _sdg(
        "poor",
        "Poor persons receiving social assistance",
        "Persons below the poverty line receiving social assistance cash benefits",
        "Persons below the poverty line",
        ("welfare", "poverty_line", "receives_social_assistance"),
        ("sex", "age_band", "urban"),
    ),
    _sdg(
        "contributors_employed",
        "Employed persons contributing to social security",
        "Employed persons actively contributing to a social security scheme",
        "Employed persons",
        ("labour_status", "contributes"),
        ("sex", "age_band", "urban", "quintile", "formality"),
        evidence="I",
    ),
    _sdg(
        "contributors_working_age",
        "Working-age persons contributing to social security",
        "Persons of working age actively contributing to a social security scheme",
        "Persons of working age (parameters.working_age, 15-64 by default)",
        ("age", "contributes"),
        ("sex", "age_band", "urban", "quintile", "labour_status"),
        evidence="R",
        note="Active contributors as a share of the working-age population (ILO WSPR).",
    ),
    _sdg(
        "contributors_informal",
        "Informally employed persons contributing to social security",
        "Persons in informal employment actively contributing to a social security scheme",
        "Persons in informal employment (ILO rules)",
        ("labour_status", "informal", "contributes"),
        ("sex", "age_band", "urban", "quintile"),
        evidence="I",
    ),
    *(_aspire_coverage(b) for b in (*BENEFIT_TYPES, "any")),
    Indicator(
        code="aspire.beneficiary_incidence",
        name="Beneficiary incidence by welfare quintile",
        numerator="Persons in beneficiary households in the quintile",
        denominator="Persons in beneficiary households",
        unit="percent",
        source=ASPIRE,
        requires=("hh_id", "benefits", "welfare"),
        disaggregations=("sex", "urban"),
        numerator_var="hh_receives_any",
        denominator_var="hh_receives_any",
        categories=QUINTILES,
        proportion=True,
    ),
    Indicator(
        code="aspire.benefit_incidence",
        name="Benefit incidence by welfare quintile",
        numerator="Transfers received by persons in the quintile",
        denominator="All transfers",
        unit="percent",
        source=ASPIRE,
        requires=("hh_id", "amounts", "welfare"),
        disaggregations=("sex", "urban"),
        numerator_var="transfer_person",
        denominator_var="transfer_person",
        categories=QUINTILES,
        evidence="R",
        proportion=True,
    ),
    Indicator(
        code="aspire.adequacy",
        name="Adequacy of benefits",
        numerator="Transfers received by beneficiary households (per welfare unit)",
        denominator="Welfare of beneficiary households (per welfare unit)",
        unit="percent",
        source=ASPIRE,
        requires=("hh_id", "amounts", "welfare"),
        disaggregations=("sex", "age_band", "urban", "quintile"),
        numerator_var="y_adequacy",
        denominator_var="x_adequacy",
    ),
    Indicator(
        code="aspire.poverty_headcount_reduction",
        name="Reduction in the poverty headcount due to transfers",
        numerator="Pre-transfer poor minus post-transfer poor",
        denominator="Pre-transfer poor",
        unit="percent",
        source=ASPIRE,
        requires=("hh_id", "amounts", "welfare", "poverty_line"),
        disaggregations=("sex", "age_band", "urban"),
        numerator_var="y_headcount_reduction",
        denominator_var="poor_pre",
        evidence="I",
    ),
    Indicator(
        code="aspire.poverty_gap_reduction",
        name="Reduction in the poverty gap due to transfers",
        numerator="Pre-transfer poverty gap minus post-transfer poverty gap",
        denominator="Pre-transfer poverty gap",
        unit="percent",
        source=ASPIRE,
        requires=("hh_id", "amounts", "welfare", "poverty_line"),
        disaggregations=("sex", "age_band", "urban"),
        numerator_var="y_gap_reduction",
        denominator_var="gap_pre",
    ),
    Indicator(
        code="aspire.gini_reduction",
        name="Reduction in the Gini index due to transfers",
        numerator="Pre-transfer Gini minus post-transfer Gini",
        denominator="Pre-transfer Gini",
        unit="percent",
        source=ASPIRE,
        requires=("hh_id", "amounts", "welfare"),
        disaggregations=("sex", "urban"),
        kind="gini_reduction",
        evidence="I",
    ),
    Indicator(
        code="aspire.benefit_cost_ratio",
        name="Benefit-cost ratio: poverty gap reduction per unit of currency spent",
        numerator="Reduction of the total poverty gap (money)",
        denominator="Total transfers (money)",
        unit="ratio",
        source=ASPIRE,
        requires=("hh_id", "amounts", "welfare", "poverty_line"),
        disaggregations=("sex", "urban"),
        numerator_var="y_bcr",
        denominator_var="transfer_person",
        evidence="R",
    ),
    Indicator(
        code="targeting.exclusion_error",
        name="Exclusion error of social assistance",
        numerator="Pre-transfer poor persons in households not receiving social assistance",
        denominator="Pre-transfer poor persons",
        unit="percent",
        source=TARGETING,
        requires=("hh_id", "amounts", "welfare", "poverty_line", "receives_social_assistance"),
        disaggregations=("sex", "age_band", "urban"),
        numerator_var="y_exclusion",
        denominator_var="poor_pre",
        evidence="R",
        proportion=True,
    ),
    Indicator(
        code="targeting.inclusion_error",
        name="Inclusion error of social assistance",
        numerator="Persons in households receiving social assistance who are not pre-transfer poor",
        denominator="Persons in households receiving social assistance",
        unit="percent",
        source=TARGETING,
        requires=("hh_id", "amounts", "welfare", "poverty_line", "receives_social_assistance"),
        disaggregations=("sex", "age_band", "urban"),
        numerator_var="y_inclusion",
        denominator_var="hh_receives_social_assistance",
        evidence="R",
        proportion=True,
    ),
)
"""Every indicator socialcover defines, in the order tables show them."""
