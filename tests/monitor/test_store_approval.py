"""Observations in the store, approved as DHIS2 does it, on SQLite and PostgreSQL.

Only values of approved data sets are read by default; each step is audited; wrong roles are
refused; a bad row writes nothing; a revision is a new version and the old ones stay.
"""

from __future__ import annotations

import threading
from typing import Any

import polars as pl
import pytest

from socialcover.errors import InputError
from socialcover.monitor import (
    OBSERVATION_SCHEMA,
    approve_data_set,
    history,
    list_data_sets,
    observations,
    record_observations,
    submit_data_set,
    unapprove_data_set,
)
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    User,
    ValidationError,
    create_user,
    session_scope,
)
from socialcover.store import history as audit_history
from socialcover.store.models import Observation
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")


def frame(values: tuple[float, ...] = (12.5, 11.0, 14.0), **changes: list[Any]) -> pl.DataFrame:
    """Kenya 2023, children's coverage by sex (three rows of one data set)."""
    data: dict[str, list[Any]] = {
        "indicator": ["sdg131.children"] * 3,
        "area": ["KEN"] * 3,
        "year": [2023] * 3,
        "sex": ["both", "female", "male"],
        "value": list(values),
        "se": [None] * 3,
        "lower": [None] * 3,
        "upper": [None] * 3,
        "nature": ["administrative"] * 3,
        "source": ["Ministry of Labour and Social Protection"] * 3,
        "vintage": ["2024-06"] * 3,
        "footnotes": [""] * 3,
    }
    data.update(changes)
    return pl.DataFrame(
        data, schema_overrides={"se": pl.Float64, "lower": pl.Float64, "upper": pl.Float64}
    )


def people() -> tuple[User, User, User]:
    with session_scope(ADMIN) as s:
        return (
            create_user(s, ADMIN, "entry@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "other@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "approver@example.org", "long passphrase", "reviewer"),
        )


def public() -> pl.DataFrame:
    with session_scope(write=False) as s:
        return observations(s, None, indicator="sdg131.children")


def enter(actor: Any, data: pl.DataFrame) -> int:
    with session_scope(actor) as s:
        (data_set,) = record_observations(s, actor, data).data_sets
    return data_set


def test_only_approved_values_are_public_and_every_step_is_audited(db_url: str) -> None:
    author, _, reviewer = people()
    data_set = enter(author, frame())
    assert public().is_empty()
    with session_scope(write=False) as s:  # the contributor sees their own values
        mine = observations(s, author, approved_only=False)
    assert mine.schema == pl.Schema(OBSERVATION_SCHEMA) and mine.height == 3
    with session_scope(author) as s:
        submit_data_set(s, author, data_set)
    assert public().is_empty()
    with session_scope(reviewer) as s:
        approve_data_set(s, reviewer, data_set)
    assert public()["value"].to_list() == [12.5, 11.0, 14.0]  # both, female, male
    with session_scope(reviewer) as s:
        unapprove_data_set(s, reviewer, data_set, "The male value double-counts survivors.")
    assert public().is_empty()
    with session_scope(write=False) as s:
        steps = [(a.action, a.comment) for a in audit_history(s, "monitor_data_sets", data_set)]
        value_rows = [
            audit_history(s, "monitor_observations", o.id)[0] for o in s.query(Observation)
        ]
        listed = list_data_sets(s, reviewer, area="KEN")
    assert steps == [
        ("data_set.create", ""),
        ("data_set.submit", ""),
        ("data_set.approve", ""),
        ("data_set.unapprove", "The male value double-counts survivors."),
    ]
    assert {(r.action, r.actor) for r in value_rows} == {("observation.record", author.email)}
    assert listed.select("status", "review_comment").row(0) == (
        "submitted",
        "The male value double-counts survivors.",
    )


def test_unapproving_back_to_entered_lets_the_contributor_correct(db_url: str) -> None:
    author, _, reviewer = people()
    data_set = enter(author, frame())
    with session_scope(author) as s:
        submit_data_set(s, author, data_set)
    with session_scope(reviewer) as s:
        approve_data_set(s, reviewer, data_set)
    with session_scope(author) as s, pytest.raises(ConflictError) as locked:
        record_observations(s, author, frame((12.5, 11.0, 13.0)))
    assert locked.value.code == "monitor.data-set-locked" and locked.value.context["rows"] == [3]
    with session_scope(reviewer) as s:
        unapprove_data_set(s, reviewer, data_set, "Correct the male value.", back_to="entered")
    with session_scope(author) as s:
        report = record_observations(s, author, frame((12.5, 11.0, 13.0)))
    assert (report.new, report.revised, report.unchanged) == (0, 1, 2)
    with session_scope(write=False) as s:
        actions = [a.action for a in audit_history(s, "monitor_data_sets", data_set)]
    assert actions[-2:] == ["data_set.unapprove", "data_set.return"]


