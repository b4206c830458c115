"""Person and household queries without a join give the same results as the general query."""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcover.microsim import load_rules
from socialcover.microsim.reference import evaluate_reference
from socialcover.microsim.split_query import compile_split

from .populations import random_population

RULES = load_rules(
    text="""
inputs:
  earnings: {unit: LCU/year, default: 0}
parameters:
  threshold: {unit: LCU/year, values: {2020-01-01: 2500}}
variables:
  hh_earnings: {entity: household, unit: LCU/year, formula: hh_sum(earnings)}
programmes:
  adult_grant:
    entity: person
    eligibility: age >= 18 and sex == "female"
    amount: 100 + earnings * 0.1
  family_grant:
    entity: household
    eligibility: hh_earnings <= p.threshold and (hh_count(age < 18) >= 2 or hh_any(age < 3))
    amount: 1000 + 10 * hh_size()
    cap: 1050
"""
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 50))
def test_split_equals_numpy(seed: int, n: int) -> None:
    df = random_population(n, seed)
    q = compile_split(
        RULES,
        2025,
        table="people",
        present=df.columns,
        keep=["person_id"],
        outputs=["adult_grant", "family_grant"],
    )
    assert q is not None
    con = duckdb.connect()
    con.from_arrow(df.to_arrow()).create_view("people")
    persons = con.sql(q.persons).pl().sort("person_id")
    households = con.sql(q.households).pl()
    npy = evaluate_reference(RULES, {c: df[c].to_numpy() for c in df.columns}, 2025)
    np.testing.assert_allclose(persons["adult_grant"].to_numpy(), npy["adult_grant"])
    per_person = df.select("hh_id").join(households, on="hh_id", how="left")
    np.testing.assert_allclose(per_person["family_grant"].to_numpy(), npy["family_grant"])
    assert households.height == df["hh_id"].n_unique()


def test_rules_where_persons_read_household_values_do_not_split() -> None:
    rules = load_rules(
        text="""
programmes:
  top_up:
    entity: person
    eligibility: hh_size() > 3
    amount: 100
"""
    )
    assert (
        compile_split(
            rules, 2025, table="t", present=["hh_id", "age", "welfare"], outputs=["top_up"]
        )
        is None
    )
    # disposable income reads the household's benefits: no split either
    assert (
        compile_split(
            RULES, 2025, table="t", present=pl.DataFrame().columns, outputs=["disposable_income"]
        )
        is None
    )
