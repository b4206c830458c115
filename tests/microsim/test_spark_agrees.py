"""The same compiled rules on Apache Spark (local mode) agree with the reference evaluator."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from socialcover.microsim import run_rules
from socialcover.microsim.reference import evaluate_reference

from .populations import random_population
from .test_reference_agrees_with_duckdb import _rules

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


@pytest.mark.parametrize("seed", [1, 2])
def test_spark_matches_numpy_on_every_construct(spark: Any, seed: int) -> None:
    rules = _rules(250.0, 16, 0.4, 3000.0)
    df = random_population(40, seed)
    sdf = spark.createDataFrame(df.to_pandas())
    names = [s.name for s in rules.steps]
    run = run_rules(rules, sdf, 2025, outputs=names, keep=["hh_id", "person_id"])
    assert run.backend == "spark"
    # the rules' temporary view is gone from the user's session, and the lazy results, computed
    # only now, still read what it named
    views = [t.name for t in spark.catalog.listTables() if t.name.startswith("_sc_rules_")]
    assert views == []
    assert run.households.count() == df["hh_id"].n_unique()
    out = run.persons.toPandas()
    out = out.sort_values("person_id").reset_index(drop=True)
    npy = evaluate_reference(rules, {c: df[c].to_numpy() for c in df.columns}, 2025)
    for step in rules.steps:
        a = out[step.name].to_numpy()
        if step.unit.kind == "bool":
            np.testing.assert_array_equal(a.astype(bool), npy[step.name], err_msg=step.name)
        else:
            np.testing.assert_allclose(
                a.astype(float), npy[step.name], rtol=1e-9, atol=1e-6, err_msg=step.name
            )


def test_run_rules_on_spark_names_a_missing_column(spark: Any) -> None:
    from socialcover.microsim import MicrosimDataError, load_rules

    rules = load_rules(text="programmes:\n  old_age: {eligibility: age >= 65, amount: 100}\n")
    sdf = spark.createDataFrame(random_population(5, 4).drop("age").to_arrow())
    with pytest.raises(MicrosimDataError) as err:
        run_rules(rules, sdf, 2025)
    assert "age" in str(err.value)
