"""The compiled NumPy program (run_rules on data in memory) agrees with the reference evaluator and
with DuckDB, on sorted and shuffled persons, with categories as strings or dictionaries."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcover.microsim import MicrosimDataError, load_rules, run_rules
from socialcover.microsim.reference import evaluate_reference
from socialcover.microsim.rules import RuleSet

from .populations import random_population
from .test_reference_agrees_with_duckdb import (
    EXPRESSIONS,
    PARAMETER,
    _rules,
    assume_order_free,
    expression_population,
)


def _check(rules: RuleSet, df: pl.DataFrame, period: int, backend: str = "auto") -> None:
    steps = [s.name for s in rules.steps]
    out = run_rules(rules, df, period, outputs=steps, keep=["person_id"], backend=backend)
    assert out.backend == ("duckdb" if backend == "duckdb" else "arrays")
    npy = evaluate_reference(rules, {c: df[c].to_numpy() for c in df.columns}, period)
    assert out.persons["person_id"].to_list() == df["person_id"].to_list()  # input order
    assert out.households["hh_id"].to_list() == sorted(set(df["hh_id"].to_list()))
    per_person = df.select("hh_id").join(out.households, on="hh_id", how="left")
    for step in rules.steps:
        frame = out.persons if step.entity == "person" else per_person
        got = frame[step.name].to_numpy()
        if step.unit.kind == "bool":
            np.testing.assert_array_equal(got, npy[step.name], err_msg=step.name)
        else:
            np.testing.assert_allclose(got, npy[step.name], rtol=1e-9, atol=1e-6, err_msg=step.name)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n_households=st.integers(1, 60),
    amount=st.floats(0, 1000, allow_nan=False),
    maxage=st.integers(0, 25),
    rate=st.floats(0, 1.5, allow_nan=False),
    shuffle=st.booleans(),
    categorical=st.booleans(),
)
def test_every_construct_agrees(
    seed: int,
    n_households: int,
    amount: float,
    maxage: int,
    rate: float,
    shuffle: bool,
    categorical: bool,
) -> None:
    df = random_population(n_households, seed)
    if shuffle:
        df = df.sample(fraction=1.0, shuffle=True, seed=seed % 1000)
    if categorical:
        df = df.with_columns(
            pl.col("sex", "labour_status").cast(pl.Categorical), pl.col("age").cast(pl.Int64)
        )
    _check(_rules(amount, maxage, rate, 2000.0), df, 2025)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=EXPRESSIONS, seed=st.integers(0, 2**32 - 1), k=PARAMETER)
def test_random_expressions_agree(expr: str, seed: int, k: float) -> None:
    rules = load_rules(
        text=f"""
inputs:
  x: {{unit: 1}}
  y: {{unit: 1}}
  w: {{unit: 1}}
parameters:
  k: {{unit: 1, values: {{2020-01-01: {k}}}}}
variables:
  z: {{unit: 1, formula: "{expr}"}}
  hz: {{entity: household, unit: 1, formula: "hh_sum(z) + hh_size()"}}
programmes:
  prog_free:
    eligibility: z > hz
    amount: "max(0, z) * 0 + 1"
"""
    )
    df = expression_population(seed)
    assume_order_free(rules, df, 2025)
    _check(rules, df, 2025)


def test_duckdb_backend_returns_the_same_frames() -> None:
    df = random_population(40, 5).sample(fraction=1.0, shuffle=True, seed=1)
    rules = _rules(300.0, 18, 0.5, 2500.0)
    _check(rules, df, 2025, backend="duckdb")
    a = run_rules(rules, df, 2025, keep=["person_id"])
    b = run_rules(rules, df, 2025, keep=["person_id"], backend="duckdb")
    assert a.persons.columns == b.persons.columns
    assert a.households.columns == b.households.columns


def test_parquet_runs_in_memory_when_it_fits_and_on_duckdb_otherwise(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    df = random_population(30, 2)
    path = tmp_path / "people.parquet"
    df.write_parquet(path)
    rules = _rules(300.0, 18, 0.5, 2500.0)
    in_memory = run_rules(rules, df, 2025)
    fits = run_rules(rules, str(path), 2025)
    # a machine with no memory to spare: the same file runs on DuckDB, out of core
    monkeypatch.setattr("socialcover.microsim.arrow_io._available_bytes", lambda: 0)
    too_big = run_rules(rules, str(path), 2025)
    assert (fits.backend, too_big.backend, in_memory.backend) == ("arrays", "duckdb", "arrays")
    for on_disk in (fits, too_big):
        assert on_disk.persons.columns == in_memory.persons.columns
        for name in on_disk.households.columns:
            np.testing.assert_allclose(on_disk.households[name], in_memory.households[name])
        for name in on_disk.persons.columns:
            np.testing.assert_allclose(on_disk.persons[name], in_memory.persons[name])


def test_duckdb_relation_runs_on_either_backend() -> None:
    import duckdb

    df = random_population(25, 4)
    rules = _rules(300.0, 18, 0.5, 2500.0)
    con = duckdb.connect()
    rel = con.from_arrow(df.to_arrow())
    on_duckdb = run_rules(rules, rel, 2025, keep=["person_id"])
    on_arrays = run_rules(rules, rel, 2025, keep=["person_id"], backend="arrays")
    assert (on_duckdb.backend, on_arrays.backend) == ("duckdb", "arrays")
    assert on_duckdb.persons["person_id"].to_list() == df["person_id"].to_list()
    for name in on_duckdb.households.columns:
        np.testing.assert_allclose(on_duckdb.households[name], on_arrays.households[name])


def test_missing_values_without_default_are_an_error() -> None:
    rules = load_rules(text="programmes: {p1: {eligibility: age >= 65, amount: 100}}")
    df = pl.DataFrame({"hh_id": [1, 2], "age": [70.0, None], "welfare": [1.0, 1.0]})
    with pytest.raises(MicrosimDataError, match="missing value"):
        run_rules(rules, df, 2025)
    with pytest.raises(MicrosimDataError, match="backend"):
        run_rules(rules, df, 2025, backend="gpu")


def test_overflow_gives_infinity_as_sql_does() -> None:
    """Beyond the float range a value is +-inf in every back-end, without a warning.

    Warnings are errors in the test run, so NumPy's overflow warning would fail this test.
    """
    rules = load_rules(
        text="""
