"""simulate() and a reform's impact on Spark give DuckDB's numbers, with only results back.

The same survey is simulated from a Parquet file on DuckDB (the default) and by Spark (the
test process's session: local[1], or the standalone master CI starts), for a person and a
household programme and a reform of both; every estimate and SE must agree to 1e-9.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from socialcover.errors import InputError
from socialcover.microsim import MicrosimDataError, load_rules, simulate
from socialcover.testing import synthetic_survey

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "docs" / "examples" / "microsim" / "social_pension.yaml"
HOUSEHOLD = REPO / "docs" / "examples" / "microsim" / "means_tested_transfer.yaml"
CASES = {
    "social-pension": (RULES, {"parameters": {"social_pension.age": 60}}),
    "household": (HOUSEHOLD, {"parameters": {"transfer.base": 4000, "child_grant.amount": 80}}),
}
KEY = ["section", "scenario", "programme", "indicator", "line", "by", "group"]


@pytest.fixture(scope="module")
def persons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("simulate-spark") / "persons.parquet"
    return synthetic_survey(400, seed=11, path=path)


def _table(result: Any) -> pl.DataFrame:
    return result.impact.table.sort(KEY, nulls_last=True)


def _same(spark_table: pl.DataFrame, duck_table: pl.DataFrame) -> None:
    assert spark_table.height == duck_table.height
    joined = duck_table.join(spark_table, on=KEY, how="full", nulls_equal=True, suffix="_s")
    assert joined["estimate"].null_count() == 0 and joined["estimate_s"].null_count() == 0
    for col in ("estimate", "se"):
        a, b = joined[col].to_numpy(), joined[f"{col}_s"].to_numpy()
        both_nan = (a != a) & (b != b)
        diff = abs(a - b) <= 1e-9 * (1 + abs(a))
        bad = joined.filter(pl.Series(~(diff | both_nan)))
        assert bad.height == 0, bad.select([*KEY, col, f"{col}_s"])


@pytest.mark.parametrize("case", list(CASES))
def test_simulate_on_spark_equals_duckdb(spark: Any, persons: Path, case: str) -> None:
    path, reform = CASES[case]
    rules = load_rules(path)
    duck = simulate(rules, str(persons), period=2025, reform=reform)
    sdf = spark.read.parquet(str(persons))
    on_spark = simulate(rules, sdf, period=2025, reform=reform)
    assert type(on_spark.run.frame).__module__.startswith("pyspark.sql")  # left lazy
    _same(_table(on_spark), _table(duck))
    assert on_spark.impact.n_persons == duck.impact.n_persons == 400
    # the reform changes the cost: not a test of two zeros
    change, se = on_spark.impact.get("cost", "change")
    assert change > 0 and se > 0


def test_simulate_reads_a_path_with_spark(spark: Any, persons: Path) -> None:
    rules = load_rules(RULES)
    duck = simulate(rules, str(persons), period=2025, breakdowns=False)
    on_spark = simulate(rules, str(persons), period=2025, breakdowns=False, engine="spark")
    assert type(on_spark.run.frame).__module__.startswith("pyspark.sql")
    assert on_spark.run.frame.sparkSession is spark  # the active session, not one of ours
    _same(_table(on_spark), _table(duck))


def test_simulate_on_spark_refuses_a_missing_mapping_and_a_bad_line(
    spark: Any, persons: Path
) -> None:
    rules = load_rules(RULES)
    with pytest.raises(InputError) as missing:
        simulate(rules, str(persons), period=2025, engine="spark", mapping="m.yaml")
    assert missing.value.code == "survey.mapping-not-found"
    with pytest.raises(MicrosimDataError) as err:
        simulate(rules, str(persons), period=2025, engine="spark", lines={"x": -1.0})
    assert err.value.code == "microsim.bad-line"
    with pytest.raises(MicrosimDataError) as err:
        simulate(rules, str(persons), period=2025, engine="cluster")
    assert err.value.code == "microsim.bad-backend"
