"""Joint statements: a draft shared with partner organisations is read and signed by their
people only; the public sees it once published, with its endorsers; citations must exist.
Publication downloads are counted per month and country, never per person. SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select

from socialcover.actors import create_organisation
from socialcover.advocacy import (
    create_statement,
    download_counts,
    download_publication,
    endorsers,
    get_statement,
    list_statements,
    publish_statement,
    share_statement,
    sign_statement,
    submit_statement,
)
from socialcover.knowledge import attach_pdf, create_publication, publish_publication
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    ValidationError,
    create_user,
    session_scope,
)
from socialcover.store.models import PublicationDownload
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_partners_read_and_sign_the_draft_the_public_sees_the_endorsers(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        union = create_organisation(
            s, ADMIN, {"name": "Demoland Workers' Union", "actor_type": "workers_organisation"}
        ).id
        employers = create_organisation(
            s, ADMIN, {"name": "Demoland Employers", "actor_type": "employers_organisation"}
        ).id
        author = create_user(s, ADMIN, "author@example.org", "long passphrase", "contributor")
        member = create_user(
            s, ADMIN, "member@example.org", "long passphrase", "contributor", organisation=union
        )
        outsider = create_user(
            s, ADMIN, "out@example.org", "long passphrase", "contributor", organisation=employers
        )
        editor = create_user(s, ADMIN, "editor@example.org", "long passphrase", "reviewer")
        pub = create_publication(s, ADMIN, {"title": "A guide to coverage", "kind": "guide"}).id
    with session_scope(author) as s:
        with pytest.raises(ValidationError) as bad:
            create_statement(
                s,
                author,
                {"title": "Coverage for all", "citations": [{"type": "practice", "id": 9}]},
            )
        assert bad.value.code == "statement.bad-citation" and "practice 9" in bad.value.message
        sid = create_statement(
            s,
            author,
            {
                "title": "Social protection for all workers",
                "text": "We call for universal coverage.",
                "citations": [
                    {"type": "publication", "id": pub},
                    {
                        "type": "figure",
                        "indicator": "sdg131.children",
                        "area": "World",
                        "year": 2023,
                    },
                ],
            },
        ).id
        share_statement(s, author, sid, union)
    with session_scope(member) as s:
        assert get_statement(s, member, sid).title == "Social protection for all workers"
        assert [x.id for x in list_statements(s, member)] == [sid]
    for who in (None, outsider):
        with session_scope(who) as s, pytest.raises(RecordNotFoundError):
            get_statement(s, who, sid)
    with session_scope(outsider) as s, pytest.raises(RecordNotFoundError):
        sign_statement(s, outsider, sid, signed_by="Someone")
    with session_scope(member) as s:
        sign_statement(s, member, sid, signed_by="M. Member", signed_by_title="General Secretary")
    with session_scope(member) as s, pytest.raises(ConflictError) as twice:
        sign_statement(s, member, sid, signed_by="Another")
    assert twice.value.code == "statement.already-signed"
    with session_scope(editor) as s, pytest.raises(PermissionDeniedError) as not_partner:
        sign_statement(s, editor, sid, signed_by="E. Editor", organisation_id=employers)
    assert not_partner.value.code == "statement.not-partner"
    with session_scope(author) as s:
        submit_statement(s, author, sid)
    with session_scope(editor) as s:
        publish_statement(s, editor, sid)
    with session_scope(None) as s:
        shown = endorsers(get_statement(s, None, sid))
    assert [(e["organisation"], e["signed_by"], e["signed_by_title"]) for e in shown] == [
        ("Demoland Workers' Union", "M. Member", "General Secretary")
    ]


def test_downloads_are_counted_by_month_and_country_never_by_person(db_url: str) -> None:
    with session_scope(ADMIN) as s:
        org = create_organisation(
            s,
            ADMIN,
            {
                "name": "Ministry of Labour of Demoland",
                "actor_type": "government",
                "country_iso3": "XDM",
            },
        ).id
        reader = create_user(
            s, ADMIN, "r@example.org", "long passphrase", "contributor", organisation=org
        )
        pid = create_publication(s, ADMIN, {"title": "Working paper", "kind": "working_paper"}).id
        attach_pdf(s, ADMIN, pid, "paper.pdf", PDF)
        publish_publication(s, ADMIN, pid)
    jan, feb = (
        dt.datetime(2027, 1, 31, 23, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 2, 1, tzinfo=dt.UTC),
    )
    for who, when in ((None, jan), (None, jan), (reader, jan), (reader, feb)):
        with session_scope(who) as s:
            path, name = download_publication(s, who, pid, now=when)
        assert path.read_bytes() == PDF and name == "paper.pdf"
    with session_scope(None) as s:
        counts = download_counts(s, None, pid)
        columns = {c.key for c in inspect(PublicationDownload).columns}
        rows = s.scalars(select(PublicationDownload)).all()
    assert counts == [
        {"month": "2027-01", "country_iso3": "", "count": 2},
        {"month": "2027-01", "country_iso3": "XDM", "count": 1},
        {"month": "2027-02", "country_iso3": "XDM", "count": 1},
    ]
    assert columns == {"id", "publication_id", "month", "country_iso3", "count"}
    assert len(rows) == 3