inputs:
  x: {unit: 1}
parameters:
  k: {unit: 1, values: {2020-01-01: 2.225073858507203e-309}}
variables:
  z: {unit: 1, formula: "0 - x / p.k"}
programmes:
  prog_free:
    eligibility: z > 0
    amount: "1"
"""
    )
    df = random_population(5, 1).with_columns(x=pl.lit(3.0))
    for backend in ("auto", "duckdb"):
        _check(rules, df, 2025, backend=backend)
    z = run_rules(rules, df, 2025, outputs=["z"]).persons["z"].to_numpy()
    assert np.isneginf(z).all()


@pytest.mark.parametrize("k", [18.0, 17.5, -0.0, 2.0**53, 1e300, -1e300])
def test_integer_columns_compared_with_parameters(k: float) -> None:
    """Integer ages against whole and fractional thresholds (whole ones are compared as integers
    to spare the cast): the same flags as the reference and DuckDB, at every comparison."""
    ops = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}
    variables = "\n".join(f"  {n}: {{unit: bool, formula: age {op} p.k}}" for n, op in ops.items())
    rules = load_rules(
        text=f"""
parameters:
  k: {{unit: years, values: {{2020-01-01: {k!r}}}}}
variables:
{variables}
programmes:
  prog: {{eligibility: lt or eq, amount: "1"}}
"""
    )
    df = random_population(30, 3).with_columns(pl.col("age").cast(pl.Int64))
    df = df.with_columns(age=pl.when(pl.col("person_id") % 5 == 0).then(18).otherwise("age"))
    for backend in ("auto", "duckdb"):
        _check(rules, df, 2025, backend=backend)


@pytest.mark.parametrize("spread", [False, True])
def test_households_cut_into_pieces_give_the_same_values(
    monkeypatch: pytest.MonkeyPatch, spread: bool
) -> None:
    """Large sorted populations are evaluated in runs of whole households (many, on every
    core): the values and their order are those of one run over everyone, joined or as
    pieces."""
    from socialcover.microsim import array_program
    from socialcover.microsim.execution import prepare_columns

    df = random_population(60, 9).with_columns(pl.col("labour_status").cast(pl.Categorical))
    rules = _rules(300.0, 18, 0.5, 2500.0)
    names = [s.name for s in rules.steps]
    entity = {s.name: s.entity for s in rules.steps}
    program = array_program.compile_arrays(rules, 2025)
    table = df.to_arrow()
    columns = prepare_columns(rules, table, program.inputs, df.height)
    hh_id = df["hh_id"].to_numpy()
    whole = array_program.run_program(program, columns, hh_id, names, entity, spread)
    monkeypatch.setattr(array_program, "PIECE_PERSONS", 7)
    pieces = array_program._pieces(hh_id, 4)
    assert len(pieces) >= 4
    assert [p.start for p in pieces[1:]] == [p.stop for p in pieces[:-1]]
    assert all(hh_id[p.start - 1] != hh_id[p.start] for p in pieces[1:])  # whole households
    cut = array_program.run_program(program, columns, hh_id, names, entity, spread, cores=4)
    one_core = array_program.run_program(program, columns, hh_id, names, entity, spread, cores=1)
    parts = array_program.run_program(
        program, columns, hh_id, names, entity, spread, cores=2, join=False
    )
    joined = tuple({k: array_program.concat_pieces(v) for k, v in side.items()} for side in parts)
    for other in (one_core, joined):
        for a, b in zip(cut, other, strict=True):
            assert list(a) == list(b)
            for name in a:
                x = a[name].decode() if isinstance(a[name], array_program.Codes) else a[name]
                y = b[name].decode() if isinstance(b[name], array_program.Codes) else b[name]
                assert np.array_equal(x, y), name
    for a, b in zip(whole, cut, strict=True):
        assert list(a) == list(b)
        for name in a:
            x = a[name].decode() if isinstance(a[name], array_program.Codes) else a[name]
            y = b[name].decode() if isinstance(b[name], array_program.Codes) else b[name]
            np.testing.assert_array_equal(x, y, err_msg=name)
    # and through run_rules, on whatever cores this machine has
    one = run_rules(rules, df, 2025, outputs=names, keep=["person_id"], spread=spread)
    monkeypatch.setattr(array_program, "PIECE_PERSONS", 1)
    many = run_rules(rules, df, 2025, outputs=names, keep=["person_id"], spread=spread)
    assert one.persons.equals(many.persons) and one.households.equals(many.households)
