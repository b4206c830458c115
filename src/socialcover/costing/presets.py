"""Benefit packages ready to cost, each parameter with its source.

Evidence tags follow METHODS.md: [V] read in a source, [R] recalled and **not verified** (a
guess to check), [I] our own formalisation. Every [R] value is listed in the benefit's
``unverified`` metadata, which the result's provenance repeats ("UNVERIFIED [R]: ..."). Each
unverified note starts with the benefit key it is about (``level: ...``, ``eligibility: ...``):
a scenario that replaces that key drops the note, and its own value is reported as "user".

- ``spf-four-guarantees``: one benefit per cash guarantee of the social protection floor
  (ILO Recommendation No. 202): children, maternity, persons with severe disabilities, older
  persons, at the ESS 58 levels (relative to the poverty line, 100% take-up, no
  administration cost, as the SPF calculator: "without administrative costs" [V]).
- ``ess58``: the package costed for 57 lower-income countries by Ortiz, Durán-Valverde, Pal,
  Behrendt and Acuña-Ulate (2017), ILO ESS Working Paper 58: allowances for all children and
  all orphans, maternity benefits for all women with newborns, benefits for all persons with
  severe disabilities, universal old-age pensions [V]; the levels and ages beyond maternity
  are [R].
- ``campaign-basic``: the Global Campaign's basic package (ILO Social Security Policy
  Briefing 3, 2008; Pal et al. 2005, ILO DP 13): a universal pension of 30% of GDP per capita
  capped at US$1 PPP a day [I from the child benefit text], and a child benefit of half that
  (15% of GDP per capita, capped at US$0.5 PPP a day) for up to two children under 14 per
  woman, both "increased in line with inflation" [V].
"""

from __future__ import annotations

import copy
from typing import Any

from socialcover.costing._errors import UnknownPresetError

ESS58 = (
    "Ortiz, Durán-Valverde, Pal, Behrendt, Acuña-Ulate (2017), Universal social protection "
    "floors: costing estimates and affordability in 57 lower income countries, ILO ESS "
    "Working Paper 58"
)
MATERNITY_SRC = (
    ESS58 + "; ILO policy paper 'Social protection for maternity' [V]: 100% of the "
    "poverty line for four months after childbirth"
)
CAMPAIGN = (
    "ILO (2008) Social Security Policy Briefing 3, 'Can low-income countries afford basic "
    "social security?'; Pal, Behrendt, Léger, Cichon, Hagemejer (2005) ILO DP 13"
)
WHO_DISABILITY = (
    "WHO and World Bank (2011) World Report on Disability: 2.2% of adults with "
    "very significant difficulties in functioning (World Health Survey)"
)

_CHILD_ESS58: dict[str, Any] = {
    "name": "child_benefit",
    "guarantee": "children",
    "eligibility": {"ages": [0, 5]},
    "level": {"pct_of_poverty_line": 25},
    "months": 12,
    "indexation": "prices",
    "source": ESS58,
    "unverified": [
        "level: child allowance of 25% of the poverty line "
        "(ESS 58 level recalled, METHODS B2.1 [R])",
        "eligibility: ages 0-5 (age range uncertain, METHODS B2.1 [R])",
    ],
}
_ORPHANS_ESS58: dict[str, Any] = {
    "name": "orphans_benefit",
    "guarantee": "children",
    "eligibility": {"ages": [0, 14], "condition": "orphan", "prevalence_pct": 1.5},
    "level": {"pct_of_poverty_line": 100},
    "months": 12,
    "indexation": "prices",
    "source": ESS58,
    "unverified": [
        "level: orphans at 100% of the poverty line (METHODS B2.1 [R])",
        "eligibility: orphan prevalence 1.5% of children aged 0-14 and the age range: a "
        "placeholder guess (the pack has no orphanhood data)",
    ],
}
_MATERNITY: dict[str, Any] = {
    "name": "maternity_benefit",
    "guarantee": "maternity",
    "eligibility": {"population": "mothers_of_newborns", "ages": [15, 49]},
    "level": {"pct_of_poverty_line": 100},
    "months": 4,
    "indexation": "prices",
    "source": MATERNITY_SRC,
    "unverified": [],
}
_DISABILITY: dict[str, Any] = {
    "name": "disability_benefit",
    "guarantee": "disability",
    "eligibility": {
        "ages": [0, 64],
        "condition": "severe disability",
        "prevalence_pct": [{"ages": [0, 14], "pct": 0.7}, {"ages": [15, 64], "pct": 2.2}],
    },
    "level": {"pct_of_poverty_line": 100},
    "months": 12,
    "indexation": "prices",
    "source": ESS58 + "; prevalence: " + WHO_DISABILITY,
    "unverified": [
        "level: severe disability benefit at 100% of the poverty line (METHODS B2.1 [R])",
        "eligibility: prevalence 2.2% at 15-64 (WHO 2011, recalled, not re-read) and 0.7% at "
        "0-14 (recalled Global Burden of Disease figure) [R]",
        "eligibility: ages to 64 so that old-age pensioners are not counted twice [I]",
    ],
}
_PENSION: dict[str, Any] = {
    "name": "old_age_pension",
    "guarantee": "old_age",
    "eligibility": {"ages": [65, 100]},
    "level": {"pct_of_poverty_line": 100},
    "months": 12,
    "indexation": "prices",
    "source": ESS58,
    "unverified": [
        "level: old-age pension at 100% of the poverty line from age 65 (METHODS B2.1 [R])"
    ],
}

