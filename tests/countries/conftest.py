"""Run the country tests against SQLite and PostgreSQL (fixtures from socialcover.store.testing),
with people, organisations and an engagement (``cast``)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from socialcover import countries
from socialcover.actors import create_organisation
from socialcover.store import SystemActor, User, create_user, session_scope
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")


@dataclass
class Cast:
    lead: User
    member: User
    outsider: User
    workers_rep: User
    reviewer: User
    orgs: dict[str, int]
    engagement_id: int


def make_cast(country: str = "XDM", start: int = 2024) -> Cast:
    """A lead who opens an engagement, a team member, an outsider, a workers' representative."""
    with session_scope(ADMIN) as s:
        lead = create_user(s, ADMIN, "lead@example.org", "long passphrase", "contributor")
        member = create_user(s, ADMIN, "member@example.org", "long passphrase", "contributor")
        outsider = create_user(s, ADMIN, "outsider@example.org", "long passphrase", "contributor")
        rep = create_user(s, ADMIN, "rep@example.org", "long passphrase", "contributor")
        reviewer = create_user(s, ADMIN, "reviewer@example.org", "long passphrase", "reviewer")
        orgs = {}
        for constituent, kind in (
            ("government", "government"),
            ("employers", "employers_organisation"),
            ("workers", "workers_organisation"),
        ):
            orgs[constituent] = create_organisation(
                s, ADMIN, {"name": f"Test {constituent}", "actor_type": kind}
            ).id
    with session_scope(lead) as s:
        e = countries.create_engagement(
            s,
            lead,
            {
                "country_iso3": country,
                "title": "Test engagement",
                "period_start": start,
                "period_end": start + 3,
            },
        )
        for constituent, oid in orgs.items():
            countries.add_partner(
                s,
                lead,
                e.id,
                {"organisation_id": oid, "kind": "counterpart", "constituent": constituent},
            )
        countries.add_member(s, lead, e.id, {"email": "member@example.org", "role": "member"})
        countries.add_member(
            s,
            lead,
            e.id,
            {
                "email": "rep@example.org",
                "role": "representative",
                "organisation_id": orgs["workers"],
                "constituent": "workers",
            },
        )
        eid = e.id
    return Cast(lead, member, outsider, rep, reviewer, orgs, eid)


@pytest.fixture
def cast(db_url: str) -> Cast:
    """The people and the draft engagement of a test, in the test's database."""
    return make_cast()
