"""An edition reads the store's approved observations the same way on SQLite and PostgreSQL,
and its figures are those of the monitor's aggregate of the same store."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.monitor import (
    aggregate_store,
    approve_data_set,
    observations_from_pack,
    record_observations,
    submit_data_set,
)
from socialcover.report import HEADLINES, Edition, build_edition
from socialcover.store import SystemActor, session_scope
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
LOADER = SystemActor("system:monitor")
SAMPLE = ["KEN", "SEN", "IND", "BRA", "DEU", "EGY", "CHN", "USA", "JOR", "IDN", "NGA", "FRA"]


def test_an_edition_from_either_database_equals_the_monitor_aggregate(
    db_url: str, installed_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCOVER_HOME", str(installed_pack))
    code = HEADLINES[0][0]
    frame = observations_from_pack(code).filter(
        pl.col("area").is_in(SAMPLE), pl.col("year").is_between(2015, 2023)
    )
    with session_scope(LOADER) as s:
        report = record_observations(s, LOADER, frame)
        for data_set in report.data_sets[:-3]:  # the last three stay unapproved
            submit_data_set(s, LOADER, data_set)
            approve_data_set(s, LOADER, data_set, "checked")
    with session_scope(write=False) as s:
        data = build_edition(Edition(2023, draws=5), session=s)
        expected = aggregate_store(s, None, code, data.edition.years)
    assert data.cutoff.observations < frame.height  # the unapproved values are not read
    ours = data.aggregates.filter(pl.col("indicator") == code).sort("group_type", "group", "year")
    theirs = expected.sort("group_type", "group", "year")
    assert ours.select(theirs.columns).equals(theirs)
    assert data.headline()["value"] is not None
