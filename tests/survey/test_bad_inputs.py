"""Bad inputs give coded errors that say what, why and how to fix."""

from __future__ import annotations

import polars as pl
import pytest

from socialcover.errors import SocialcoverError
from socialcover.survey import (
    ColumnCaseError,
    Design,
    DesignError,
    EstimateError,
    LonelyPsuError,
    NestingError,
    Sample,
    UnknownColumnError,
    WeightError,
)

DF = pl.DataFrame(
    {
        "w": [1.0, 2.0, 1.5, 2.0, 1.0, 3.0],
        "h": [1, 1, 1, 2, 2, 2],
        "psu": [1, 1, 2, 1, 2, 2],
        "y": [1.0, 0.0, 1.0, 1.0, 0.0, 1.0],
    }
)


def test_unknown_design_column_names_the_column_and_a_close_match() -> None:
    with pytest.raises(UnknownColumnError) as err:
        Sample(DF, Design(weights="wt"))
    assert err.value.code == "survey.unknown-column"
    assert "'wt'" in err.value.message and "'w'" in err.value.hint
    assert isinstance(err.value, KeyError) and isinstance(err.value, SocialcoverError)


def test_unknown_variable_and_by_column() -> None:
    s = Sample(DF, Design(weights="w"))
    with pytest.raises(UnknownColumnError, match="'yy'"):
        s.mean("yy")
    with pytest.raises(UnknownColumnError, match="'sex'"):
        s.mean("y", by="sex")
    with pytest.raises(UnknownColumnError):
        s.mean("y", where="age > 3")


def test_non_positive_weights() -> None:
    with pytest.raises(WeightError) as err:
        Sample(DF.with_columns(pl.col("w").replace(2.0, 0.0)), Design(weights="w"))
    assert err.value.code == "survey.bad-weight" and "minimum 0" in err.value.message
    with pytest.raises(WeightError, match="missing"):
        Sample(DF.with_columns(pl.col("w").replace(2.0, None)), Design(weights="w"))


def test_psu_split_across_strata_without_nest() -> None:
    d = Design(weights="w", strata="h", psu="psu")
    with pytest.raises(NestingError) as err:
        Sample(DF, d)
    assert err.value.code == "survey.psu-not-nested" and "nest=True" in err.value.hint
    # with nest=True the same ids are distinct PSUs
    s = Sample(DF, Design(weights="w", strata="h", psu="psu", nest=True))
    assert s.n_psu == 4 and s.df == 2


def test_lonely_psu_under_fail_names_the_stratum_and_the_rules() -> None:
    df = DF.with_columns(pl.Series("h", [1, 1, 1, 2, 2, 3]), pl.Series("psu", [1, 1, 2, 3, 3, 4]))
    with pytest.raises(LonelyPsuError) as err:
        Sample(df, Design(weights="w", strata="h", psu="psu"))
    assert err.value.code == "survey.lonely-psu"
    assert "'2'" in err.value.message and "adjust" in err.value.hint
    assert isinstance(err.value, ValueError)
    assert Sample(df, Design(weights="w", strata="h", psu="psu", lonely_psu="remove")).n_psu == 4


def test_columns_differing_by_case_are_named_exactly_and_refused_in_expressions() -> None:
    # R's fpc example data has both nh and Nh: plain names are quoted exactly (DuckDB would
    # read "Nh" as nh); free SQL expressions naming either are refused, as the engine folds case
    df = DF.with_columns((pl.col("h") * 10).alias("H"))
    s = Sample(df, Design(weights="w"))
    ref = Sample(df.rename({"H": "big"}), Design(weights="w"))
    assert s.mean("H").estimate[0] == pytest.approx(ref.mean("big").estimate[0], rel=1e-15)
    assert s.mean("h").estimate[0] == pytest.approx(ref.mean("h").estimate[0], rel=1e-15)
    by_h = s.mean("y", by="H").to_polars()
    assert by_h["H"].to_list() == [10, 20]
    strat = Sample(df, Design(weights="w", strata="H"))
    assert strat.n_strata == 2
    for call in (
        lambda: s.mean("y", where="H > 1"),
        lambda: s.quantile("y", where="h = 1"),
        lambda: s.total('"h" * 2'),
    ):
        with pytest.raises(ColumnCaseError, match="differ only by letter case"):
            call()
    # a string literal spelling the name is not a column
    assert s.mean("y", where="'H' = 'H'").n[0] == DF.height


def test_lonely_psu_message_keeps_the_stratum_name_as_written() -> None:
    df = DF.with_columns(
        pl.Series("h", ["NORTH", "NORTH", "NORTH", "South", "South", "EAST"]),
        pl.Series("psu", [1, 1, 2, 3, 4, 5]),
    )
    with pytest.raises(LonelyPsuError) as err:
        Sample(df, Design(weights="w", strata="h", psu="psu"))
    assert "'EAST'" in err.value.message and "Stratum 'EAST'" in err.value.message


def test_unknown_lonely_rule_and_too_many_fpcs() -> None:
    with pytest.raises(DesignError, match="lonely_psu='drop'"):
        Design(lonely_psu="drop")  # type: ignore[arg-type]
    with pytest.raises(DesignError, match="fpc"):
        Design(psu="psu", fpc=("a", "b"))


def test_fpc_above_population_is_refused() -> None:
    df = DF.with_columns(pl.lit(1.5).alias("N"))
    with pytest.raises(DesignError, match="100%"):
        Sample(df, Design(weights="w", psu="psu", strata="h", nest=True, fpc="N"))


def test_missing_values_raise_unless_na_rm() -> None:
    df = DF.with_columns(pl.Series("y", [1.0, None, 1.0, 1.0, 0.0, 1.0]))
    s = Sample(df, Design(weights="w"))
    with pytest.raises(EstimateError) as err:
        s.mean("y")
    assert err.value.code == "survey.missing-values" and "na_rm=True" in err.value.hint
    assert s.mean("y", na_rm=True).n[0] == 5


def test_proportion_of_a_non_binary_variable() -> None:
    s = Sample(DF.with_columns(pl.col("y") * 2), Design(weights="w"))
    with pytest.raises(EstimateError, match="0/1"):
        s.proportion("y")


def test_bad_sql_expression_is_translated() -> None:
    s = Sample(DF, Design(weights="w"))
    with pytest.raises(SocialcoverError):
        s.mean("y +* 2")


def test_weights_from_the_fpc_need_one_fpc_per_stage() -> None:
    # weights implied by the fpc multiply every stage's fraction: a stage without one is refused,
    # never silently weight 1
    df = DF.with_columns(pl.lit(10).alias("N1"), pl.Series("ssu", [1, 2, 3, 4, 5, 6]))
    with pytest.raises(DesignError) as err:
        Sample(df, Design(psu=("psu", "ssu"), fpc="N1"))
    assert err.value.code == "survey.bad-fpc" and "weights" in err.value.hint


def test_weights_from_the_fpc_of_an_element_design() -> None:
    # R: svydesign(id=~1, strata=~h, fpc=~N) without weights weighs each row N_h / n_h
    df = DF.with_columns(pl.Series("N", [30, 30, 30, 9, 9, 9]))
    s = Sample(df, Design(strata="h", fpc="N"))
    assert s.total("1").estimate[0] == pytest.approx(39.0, rel=1e-14)
