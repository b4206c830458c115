"""A reform's impact on Spark equals the in-memory one for designs without PSUs and replicates.

The Taylor designs with PSUs are checked in ``test_simulate_on_spark.py``; here the same
population is simulated on Spark (the test process's session) and in memory with an element
design (weights only), a stratified element design, user-supplied bootstrap replicate weights
and JK1 replicates made from the households (the PSUs). Every estimate and SE, overall and by
decile, quintile and group, must agree to 1e-9: the Gini's running sums and the deciles are
computed by ranges of income on Spark and in one sorted array in memory, with the same rule
for tied incomes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from socialcover.microsim import Reform, load_rules, measure_impact, run_population
from socialcover.microsim.simulation import CARRY
from socialcover.survey import Design, ReplicateDesign
from socialcover.testing import synthetic_survey

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "docs" / "examples" / "microsim" / "means_tested_transfer.yaml"
REFORM = {"parameters": {"transfer.base": 4000, "child_grant.amount": 80}}
KEY = ["section", "scenario", "programme", "indicator", "line", "by", "group"]
REPLICATES = tuple(f"rw{i}" for i in range(1, 7))

DESIGNS: dict[str, Any] = {
    "element": Design(weights="weight"),
    "strata-no-psu": Design(weights="weight", strata="strata", lonely_psu="adjust"),
    "bootstrap-columns": ReplicateDesign(
        weights="weight", replicate_weights=REPLICATES, type="bootstrap"
    ),
    "jk1-from-households": ReplicateDesign.from_design(
        Design(weights="weight", psu="hh_id"), type="JK1"
    ),
}


@pytest.fixture(scope="module")
def persons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small survey with six bootstrap replicate weights (one factor per household)."""
    df = synthetic_survey(300, seed=5)
    rng = np.random.default_rng(3)
    households = df["hh_id"].unique().sort()
    factors = pl.DataFrame(
        {"hh_id": households, **{r: rng.poisson(1.0, households.len()) for r in REPLICATES}}
    )
    df = df.join(factors, on="hh_id", how="left", maintain_order="left").with_columns(
        [(pl.col(r) * pl.col("weight")).cast(pl.Float64).alias(r) for r in REPLICATES]
    )
    path = tmp_path_factory.mktemp("impact-designs") / "persons.parquet"
    df.write_parquet(path)
    return path


def _table(impact: Any) -> pl.DataFrame:
    return impact.table.sort(KEY, nulls_last=True)


def _same(spark_table: pl.DataFrame, memory_table: pl.DataFrame) -> None:
    assert spark_table.height == memory_table.height
    joined = memory_table.join(spark_table, on=KEY, how="full", nulls_equal=True, suffix="_s")
    assert joined["estimate"].null_count() == 0 and joined["estimate_s"].null_count() == 0
    for col in ("estimate", "se"):
        a, b = joined[col].to_numpy(), joined[f"{col}_s"].to_numpy()
        both_nan = (a != a) & (b != b)
        diff = abs(a - b) <= 1e-9 * (1 + abs(a))
        bad = joined.filter(pl.Series(~(diff | both_nan)))
        assert bad.height == 0, bad.select([*KEY, col, f"{col}_s"])


@pytest.mark.parametrize("name", list(DESIGNS))
def test_impact_on_spark_equals_memory_without_psus_and_with_replicates(
    spark: Any, persons: Path, name: str
) -> None:
    design = DESIGNS[name]
    rules = load_rules(RULES)
    carry = [*CARRY, *REPLICATES]
    reform = Reform.from_dict(REFORM)
    memory = run_population(rules, pl.read_parquet(persons), 2025, reform=reform, carry=carry)
    on_spark = run_population(
        rules, spark.read.parquet(str(persons)), 2025, reform=reform, carry=carry
    )
    expected = measure_impact(memory, design)
    got = measure_impact(on_spark, design)
    _same(_table(got), _table(expected))
    assert got.n_persons == expected.n_persons == 300
    change, se = got.get("cost", "change")
    assert change > 0 and se > 0
    # the breakdowns are there: ten deciles of baseline income, each with an SE
    deciles = got.table.filter(pl.col("by") == "decile")
    assert deciles["group"].n_unique() == 10 and deciles["se"].is_not_nan().all()
