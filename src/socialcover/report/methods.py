"""The methodology annex's texts that come from data: the costed package's title, its sources
and the caveats of its benefits (:func:`socialcover.costing.describe_package`).

They are written out here for the report's catalogue, so that French and Spanish readers get
them in their language (the titles of the works cited stay as published). A text that is not
in the catalogue (the preset changed) is printed as it is, in English; the report's tests list
any such text until it is translated.
"""

# ruff: noqa: E501  (the texts are kept whole, as the catalogue holds them)
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from socialcover.report.i18n import N_

__all__ = ["PACKAGE_TEXTS", "translate_package"]

# fmt: off
PACKAGE_TEXTS = (
    N_(
        'The four cash guarantees of the social protection floor (R202), ESS 58 levels'
    ),
    N_(
        'ILO Recommendation No. 202 (2012); levels from Ortiz, Durán-Valverde, Pal, Behrendt, Acuña-Ulate (2017), Universal social protection floors: costing estimates and affordability in 57 lower income countries, ILO ESS Working Paper 58'
    ),
    N_(
        'Ortiz, Durán-Valverde, Pal, Behrendt, Acuña-Ulate (2017), Universal social protection floors: costing estimates and affordability in 57 lower income countries, ILO ESS Working Paper 58'
    ),
    N_(
        "Ortiz, Durán-Valverde, Pal, Behrendt, Acuña-Ulate (2017), Universal social protection floors: costing estimates and affordability in 57 lower income countries, ILO ESS Working Paper 58; ILO policy paper 'Social protection for maternity' [V]: 100%% of the poverty line for four months after childbirth"
    ),
    N_(
        'Ortiz, Durán-Valverde, Pal, Behrendt, Acuña-Ulate (2017), Universal social protection floors: costing estimates and affordability in 57 lower income countries, ILO ESS Working Paper 58; prevalence: WHO and World Bank (2011) World Report on Disability: 2.2%% of adults with very significant difficulties in functioning (World Health Survey)'
    ),
    N_(
        'level: child allowance of 25%% of the poverty line (ESS 58 level recalled, METHODS B2.1 [R])'
    ),
    N_(
        'eligibility: ages 0-5 (age range uncertain, METHODS B2.1 [R])'
    ),
    N_(
        'level: severe disability benefit at 100%% of the poverty line (METHODS B2.1 [R])'
    ),
    N_(
        'eligibility: prevalence 2.2%% at 15-64 (WHO 2011, recalled, not re-read) and 0.7%% at 0-14 (recalled Global Burden of Disease figure) [R]'
    ),
    N_(
        'eligibility: ages to 64 so that old-age pensioners are not counted twice [I]'
    ),
    N_(
        'level: old-age pension at 100%% of the poverty line from age 65 (METHODS B2.1 [R])'
    ),
)
# fmt: on
"""The texts of package ``spf-four-guarantees`` that the methodology annex prints, as the
catalogue holds them: each ``%`` doubled, so that gettext tools read none as a placeholder."""


def translate_package(package: dict[str, Any], gt: Callable[[str], str]) -> dict[str, Any]:
    """``package`` (:func:`~socialcover.costing.describe_package`) with its title, source and
    each benefit's source and caveats (``unverified``) in the reader's language (``gt``).

    Examples
    --------
    >>> out = translate_package({"title": "T", "benefits": [{"source": "S"}]}, str.lower)
    >>> out["title"], out["benefits"][0]["source"], out["benefits"][0]["unverified"]
    ('t', 's', [])
    """

    def tr(text: str) -> str:
        return gt(text.replace("%", "%%")).replace("%%", "%") if text else text

    return {
        **package,
        "title": tr(package.get("title", "")),
        "source": tr(package.get("source", "")),
        "benefits": [
            {
                **b,
                "source": tr(b.get("source", "")),
                "unverified": [tr(u) for u in b.get("unverified", [])],
            }
            for b in package.get("benefits", [])
        ],
    }
