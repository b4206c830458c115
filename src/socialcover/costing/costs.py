"""The costs of one scenario, year by year (the central projection, without uncertainty).

Resolves the scenario's countries, builds its macro and demographic inputs, projects them
(:mod:`socialcover.costing.projection`) and returns a :class:`CostingResult` with provenance.

Examples
--------
With the fictional demo country (``socialcover data demo``); a real pack takes ISO3 codes:

>>> from socialcover.costing import project_costs
>>> result = project_costs({"country": "XDM", "package": "spf-four-guarantees",
...                         "horizon": 2030})
>>> result.totals.select("year", "cost_pct_gdp").height
6
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from socialcover.costing import inputs
from socialcover.costing._errors import ScenarioError
from socialcover.costing.macro import build_paths, build_scenario_base
from socialcover.costing.national import population_factor
from socialcover.costing.projection import compute, project_demography, start_coverage
from socialcover.costing.result import CostingResult, build_result
from socialcover.costing.scenario import Benefit, Scenario, ScenarioLike, load_scenario
from socialcover.errors import NotFoundError


def resolve_countries(scenario: Scenario) -> tuple[list[str], bool]:
    """ISO3 codes named by the scenario, and whether it is a single-country scenario.

    ``countries`` may be ``all``, or a list of ISO3 codes, names, ILO regions or World Bank
    income groups (e.g. ``Low income``).
    """
    inputs.require_installed()
    if scenario.country is not None:
        return [inputs.resolve_country(scenario.country)], True
    table = inputs.countries()
    if scenario.countries == "all":
        return table["iso3"].to_list(), False
    out: list[str] = []
    for item in scenario.countries or []:
        try:
            out.append(inputs.resolve_country(item))
        except NotFoundError as exc:
            try:
                out.extend(inputs.group_members(item))
            except NotFoundError:
                raise exc from None
    return list(dict.fromkeys(out)), False


def benefit_provenance(scenario: Scenario) -> list[dict[str, Any]]:
    """Provenance rows for every parameter of each benefit, each with its own source.

    A value the scenario set says ``user``; a preset's value says the preset's source (and its
    unverified notes follow as ``UNVERIFIED [R]`` rows).
    """
    rows: list[dict[str, Any]] = []
    for b in scenario.benefits:

        def source_of(key: str, b: Benefit = b) -> str:
            if key in b.user_set or not b.source:
                return "user"
            return b.source

        def add(
            what: str, value: float | None, unit: str, key: str, b: Benefit = b, source: str = ""
        ) -> None:
            rows.append(
                {
                    "iso3": None,
                    "assumption": f"{b.name}.{what}",
                    "value": value,
                    "unit": unit,
                    "is_default": False,
                    "source": source or source_of(key),
                }
            )

        add("level", b.level.value, b.level.basis, "level")
        if b.level.cap is not None:
            add("cap", b.level.cap.value, b.level.cap.basis, "level")
        add("months", b.months, "months per year", "months")
        add(
            "admin_factor",
            b.admin.factor,
            f"gross / benefits ({b.admin.convention or 'none'})",
            "admin",
        )
        e = b.eligibility
        add("eligibility.age_from", e.ages[0], f"years ({e.sex}, {e.population})", "eligibility")
        add("eligibility.age_to", e.ages[1], f"years ({e.sex}, {e.population})", "eligibility")
        prev = e.prevalence_pct
        if isinstance(prev, int | float):
            add("eligibility.prevalence_pct", prev, "% of the eligible ages", "eligibility")
        elif isinstance(prev, list):
            for band in prev:
                add(
                    f"eligibility.prevalence_pct[{band.ages[0]}-{band.ages[1]}]",
                    band.pct,
                    "% at these ages",
                    "eligibility",
                )
        add("indexation", None, f"indexed to {b.indexation}", "indexation")
        t = b.takeup
        if t.start_pct != "current":
            add("takeup.start_pct", float(t.start_pct), "%", "takeup")
        add("takeup.target_pct", t.target_pct, "%", "takeup")
        path = (
            f"{t.shape} from {t.start_year or scenario.base_year} "
            f"to {t.target_year or scenario.base_year}"
        )
        add("takeup.path", None, path, "takeup")
        if b.targeting is not None and b.targeting.share_pct != "poverty_headcount":
            add(
                "targeting.share_pct",
                float(b.targeting.share_pct),
                "% of the eligible",
                "targeting",
            )
        cs = b.current_spending
        if cs is not None and cs.pct_gdp is not None:
            add("current_spending", cs.pct_gdp, "% of GDP", "current_spending")
        elif cs is not None:
            add("current_spending", cs.lcu_per_year, "LCU per year (base year)", "current_spending")
        if e.max_children_per_mother is not None:
            add(
                "max_children_per_mother",
                e.max_children_per_mother,
                "children",
                "eligibility",
                source="eligible children x min(1, k / TFR): socialcover's approximation [I] "
                "(the campaign used DHS data on children per mother)",
            )
        for item in b.unverified:
            rows.append(
                {
                    "iso3": None,
                    "assumption": f"{b.name}.unverified",
                    "value": None,
                    "unit": "",
                    "is_default": False,
                    "source": f"UNVERIFIED [R]: {item}",
                }
            )
    return rows


def project_costs(
    scenario: ScenarioLike,
    *,
    countries: Sequence[str] | None = None,
    variant: str | None = None,
) -> CostingResult:
    """Project the cost of a scenario year by year (see :mod:`socialcover.costing.projection`).

    Parameters
    ----------
    scenario:
        A :class:`Scenario`, a dict, or a YAML/JSON path; validated completely first.
    countries:
        Override the scenario's countries (ISO3 codes); ``None`` keeps them.
    variant:
        WPP population variant (``low``, ``medium``, ``high``); default the scenario's.

    Returns
    -------
    CostingResult

    Raises
    ------
    ScenarioError
        The scenario is invalid (every problem listed, with the key and the fix).
    NotFoundError
        An unknown country (with "did you mean").
    CostingDataError
        A single-country scenario whose country lacks GDP, population or prices in the pack.
    """
    s = load_scenario(scenario)
    if countries is not None:
        iso3s, single = [inputs.resolve_country(c) for c in countries], len(countries) == 1
    else:
        iso3s, single = resolve_countries(s)
    if not iso3s:
        raise ScenarioError(
            "The scenario's countries match no country of the data pack.",
            code="costing.no-countries",
            key="countries",
            hint="Use ISO3 codes, 'all', an ILO region or an income group.",
        )
    v = variant or s.population_variant
    unknown = sorted(set(s.national) - set(iso3s))
    if unknown:
        raise ScenarioError(
            f"national: {', '.join(unknown)} is not among the scenario's countries "
            f"({', '.join(iso3s[:8])}{'...' if len(iso3s) > 8 else ''}).",
            code="costing.national-not-costed",
            key="national",
            hint="Key national data by the ISO3 code of a country the scenario costs.",
        )
    base = build_scenario_base(s, iso3s, v)
    if single and base.missing:
        iso, reason = next(iter(base.missing.items()))
        raise inputs.missing_data_error(iso, reason)
    demo = project_demography(s, iso3s, v)
    with np.errstate(invalid="ignore", divide="ignore"):
        paths = build_paths(base)
        starts = []
        extra = benefit_provenance(s)
        for b in s.benefits:
            start, source = start_coverage(b, iso3s)
            starts.append(start)
            if b.takeup.start_pct == "current":
                extra.extend(
                    {
                        "iso3": i,
                        "assumption": f"{b.name}.takeup_start_pct",
                        "value": float(x * 100),
                        "unit": "%",
                        "is_default": True,
                        "source": src,
                    }
                    for i, x, src in zip(iso3s, start, source, strict=True)
                )
        for iso, nat in s.national.items():
            for name, nb in nat.benefits.items():
                for what, amount in (("level", nb.level), ("current_spending", None)):
                    if what == "current_spending" and nb.current_spending is not None:
                        cs = nb.current_spending
                        value, unit = (
                            (cs.pct_gdp, "% of GDP")
                            if cs.pct_gdp is not None
                            else (cs.lcu_per_year, "LCU per year (base year)")
                        )
                    elif amount is not None:
                        value, unit = amount.value, amount.basis
                    else:
                        continue
                    extra.append(
                        {
                            "iso3": iso,
                            "assumption": f"{name}.{what}",
                            "value": value,
                            "unit": unit,
                            "is_default": False,
                            "source": nat.source or "user",
                        }
                    )
        arrays = compute(s, base, demo, paths, np.stack(starts))
    # a benefit needing data a country lacks (e.g. a poverty headcount) leaves it out, listed
    incomplete = ~np.isfinite(arrays.cost_lcu).all(axis=(0, 2))
    for iso, bad in zip(iso3s, incomplete, strict=True):
        if bad and iso not in base.missing:
            names = [
                b.name
                for k, b in enumerate(s.benefits)
                if not np.isfinite(arrays.cost_lcu[k, iso3s.index(iso)]).all()
            ]
            base.missing[iso] = f"incomplete data for {', '.join(names)}"
    if single and base.missing:
        iso, reason = next(iter(base.missing.items()))
        raise inputs.missing_data_error(iso, reason)
    keep = np.array([i not in base.missing for i in iso3s])
    pop = (
        inputs.population(iso3s, s.years, v)
        * population_factor(s, iso3s, s.years)[:, :, None, None]
    )
    c2, y2 = (
        a.ravel()
        for a in np.meshgrid(np.arange(len(iso3s)), np.arange(len(s.years)), indexing="ij")
    )
    population = pl.DataFrame(
        {
            "iso3": np.array(iso3s)[c2],
            "year": np.array(s.years)[y2],
            "population": pop.sum(axis=(2, 3)).ravel(),
            "age_0_14": pop[..., :15].sum(axis=(2, 3)).ravel(),
            "age_15_64": pop[..., 15:65].sum(axis=(2, 3)).ravel(),
            "age_65_plus": pop[..., 65:].sum(axis=(2, 3)).ravel(),
            "women_15_49": pop[:, :, 1, 15:50].sum(axis=2).ravel(),
        }
    )
    return build_result(s, base, arrays, keep, extra, population, np.stack(starts))
