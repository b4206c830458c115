"""The campaign's process indicators are counted from the platform's records, never typed: each
is in the registry, a recount writes only what changed, and a public value changes only through
an audited un-approval; indicators whose records the store lacks are named, not invented."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from socialcover.knowledge import PRACTICES
from socialcover.monitor import (
    PENDING_RECORDS,
    PROCESS_INDICATORS,
    PROCESS_SOURCE,
    RECOUNT_COMMENT,
    count_process_indicators,
    create_evaluation,
    get_indicator,
    observations,
    publish_evaluation,
    refresh_process_indicators,
    submit_evaluation,
)
from socialcover.monitor.process import COUNTERS
from socialcover.store import ConflictError, SystemActor, session_scope
from socialcover.store.models import AuditEntry, Practice, Publication
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")
TODAY = dt.date(2026, 3, 1)


def _practice(title: str, published_on: dt.date | None) -> None:
    with session_scope(ADMIN) as s:
        p = PRACTICES.create(
            s,
            ADMIN,
            {
                "title": title,
                "country_iso3": "XDM",
                "guarantee": "old_age",
                "mechanism": "universal pension",
                "summary": "A tax-financed flat pension for everyone aged 70 and over.",
                "assessment": "good",
            },
        )
        if published_on is None:
            return
        PRACTICES.move(s, ADMIN, p.id, "submit")
        PRACTICES.move(s, ADMIN, p.id, "publish")
        s.flush()
        stamp = dt.datetime.combine(published_on, dt.time(12), tzinfo=dt.UTC)
        s.execute(update(Practice).where(Practice.id == p.id).values(published_at=stamp))


def _evaluation(title: str, ended_on: dt.date, publish: bool) -> None:
    with session_scope(ADMIN) as s:
        e = create_evaluation(
            s,
            ADMIN,
            {
                "title": title,
                "subject_type": "campaign",
                "evaluation_type": "thematic",
                "started_on": ended_on - dt.timedelta(days=90),
                "ended_on": ended_on,
            },
        )
        if publish:
            submit_evaluation(s, ADMIN, e.id)
            publish_evaluation(s, ADMIN, e.id)


def _records() -> None:
    _practice("Pension A", dt.date(2023, 5, 1))
    _practice("Pension B", dt.date(2025, 2, 1))
    _practice("Pension C", dt.date(2025, 9, 30))
    _practice("Still a draft", None)
    _evaluation("Campaign review 2024", dt.date(2024, 12, 15), publish=True)
    _evaluation("Unpublished review", dt.date(2025, 6, 1), publish=False)
    _evaluation("Review still running", dt.date(2026, 9, 1), publish=True)
    with session_scope(ADMIN) as s:
        for title, downloads in (("Guide", 3), ("Study", 4)):
            s.add(
                Publication(title=title, kind="guide", status="published", download_count=downloads)
            )


def _values(code: str) -> dict[int, float]:
    with session_scope(write=False) as s:
        frame = observations(s, None, indicator=code, area="World")
    return dict(zip(frame["year"].to_list(), frame["value"].to_list(), strict=True))


def test_every_process_indicator_is_counted_or_names_the_records_it_needs() -> None:
    codes = {d.code for d in PROCESS_INDICATORS}
    assert codes == set(COUNTERS) | set(PENDING_RECORDS)
    assert not set(COUNTERS) & set(PENDING_RECORDS)
    for code in codes:
        d = get_indicator(code)
        assert d.unit == "count" and d.weight is None and d.bounds == (0.0, None)
    assert get_indicator("process.people_trained.workers").disaggregations == ("sex",)


def test_counts_are_the_records_by_year_and_a_recount_changes_public_values_only_audited(
    db_url: str,
) -> None:
    _records()
    with session_scope(ADMIN) as s:
        report = refresh_process_indicators(s, ADMIN, today=TODAY, approve=True)
    assert report.counted == (
        "process.publication_downloads",
        "process.practices_published",
        "process.evaluations_completed",
    )
    assert "process.countries_strategy_endorsed" in report.pending
    # counted by hand from the records above: zero in the years between, none in the future
    assert _values("process.practices_published") == {2023: 1, 2024: 0, 2025: 2, 2026: 0}
    assert _values("process.evaluations_completed") == {2024: 1, 2025: 0, 2026: 0}
    assert _values("process.publication_downloads") == {2026: 7}
    with session_scope(write=False) as s:
        frame = observations(s, None, indicator="process.publication_downloads")
    assert frame["source"].to_list() == [PROCESS_SOURCE]
    assert frame["nature"].to_list() == ["administrative"]
    assert "2026-03-01" in frame["footnotes"][0]

    with session_scope(ADMIN) as s:  # nothing changed: nothing written
        again = refresh_process_indicators(s, ADMIN, today=TODAY, approve=True)
    assert (again.recorded.new, again.recorded.revised) == (0, 0) and again.approved == ()

    _practice("Pension D", dt.date(2025, 11, 2))
    # without approve, a locked data set is refused whole
    with pytest.raises(ConflictError) as refused, session_scope(ADMIN) as s:
        refresh_process_indicators(s, ADMIN, today=TODAY)
    assert refused.value.code == "monitor.data-set-locked"
    assert _values("process.practices_published")[2025] == 2
    with session_scope(ADMIN) as s:
        recount = refresh_process_indicators(s, ADMIN, today=TODAY, approve=True)
    assert recount.recorded.revised == 1 and len(recount.approved) == 1
    assert _values("process.practices_published")[2025] == 3
    with session_scope(write=False) as s:
        steps = s.scalars(
            select(AuditEntry.action).where(AuditEntry.comment == RECOUNT_COMMENT)
        ).all()
    assert "data_set.unapprove" in steps and steps.count("data_set.approve") >= 2


def test_counting_reads_without_writing(db_url: str) -> None:
    _records()
    with session_scope(write=False) as s:
        frame = count_process_indicators(s, today=TODAY, codes=["process.practices_published"])
        assert frame["indicator"].unique().to_list() == ["process.practices_published"]
        assert observations(s, ADMIN, indicator="process.practices_published").is_empty()


def test_the_command_counts_approves_and_names_what_is_pending(db_url: str) -> None:
    from typer.testing import CliRunner

    from socialcover.cli.app import app

    _records()
    result = CliRunner().invoke(app, ["monitor", "refresh-process", "--url", db_url])
    assert result.exit_code == 0, result.output
    assert "process.practices_published" in result.output
    assert "Not counted yet: process.events_held" in result.output
    with session_scope(write=False) as s:  # approved: the public reads it
        public = observations(s, None, indicator="process.practices_published")
    assert public["value"].sum() == 3