PACKAGES: dict[str, dict[str, Any]] = {
    "spf-four-guarantees": {
        "title": "The four cash guarantees of the social protection floor (R202), ESS 58 levels",
        "source": "ILO Recommendation No. 202 (2012); levels from " + ESS58,
        "benefits": [_CHILD_ESS58, _MATERNITY, _DISABILITY, _PENSION],
    },
    "ess58": {
        "title": "ESS 58 package: children, orphans, maternity, severe disability, old age",
        "source": ESS58,
        "benefits": [_CHILD_ESS58, _ORPHANS_ESS58, _MATERNITY, _DISABILITY, _PENSION],
    },
    "campaign-basic": {
        "title": "Global Campaign basic package: universal pension and child benefit (2008)",
        "source": CAMPAIGN,
        "benefits": [
            {
                "name": "universal_pension",
                "guarantee": "old_age",
                "eligibility": {"ages": [65, 100]},
                "level": {"pct_of_gdp_per_capita": 30, "cap": {"ppp_per_day": 1.0}},
                "months": 12,
                "indexation": "prices",
                "source": CAMPAIGN + " [V: child benefit 'half of the universal pension amount, "
                "that is 15 per cent of GDP per capita with a maximum of half of one US dollar "
                "PPP per day, increased in line with inflation'; pension level inferred [I]]",
                "unverified": [
                    "eligibility: pensionable age 65 (the briefing's age not retrieved) [R]",
                    "level: PPP dollars of the base year (WEO PPPEX), "
                    "not the 2008 briefing's PPP vintage",
                ],
            },
            {
                "name": "child_benefit",
                "guarantee": "children",
                "eligibility": {"ages": [0, 13], "max_children_per_mother": 2},
                "level": {"pct_of_gdp_per_capita": 15, "cap": {"ppp_per_day": 0.5}},
                "months": 12,
                "indexation": "prices",
                "source": CAMPAIGN + " [V: up to two children under 14 per woman]",
                "unverified": [
                    "eligibility: share of children who are among their mother's first two under "
                    "14 approximated by min(1, 2 / TFR) [I]; the campaign used DHS"
                ],
            },
        ],
    },
}


def package_names() -> list[str]:
    """Names of the preset packages."""
    return sorted(PACKAGES)


def package_benefits(name: str) -> list[dict[str, Any]]:
    """The benefits of a preset package as scenario dicts (copies; safe to change).

    Raises
    ------
    UnknownPresetError
        No package of that name (the known names are listed).
    """
    key = name.strip().lower()
    if key not in PACKAGES:
        import difflib

        guess = difflib.get_close_matches(key, list(PACKAGES), n=1)
        raise UnknownPresetError(
            f"Unknown package {name!r}.",
            hint=(f"Did you mean {guess[0]!r}? " if guess else "")
            + f"Known packages: {', '.join(package_names())}.",
            key="package",
        )
    return copy.deepcopy(PACKAGES[key]["benefits"])


def describe_package(name: str) -> dict[str, Any]:
    """Title, source and benefits (with sources and unverified values) of a package."""
    package_benefits(name)
    return copy.deepcopy(PACKAGES[name.strip().lower()])
