"""The public version grows with every commit that changes what the public sees, and only then.

A draft saved, edited, submitted, returned or deleted leaves it alone; a publication, an edit
of a published record, a withdrawal, a record without a review state (an organisation) and an
observation of an approved data set move it, once per transaction. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest

from socialcover.actors import ORGANISATIONS
from socialcover.advocacy import EVENTS, PRESS_RELEASES, STATEMENTS
from socialcover.countries import ENGAGEMENTS
from socialcover.knowledge import PRACTICES, PUBLICATIONS
from socialcover.monitor import DATA_SETS, EVALUATIONS
from socialcover.store import SCENARIOS, SystemActor, create_user, session_scope
from socialcover.store.models import DataSet, Observation
from socialcover.store.public_version import public_version

ADMIN = SystemActor("test")
PRACTICE = {
    "title": "Demoland: universal old-age pension",
    "country_iso3": "XDM",
    "region": "Africa",
    "guarantee": "old_age",
    "mechanism": "universal pension",
    "summary": "A tax-financed flat pension for everyone aged 70 and over.",
    "assessment": "good",
}


def _version() -> int:
    with session_scope(write=False) as s:
        return public_version(s)


def test_every_workflow_is_public_in_its_models_public_status() -> None:
    for wf in (
        PRACTICES,
        PUBLICATIONS,
        EVENTS,
        PRESS_RELEASES,
        STATEMENTS,
        ENGAGEMENTS,
        DATA_SETS,
        EVALUATIONS,
        SCENARIOS,
    ):
        assert wf.model.__public_status__ == wf.public, wf.noun  # type: ignore[attr-defined]
    assert not hasattr(ORGANISATIONS.model, "__public_status__")  # always public


def test_drafts_leave_the_public_version_and_public_writes_move_it(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        author = create_user(s, ADMIN, "author@example.org", "long passphrase", "contributor")
        reviewer = create_user(s, ADMIN, "reviewer@example.org", "long passphrase", "reviewer")
    start = _version()

    def step(actor: Any, action: Any) -> int:
        with session_scope(actor) as s:
            action(s)
        return _version()

    pid = 0

    def create(s: Any) -> None:
        nonlocal pid
        pid = PRACTICES.create(s, author, PRACTICE).id

    assert step(author, create) == start
    assert step(author, lambda s: PRACTICES.update(s, author, pid, {"lessons": "x"})) == start
    assert step(author, lambda s: PRACTICES.move(s, author, pid, "submit")) == start
    assert step(reviewer, lambda s: PRACTICES.move(s, reviewer, pid, "return", "why")) == start
    assert step(author, lambda s: PRACTICES.move(s, author, pid, "submit")) == start
    assert step(reviewer, lambda s: PRACTICES.move(s, reviewer, pid, "publish")) == start + 1
    edit = step(reviewer, lambda s: PRACTICES.update(s, reviewer, pid, {"lessons": "y"}))
    assert edit == start + 2
    withdrawn = step(reviewer, lambda s: PRACTICES.move(s, reviewer, pid, "withdraw", "old"))
    assert withdrawn == start + 3
    # withdrawn: out of public view again, so its edits are private
    assert step(reviewer, lambda s: PRACTICES.update(s, reviewer, pid, {"lessons": "z"})) == (
        start + 3
    )
    org = {"name": "Demoland Social Security Fund", "actor_type": "social_security_institution"}
    assert step(author, lambda s: ORGANISATIONS.create(s, author, org)) == start + 4


def test_a_transaction_moves_it_once_and_a_rollback_not_at_all(db_url: str) -> None:
    start = _version()
    with session_scope(ADMIN) as s:
        for n in range(3):  # three flushes, three public records
            p = PRACTICES.create(s, ADMIN, PRACTICE | {"title": f"Practice {n}"})
            p.status = "published"
            s.flush()
    assert _version() == start + 1
    with pytest.raises(RuntimeError), session_scope(ADMIN) as s:
        p = PRACTICES.create(s, ADMIN, PRACTICE | {"title": "Never kept"})
        p.status = "published"
        s.flush()
        raise RuntimeError("rolled back")
    assert _version() == start + 1
    with session_scope(ADMIN) as s:  # the next private write does not inherit a stale mark
        PRACTICES.create(s, ADMIN, PRACTICE | {"title": "A draft"})
    assert _version() == start + 1


def test_observations_follow_their_data_sets_state(db_url: str) -> None:
    def observation(data_set_id: int, value: float) -> Observation:
        return Observation(
            data_set_id=data_set_id,
            indicator="sdg131.children",
            area="XDM",
            year=2023,
            sex="total",
            revision=int(value),
            value=value,
            nature="observed",
            source="test",
            vintage="2024",
            entered_by="test",
        )

    with session_scope(ADMIN) as s:
        ds = DataSet(area="XDM", year=2023, status="entered")
        s.add(ds)
        s.flush()
        ds_id = ds.id
    start = _version()  # a data set being entered is not public
    with session_scope(ADMIN) as s:
        s.add(observation(ds_id, 1))
    assert _version() == start
    with session_scope(ADMIN) as s:
        s.get(DataSet, ds_id).status = "approved"  # type: ignore[union-attr]
    assert _version() == start + 1
    with session_scope(ADMIN) as s:
        s.add(observation(ds_id, 2))
    assert _version() == start + 2


def test_a_restore_moves_it_and_keeps_it_growing(db_url: str, tmp_path: Any) -> None:
    from socialcover.store import backup, restore

    with session_scope(ADMIN) as s:
        p = PRACTICES.create(s, ADMIN, PRACTICE)
        p.status = "published"
    path = tmp_path / "backup.json.gz"
    backup(path, db_url)
    before = _version()
    restore(path, db_url, force=True)  # the public state is the database's, not the backup's
    assert _version() == before + 1
