"""The data pack's SDG 1.3.1 country series, imported as observed, approved observations."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.data import coverage
from socialcover.monitor import list_data_sets, load_pack_series, observations
from socialcover.store import SystemActor, session_scope
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
LOADER = SystemActor("system:monitor")


def test_the_pack_series_become_observations_once(
    db_url: str, installed_pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCOVER_HOME", str(installed_pack))
    with session_scope(LOADER) as s:
        first = load_pack_series(s, LOADER, approve=True)
    with session_scope(LOADER) as s:
        again = load_pack_series(s, LOADER, approve=True)
    with session_scope(write=False) as s:
        public = observations(s, None)
        unapproved = list_data_sets(s, LOADER, status="entered")
    keys = coverage(None, history=True).select("iso3", "contingency", "sex", "year").unique()
    assert first.new == public.height == keys.height and first.revised == 0
    assert (again.new, again.revised, again.unchanged) == (0, 0, keys.height)
    assert unapproved.is_empty()
    assert set(public["nature"]) == {"observed"}
    assert set(public["vintage"]) == {"ILOSTAT 2025", "SDG database 2020"}
    # Where both sources have a value, ILOSTAT's (the newer edition) is kept.
    latest = (
        coverage("KEN", "at_least_one_benefit").filter(pl.col("sex") == "both").row(0, named=True)
    )
    kenya = public.filter(
        pl.col("area") == "KEN",
        pl.col("indicator") == "sdg131.at_least_one_benefit",
        pl.col("sex") == "both",
        pl.col("year") == latest["year"],
    ).row(0, named=True)
    assert (kenya["value"], kenya["source"]) == (latest["coverage_pct"], latest["source"])
