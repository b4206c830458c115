"""Bad scenarios: each kind gives an error naming the key and the fix; nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socialcover.costing import ScenarioError, load_scenario, project_costs
from socialcover.errors import NotFoundError, SocialcoverError

GOOD_BENEFIT: dict[str, Any] = {
    "name": "pension",
    "eligibility": {"ages": [65, 100]},
    "level": {"pct_of_gdp_per_capita": 20},
}


def scenario(**over: Any) -> dict[str, Any]:
    s: dict[str, Any] = {"country": "KEN", "horizon": 2030, "benefits": [dict(GOOD_BENEFIT)]}
    s.update(over)
    return s


def benefit(**over: Any) -> dict[str, Any]:
    b = dict(GOOD_BENEFIT)
    b.update(over)
    return b


CASES = [
    # (scenario, code, words the message + hint must contain)
    (scenario(horizn=2040), "costing.unknown-key", ["horizn", "did you mean 'horizon'"]),
    (
        scenario(benefits=[benefit(takeup={"target_pc": 90})]),
        "costing.unknown-key",
        ["benefits[0].takeup.target_pc", "did you mean 'target_pct'"],
    ),
    (
        scenario(benefits=[benefit(eligibility={"ages": [65, 30]})]),
        "costing.invalid-value",
        ["benefits[0].eligibility.ages", "impossible", "0 <= from <= to <= 100"],
    ),
    (
        scenario(benefits=[benefit(eligibility={"ages": [-1, 14]})]),
        "costing.invalid-value",
        ["eligibility.ages", "impossible"],
    ),
    (
        scenario(benefits=[benefit(eligibility={"ages": [60, 130]})]),
        "costing.invalid-value",
        ["eligibility.ages", "impossible"],
    ),
    (
        scenario(benefits=[benefit(takeup={"target_pct": 120})]),
        "costing.invalid-value",
        ["benefits[0].takeup.target_pct", "120", "between 0 and 100"],
    ),
    (
        {"horizon": 2030, "benefits": [GOOD_BENEFIT]},
        "costing.invalid-value",
        ["names no country", "country: KEN"],
    ),
    (
        scenario(benefits=[benefit(admin={"rate_pct": 5})]),
        "costing.invalid-value",
        ["admin", "convention", "share_of_gross", "share_of_benefits"],
    ),
    (
        scenario(benefits=[benefit(level={"pct_of_gdp_per_capita": 20, "ppp_per_day": 1})]),
        "costing.invalid-value",
        ["level", "exactly one of"],
    ),
    (
        scenario(benefits=[{"name": "x", "eligibility": {"ages": [65, 100]}}]),
        "costing.missing-key",
        ["benefits[0].level", "add level:"],
    ),
    (scenario(horizon=2020), "costing.invalid-value", ["horizon", "base year"]),
    (scenario(benefits=[]), "costing.invalid-value", ["no benefits", "package"]),
    (
        scenario(benefits=[benefit(eligibility={"prevalence_pct": 150})]),
        "costing.invalid-value",
        ["prevalence", "150"],
    ),
    (
        scenario(benefits=[benefit(takeup={"target_year": 2020})]),
        "costing.invalid-value",
        ["take-up year 2020", "base year"],
    ),
]


@pytest.mark.parametrize(("data", "code", "words"), CASES)
def test_bad_scenario_names_key_and_fix(data: dict[str, Any], code: str, words: list[str]) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(data)
    err = info.value
    assert err.code == code
    text = f"{err.message} {err.hint}"
    for w in words:
        assert w in text, f"{w!r} not in {text!r}"
    assert isinstance(err, ValueError)


def test_all_problems_reported_at_once() -> None:
    data = scenario(horizn=2040, benefits=[benefit(takeup={"target_pct": 150})])
    with pytest.raises(ScenarioError) as info:
        load_scenario(data)
    assert len(info.value.context["problems"]) == 2


def test_unknown_country_says_did_you_mean(pack: Path) -> None:
    with pytest.raises(NotFoundError) as info:
        project_costs(scenario(country="KNE"))
    assert "KEN (Kenya)" in str(info.value)


def test_unknown_package(pack: Path) -> None:
    with pytest.raises(SocialcoverError) as info:
        load_scenario(scenario(benefits=None, package="spf-four-guarantee"))
    assert "spf-four-guarantees" in str(info.value)


def test_yaml_syntax_error_names_the_file(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("country: KEN\nbenefits: [\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(f)
    assert "bad.yaml" in info.value.message


def test_package_benefit_can_be_overridden_by_name() -> None:
    s = load_scenario(
        {
            "country": "KEN",
            "package": "spf-four-guarantees",
            "benefits": [
                {"name": "old_age_pension", "level": {"pct_of_gdp_per_capita": 10}},
                dict(GOOD_BENEFIT),
            ],
        }
    )
    names = [b.name for b in s.benefits]
    assert names == [
        "child_benefit",
        "maternity_benefit",
        "disability_benefit",
        "old_age_pension",
        "pension",
    ]
    assert s.benefits[3].level.basis == "pct_of_gdp_per_capita"
    assert s.benefits[3].eligibility.ages == (65, 100)
