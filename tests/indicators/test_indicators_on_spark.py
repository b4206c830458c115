"""The indicator table given a Spark DataFrame: a coded error that says what to do."""

from __future__ import annotations

from typing import Any

import pytest

from socialcover.errors import InputError
from socialcover.indicators import compute_indicators
from socialcover.testing import synthetic_survey

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def test_indicator_table_refuses_a_spark_frame_with_a_hint(spark: Any) -> None:
    sdf = spark.createDataFrame(synthetic_survey(200, seed=1).to_arrow())
    with pytest.raises(InputError) as err:
        compute_indicators(sdf)
    assert err.value.code == "indicators.spark-not-supported"
    assert "Parquet" in err.value.hint
