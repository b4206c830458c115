"""The registry: stable unique codes, complete definitions, helpful errors."""

from __future__ import annotations

import pytest

from socialcover.errors import NotFoundError
from socialcover.indicators import DISAGGREGATIONS, get_indicator, indicator_codes, list_indicators

REQUIRED_CODES = [
    "coverage.at_least_one",
    "coverage.children",
    "coverage.older_persons",
    "coverage.disability",
    "coverage.unemployed",
    "coverage.poor",
    "coverage.vulnerable",
    "coverage.contributors_employed",
    "coverage.contributors_informal",
    "aspire.coverage.old_age",
    "aspire.coverage.social_assistance",
    "aspire.beneficiary_incidence",
    "aspire.benefit_incidence",
    "aspire.adequacy",
    "aspire.poverty_headcount_reduction",
    "aspire.poverty_gap_reduction",
    "aspire.gini_reduction",
    "aspire.benefit_cost_ratio",
    "targeting.exclusion_error",
    "targeting.inclusion_error",
]


def test_the_required_codes_exist_and_are_unique() -> None:
    codes = indicator_codes()
    assert len(codes) == len(set(codes))
    for code in REQUIRED_CODES:
        assert code in codes


@pytest.mark.parametrize("code", indicator_codes())
def test_every_indicator_is_fully_defined(code: str) -> None:
    ind = get_indicator(code)
    assert ind.name and ind.numerator and ind.denominator and ind.source
    assert ind.unit in ("percent", "ratio")
    assert set(ind.disaggregations) <= set(DISAGGREGATIONS)
    assert ind.evidence in ("V", "R", "I")
    if ind.kind == "ratio":
        assert ind.numerator_var and ind.denominator_var
    assert ind.to_dict()["code"] == code


def test_percentages_use_factor_100_as_dhis2() -> None:
    assert get_indicator("coverage.children").factor == 100.0
    assert get_indicator("aspire.benefit_cost_ratio").factor == 1.0


def test_unknown_code_suggests_the_nearest() -> None:
    with pytest.raises(NotFoundError) as info:
        get_indicator("coverage.older_person")
    assert info.value.code == "indicators.unknown-code"
    assert "coverage.older_persons" in info.value.hint


def test_families_can_be_listed_by_prefix() -> None:
    assert {i.code for i in list_indicators("targeting.")} == {
        "targeting.exclusion_error",
        "targeting.inclusion_error",
    }
    assert len(list_indicators("aspire.coverage.")) == 8