def test_wrong_roles_are_refused(db_url: str) -> None:
    author, other, reviewer = people()
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        record_observations(s, None, frame())  # an anonymous reader enters nothing
    data_set = enter(author, frame())
    with session_scope(other) as s, pytest.raises(PermissionDeniedError) as info:
        record_observations(s, other, frame((1.0, 2.0, 3.0)))
    assert info.value.code == "monitor.not-your-data-set"
    with session_scope(other) as s, pytest.raises(RecordNotFoundError):
        submit_data_set(s, other, data_set)  # not theirs: unapproved, so not even visible
    with session_scope(author) as s:
        submit_data_set(s, author, data_set)
    with session_scope(author) as s, pytest.raises(PermissionDeniedError):
        approve_data_set(s, author, data_set)  # contributors do not approve
    with session_scope(reviewer) as s:
        approve_data_set(s, reviewer, data_set)
    with session_scope(author) as s, pytest.raises(PermissionDeniedError):
        unapprove_data_set(s, author, data_set, "I changed my mind.")
    with session_scope(reviewer) as s, pytest.raises(ValidationError) as no_comment:
        unapprove_data_set(s, reviewer, data_set, "  ")
    assert no_comment.value.code == "store.comment-required"
    with session_scope(reviewer) as s, pytest.raises(ConflictError) as twice:
        approve_data_set(s, reviewer, data_set)
    assert twice.value.code == "store.bad-transition"
    assert public().height == 3


def test_a_bad_row_writes_nothing_and_is_named(db_url: str) -> None:
    author, _, _ = people()
    bad = frame(sex=["both", "female", "men"])
    with session_scope(author) as s, pytest.raises(InputError) as info:
        record_observations(s, author, bad)
    assert info.value.context["rows"] == [3]
    assert "row 3, sex: 'men'" in info.value.message
    with session_scope(write=False) as s:
        assert observations(s, author, approved_only=False).is_empty()
        assert list_data_sets(s, author).is_empty()


def test_a_revision_is_a_new_version_and_history_keeps_them_all(db_url: str) -> None:
    author, _, reviewer = people()
    data_set = enter(author, frame())
    with session_scope(author) as s:
        again = record_observations(s, author, frame())
        revised = record_observations(
            s, author, frame((12.5, 11.0, 14.5), footnotes=["", "", "Revised with 2024 census"])
        )
    assert (again.new, again.revised, again.unchanged, again.data_sets) == (0, 0, 3, ())
    assert (revised.revised, revised.unchanged, revised.data_sets) == (1, 2, (data_set,))
    with session_scope(author) as s:
        submit_data_set(s, author, data_set)
    with session_scope(reviewer) as s:
        approve_data_set(s, reviewer, data_set)
    with session_scope(write=False) as s:
        male = history(s, None, "sdg131.children", "KEN", 2023, "male")
        current = observations(s, None, "sdg131.children", "KEN", 2023)
        rows = s.query(Observation).count()
    assert male.select("revision", "value", "footnotes").rows() == [
        (1, 14.0, ""),
        (2, 14.5, "Revised with 2024 census"),
    ]
    assert male["entered_by"].to_list() == [author.email] * 2
    assert current.filter(pl.col("sex") == "male")["value"].item() == 14.5
    assert rows == 4  # three first values and one revision; nothing overwritten


def test_history_of_an_unapproved_data_set_is_hidden_from_the_public(db_url: str) -> None:
    author, _, _ = people()
    enter(author, frame())
    with session_scope(write=False) as s:
        assert history(s, None, "sdg131.children", "KEN", 2023).is_empty()
        assert history(s, author, "sdg131.children", "KEN", 2023).height == 1


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SQLite writes one at a time
def test_values_entered_meanwhile_are_refused_not_duplicated(db_url: str) -> None:
    first = session_scope(ADMIN, url=db_url)
    s1 = first.__enter__()
    record_observations(s1, ADMIN, frame())  # not committed yet
    failure: list[BaseException] = []

    def second() -> None:
        try:
            with session_scope(ADMIN, url=db_url) as s2:
                record_observations(s2, ADMIN, frame((1.0, 2.0, 3.0)))
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=1)  # waits on the first transaction's new data set
    first.__exit__(None, None, None)
    thread.join(timeout=10)
    assert len(failure) == 1 and isinstance(failure[0], ConflictError)
    assert failure[0].code == "monitor.entered-meanwhile"
    with session_scope(url=db_url, write=False) as s:
        assert s.query(Observation).count() == 3
