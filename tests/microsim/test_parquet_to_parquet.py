"""From a Parquet file to Parquet results (``run_rules(..., out=folder)``): the array program and
DuckDB write what the reference evaluator computes, with missing values and the rules' edge
cases, and the way there imports neither pandas nor Polars."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from socialcover.microsim import MicrosimDataError, load_rules, run_rules
from socialcover.microsim.reference import evaluate_reference
from socialcover.microsim.rules import RuleSet

from .populations import random_population
from .test_reference_agrees_with_duckdb import _rules

# OpenFisca's country template, as benchmarks/microsim.py runs it
TEMPLATE = """
inputs:
  salary: {unit: LCU/month, default: 0}
  role: {unit: category}
parameters:
  general.age_of_majority: {unit: years, values: {1945-01-01: 21, 1971-01-01: 18}}
  benefits.basic_income: {unit: LCU/month, values: {2015-12-01: 600}}
  benefits.parenting_allowance.amount: {unit: LCU/month, values: {2015-12-01: 600}}
  benefits.parenting_allowance.income_threshold: {unit: LCU/month, values: {2015-12-01: 500}}
variables:
  household_income: {entity: household, unit: LCU/month, formula: hh_sum(salary)}
programmes:
  basic_income:
    entity: person
    eligibility: age >= p.general.age_of_majority
    amount: annual(p.benefits.basic_income)
  parenting_allowance:
    entity: household
    eligibility: >-
      household_income <= p.benefits.parenting_allowance.income_threshold
      and ((hh_count(role == "adult") == 1 and hh_any(age < 8)) or hh_any(age < 6))
    amount: annual(p.benefits.parenting_allowance.amount)
