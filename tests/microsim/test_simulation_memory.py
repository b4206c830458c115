"""simulate() on a Parquet file picks the array program only when its whole footprint (both
scenarios, the stacked result and the impact estimates: ``simulation_bytes``) fits in half the
available memory, DuckDB otherwise, and refuses a file that fits in neither."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from socialcover.microsim import MicrosimDataError, Reform, arrow_io, load_rules, simulate
from socialcover.microsim import simulation as simulation_module
from socialcover.microsim.simulation import CARRY, parquet_footprint, simulation_bytes
from socialcover.testing import synthetic_survey

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "microsim"
RULES = EXAMPLES / "means_tested_transfer.yaml"
REFORM = {"parameters": {"transfer.withdrawal_rate": 0.3}}
LINES = {"national": "poverty_line", "international": 3.0 * 365 * 20}


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("simmem") / "persons.parquet"
    synthetic_survey(20_000, seed=3).write_parquet(path)
    return path


@pytest.fixture
def backends(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The back-end of every run_rules() call simulate() makes."""
    seen: list[str] = []
    original = simulation_module.run_rules

    def recording(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        seen.append(result.backend)
        return result

    monkeypatch.setattr(simulation_module, "run_rules", recording)
    return seen


def _footprints(path: Path) -> tuple[int, int]:
    """The new estimate and the one rules run's formula (``fits_in_memory``) it replaces."""
    rules = load_rules(RULES)
    reform_rules = Reform.from_dict(REFORM).apply(rules)
    new = parquet_footprint(path, rules, reform_rules)
    wanted = {"hh_id", *rules.used_inputs(), *reform_rules.used_inputs(), *CARRY}
    old = 20_000 * 8 * (len(wanted) + 8)
    return new, old


def _simulate(path: Path) -> Any:
    return simulate(RULES, str(path), period=2025, reform=REFORM, lines=LINES, breakdowns=False)


def _same(a: Any, b: Any) -> None:
    key = ("section", "scenario", "programme", "indicator", "line", "by", "group")
    left = {tuple(r[k] for k in key): r for r in a.table.to_dicts()}
    right = {tuple(r[k] for k in key): r for r in b.table.to_dicts()}
    assert left.keys() == right.keys()
    for k, r in left.items():
        for col in ("estimate", "se"):
            x, y = r[col], right[k][col]
            if x is None or (isinstance(x, float) and math.isnan(x)):
                assert y is None or math.isnan(y), (k, col)
            else:
                assert abs(x - y) <= 1e-9 * (1 + abs(x)), (k, col, x, y)


def test_the_estimate_counts_both_scenarios_and_the_impact() -> None:
    # 27 result columns and 14 inputs: 2.4 * 27 + 14 + 16 float64 columns, with the margin
    per_person = (simulation_bytes(1_000_000, 14, 13, 2) - 100 * 2**20) / 1_000_000
    assert per_person == pytest.approx(8 * (2.4 * 27 + 30) * 1.3)
    # the measured peak it covers (755 bytes a person) and more than one rules run's count
    assert per_person > 755 * 1.25 > 8 * (14 + 8)


def test_ample_memory_runs_the_array_program(
    survey: Path, backends: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    new, _ = _footprints(survey)
    monkeypatch.setattr(arrow_io, "_available_bytes", lambda: 2 * new + 1)
    _simulate(survey)
    assert backends == ["arrays", "arrays"]


def test_too_big_for_the_array_program_runs_on_duckdb_with_the_same_impacts(
    survey: Path, backends: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    arrays = _simulate(survey)
    assert backends == ["arrays", "arrays"]
    new, old = _footprints(survey)
    available = int(1.5 * new)  # half of it: enough by the old count, not by the new one
    assert old <= available // 2 < new <= available
    monkeypatch.setattr(arrow_io, "_available_bytes", lambda: available)
    duck = _simulate(survey)
    assert backends[2:] == ["duckdb", "duckdb"]
    _same(arrays.impact, duck.impact)


def test_a_file_too_big_for_memory_is_refused_before_it_is_read(
    survey: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new, _ = _footprints(survey)
    monkeypatch.setattr(arrow_io, "_available_bytes", lambda: new - 1)
    read: list[object] = []
    monkeypatch.setattr(simulation_module, "parquet_table", lambda *a: read.append(a))
    with pytest.raises(MicrosimDataError) as err:
        _simulate(survey)
    assert err.value.code == "microsim.too-large" and "spark" in err.value.hint
    assert read == []
    # unknown available memory (0 on a platform without MemAvailable) is not a refusal:
    # the file runs on DuckDB
    monkeypatch.setattr(arrow_io, "_available_bytes", lambda: 0)
    assert _simulate(survey).impact.n_persons == 20_000
    assert read == []
