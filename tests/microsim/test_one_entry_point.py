"""simulate(), schemes, calibration and situations run rules through run_rules(), whose back-end
follows the data: the array program in memory and for Parquet files that fit, DuckDB for larger
ones; all give the same per-person results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from socialcover.microsim import execution as execution_module
from socialcover.microsim import load_rules, run_rules, simulate
from socialcover.microsim.simulation import run_population

from .populations import random_population

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "microsim"


@pytest.fixture
def backends(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The back-end of every run_rules() call made through the package."""
    seen: list[str] = []
    original = execution_module.run_rules

    def recording(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        seen.append(result.backend)
        return result

    import socialcover.microsim.simulation as simulation_module

    monkeypatch.setattr(simulation_module, "run_rules", recording)
    return seen


def test_simulate_in_memory_runs_the_array_program(backends: list[str]) -> None:
    df = random_population(80, 2)
    simulate(
        EXAMPLES / "means_tested_transfer.yaml",
        df,
        period=2025,
        reform={"parameters": {"transfer.withdrawal_rate": 0.3}},
        breakdowns=False,
    )
    assert backends == ["arrays", "arrays"]  # baseline and reform


def test_population_run_is_the_same_in_memory_and_from_parquet(
    tmp_path: Path, backends: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    df = random_population(120, 5)
    path = tmp_path / "people.parquet"
    df.write_parquet(path)
    rules = load_rules(EXAMPLES / "means_tested_transfer.yaml")
    memory = run_population(rules, df, 2025).frame
    fits = run_population(rules, path, 2025).frame
    # no memory to spare: the same file is run by DuckDB, out of core
    monkeypatch.setattr("socialcover.microsim.arrow_io._available_bytes", lambda: 0)
    tight = run_population(rules, path, 2025).frame
    assert backends == ["arrays"] * 4 + ["duckdb"] * 2  # baseline and reform, each run
    for disk in (fits, tight):
        _same(memory, disk)


def test_a_parquet_population_is_read_once_for_baseline_and_reform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialcover.microsim import Reform, arrow_io
    from socialcover.microsim.simulation import CARRY

    path = tmp_path / "people.parquet"
    df = random_population(50, 3)
    df.write_parquet(path)
    reads: list[list[str]] = []
    original = arrow_io.parquet_table

    def counting(source: Any, names: Any) -> Any:
        table = original(source, names)
        reads.append(table.column_names)
        return table

    monkeypatch.setattr(arrow_io, "parquet_table", counting)
    import socialcover.microsim.simulation as simulation_module

    monkeypatch.setattr(simulation_module, "parquet_table", counting, raising=False)
    rules = load_rules(EXAMPLES / "means_tested_transfer.yaml")
    reform = Reform.from_dict({"parameters": {"transfer.withdrawal_rate": 0.3}})
    run = run_population(rules, path, 2025, reform=reform)
    assert len(reads) == 1  # one read of the file, not one per scenario
    unused = set(df.columns) - {"hh_id", *rules.used_inputs(), *CARRY}
    assert unused and not unused & set(reads[0])  # only what the rules or estimates use
    _same(run_population(rules, df, 2025, reform=reform).frame, run.frame)


def _same(memory: pl.DataFrame, disk: pl.DataFrame) -> None:
    assert memory.columns == disk.columns
    for name in memory.columns:
        a, b = memory[name], disk[name]
        if a.dtype.is_numeric():
            np.testing.assert_allclose(
                a.cast(pl.Float64).to_numpy(),
                b.cast(pl.Float64).to_numpy(),
                rtol=1e-12,
                atol=1e-9,
                err_msg=name,
            )
        else:
            assert a.equals(b), name


def test_spread_gives_members_their_household_values() -> None:
    rules = load_rules(
        text="programmes: {family: {entity: household, eligibility: hh_any(age < 5), amount: 50}}"
    )
    people = pl.DataFrame({"hh_id": [2, 1, 2], "age": [3, 40, 30], "welfare": [1, 1, 1]})
    for backend in ("arrays", "duckdb"):
        out = run_rules(rules, people, 2025, keep=["hh_id"], spread=True, backend=backend)
        assert out.persons["family"].to_list() == [50.0, 0.0, 50.0], backend
        assert out.households["family"].to_list() == [0.0, 50.0], backend
