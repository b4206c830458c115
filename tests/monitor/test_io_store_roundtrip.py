"""ILOSTAT and SDMX-CSV files through the database: imported, approved, exported and read back,
every value and footnote is unchanged; a file with a bad row is refused and nothing is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.monitor import (
    KEY,
    ObservationFileError,
    approve_data_set,
    export_observations,
    import_observations,
    list_data_sets,
    observations,
    read_ilostat,
    read_sdmx_csv,
    submit_data_set,
)
from socialcover.monitor.csvfile import read_table
from socialcover.store import SystemActor, session_scope
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

pytestmark = pytest.mark.shared_data
FILES = Path(__file__).parent / "files"
ADMIN = SystemActor("test")
READERS = {"ilostat": read_ilostat, "sdmx": read_sdmx_csv}
CASES = [("ilostat", "ilostat_sdg131.csv", "2025-06"), ("sdmx", "sdmx_sdg131.csv", "2024.Q4")]


@pytest.fixture
def store(db_url: str, installed_pack: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated database, with the real pack for the readers' area codes."""
    monkeypatch.setenv("SOCIALCOVER_HOME", str(installed_pack))
    return db_url


def _approve_all() -> None:
    with session_scope(ADMIN) as s:
        for data_set in list_data_sets(s, ADMIN, status="entered")["id"]:
            submit_data_set(s, ADMIN, data_set)
            approve_data_set(s, ADMIN, data_set)


@pytest.mark.parametrize(("fmt", "name", "vintage"), CASES)
def test_a_file_round_trips_through_the_database(
    store: str, fmt: str, name: str, vintage: str
) -> None:
    original = READERS[fmt](FILES / name, vintage=vintage).sort(KEY)
    with session_scope(ADMIN) as s:
        report = import_observations(s, ADMIN, FILES / name, fmt, vintage=vintage)
    assert report.new == original.height
    with session_scope(write=False) as s:
        assert observations(s, None).is_empty()  # entered, not yet public
    _approve_all()
    with session_scope(write=False) as s:
        sdmx = export_observations(s, None, format="sdmx")
        plain = export_observations(s, None, format="csv")
    assert sdmx is not None and plain is not None
    assert_frame_equal(read_sdmx_csv(sdmx.encode()).sort(KEY), original, check_exact=True)
    back = read_table(plain.encode()).drop("_row")
    assert back.columns == original.columns
    assert back["footnotes"].to_list() == original["footnotes"].to_list()
    assert [float(v) for v in back["value"]] == original["value"].to_list()


def test_a_bad_row_is_refused_with_its_number_and_nothing_is_kept(store: str) -> None:
    with pytest.raises(ObservationFileError) as caught, session_scope(ADMIN) as s:
        import_observations(s, ADMIN, FILES / "bad" / "out_of_range.csv", "ilostat")
    assert "row 3" in str(caught.value)
    assert [p["row"] for p in caught.value.context["problems"]] == [3]
    with session_scope(write=False) as s:
        assert observations(s, ADMIN, approved_only=False).is_empty()
        assert list_data_sets(s, ADMIN).is_empty()


def test_the_commands_import_and_export(store: str, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["monitor", "import", str(FILES / "sdmx_sdg131.csv"), "--format", "sdmx"]
    res = runner.invoke(app, args)
    assert getattr(res.exception, "code", None) == "monitor.no-vintage"
    res = runner.invoke(app, [*args, "--vintage", "2024.Q4"])
    assert res.exit_code == 0, res.output
    assert "12 new" in res.stdout
    _approve_all()
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["monitor", "export", "--format", "sdmx", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert read_sdmx_csv(out).height == 12
    bad = runner.invoke(app, ["monitor", "export", "--format", "xml", "--out", str(out)])
    assert getattr(bad.exception, "code", None) == "monitor.bad-format"
