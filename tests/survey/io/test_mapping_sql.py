"""A mapping applied where the data lie: a DuckDB relation and a Spark DataFrame give the
persons the in-memory path gives, and the same problems when the data do not fit."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from socialcover.errors import InputError
from socialcover.survey.io import Mapping, apply_mapping, read_value_labels


def _frames(frame: pl.DataFrame, tmp_path: Path, spark: Any | None) -> dict[str, Any]:
    """The same persons as a Polars frame, a DuckDB relation and (given a session) on Spark,
    the last two read from Parquet as a statistics office would hand them over."""
    path = tmp_path / "persons.parquet"
    frame.write_parquet(path)
    out: dict[str, Any] = {"polars": frame, "duckdb": duckdb.connect().read_parquet(str(path))}
    if spark is not None:
        out["spark"] = spark.read.parquet(str(path))  # type: ignore[attr-defined]
    return out


def _collect(mapped: Any) -> pl.DataFrame:
    if isinstance(mapped, pl.DataFrame):
        return mapped
    if isinstance(mapped, duckdb.DuckDBPyRelation):
        return mapped.pl()
    return pl.DataFrame(mapped.toArrow())


def _same(a: pl.DataFrame, b: pl.DataFrame, key: str = "person_id") -> None:
    assert a.columns == b.columns
    assert_frame_equal(a.sort(key), b.sort(key), check_dtypes=False)


def _coded(coded_frame: Any) -> pl.DataFrame:
    return pl.from_pandas(coded_frame)


def _mapped_everywhere(
    frame: pl.DataFrame, raw: dict[str, Any], tmp_path: Path, spark: Any | None, labels: Any
) -> dict[str, pl.DataFrame]:
    m = Mapping.from_dict(copy.deepcopy(raw))
    return {
        name: _collect(apply_mapping(data, m, value_labels=labels))
        for name, data in _frames(frame, tmp_path, spark).items()
    }


def _errors_everywhere(
    frame: pl.DataFrame, raw: dict[str, Any], tmp_path: Path, spark: Any | None, labels: Any
) -> dict[str, InputError]:
    m = Mapping.from_dict(copy.deepcopy(raw))
    out = {}
    for name, data in _frames(frame, tmp_path, spark).items():
        with pytest.raises(InputError) as info:
            _collect(apply_mapping(data, m, value_labels=labels))
        out[name] = info.value
    return out


def test_duckdb_relation_is_mapped_in_sql_as_in_memory(
    coded_frame: Any, mapping_dict: dict[str, Any], value_labels: Any, tmp_path: Path
) -> None:
    relation = duckdb.connect().from_arrow(_coded(coded_frame).to_arrow())
    mapped = apply_mapping(relation, Mapping.from_dict(mapping_dict), value_labels=value_labels)
    assert isinstance(mapped, duckdb.DuckDBPyRelation)  # lazy, where the data are
    got = _mapped_everywhere(_coded(coded_frame), mapping_dict, tmp_path, None, value_labels)
    _same(got["polars"], got["duckdb"])
    _same(got["polars"], mapped.pl())
    assert got["duckdb"]["informal"].to_list() == [1, 0, None, None, None, 1, 1, None]
    assert got["duckdb"]["amount_social_assistance"].to_list()[:3] == [200.0, 200.0, 200.0]


def test_labels_from_a_stata_file_select_codes_in_sql(
    dta_file: Path, mapping_dict: dict[str, Any], tmp_path: Path
) -> None:
    labels = read_value_labels(dta_file)
    frame = pl.from_pandas(__import__("pyreadstat").read_dta(str(dta_file))[0])
    got = _mapped_everywhere(frame, mapping_dict, tmp_path, None, labels)
    _same(got["polars"], got["duckdb"])


def test_relative_poverty_line_and_per_capita_scale_in_sql(tmp_path: Path) -> None:
    raw = {
        "design": {"weight": "w"},
        "concepts": {
            "hh_id": "h",
            "person_id": "p",
            "welfare": "y",
            "poverty_line": {"relative_to_median": 0.5},
            "sex": "s",
            "contributes": "c",
        },
    }
    frame = pl.DataFrame(
        {
            "p": [1, 2, 3, 4],
            "h": [1, 1, 2, 3],
            "w": [1.0, 1.0, 5.0, 1.0],
            "y": [10.0, 20.0, 40.0, None],
            "s": ["male", "female", None, "male"],
            "c": ["true", "0", "1", None],
        }
    )
    got = _mapped_everywhere(frame, raw, tmp_path, None, None)
    _same(got["polars"], got["duckdb"])
    assert got["duckdb"]["poverty_line"][0] == 20.0
    assert got["duckdb"]["welfare_scale"].to_list() == [2.0, 2.0, 1.0, 1.0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda raw: raw["concepts"]["status_in_employment"]["values"].pop(
                "contributing_family"
            ),
            '4 "Family worker" (1 rows)',
        ),
        (
            lambda raw: raw["design"].update(weight="wgt2"),
            'variable "wgt2" named for weight is not in the data; columns like it: wgt',
        ),
        (
            lambda raw: raw["concepts"]["sex"]["values"].update(male=["Man"]),
            'code "Man" is not a value label of "sex"',
        ),
    ],
)
def test_problems_are_the_same_in_sql(
    coded_frame: Any,
    mapping_dict: dict[str, Any],
    value_labels: Any,
    tmp_path: Path,
    change: Any,
    expected: str,
) -> None:
    change(mapping_dict)
    errors = _errors_everywhere(_coded(coded_frame), mapping_dict, tmp_path, None, value_labels)
    assert errors["polars"].code == errors["duckdb"].code == "survey.mapping-mismatch"
    assert expected in errors["duckdb"].message
    assert errors["duckdb"].message == errors["polars"].message


def test_text_numbers_and_bad_weights_in_sql(
    coded_frame: Any, mapping_dict: dict[str, Any], value_labels: Any, tmp_path: Path
) -> None:
    frame = _coded(coded_frame).with_columns(
        pl.when(pl.col("pid") == 12).then(pl.lit("forty")).otherwise("age").alias("age")
    )
    errors = _errors_everywhere(frame, mapping_dict, tmp_path, None, value_labels)
    assert "\"age\" (age) must be numeric; values found: 'forty'" in errors["duckdb"].message
    assert errors["duckdb"].message == errors["polars"].message
    negative = _coded(coded_frame).with_columns(pl.col("wgt") * -1)
    errors = _errors_everywhere(negative, mapping_dict, tmp_path, None, value_labels)
    assert "weight has 8 missing or negative values (values -100" in errors["duckdb"].message


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark_frame_is_mapped_as_duckdb_and_in_memory(
    spark: Any, coded_frame: Any, mapping_dict: dict[str, Any], value_labels: Any, tmp_path: Path
) -> None:
    frame = _coded(coded_frame)
    m = Mapping.from_dict(copy.deepcopy(mapping_dict))
    lazy = apply_mapping(spark.read.parquet(_write(frame, tmp_path)), m, value_labels=value_labels)
    assert type(lazy).__name__ == "DataFrame" and type(lazy).__module__.startswith("pyspark")
    got = _mapped_everywhere(frame, mapping_dict, tmp_path, spark, value_labels)
    _same(got["polars"], got["spark"])
    _same(got["duckdb"], got["spark"])
    raw = {
        "design": {"weight": "w"},
        "concepts": {"person_id": "p", "hh_id": "h", "welfare": "y"},
    }
    raw["concepts"]["poverty_line"] = {"relative_to_median": 0.6}  # type: ignore[assignment]
    people = pl.DataFrame(
        {"p": range(9), "h": [1, 1, 2, 3, 3, 3, 4, 5, 5], "w": [1.0, 2.0] * 4 + [3.0]}
    ).with_columns(y=pl.col("p") * 1000.0)
    (tmp_path / "b").mkdir()
    got = _mapped_everywhere(people, raw, tmp_path / "b", spark, None)
    _same(got["polars"], got["spark"])


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark_problems_are_the_in_memory_problems(
    spark: Any, coded_frame: Any, mapping_dict: dict[str, Any], value_labels: Any, tmp_path: Path
) -> None:
    mapping_dict["concepts"]["status_in_employment"]["values"].pop("contributing_family")
    mapping_dict["concepts"]["age"] = "AGE_YEARS"
    errors = _errors_everywhere(_coded(coded_frame), mapping_dict, tmp_path, spark, value_labels)
    assert errors["spark"].code == "survey.mapping-mismatch"
    assert errors["spark"].message == errors["polars"].message
    assert "2 problem(s)" in errors["spark"].message


def _write(frame: pl.DataFrame, tmp_path: Path) -> str:
    path = tmp_path / "one.parquet"
    frame.write_parquet(path)
    return str(path)
