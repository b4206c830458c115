"""Applying a mapping: codes and labels recoded, ILO informality, household benefits, errors."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from socialcover.errors import InputError
from socialcover.survey.io import Mapping, apply_mapping, load_survey, read_value_labels


def _mapped(path: Path, raw: dict[str, Any]) -> pl.DataFrame:
    return load_survey(path, Mapping.from_dict(copy.deepcopy(raw)))


@pytest.mark.parametrize("fixture", ["dta_file", "sav_file"])
def test_codes_and_labels_both_select_values(
    fixture: str, request: pytest.FixtureRequest, mapping_dict: dict[str, Any]
) -> None:
    df = _mapped(request.getfixturevalue(fixture), mapping_dict)
    assert df["sex"].to_list() == [
        "male",
        "female",
        "male",
        "male",
        "female",
        "male",
        "female",
        "female",
    ]
    assert df["urban"].to_list()[3:5] == ["rural", "rural"]
    assert df["labour_status"].to_list()[:3] == ["employed", "employed", None]


def test_ilo_rules_make_informal_jobs(dta_file: Path, mapping_dict: dict[str, Any]) -> None:
    df = _mapped(dta_file, mapping_dict).select("person_id", "status_in_employment", "informal")
    got = dict(zip(df["person_id"].to_list(), df["informal"].to_list(), strict=True))
    assert got[11] == 1  # employee whose employer does not contribute
    assert got[12] == 0  # own-account worker in a registered unit
    assert got[31] == 1  # employer of an unregistered unit
    assert got[32] == 1  # contributing family workers are always informal
    assert got[13] is None and got[21] is None  # not employed: no job to classify


def test_monthly_money_becomes_yearly_and_household_benefits_are_shared(
    dta_file: Path, mapping_dict: dict[str, Any]
) -> None:
    df = _mapped(dta_file, mapping_dict)
    assert df["welfare"][0] == 900 * 12
    assert df["poverty_line"][0] == 50 * 12
    assert df.filter(pl.col("person_id") == 21)["amount_old_age"][0] == 300 * 12
    hh1 = df.filter(pl.col("hh_id") == 1)
    assert hh1["receives_social_assistance"].to_list() == [1, 1, 1]
    assert hh1["amount_social_assistance"].sum() == pytest.approx(50 * 12)
    assert df["receives_old_age"].sum() == 1
    assert df["welfare_scale"].to_list()[:3] == [3.0, 3.0, 3.0]


def test_unmapped_codes_name_the_variable_and_the_values_found(
    dta_file: Path, mapping_dict: dict[str, Any]
) -> None:
    raw = mapping_dict
    raw["concepts"]["status_in_employment"]["values"].pop("contributing_family")
    raw["concepts"]["informal"]["employer_contributes"]["missing"] = []
    with pytest.raises(InputError) as info:
        _mapped(dta_file, raw)
    err = info.value
    assert err.code == "survey.mapping-mismatch"
    assert 'variable "status" (status_in_employment) has values not in the mapping' in err.message
    assert '4 "Family worker" (1 rows)' in err.message
    assert len(err.context["problems"]) == 1  # the ILO rule is not checked before its inputs


def test_every_missing_variable_is_listed_with_close_names(
    dta_file: Path, mapping_dict: dict[str, Any]
) -> None:
    raw = mapping_dict
    raw["design"]["weight"] = "wgt2"
    raw["concepts"]["age"] = "AGE_YEARS"
    with pytest.raises(InputError) as info:
        _mapped(dta_file, raw)
    msg = info.value.message
    assert 'variable "wgt2" named for weight is not in the data; columns like it: wgt' in msg
    assert 'variable "AGE_YEARS" named for age' in msg
    assert "2 problem(s)" in msg


def test_label_that_does_not_exist_is_reported(
    dta_file: Path, mapping_dict: dict[str, Any]
) -> None:
    raw = mapping_dict
    raw["concepts"]["sex"]["values"]["male"] = ["Man"]
    with pytest.raises(InputError) as info:
        _mapped(dta_file, raw)
    assert 'code "Man" is not a value label of "sex"' in info.value.message
    assert '1 "Male"' in info.value.message


def test_text_where_a_number_is_needed(
    coded_frame: Any, mapping_dict: dict[str, Any], value_labels: dict[str, Any]
) -> None:
    frame = pl.from_pandas(coded_frame).with_columns(pl.col("age").cast(pl.Utf8))
    frame = frame.with_columns(
        pl.when(pl.col("pid") == 12).then(pl.lit("forty")).otherwise("age").alias("age")
    )
    with pytest.raises(InputError) as info:
        apply_mapping(frame, Mapping.from_dict(mapping_dict), value_labels=value_labels)
    assert "\"age\" (age) must be numeric; values found: 'forty'" in info.value.message


def test_negative_weights_are_refused(
    coded_frame: Any, mapping_dict: dict[str, Any], value_labels: dict[str, Any]
) -> None:
    frame = pl.from_pandas(coded_frame).with_columns(pl.col("wgt") * -1)
    with pytest.raises(InputError) as info:
        apply_mapping(frame, Mapping.from_dict(mapping_dict), value_labels=value_labels)
    assert "weight has 8 missing or negative values" in info.value.message


def test_category_without_recode_must_hold_the_standard_values() -> None:
    m = Mapping.from_dict({"design": {"weight": "w"}, "concepts": {"sex": "s"}})
    frame = pl.DataFrame({"w": [1.0, 1.0], "s": ["male", "M"]})
    with pytest.raises(InputError) as info:
        apply_mapping(frame, m)
    assert "'M'" in info.value.message and "male, female" in info.value.message


def test_relative_poverty_line_is_a_share_of_the_weighted_median() -> None:
    m = Mapping.from_dict(
        {
            "design": {"weight": "w"},
            "concepts": {"welfare": "y", "poverty_line": {"relative_to_median": 0.5}},
        }
    )
    frame = pl.DataFrame({"w": [1.0, 1.0, 5.0], "y": [10.0, 20.0, 40.0]})
    assert apply_mapping(frame, m)["poverty_line"][0] == 20.0


def test_value_labels_are_only_needed_for_label_codes(dta_file: Path) -> None:
    labels = read_value_labels(dta_file)
    assert "sex" in labels
