"""The monitoring registry: every indicator the campaign follows, by its stable dotted code.

:data:`INDICATORS` is the explicit list: the SDG 1.3.1 family as the ILO publishes it
(``sdg131.*``, the contingencies of :data:`socialcover.data.CONTINGENCIES`), social protection
expenditure (defined; the data pack has no series, so it is filled by import only), the
indicators the survey engine computes (their :mod:`socialcover.indicators` codes, unchanged)
and the costing results (cost of the universal package, financing gap), and the campaign's
own process indicators (``process.*``, :data:`PROCESS_INDICATORS`), counted from the
platform's records by :mod:`socialcover.monitor.process`. Each definition says
what is counted over what, the population that weights it in regional and world aggregates
(:class:`Weight`), its unit and bounds, where its values come from, and the metadata page.

Sources: SDG 1.3.1 definitions from the UN SDG metadata for indicator 1.3.1 (ILO custodian),
sections 4.c-4.g, and the aggregation rule ("weighted averages of national indicators with
weights equal to the denominators"), both as read in METHODS.md B1.1. Where the pack has no
series for a denominator, the weight says which series stands in for it.

Examples
--------
>>> get_indicator("sdg131.children").weight.age_band
'0-14'
>>> try:
...     get_indicator("sdg131.childen")
... except KeyError as err:
...     print(err.code, "|", err.hint)
monitor.unknown-indicator | Did you mean sdg131.children? List them with ...
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from socialcover.data.coverage import CONTINGENCIES
from socialcover.errors import NotFoundError
from socialcover.indicators import Indicator
from socialcover.indicators import list_indicators as _survey_indicators

__all__ = [
    "INDICATORS",
    "PROCESS_INDICATORS",
    "IndicatorDefinition",
    "Weight",
    "get_indicator",
    "indicator_codes",
    "list_indicators",
]

WeightSeries = Literal["population", "births", "gdp_usd"]


@dataclass(frozen=True)
class Weight:
    """The population (or GDP) that weights an indicator in aggregates over countries.

    Attributes
    ----------
    series
        ``population`` (UN WPP, :func:`socialcover.data.population`), ``births`` (WPP births,
        :func:`socialcover.data.births`) or ``gdp_usd`` (:func:`socialcover.data.macro`).
    age_band
        The WPP age band of ``population`` (``"0-14"``, ``"65+"``); ``None`` for all ages.
    note
        The true denominator, and why this series stands in for it when it is not the same.
    """

    series: WeightSeries
    age_band: str | None = None
    note: str = ""


_TOTAL = Weight("population", None, "Total population (WPP).")


@dataclass(frozen=True)
class IndicatorDefinition:
    """One indicator the campaign follows: what it is, how it weighs, where its values come from.

    Attributes
    ----------
    code
        Stable dotted code (``sdg131.children``); never reused for another meaning.
    name, definition
        Short title, and the definition a reader needs.
    numerator, denominator
        What is counted, over what (value = numerator / denominator x 100 for percentages).
    weight
        The population that weights it in aggregates; ``None``: not aggregated over countries.
    unit
        ``percent`` (0-100 of the denominator), ``percent_of_gdp``, ``ratio`` or ``count``.
    bounds
        The range a valid value lies in (``None``: open); observations outside are refused.
    disaggregations
        The breakdowns the source publishes (``sex``, ``age_band``, ``urban``...).
    methodology
        The source methodology, with its reference.
    origin
        Where the store's values come from: the data pack, import, the survey engine, costing.
    metadata
        Further fields of the metadata page (custodian, source codes, references).
    sex
        The sex the source publishes the indicator for: ``both``, or ``female`` for an
        indicator of women only (ILOSTAT's maternity series); aggregates use these rows.
    """

    code: str
    name: str
    definition: str
    numerator: str
    denominator: str
    weight: Weight | None
    unit: str
    bounds: tuple[float | None, float | None]
    disaggregations: tuple[str, ...]
    methodology: str
    origin: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    sex: str = "both"

    def to_dict(self) -> dict[str, object]:
        """The definition as JSON-ready data (for the metadata page, the CLI and the API)."""
        return {
            "code": self.code,
            "name": self.name,
            "definition": self.definition,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "weight": None
            if self.weight is None
            else {
                "series": self.weight.series,
                "age_band": self.weight.age_band,
                "note": self.weight.note,
            },
            "unit": self.unit,
            "bounds": list(self.bounds),
            "disaggregations": list(self.disaggregations),
            "methodology": self.methodology,
            "origin": self.origin,
            "metadata": dict(self.metadata),
            "sex": self.sex,
        }


_SDG_METHOD = (
    "UN SDG metadata for indicator 1.3.1 (ILO custodian), sec. 4.c-4.g: effective coverage, "
    "persons receiving a cash benefit (contributory or not) or actively contributing, over the "
    "group's reference population; ILO World Social Protection Report (METHODS.md B1.1)."
)
_PACK_ORIGIN = (
    "Data pack: socialcover.data.coverage (ILOSTAT SDG_0131_SEX_SOC_RT, filled in by the UN SDG "
    "Global Database 2020), imported by socialcover.monitor.load_pack_series; also imports."
)
_WORKING_AGE = (
    "{who}. WPP has no series of them (the pack's WDI labour force is not in socialcover.data's "
    "API), so the working-age population 15-64 stands in."
)

# contingency -> (name, numerator, denominator, weight, upper bound)
_SDG: dict[str, tuple[str, str, str, Weight, float | None]] = {
    "at_least_one_benefit": (
        "Population covered by at least one social protection benefit",
        "Persons receiving at least one contributory or non-contributory cash benefit, or "
        "actively contributing to at least one social security scheme",
        "Total population",
        _TOTAL,
        100.0,
    ),
    "children": (
        "Children receiving child or family cash benefits",
        "Children (or households) receiving child or family cash benefits",
        "All children (or households with children)",
        Weight(
            "population",
            "0-14",
            "Children; national child age limits vary, WPP children aged 0-14 stand in.",
        ),
        100.0,
    ),
    "mothers_with_newborns": (
        "Mothers with newborns receiving maternity cash benefits",
        "Women receiving maternity cash benefits",
        "Women giving birth in the same year",
        Weight(
            "births",
            None,
            "Women giving birth, estimated from WPP age-specific fertility rates as the SDG "
            "metadata does (twins and triplets not corrected).",
        ),
        100.0,
    ),
    "persons_with_severe_disabilities": (
        "Persons with severe disabilities receiving disability cash benefits",
        "Recipients of disability cash benefits",
        "Persons with severe disabilities (WHO prevalence ratio x population)",
        Weight(
            "population",
            None,
            "Persons with severe disabilities = WHO prevalence x population; the pack has no "
            "prevalence, so total population stands in (exact if prevalence is equal across "
            "the countries aggregated).",
        ),
        100.0,
    ),
    "unemployed": (
        "Unemployed persons receiving unemployment cash benefits",
        "Recipients of unemployment cash benefits",
        "Unemployed persons",
        Weight("population", "15-64", _WORKING_AGE.format(who="Unemployed persons")),
        100.0,
    ),
    "older_persons_pension": (
        "Persons above statutory pensionable age receiving an old-age pension",
        "Persons above statutory pensionable age receiving an old-age pension, contributory or not",
        "Persons above statutory pensionable age",
        Weight(
            "population",
            "65+",
            "Persons above statutory pensionable age; national ages vary, WPP 65+ stands in.",
        ),
        100.0,
    ),
    "vulnerable_social_assistance": (
        "Vulnerable persons receiving social assistance cash benefits",
        "Recipients of social assistance cash benefits",
        "Vulnerable persons: all children, adults not covered by contributory benefits and "
        "persons above pensionable age not receiving contributory benefits",
        Weight(
            "population",
            None,
            "Vulnerable persons; no series of them exists, total population stands in.",
        ),
        100.0,
    ),
    "poor_social_assistance": (
        "Poor persons receiving social assistance cash benefits",
        "Recipients of social assistance cash benefits",
        "Population below the national poverty line",
        Weight(
            "population",
            None,
            "Persons below the national poverty line; total population stands in (the pack's "
            "poverty headcounts use international lines, not national ones).",
        ),
        None,  # recipients over the poor: above 100 in the source (SOURCES.md, URY 2019)
    ),
    "employment_injury": (
        "Employed persons protected in case of employment injury",
        "Workers protected by employment-injury insurance",
        "Total employment (or the labour force)",
        Weight("population", "15-64", _WORKING_AGE.format(who="Employed persons")),
        100.0,
    ),
}


def _sdg131(contingency: str) -> IndicatorDefinition:
    name, numerator, denominator, weight, upper = _SDG[contingency]
    ilostat, unsd = CONTINGENCIES[contingency]
    return IndicatorDefinition(
        code=f"sdg131.{contingency}",
        name=name,
        definition=f"{numerator}, as a percentage of: {denominator.lower()} (SDG 1.3.1).",
        numerator=numerator,
        denominator=denominator,
        weight=weight,
        unit="percent",
        bounds=(0.0, upper),
        disaggregations=("sex",),
        methodology=_SDG_METHOD,
        origin=_PACK_ORIGIN,
        metadata={
            "sdg_indicator": "1.3.1",
            "custodian": "ILO",
            "ilostat_indicator": "SDG_0131_SEX_SOC_RT",
            "ilostat_classif1": ilostat,
            "unsd_series": unsd,
        },
        sex="female" if contingency == "mothers_with_newborns" else "both",
    )


def _survey(indicator: Indicator) -> IndicatorDefinition:
    counterpart = {
        "coverage.at_least_one": "sdg131.at_least_one_benefit",
        "coverage.children": "sdg131.children",
        "coverage.maternity": "sdg131.mothers_with_newborns",
        "coverage.older_persons": "sdg131.older_persons_pension",
        "coverage.disability": "sdg131.persons_with_severe_disabilities",
        "coverage.unemployed": "sdg131.unemployed",
        "coverage.employment_injury": "sdg131.employment_injury",
        "coverage.vulnerable": "sdg131.vulnerable_social_assistance",
        "coverage.poor": "sdg131.poor_social_assistance",
    }.get(indicator.code)
    coverage = indicator.code.startswith(("coverage.", "aspire.coverage."))
    weight = None
    if counterpart is not None:
        weight = _SDG[counterpart.removeprefix("sdg131.")][3]
    elif coverage:
        weight = _TOTAL
    metadata = {"evidence": indicator.evidence, "requires": ", ".join(indicator.requires)}
    if counterpart:
        metadata["published_counterpart"] = counterpart
    if indicator.note:
        metadata["note"] = indicator.note
    return IndicatorDefinition(
        code=indicator.code,
        name=indicator.name,
        definition=f"{indicator.numerator}, over: {indicator.denominator.lower()}.",
        numerator=indicator.numerator,
        denominator=indicator.denominator,
        weight=weight,
        unit=indicator.unit,
        bounds=(0.0, 100.0) if coverage else (None, None),
        disaggregations=indicator.disaggregations,
        methodology=indicator.source,
        origin=(
            "Survey engine: socialcover.indicators.compute_indicators on a survey, published "
            f"as survey_estimate observations with their standard errors (code {indicator.code})."
        ),
        metadata=metadata,
    )


_GDP = Weight("gdp_usd", None, "GDP in US$: the aggregate is total amount over total GDP.")
_COSTING_METHOD = (
    "ILO Rapid Assessment Protocol and the SPF costing of ESS 58 (METHODS.md B2); docs/costing.md."
)

_PROCESS_METHOD = (
    "Counted by `socialcover monitor refresh-process` from the platform's own records, never "
    "typed (docs/monitor-process.md); the campaign as a whole, area World."
)


def _process(
    code: str, name: str, definition: str, numerator: str, origin: str, sex: bool = False
) -> IndicatorDefinition:
    return IndicatorDefinition(
        code=f"process.{code}",
        name=name,
        definition=definition,
        numerator=numerator,
        denominator="None: a count",
        weight=None,
        unit="count",
        bounds=(0.0, None),
        disaggregations=("sex",) if sex else (),
        methodology=_PROCESS_METHOD,
        origin=origin,
        metadata={"kind": "process indicator of the campaign"},
    )


_ENGAGEMENTS = "the store's country engagement records"
_TRAINING = "the store's training records (participants by sex and constituent)"

PROCESS_INDICATORS: tuple[IndicatorDefinition, ...] = (
    _process(
        "countries_diagnosis_completed",
        "Countries with a completed diagnosis",
        "Number of countries whose engagement had completed its diagnosis (assessment matrix "
        "and capacity diagnostic) by the end of the year.",
        "Countries with a completed diagnosis by 31 December",
        f"Computed from {_ENGAGEMENTS}: the date each diagnosis was completed.",
    ),
    _process(
        "countries_costed_options",
        "Countries with a costed set of options",
        "Number of countries whose engagement had a costed set of policy options by the end of "
        "the year.",
        "Countries with costed options by 31 December",
        f"Computed from {_ENGAGEMENTS}: the date the options were costed.",
    ),
    _process(
        "countries_strategy_endorsed",
        "Countries with an endorsed national strategy",
        "Number of countries whose national strategy had been endorsed by government, "
        "employers and workers by the end of the year.",
        "Countries with an endorsed strategy by 31 December",
        f"Computed from {_ENGAGEMENTS}: the date of the endorsement.",
    ),
    _process(
        "people_trained",
        "People trained",
        "Number of participants of the campaign's training held in the year, by sex.",
        "Participants of training held in the year",
        f"Computed from {_TRAINING}.",
        sex=True,
    ),
    *(
        _process(
            f"people_trained.{constituent}",
            f"People trained: {label}",
            f"Number of participants of the campaign's training held in the year who belong to "
            f"{label}, by sex.",
            f"Participants from {label} of training held in the year",
            f"Computed from {_TRAINING}.",
            sex=True,
        )
        for constituent, label in (
            ("government", "governments"),
            ("employers", "employers' organisations"),
            ("workers", "workers' organisations"),
            ("other", "other organisations"),
        )
    ),
    _process(
        "events_held",
        "Events held",
        "Number of the campaign's events (seminars, meetings, workshops) held in the year.",
        "Events whose date falls in the year",
        "Computed from the store's event records.",
    ),
    _process(
        "publication_downloads",
        "Publications downloaded",
        "Number of downloads of the campaign's publications in the year (to the month of the "
        "count for the current year).",
        "Downloads of the library's publication files in the year",
        "Computed from the publication library's monthly download counters.",
    ),
    _process(
        "practices_published",
        "Practices documented",
        "Number of practices (good, bad or mixed) published in the practice library in the year.",
        "Practices whose first publication falls in the year",
        "Computed from the practice library: the date each practice was published.",
    ),
    _process(
        "evaluations_completed",
        "Evaluations completed",
        "Number of published evaluations (of programmes, country engagements, practices or the "
        "campaign) that ended in the year.",
        "Published evaluations whose end date falls in the year",
        "Computed from the register of evaluations: each evaluation's end date.",
    ),
)
"""The campaign's own process indicators, computed from the platform's records."""

_GUARANTEE_SPENDING = (
    ("children", "Public expenditure on child and family cash benefits, % of GDP",
     "child and family cash benefits"),
    ("maternity", "Public expenditure on maternity cash benefits, % of GDP",
     "maternity cash benefits"),
    ("disability", "Public expenditure on disability cash benefits, % of GDP",
     "disability cash benefits"),
    ("old_age", "Public expenditure on old-age pensions, % of GDP", "old-age pensions"),
)  # fmt: skip
"""The floor's four cash guarantees (costing's ``guarantee`` names): spending on each."""

SPENDING_PREFIX = "spending."
"""Codes of spending indicators: ``spending.<guarantee>_pct_gdp`` for one guarantee."""


def _spending(guarantee: str, name: str, what: str) -> IndicatorDefinition:
    return IndicatorDefinition(
        code=f"{SPENDING_PREFIX}{guarantee}_pct_gdp",
        name=name,
        definition=f"Public expenditure on {what} and their administration, as a percentage of "
        "GDP: current spending on the same guarantee of the social protection floor, which the "
        "report subtracts from the cost of the guarantee for the financing gap.",
        numerator=f"Public expenditure on {what} (national currency)",
        denominator="Gross domestic product (national currency)",
        weight=_GDP,
        unit="percent_of_gdp",
        bounds=(0.0, 100.0),
        disaggregations=(),
        methodology="ILO Social Security Inquiry, scheme-level expenditure by function "
        "(World Social Protection Database; METHODS.md B1.2).",
        origin="Import only: the data pack has no expenditure series, and none is invented.",
        metadata={
            "custodian": "ILO",
            "database": "World Social Protection Database (WSPDB)",
            "guarantee": guarantee,
        },
    )


INDICATORS: tuple[IndicatorDefinition, ...] = (
    *(_sdg131(c) for c in CONTINGENCIES),
    IndicatorDefinition(
        code="spending.social_protection_pct_gdp",
        name="Public social protection expenditure, excluding health, % of GDP",
        definition="Public expenditure on social protection benefits (all guarantees except "
        "health care) and their administration, as a percentage of GDP.",
        numerator="Public social protection expenditure excluding health (national currency)",
        denominator="Gross domestic product (national currency)",
        weight=_GDP,
        unit="percent_of_gdp",
        bounds=(0.0, None),
        disaggregations=(),
        methodology="ILO Social Security Inquiry, scheme-level expenditure summed to national "
        "totals (World Social Protection Database; METHODS.md B1.2).",
        origin="Import only: the data pack has no expenditure series, and none is invented.",
        metadata={"custodian": "ILO", "database": "World Social Protection Database (WSPDB)"},
    ),
    *(_spending(*g) for g in _GUARANTEE_SPENDING),
    *(_survey(i) for i in _survey_indicators()),
    IndicatorDefinition(
        code="costing.cost_pct_gdp",
        name="Cost of closing the coverage gap, % of GDP",
        definition="Yearly cost of the universal benefit package of a costing scenario, "
        "benefits and administration, as a percentage of GDP.",
        numerator="Cost of the package's benefits and their administration (national currency)",
        denominator="Gross domestic product (national currency)",
        weight=_GDP,
        unit="percent_of_gdp",
        bounds=(0.0, None),
        disaggregations=(),
        methodology=_COSTING_METHOD,
        origin="Costing: socialcover.costing.run_costing, column cost_pct_gdp of the result's "
        "totals (one value per country and year), published as modelled observations.",
        metadata={"result_column": "totals.cost_pct_gdp"},
    ),
    IndicatorDefinition(
        code="costing.financing_gap_pct_gdp",
        name="Financing gap of the universal package, % of GDP",
        definition="Cost of the universal package minus current spending on the same "
        "guarantees (never below zero per benefit), as a percentage of GDP.",
        numerator="Cost of the package minus current spending on it (national currency)",
        denominator="Gross domestic product (national currency)",
        weight=_GDP,
        unit="percent_of_gdp",
        bounds=(0.0, None),
        disaggregations=(),
        methodology=_COSTING_METHOD,
        origin="Costing: socialcover.costing.run_costing, column financing_gap_pct_gdp of the "
        "result's totals, published as modelled observations.",
        metadata={"result_column": "totals.financing_gap_pct_gdp"},
    ),
    *PROCESS_INDICATORS,
)
"""Every indicator the campaign follows, in the order lists show them."""


def _index(definitions: Iterable[IndicatorDefinition]) -> dict[str, IndicatorDefinition]:
    index: dict[str, IndicatorDefinition] = {}
    for definition in definitions:
        if definition.code in index:
            raise ValueError(f"monitored indicator {definition.code!r} is defined twice")
        index[definition.code] = definition
    return index


_REGISTRY = _index(INDICATORS)


def list_indicators(prefix: str | None = None) -> list[IndicatorDefinition]:
    """Every monitored indicator (optionally those whose code starts with ``prefix``).

    Examples
    --------
    >>> [d.code for d in list_indicators("costing.")]
    ['costing.cost_pct_gdp', 'costing.financing_gap_pct_gdp']
    """
    return [d for c, d in _REGISTRY.items() if prefix is None or c.startswith(prefix)]


def indicator_codes() -> list[str]:
    """The codes of every monitored indicator, in registry order."""
    return list(_REGISTRY)


def get_indicator(code: str) -> IndicatorDefinition:
    """The monitored indicator with this code.

    Raises
    ------
    NotFoundError
        No such code (``monitor.unknown-indicator``); the hint suggests the nearest codes.
    """
    if code in _REGISTRY:
        return _REGISTRY[code]
    near = difflib.get_close_matches(code, list(_REGISTRY), n=3)
    raise NotFoundError(
        f"No monitored indicator {code!r}.",
        code="monitor.unknown-indicator",
        hint=("Did you mean " + ", ".join(near) + "? " if near else "")
        + "List them with `socialcover monitor indicators`.",
        value=code,
    )
