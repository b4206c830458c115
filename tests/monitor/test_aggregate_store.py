"""Approved observations feed the public aggregates: before approval a value is not in them,
after approval it is, after un-approval it is gone again; every step is in the audit trail."""

from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.data import install_demo
from socialcover.monitor import (
    aggregate_store,
    approve_data_set,
    record_observations,
    submit_data_set,
    unapprove_data_set,
)
from socialcover.store import SystemActor, create_user, session_scope
from socialcover.store import history as audit_history
from socialcover.store.models import Observation
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")
CODE = "sdg131.children"


def _frame() -> pl.DataFrame:
    """Demoland (the demo pack's one country) 2023, children's coverage by sex."""
    return pl.DataFrame(
        {
            "indicator": [CODE] * 3,
            "area": ["XDM"] * 3,
            "year": [2023] * 3,
            "sex": ["both", "female", "male"],
            "value": [41.5, 40.0, 43.0],
            "se": [None] * 3,
            "lower": [None] * 3,
            "upper": [None] * 3,
            "nature": ["administrative"] * 3,
            "source": ["Demoland Ministry of Social Protection"] * 3,
            "vintage": ["2024-06"] * 3,
            "footnotes": [""] * 3,
        },
        schema_overrides={"se": pl.Float64, "lower": pl.Float64, "upper": pl.Float64},
    )


def _world(actor: object = None) -> dict[str, object]:
    with session_scope(write=False) as s:
        (row,) = aggregate_store(s, actor, CODE, 2023, "world").to_dicts()
    return row


def test_only_an_approved_value_is_in_the_aggregate_and_each_step_is_audited(
    db_url: str,
) -> None:
    install_demo()
    with session_scope(ADMIN) as s:
        author = create_user(s, ADMIN, "entry@example.org", "long passphrase", "contributor")
        reviewer = create_user(s, ADMIN, "approver@example.org", "long passphrase", "reviewer")
    with session_scope(author) as s:
        (data_set,) = record_observations(s, author, _frame()).data_sets
    assert _world()["value"] is None and _world(author)["value"] is None  # entered
    with session_scope(author) as s:
        submit_data_set(s, author, data_set)
    assert _world()["value"] is None and _world(reviewer)["value"] is None  # submitted
    with session_scope(reviewer) as s:
        approve_data_set(s, reviewer, data_set)
    world = _world()
    assert world["value"] == pytest.approx(41.5)
    assert world["population_share_observed"] == pytest.approx(1.0)
    assert world["n_countries_observed"] == 1
    with session_scope(reviewer) as s:
        unapprove_data_set(s, reviewer, data_set, "The female value is a 2022 figure.")
    assert _world()["value"] is None
    with session_scope(write=False) as s:
        steps = [(a.action, a.actor) for a in audit_history(s, "monitor_data_sets", data_set)]
        recorded = {
            (a.action, a.actor)
            for o in s.query(Observation)
            for a in audit_history(s, "monitor_observations", o.id)
        }
    assert steps == [
        ("data_set.create", author.email),
        ("data_set.submit", author.email),
        ("data_set.approve", reviewer.email),
        ("data_set.unapprove", reviewer.email),
    ]
    assert recorded == {("observation.record", author.email)}


def test_the_command_aggregates_the_store(db_url: str) -> None:
    install_demo()
    with session_scope(ADMIN) as s:
        (data_set,) = record_observations(s, ADMIN, _frame()).data_sets
        submit_data_set(s, ADMIN, data_set)
        approve_data_set(s, ADMIN, data_set)
    args = ["monitor", "aggregate", "children", "--year", "2023", "--by", "world"]
    res = CliRunner().invoke(app, [*args, "--source", "store", "--format", "json"])
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.stdout)
    assert row["group"] == "World" and row["value"] == pytest.approx(41.5)
    bad = CliRunner().invoke(app, [*args, "--source", "web"])
    assert getattr(bad.exception, "code", None) == "monitor.bad-source"
