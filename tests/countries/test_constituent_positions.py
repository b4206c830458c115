"""Each constituent's position on a recommendation: the team records any counterpart's, a
representative only their own organisation's; the audit keeps how positions moved; what was
agreed is endorsed as a set. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from socialcover import countries
from socialcover.store import PermissionDeniedError, ValidationError, session_scope
from socialcover.store.models import Endorsement, Position


def _recommendation(c: Any) -> int:
    with session_scope(c.lead) as s:
        return countries.add_recommendation(
            s, c.lead, c.engagement_id, {"text": "A universal child benefit."}
        ).id


def test_three_constituents_take_different_positions_and_the_history_shows_the_move(
    cast: Any,
) -> None:
    c = cast
    rec = _recommendation(c)
    with session_scope(c.lead) as s:
        countries.record_position(
            s,
            c.lead,
            rec,
            {
                "organisation_id": c.orgs["government"],
                "stance": "supports_with_reservations",
                "text": "Phased.",
            },
        )
        countries.record_position(
            s, c.lead, rec, {"organisation_id": c.orgs["employers"], "stance": "opposes"}
        )
    with session_scope(c.workers_rep) as s:
        p = countries.record_position(
            s,
            c.workers_rep,
            rec,
            {"organisation_id": c.orgs["workers"], "stance": "opposes", "text": "Too small."},
        )
        pid = p.id
    with session_scope(c.workers_rep) as s:
        countries.record_position(
            s,
            c.workers_rep,
            rec,
            {"organisation_id": c.orgs["workers"], "stance": "supports", "text": "Now agreed."},
        )
    with session_scope(c.lead, write=False) as s:
        rows = countries.positions_of(s, c.lead, c.engagement_id)
        stances = {r["constituent"]: r["stance"] for r in rows}
        moves = countries.position_history(s, c.lead, pid)
    assert stances == {
        "government": "supports_with_reservations",
        "employers": "opposes",
        "workers": "supports",
    }
    assert [(m["version"], m["stance"]) for m in moves] == [(1, "opposes"), (2, "supports")]
    assert {m["recorded_by"] for m in moves} == {"rep@example.org"}


def test_a_representative_cannot_change_another_constituents_position(cast: Any) -> None:
    c = cast
    rec = _recommendation(c)
    with session_scope(c.lead) as s:
        countries.record_position(
            s, c.lead, rec, {"organisation_id": c.orgs["employers"], "stance": "opposes"}
        )
    with session_scope(c.workers_rep) as s, pytest.raises(PermissionDeniedError) as info:
        countries.record_position(
            s, c.workers_rep, rec, {"organisation_id": c.orgs["employers"], "stance": "supports"}
        )
    assert info.value.code == "engagement.not-your-organisation"
    for who in (c.outsider, c.reviewer):
        with session_scope(who) as s, pytest.raises(Exception) as info2:
            countries.record_position(
                s, who, rec, {"organisation_id": c.orgs["employers"], "stance": "supports"}
            )
        assert getattr(info2.value, "code", "") in {"engagement.not-team", "store.not-found"}
    with session_scope(None, write=False) as s:
        (stance,) = s.scalars(select(Position.stance)).all()
    assert stance == "opposes"


def test_a_bad_position_changes_nothing(cast: Any) -> None:
    c = cast
    rec = _recommendation(c)
    with session_scope(c.lead) as s:
        other = countries.add_partner(
            s, c.lead, c.engagement_id, {"organisation_id": c.orgs["workers"], "kind": "partner"}
        )
        assert other.kind == "partner"
    for data, code in (
        ({"organisation_id": c.orgs["employers"], "stance": "maybe"}, "store.invalid"),
        (
            {"organisation_id": c.orgs["workers"], "stance": "supports"},
            "engagement.not-counterpart",
        ),
    ):
        with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
            countries.record_position(s, c.lead, rec, data)
        assert info.value.code == code
    with session_scope(None, write=False) as s:
        assert s.scalar(select(func.count()).select_from(Position)) == 0


def test_the_final_set_is_what_was_agreed_and_each_constituent_endorses_it(cast: Any) -> None:
    c = cast
    first, second = _recommendation(c), _recommendation(c)
    endorsement = {
        "organisation_id": c.orgs["government"],
        "signed_by": "The Minister",
        "endorsed_on": "2025-03-28",
        "document": "declaration.pdf",
    }
    with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
        countries.endorse(s, c.lead, c.engagement_id, endorsement)
    assert info.value.code == "engagement.nothing-agreed"
    with session_scope(c.lead) as s:
        countries.agree_recommendation(s, c.lead, second, "Agreed, phased in from 2026.")
        countries.endorse(s, c.lead, c.engagement_id, endorsement)
    with session_scope(c.workers_rep) as s, pytest.raises(PermissionDeniedError):
        countries.endorse(s, c.workers_rep, c.engagement_id, endorsement)
    with session_scope(c.lead, write=False) as s:
        (row,) = countries.endorsements_of(s, c.lead, c.engagement_id)
        assert s.scalar(select(func.count()).select_from(Endorsement)) == 1
    assert row["recommendation_ids"] == [second] and first not in row["recommendation_ids"]
    assert (row["constituent"], row["signed_by"]) == ("government", "The Minister")
