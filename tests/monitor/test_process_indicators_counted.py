"""The campaign's process indicators are counted from the platform's records, never typed: each
is in the registry, a recount writes only what changed, and a public value changes only through
an audited un-approval; indicators whose records the store lacks are named, not invented."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
from socialcover.store.models import (
    AuditEntry,
    Endorsement,
    Engagement,
    Event,
    EventParticipant,
    Organisation,
    Practice,
    Publication,
    PublicationDownload,
    Stage,
)
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


def _engagement(
    s: Any, iso3: str, published: bool, stages: dict[str, dt.date | None], endorsed: dict[str, str]
) -> None:
    e = Engagement(
        country_iso3=iso3,
        title=f"Engagement {iso3}",
        period_start=2022,
        period_end=2027,
        status="published" if published else "draft",
    )
    s.add(e)
    s.flush()
    for stage, ended in stages.items():
        s.add(Stage(engagement_id=e.id, stage=stage, status="done", ends_on=ended))
    s.add(Stage(engagement_id=e.id, stage="strategy", status="in_progress"))
    for constituent, on in endorsed.items():
        org = Organisation(name=f"{iso3} {constituent}", actor_type="government")
        s.add(org)
        s.flush()
        s.add(
            Endorsement(
                engagement_id=e.id,
                organisation_id=org.id,
                constituent=constituent,
                signed_by="A. Signatory",
                endorsed_on=dt.date.fromisoformat(on),
                document="endorsement.pdf",
            )
        )


def _event(s: Any, kind: str, on: str, people: list[tuple[str, str, str, bool | None]]) -> None:
    start = dt.datetime.fromisoformat(on).replace(tzinfo=dt.UTC)
    e = Event(
        kind=kind,
        title=f"{kind} {on}",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        status="published",
    )
    s.add(e)
    s.flush()
    for sex, constituent, role, attended in people:
        s.add(
            EventParticipant(
                event_id=e.id, sex=sex, constituent=constituent, role=role, attended=attended
            )
        )


def _campaign_records() -> None:
    """Engagements, training and events, downloads: every count below is written by hand."""
    with session_scope(ADMIN) as s:
        # diagnosis done: KEN 2023, SEN 2024 (and a draft GHA engagement, not counted);
        # costed options: KEN 2025 (SEN's costing stage has no end date: done by the count)
        _engagement(
            s,
            "KEN",
            True,
            {"assessment": dt.date(2023, 6, 30), "costing": dt.date(2025, 3, 1)},
            {"government": "2025-05-01", "employers": "2025-06-01", "workers": "2026-01-15"},
        )
        _engagement(
            s,
            "SEN",
            True,
            {"assessment": dt.date(2024, 2, 1), "costing": None},
            {"government": "2025-05-01", "workers": "2025-05-02"},  # employers have not
        )
        _engagement(s, "GHA", False, {"assessment": dt.date(2023, 1, 1)}, {})
        trainee = ("female", "government", "participant", True)
        _event(
            s,
            "training_session",
            "2024-10-01T09:00",
            [
                trainee,
                ("male", "workers", "participant", None),  # attendance not recorded: counted
                ("female", "employers", "participant", False),  # absent: not counted
                ("male", "government", "speaker", True),  # a speaker is not a trainee
                ("not_stated", "academia", "participant", True),  # other; both sexes only
            ],
        )
        _event(s, "training_session", "2026-02-10T09:00", [trainee, trainee])
        _event(s, "training_session", "2026-05-10T09:00", [trainee])  # after the count
        _event(s, "seminar", "2025-11-20T09:00", [])
        guide = Publication(title="Guide", kind="guide", status="published")
        s.add(guide)
        s.flush()
        for month, n in (("2024-12", 5), ("2025-01", 2), ("2026-02", 3), ("2026-04", 9)):
            s.add(PublicationDownload(publication_id=guide.id, month=month, count=n))


def _by_sex(code: str, sex: str) -> dict[int, float]:
    with session_scope(write=False) as s:
        frame = observations(s, None, indicator=code, area="World")
    rows = frame.filter(frame["sex"] == sex)
    return dict(zip(rows["year"].to_list(), rows["value"].to_list(), strict=True))


def test_campaign_records_are_counted_by_year_sex_and_constituent(db_url: str) -> None:
    _campaign_records()
    with session_scope(ADMIN) as s:
        report = refresh_process_indicators(s, ADMIN, today=TODAY, approve=True)
    assert report.pending == {}
    assert _values("process.countries_diagnosis_completed") == {2023: 1, 2024: 2, 2025: 2, 2026: 2}
    assert _values("process.countries_costed_options") == {2025: 1, 2026: 2}
    assert _values("process.countries_strategy_endorsed") == {2026: 1}  # KEN, when workers signed
    assert _by_sex("process.people_trained", "both") == {2024: 3, 2025: 0, 2026: 2}
    assert _by_sex("process.people_trained", "female") == {2024: 1, 2025: 0, 2026: 2}
    assert _by_sex("process.people_trained", "male") == {2024: 1, 2025: 0, 2026: 0}
    assert _by_sex("process.people_trained.government", "both") == {2024: 1, 2025: 0, 2026: 2}
    assert _by_sex("process.people_trained.workers", "male") == {2024: 1, 2025: 0, 2026: 0}
    assert _by_sex("process.people_trained.employers", "both") == {}
    assert _by_sex("process.people_trained.other", "both") == {2024: 1, 2025: 0, 2026: 0}
    assert _values("process.events_held") == {2024: 1, 2025: 1, 2026: 1}
    assert _values("process.publication_downloads") == {2024: 5, 2025: 2, 2026: 3}


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
    return _by_sex(code, "both")


def test_every_process_indicator_is_counted() -> None:
    codes = {d.code for d in PROCESS_INDICATORS}
    assert codes == set(COUNTERS) and PENDING_RECORDS == {}
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
    assert report.counted == ("process.practices_published", "process.evaluations_completed")
    # counted by hand from the records above: zero in the years between, none in the future
    assert _values("process.practices_published") == {2023: 1, 2024: 0, 2025: 2, 2026: 0}
    assert _values("process.evaluations_completed") == {2024: 1, 2025: 0, 2026: 0}
    with session_scope(write=False) as s:
        frame = observations(s, None, indicator="process.practices_published")
    assert set(frame["source"]) == {PROCESS_SOURCE} and set(frame["nature"]) == {"administrative"}
    assert frame["footnotes"].to_list() == ["", "", "", "Counted to 2026-03-01."]

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
    assert "Not counted yet" not in result.output
    with session_scope(write=False) as s:  # approved: the public reads it
        public = observations(s, None, indicator="process.practices_published")
    assert public["value"].sum() == 3
