"""A survey estimate and a simulation on the Spark cluster this job is submitted to.

    spark-submit --master spark://HOST:7077 survey_and_simulation.py PERSONS.parquet OUT.json

The product builds no session of its own: it takes the one ``spark-submit`` configured (master,
memory, shuffle partitions), reads the Parquet path with Spark, and brings back only results.
Writes the estimates, the simulated cost, a reform's impact (simulated and estimated on the
cluster) and the session's master to ``OUT.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from socialcover.microsim import load_rules, run_rules, simulate
from socialcover.survey import Design, Sample

PENSION = Path(__file__).resolve().parents[1] / "microsim" / "social_pension.yaml"
REFORM = {"parameters": {"social_pension.age": 60}}
RULES = """
programmes:
  old_age: {eligibility: age >= 65, amount: 1200}
"""


def main(persons: str, out: str) -> None:
    design = Design(weights="weight", strata="strata", psu="psu")
    sample = Sample(persons, design, backend="spark")  # the submitted session, read by Spark
    coverage = sample.mean("receives_old_age", where="age >= 65").to_polars()
    median = sample.quantile("welfare", 0.5).to_polars()
    spark = SparkSession.getActiveSession()
    assert spark is not None
    people = spark.read.parquet(persons)
    run = run_rules(load_rules(text=RULES), people, 2025, keep=["weight"])
    cost = run.persons.selectExpr("SUM(weight * old_age) AS cost").first()
    # the social pension and a reform: rules, variables and estimates all run on the cluster
    sim = simulate(
        PENSION, persons, period=2025, reform=REFORM, engine="spark", breakdowns=False
    ).impact
    impact = {
        f"{ind}/{sc}": list(sim.get(ind, sc, line=line))
        for ind, line in (("cost", None), ("fgt0", "national"), ("gini", None))
        for sc in ("base", "reform", "change")
    }
    result = {
        "master": spark.sparkContext.master,
        "app_id": spark.sparkContext.applicationId,
        "coverage_65_plus": coverage["estimate"][0],
        "coverage_se": coverage["se"][0],
        "median_welfare": median["estimate"][0],
        "median_ci": [median["ci_low"][0], median["ci_high"][0]],
        "old_age_cost": float(cost["cost"]),
        "backend": [sample.backend, run.backend],
        "impact": impact,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
