"""The take-up intercept fitted to an observed enrolment reproduces it when the scheme runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialcover.microsim import RuleError
from socialcover.microsim.scheme import calibrate_take_up, run_scheme

from .populations import random_population

SCHEME = Path(__file__).resolve().parents[2] / "docs/examples/microsim/scheme_own_account.yaml"


def test_fitted_intercept_reproduces_the_enrolment_in_run_scheme() -> None:
    people = random_population(400, 21)
    before = run_scheme(SCHEME, people, draws=0)
    eligible = before.get("as written", "eligible")["estimate"]
    target = 0.25 * eligible
    c = calibrate_take_up(SCHEME, people, enrolment=target)
    assert c.parameter == "intercept" and c.before == -4.0
    assert c.members_before == pytest.approx(before.get("as written", "members")["estimate"])
    assert c.relative_error < 1e-9
    # more members than the scheme as written gives: the level rises
    assert c.value > c.before
    after = run_scheme(SCHEME, people, draws=20, intercept=c.value)
    assert after.get("as written", "members")["estimate"] == pytest.approx(target, rel=1e-9)
    # variants move with it and keep their order
    assert (
        after.get("no subsidy", "members")["estimate"]
        < after.get("as written", "members")["estimate"]
    )
    assert (
        after.get("no subsidy", "members")["estimate"]
        > before.get("no subsidy", "members")["estimate"]
    )


@pytest.mark.parametrize("share", [0.0, 1.0, 1.5])
def test_enrolment_out_of_reach_is_refused(share: float) -> None:
    people = random_population(200, 3)
    eligible = run_scheme(SCHEME, people, draws=0).get("as written", "eligible")["estimate"]
    with pytest.raises(RuleError, match="eligible") as err:
        calibrate_take_up(SCHEME, people, enrolment=share * eligible)
    assert err.value.code == "microsim.bad-enrolment"
