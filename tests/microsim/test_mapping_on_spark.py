"""A survey mapping applied by Spark: the shipped GLSS Ghana mapping, given with the raw file as a
Spark DataFrame, gives the informal-economy scheme's table and a simulation the in-memory mapping
gives (every estimate and SE to 1e-9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from socialcover.microsim import load_rules, simulate
from socialcover.microsim.scheme import run_scheme

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.shared_data,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "examples"
MAPPING = DOCS / "glss_ghana2006.yaml"
SCHEME = DOCS / "microsim" / "scheme_ghana_informal.yaml"
PENSION = """
name: Old-age pension on the Ghana example
programmes:
  old_age_pension: {eligibility: age >= 65, amount: 1200}
"""


@pytest.fixture(scope="module")
def csv_path(shared_data: Path) -> Path:
    return shared_data / "microdata" / "synthetic_glss_ghana2006_simpop.csv.gz"


@pytest.fixture(scope="module")
def raw_on_spark(spark: Any, csv_path: Path) -> Any:
    return spark.createDataFrame(pl.read_csv(csv_path).to_arrow())


def _same(a: pl.DataFrame, b: pl.DataFrame, key: list[str]) -> None:
    assert a.height == b.height > 0
    joined = a.join(b, on=key, how="full", nulls_equal=True, suffix="_spark")
    for col in ("estimate", "se"):
        x, y = joined[col].to_numpy(), joined[f"{col}_spark"].to_numpy()
        both_nan = (x != x) & (y != y)
        close = abs(x - y) <= 1e-9 * (1 + abs(x))
        assert (close | both_nan).all(), joined.filter(pl.Series(~(close | both_nan)))


def test_scheme_with_a_mapping_on_spark_equals_memory(raw_on_spark: Any, csv_path: Path) -> None:
    memory = run_scheme(SCHEME, csv_path, mapping=MAPPING, draws=0)
    on_spark = run_scheme(SCHEME, raw_on_spark, mapping=str(MAPPING), draws=0)
    _same(memory.table, on_spark.table, ["variant", "indicator", "group"])


def test_simulation_with_a_mapping_on_spark_equals_memory(
    raw_on_spark: Any, csv_path: Path
) -> None:
    rules = load_rules(text=PENSION)
    memory = simulate(rules, csv_path, period=2025, mapping=MAPPING, breakdowns=False)
    on_spark = simulate(rules, raw_on_spark, period=2025, mapping=MAPPING, breakdowns=False)
    assert type(on_spark.run.frame).__module__.startswith("pyspark.sql")
    key = ["section", "scenario", "programme", "indicator", "line", "by", "group"]
    _same(memory.impact.table, on_spark.impact.table, key)
