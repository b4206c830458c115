"""A press release's aggregate figure carries the monitor's own aggregate source, the one the
report, the media kits and the SDMX files cite, not a wording of its own."""

from __future__ import annotations

import polars as pl
import pytest

from socialcover.advocacy import read_figures
from socialcover.data import install_demo
from socialcover.monitor import (
    AGGREGATE_SOURCE,
    WORLD,
    approve_data_set,
    record_observations,
    submit_data_set,
)
from socialcover.store import SystemActor, create_user, session_scope
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")


def _approve_demoland(value: float) -> None:
    frame = pl.DataFrame(
        {
            "indicator": ["sdg131.children"],
            "area": ["XDM"],
            "year": [2023],
            "sex": ["both"],
            "value": [value],
            "se": [None],
            "lower": [None],
            "upper": [None],
            "nature": ["administrative"],
            "source": ["Demoland Ministry of Social Protection"],
            "vintage": ["2024-06"],
            "footnotes": [""],
        },
        schema_overrides={"se": pl.Float64, "lower": pl.Float64, "upper": pl.Float64},
    )
    with session_scope(ADMIN) as s:
        author = create_user(s, ADMIN, "entry@example.org", "long passphrase", "contributor")
        reviewer = create_user(s, ADMIN, "approver@example.org", "long passphrase", "reviewer")
    with session_scope(author) as s:
        (data_set,) = record_observations(s, author, frame).data_sets
        submit_data_set(s, author, data_set)
    with session_scope(reviewer) as s:
        approve_data_set(s, reviewer, data_set)


def test_an_aggregate_figure_cites_the_monitors_aggregate_source(db_url: str) -> None:
    install_demo()
    _approve_demoland(41.5)
    spec = {"indicator": "sdg131.children", "year": 2023, "format": "percent"}
    figures = [
        {**spec, "name": "world", "area": WORLD, "source": "aggregate"},
        {**spec, "name": "demoland", "area": "XDM"},
    ]
    with session_scope(write=False) as s:
        read = read_figures(s, figures)
    assert read["world"]["value"] == pytest.approx(41.5)
    assert read["world"]["source"] == AGGREGATE_SOURCE
    assert read["demoland"]["source"] == "Demoland Ministry of Social Protection"