income_before_programmes: 0
"""

# Households at each edge of the two rules (ids out of order, members not contiguous):
# 10: one adult aged exactly 18, a child of 7, salaries exactly at the threshold -> both pay
# 20: an adult of 17 with a child of 7 -> no basic income; one "adult" and a child under 8
# 30: two adults and a child of 7, no salary -> nothing (two adults, no child under 6)
# 40: two adults and a child of 5 -> a child under 6 is enough
# 50: one adult over the threshold by a cent -> nothing
# 60: a missing salary (the default, 0) and a missing role (not an adult) with a child of 5
EDGES = pl.DataFrame(
    {
        "hh_id": [30, 10, 10, 20, 20, 30, 30, 40, 40, 40, 50, 50, 60, 60],
        "age": [40, 18, 7, 17, 7, 35, 7, 30, 31, 5, 25, 3, 20, 5],
        "salary": [0.0, 250.0, 250.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 500.01, 0, None, 0.0],
        "role": [
            "adult",
            "adult",
            "child",
            "adult",
            "child",
            "adult",
            "child",
            "adult",
            "adult",
            "child",
            "adult",
            "child",
            None,
            "child",
        ],
        "person_id": list(range(14)),
    }
).with_columns(pl.col("role").cast(pl.Categorical))
EXPECTED_PERSONS = [7200.0 * (a >= 18) for a in EDGES["age"]]
EXPECTED_HOUSEHOLDS = {10: 7200.0, 20: 7200.0, 30: 0.0, 40: 7200.0, 50: 0.0, 60: 7200.0}


def _run(
    rules: RuleSet, path: Path, folder: Path, backend: str, period: str = "2024-01", **kw: object
) -> tuple:  # type: ignore[type-arg]
    out = run_rules(rules, path, period, out=folder, backend=backend, **kw)  # type: ignore[arg-type]
    assert out.persons == folder / "persons.parquet"
    assert out.households == folder / "households.parquet"
    assert sorted(p.name for p in folder.iterdir()) == ["households.parquet", "persons.parquet"]
    return out.backend, pl.read_parquet(out.persons), pl.read_parquet(out.households)


@pytest.mark.parametrize("backend", ["auto", "duckdb"])
def test_template_rules_at_their_edges(tmp_path: Path, backend: str) -> None:
    path = tmp_path / "people.parquet"
    EDGES.write_parquet(path)
    rules = load_rules(text=TEMPLATE)
    ran, persons, households = _run(rules, path, tmp_path / "out", backend, keep=["person_id"])
    assert ran == ("arrays" if backend == "auto" else "duckdb")
    assert persons.columns == ["person_id", "basic_income"]  # household outputs: households
    assert persons["person_id"].to_list() == list(range(14))  # input order
    assert persons["basic_income"].to_list() == EXPECTED_PERSONS
    assert households["hh_id"].to_list() == sorted(EXPECTED_HOUSEHOLDS)
    assert households["parenting_allowance"].to_list() == [
        EXPECTED_HOUSEHOLDS[h] for h in sorted(EXPECTED_HOUSEHOLDS)
    ]
    # the reference evaluator agrees
    ref = evaluate_reference(rules, {c: EDGES[c].to_numpy() for c in EDGES.columns}, "2024-01")
    assert persons["basic_income"].to_list() == ref["basic_income"].tolist()


def _population(n_households: int, seed: int, shuffle: bool) -> pl.DataFrame:
    """Random persons with missing and not-a-number earnings (the default applies), missing
    categories, a flag with gaps, and categories stored as dictionaries."""
    df = random_population(n_households, seed)
    rng = np.random.default_rng(seed)
    earnings = df["earnings"].to_numpy().copy()
    earnings[rng.random(len(df)) < 0.1] = np.nan
    df = df.with_columns(
        pl.Series("earnings", earnings)
        .fill_nan(None)
        .set(pl.Series(rng.random(len(df)) < 0.05), np.nan),
        pl.col("labour_status").cast(pl.Categorical),
    )
    if shuffle:
        df = df.sample(fraction=1.0, shuffle=True, seed=seed % 1000)
    return df


@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure prints as found
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_households=st.integers(1, 50),
    amount=st.floats(0, 1000, allow_nan=False),
    maxage=st.integers(0, 25),
    rate=st.floats(0, 1.5, allow_nan=False),
    shuffle=st.booleans(),
)
def test_files_equal_the_reference(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    n_households: int,
    amount: float,
    maxage: int,
    rate: float,
    shuffle: bool,
) -> None:
    tmp = tmp_path_factory.mktemp("p2p")
    df = _population(n_households, seed, shuffle)
    rules = _rules(amount, maxage, rate, 2000.0)
    path = tmp / "people.parquet"
    df.write_parquet(path)
    names = [s.name for s in rules.steps]
    ref = evaluate_reference(rules, {c: df[c].to_numpy() for c in df.columns}, 2025)
    entity = {s.name: s.entity for s in rules.steps}
    for backend in ("arrays", "duckdb"):
        _, persons, households = _run(
            rules, path, tmp / backend, backend, "2025", outputs=names, keep=["person_id", "hh_id"]
        )
        assert persons["person_id"].to_list() == df["person_id"].to_list(), backend
        assert households["hh_id"].to_list() == sorted(set(df["hh_id"].to_list())), backend
        per_person = persons.select("hh_id").join(households, on="hh_id", how="left")
        for step in rules.steps:
            frame = persons if entity[step.name] == "person" else per_person
            got = frame[step.name].to_numpy()
            msg = f"{backend}: {step.name}"
            if step.unit.kind == "bool":
                np.testing.assert_array_equal(got, ref[step.name], err_msg=msg)
            else:
                np.testing.assert_allclose(got, ref[step.name], rtol=1e-9, atol=1e-6, err_msg=msg)


def test_spread_and_categories_written_as_the_frames_hold_them(tmp_path: Path) -> None:
    df = _population(30, 7, shuffle=True)
    rules = _rules(300.0, 18, 0.5, 2500.0)
    path = tmp_path / "people.parquet"
    df.write_parquet(path)
    names = [s.name for s in rules.steps]
    frames = run_rules(rules, df, 2025, outputs=names, keep=["person_id"], spread=True)
    for backend in ("arrays", "duckdb"):
        _, persons, households = _run(
            rules,
            path,
            tmp_path / backend,
            backend,
            "2025",
            outputs=names,
            keep=["person_id"],
            spread=True,
        )
        for got, want in ((persons, frames.persons), (households, frames.households)):
            assert got.columns == want.columns, backend
            for name in want.columns:
                a, b = got[name], want[name]
                if a.dtype.is_numeric():
                    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12, err_msg=name)
                else:
                    assert a.cast(pl.String).to_list() == b.cast(pl.String).to_list(), name


def test_files_written_piece_by_piece_equal_the_frames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sorted persons are evaluated in runs of whole households whose results go to the files
    as chunks: the same rows, in the same order, as the frames of one run over everyone."""
    from socialcover.microsim import array_program

    df = _population(40, 11, shuffle=False)
    rules = _rules(300.0, 18, 0.5, 2500.0)
    path = tmp_path / "people.parquet"
    df.write_parquet(path)
    names = [s.name for s in rules.steps]
    frames = run_rules(rules, df, 2025, outputs=names, keep=["person_id"], spread=True)
    monkeypatch.setattr(array_program, "PIECE_PERSONS", 5)
    assert len(array_program._pieces(df["hh_id"].to_numpy(), 2)) > 5
    _, persons, households = _run(
        rules,
        path,
        tmp_path / "out",
        "arrays",
        "2025",
        outputs=names,
        keep=["person_id"],
        spread=True,
    )
    for got, want in ((persons, frames.persons), (households, frames.households)):
        assert got.columns == want.columns
        for name in want.columns:
            a, b = got[name], want[name]
            if a.dtype.is_numeric():
                np.testing.assert_array_equal(a.to_numpy(), b.to_numpy(), err_msg=name)
            else:
                assert a.cast(pl.String).to_list() == b.cast(pl.String).to_list(), name


