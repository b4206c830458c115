"""The monitoring registry: one definition per code, each with its weight, unit and origin."""

from __future__ import annotations

import pytest

from socialcover.data import CONTINGENCIES
from socialcover.errors import NotFoundError
from socialcover.indicators import indicator_codes as survey_codes
from socialcover.monitor import INDICATORS, get_indicator, indicator_codes, list_indicators


def test_the_sdg_131_family_is_the_nine_contingencies_of_the_pack() -> None:
    assert [d.code for d in list_indicators("sdg131.")] == [f"sdg131.{c}" for c in CONTINGENCIES]
    for definition in list_indicators("sdg131."):
        assert definition.unit == "percent" and definition.disaggregations == ("sex",)
        assert definition.weight is not None and definition.weight.note
        assert definition.metadata["ilostat_indicator"] == "SDG_0131_SEX_SOC_RT"


def test_weights_follow_each_denominator() -> None:
    weight = {d.code: d.weight for d in list_indicators("sdg131.")}
    assert weight["sdg131.at_least_one_benefit"].age_band is None  # type: ignore[union-attr]
    assert weight["sdg131.children"].age_band == "0-14"  # type: ignore[union-attr]
    assert weight["sdg131.older_persons_pension"].age_band == "65+"  # type: ignore[union-attr]
    assert weight["sdg131.mothers_with_newborns"].series == "births"  # type: ignore[union-attr]
    assert weight["sdg131.unemployed"].age_band == "15-64"  # type: ignore[union-attr]


def test_expenditure_is_defined_and_filled_by_import_only() -> None:
    spending = get_indicator("spending.social_protection_pct_gdp")
    assert spending.unit == "percent_of_gdp" and "Import only" in spending.origin
    assert spending.weight is not None and spending.weight.series == "gdp_usd"


def test_survey_and_costing_indicators_say_where_their_values_come_from() -> None:
    codes = indicator_codes()
    assert set(survey_codes()) <= set(codes)
    for code in survey_codes():
        assert "socialcover.indicators" in get_indicator(code).origin
    assert get_indicator("coverage.children").metadata["published_counterpart"] == (
        "sdg131.children"
    )
    for code in ("costing.cost_pct_gdp", "costing.financing_gap_pct_gdp"):
        assert "run_costing" in get_indicator(code).origin


def test_codes_are_unique_and_definitions_serialise() -> None:
    assert len(indicator_codes()) == len(set(indicator_codes())) == len(INDICATORS)
    data = get_indicator("sdg131.children").to_dict()
    assert data["weight"] == {
        "series": "population",
        "age_band": "0-14",
        "note": get_indicator("sdg131.children").weight.note,  # type: ignore[union-attr]
    }


def test_an_unknown_code_suggests_the_nearest() -> None:
    with pytest.raises(NotFoundError) as info:
        get_indicator("sdg131.older_persons")
    assert info.value.code == "monitor.unknown-indicator"
    assert "sdg131.older_persons_pension" in info.value.hint
    assert "socialcover monitor indicators" in info.value.hint