def test_parquet_to_parquet_imports_neither_pandas_nor_polars(tmp_path: Path) -> None:
    path = tmp_path / "people.parquet"
    EDGES.write_parquet(path)
    code = (
        "import sys\n"
        "from socialcover.microsim import load_rules, run_rules\n"
        f"rules = load_rules(text={TEMPLATE!r})\n"
        f"out = run_rules(rules, {str(path)!r}, '2024-01', out={str(tmp_path / 'out')!r})\n"
        "print(out.backend, ' '.join(sorted(m.split('.')[0] for m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    backend, *loaded = done.stdout.split()
    assert backend == "arrays"
    assert not {"pandas", "polars", "duckdb", "scipy"} & set(loaded)
    assert pl.read_parquet(tmp_path / "out" / "persons.parquet")["basic_income"].to_list() == (
        EXPECTED_PERSONS
    )


def test_out_that_is_a_file_is_refused_before_anything_runs(tmp_path: Path) -> None:
    path = tmp_path / "people.parquet"
    EDGES.write_parquet(path)
    taken = tmp_path / "results"
    taken.write_text("keep me")
    with pytest.raises(MicrosimDataError, match="is a file") as err:
        run_rules(load_rules(text=TEMPLATE), path, "2024-01", out=taken)
    assert err.value.code == "microsim.bad-output"
    assert taken.read_text() == "keep me"


def test_a_failed_run_leaves_no_file_and_a_new_run_replaces_the_old(tmp_path: Path) -> None:
    rules = load_rules(
        text=TEMPLATE.replace("salary: {unit: LCU/month, default: 0}", "salary: {unit: LCU/month}")
    )
    path = tmp_path / "people.parquet"
    EDGES.write_parquet(path)  # one salary is missing, and now has no default
    for backend in ("arrays", "duckdb"):
        folder = tmp_path / backend
        with pytest.raises(MicrosimDataError):
            run_rules(rules, path, "2024-01", out=folder, backend=backend)
        assert list(folder.iterdir()) == [], backend
    folder = tmp_path / "again"
    template = load_rules(text=TEMPLATE)
    run_rules(template, path, "2024-01", out=folder, params={"benefits.basic_income": 1.0})
    run_rules(template, path, "2024-01", out=folder)
    assert pl.read_parquet(folder / "persons.parquet")["basic_income"].max() == 7200.0
    assert sorted(p.name for p in folder.iterdir()) == ["households.parquet", "persons.parquet"]


@pytest.mark.parametrize("shuffle", [False, True])
def test_a_file_of_many_row_groups_streams_to_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shuffle: bool
) -> None:
    """A file whose persons are sorted by hh_id is read, computed and written a run of row
    groups at a time, households cut by a run's end carried to the next (row groups of 7
    persons cut most households; runs of 20 persons hold whole row groups, and a household
    larger than a run spans several): the files hold what one run over everyone gives. Not
    sorted, the whole file is run instead, with the same result."""
    import pyarrow.parquet as pq

    from socialcover.microsim import stream

    df = _population(30, 5, shuffle=shuffle)
    big = pl.DataFrame(  # one household of 45 persons, more than two runs
        {c: [df[c][0]] * 45 for c in df.columns}, schema=df.schema
    ).with_columns(pl.lit(10_000, dtype=df["hh_id"].dtype).alias("hh_id"))
    df = pl.concat([df, big])
    rules = _rules(300.0, 18, 0.5, 2500.0)
    path = tmp_path / "people.parquet"
    pq.write_table(df.to_arrow(), path, row_group_size=7)
    assert pq.ParquetFile(path).metadata.num_row_groups > 10
    names = [s.name for s in rules.steps]
    frames = run_rules(rules, df, 2025, outputs=names, keep=["person_id"], spread=True)
    monkeypatch.setattr(stream, "BATCH_ROWS", 20)
    streamed = []
    real = stream.run_streamed

    def spy(*args: object, **kw: object) -> object:
        result = real(*args, **kw)  # type: ignore[arg-type]
        streamed.append(result is not None)
        return result

    monkeypatch.setattr(stream, "run_streamed", spy)
    _, persons, households = _run(
        rules,
        path,
        tmp_path / "out",
        "arrays",
        "2025",
        outputs=names,
        keep=["person_id"],
        spread=True,
    )
    assert streamed == [not shuffle]
    if not shuffle:
        assert pq.ParquetFile(tmp_path / "out" / "persons.parquet").metadata.num_row_groups > 3
    for got, want in ((persons, frames.persons), (households, frames.households)):
        assert got.columns == want.columns
        for name in want.columns:
            a, b = got[name], want[name]
            if a.dtype.is_numeric():
                np.testing.assert_array_equal(a.to_numpy(), b.to_numpy(), err_msg=name)
            else:
                assert a.cast(pl.String).to_list() == b.cast(pl.String).to_list(), name


def test_missing_values_in_a_streamed_file_are_counted_over_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first and the last person, in different runs, lack a value: the error counts both,
    and neither file is left."""
    import pyarrow.parquet as pq

    from socialcover.microsim import stream

    rules = load_rules(
        text="""
inputs:
  earnings: {unit: LCU/year}
programmes:
  pay: {eligibility: earnings < 100, amount: 10}
"""
    )
    df = pl.DataFrame({"hh_id": list(range(40)), "earnings": [None, *range(38), None]})
    path = tmp_path / "people.parquet"
    pq.write_table(df.to_arrow(), path, row_group_size=5)
    monkeypatch.setattr(stream, "BATCH_ROWS", 10)
    with pytest.raises(MicrosimDataError, match="has 2 missing value") as err:
        run_rules(rules, path, 2025, out=tmp_path / "out", backend="arrays")
    assert err.value.code == "microsim.missing-values"
    assert not list((tmp_path / "out").iterdir())
