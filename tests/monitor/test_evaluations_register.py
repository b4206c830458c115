"""The register of evaluations on SQLite and PostgreSQL: reviewed by roles, listed by subject
and country, shown as a practice's evidence; bad input is refused and writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from socialcover.data import install_demo
from socialcover.knowledge import PRACTICES
from socialcover.monitor import (
    EVALUATION_COLUMNS,
    create_evaluation,
    evaluations_of_practice,
    list_evaluations,
    publish_evaluation,
    return_evaluation,
    submit_evaluation,
    update_evaluation,
)
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    SystemActor,
    User,
    ValidationError,
    backup,
    create_user,
    history,
    restore,
    revert,
    session_scope,
)
from socialcover.store.models import AuditEntry, Evaluation
from socialcover.store.testing import db_engine, db_url, postgres_database

__all__ = ["db_engine", "db_url", "postgres_database"]

ADMIN = SystemActor("test")

MID_TERM: dict[str, Any] = {
    "title": "Mid-term evaluation of the Demoland engagement",
    "subject_type": "country_engagement",
    "subject_ref": "xdm",
    "evaluation_type": "mid_term",
    "started_on": "2025-02-01",
    "ended_on": "2025-05-30",
    "evaluators": ["An Independent Evaluator", "A National Consultant"],
    "method": "Document review, 40 interviews, two field visits.",
    "findings": "The diagnosis was used; the costed options were not yet discussed.",
    "report": "https://example.org/reports/demoland-mid-term.pdf",
}


def people() -> tuple[User, User, User]:
    with session_scope(ADMIN) as s:
        return (
            create_user(s, ADMIN, "author@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "other@example.org", "long passphrase", "contributor"),
            create_user(s, ADMIN, "reviewer@example.org", "long passphrase", "reviewer"),
        )


def draft(author: User, **changes: Any) -> int:
    with session_scope(author) as s:
        return create_evaluation(s, author, {**MID_TERM, **changes}).id


def public(**filters: Any) -> list[int]:
    with session_scope(write=False) as s:
        return list_evaluations(s, None, **filters)["id"].to_list()


def test_drafted_submitted_returned_and_published_by_the_right_roles(db_url: str) -> None:
    author, other, reviewer = people()
    eid = draft(author)
    assert public() == []
    with session_scope(write=False) as s:
        assert list_evaluations(s, author)["id"].to_list() == [eid]  # authors see their own
        assert list_evaluations(s, other).is_empty()
        assert list_evaluations(s, reviewer)["status"].to_list() == ["draft"]
    with session_scope(other) as s, pytest.raises(RecordNotFoundError):
        submit_evaluation(s, other, eid)  # someone else's draft does not even exist for them
    with session_scope(author) as s, pytest.raises(PermissionDeniedError):
        publish_evaluation(s, author, eid)
    with session_scope(author) as s:
        submit_evaluation(s, author, eid)
    with session_scope(reviewer) as s:
        return_evaluation(s, reviewer, eid, "Add the sample of the interviews.")
    with session_scope(author) as s:
        update_evaluation(s, author, eid, {"method": "Document review, 40 interviews."})
        submit_evaluation(s, author, eid)
    with session_scope(reviewer) as s:
        publish_evaluation(s, reviewer, eid)
    assert public() == [eid]
    with session_scope(author) as s, pytest.raises(PermissionDeniedError, match="only your"):
        update_evaluation(s, author, eid, {"findings": "Changed after publication."})
    with session_scope(write=False) as s:
        steps = [(h.action, h.actor, h.comment) for h in history(s, "evaluations", eid)]
        row = list_evaluations(s, None).row(0, named=True)
    assert steps == [
        ("evaluation.create", "author@example.org", ""),
        ("evaluation.submit", "author@example.org", ""),
        ("evaluation.return", "reviewer@example.org", "Add the sample of the interviews."),
        ("evaluation.update", "author@example.org", ""),
        ("evaluation.submit", "author@example.org", ""),
        ("evaluation.publish", "reviewer@example.org", ""),
    ]
    assert row["subject_ref"] == "XDM" and row["country_iso3"] == "XDM"  # derived from it
    assert row["started_on"] == dt.date(2025, 2, 1) and row["evaluators"] == MID_TERM["evaluators"]


def test_anonymous_readers_and_stale_edits_are_refused(db_url: str) -> None:
    author, _, _ = people()
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        create_evaluation(s, None, MID_TERM)
    eid = draft(author)
    with session_scope(author) as s:
        update_evaluation(s, author, eid, {"findings": "First reading."}, expected_version=1)
    with session_scope(author) as s, pytest.raises(ConflictError) as info:
        update_evaluation(s, author, eid, {"findings": "Second reading."}, expected_version=1)
    assert info.value.code == "store.stale"


def test_lists_filter_by_subject_type_country_and_status(db_url: str) -> None:
    author, _, reviewer = people()
    engagement = draft(author)
    campaign = draft(
        author,
        title="Final evaluation of the campaign",
        subject_type="campaign",
        subject_ref="",
        evaluation_type="final",
        started_on=dt.date(2024, 1, 1),
        ended_on=None,
    )
    programme = draft(
        author,
        title="Impact of the cash transfer",
        subject_type="programme",
        subject_ref="Demoland Child Grant",
        evaluation_type="impact",
    )
    with session_scope(reviewer) as s:
        for eid in (engagement, campaign, programme):
            publish_evaluation(s, reviewer, eid)
    assert public(subject="campaign") == [campaign]
    assert public(subject="programme", subject_ref="Demoland Child Grant") == [programme]
    assert public(country="xdm") == [engagement]  # the programme names no country
    assert public(evaluation_type="impact") == [programme]
    assert sorted(public(status="published")) == sorted([engagement, campaign, programme])
    with session_scope(write=False) as s, pytest.raises(ValidationError) as info:
        list_evaluations(s, None, subject="country")
    assert (
        info.value.code == "evaluation.unknown-filter" and "country_engagement" in info.value.hint
    )
    with session_scope(write=False) as s:
        assert list_evaluations(s, None, subject="practice").schema == EVALUATION_COLUMNS


def test_an_evaluated_practice_shows_its_evidence(db_url: str) -> None:
    author, other, reviewer = people()
    with session_scope(author) as s:
        practice = PRACTICES.create(
            s,
            author,
            {
                "title": "Demoland: universal old-age pension",
                "country_iso3": "XDM",
                "guarantee": "old_age",
                "mechanism": "universal pension",
                "summary": "A tax-financed flat pension for everyone aged 70 and over.",
                "assessment": "good",
            },
        ).id
    impact = draft(
        author,
        title="Impact evaluation of the universal pension",
        subject_type="practice",
        subject_ref=f"0{practice}",  # read as the number it is
        evaluation_type="impact",
    )
    draft(author)  # an evaluation of something else
    with session_scope(write=False) as s:
        assert evaluations_of_practice(s, None, practice).is_empty()  # not published yet
        assert evaluations_of_practice(s, author, practice)["id"].to_list() == [impact]
        assert evaluations_of_practice(s, other, practice).is_empty()
    with session_scope(reviewer) as s:
        publish_evaluation(s, reviewer, impact)
    with session_scope(write=False) as s:
        evidence = evaluations_of_practice(s, None, practice)
        assert evidence.select("id", "subject_ref", "evaluation_type", "country_iso3").rows() == [
            (impact, str(practice), "impact", "XDM")  # the practice's country
        ]
        assert evaluations_of_practice(s, None, practice + 100).is_empty()


def _count(model: type[Any]) -> int:
    with session_scope(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        ({"ended_on": "2025-01-01"}, "store.invalid", "before started_on 2025-02-01"),
        ({"evaluation_type": "midterm"}, "store.invalid", "'mid_term', 'final'"),
        ({"subject_type": "country"}, "store.invalid", "'programme', 'country_engagement'"),
        ({"subject_ref": "Demoland"}, "store.invalid", "ISO3 code"),
        ({"subject_type": "practice", "subject_ref": "pension"}, "store.invalid", "its id"),
        ({"subject_type": "practice", "subject_ref": "999"}, "evaluation.unknown-practice", "999"),
        ({"subject_type": "programme", "subject_ref": ""}, "store.invalid", "needs its name"),
        ({"subject_type": "campaign"}, "store.invalid", "leave it empty"),
        ({"country_iso3": "Kenya"}, "store.invalid", "country_iso3"),
        ({"report": "ftp://example.org/r.pdf"}, "store.invalid", "https://"),
        ({"evaluators": [""]}, "store.invalid", "evaluator"),
        ({"started_on": "31/12/2024"}, "store.invalid", "started_on"),
        ({"budget": 10}, "store.invalid", "budget"),
    ],
)
def test_bad_input_is_named_with_a_fix_and_writes_nothing(
    db_url: str, changes: dict[str, Any], code: str, words: str
) -> None:
    author, _, _ = people()
    with session_scope(author) as s, pytest.raises(ValidationError) as info:
        create_evaluation(s, author, {**MID_TERM, **changes})
    assert info.value.code == code
    assert words in info.value.message
    assert "Nothing was saved" in info.value.hint or "nothing was saved" in info.value.hint
    assert _count(Evaluation) == 0
    with session_scope(write=False) as s:
        assert not s.scalars(
            select(AuditEntry).where(AuditEntry.entity_type == "evaluations")
        ).all()


def test_countries_are_checked_against_the_installed_pack(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "demo-home"))
    install_demo()  # the demo pack knows Demoland (XDM) only
    author, _, _ = people()
    assert draft(author)
    with session_scope(author) as s, pytest.raises(ValidationError) as info:
        create_evaluation(s, author, {**MID_TERM, "subject_ref": "KEN"})
    assert info.value.code == "evaluation.unknown-country"
    assert "countries()" in info.value.hint and info.value.context["fields"] == ["subject_ref"]
    campaign_in_kenya = {**MID_TERM, "subject_type": "campaign", "subject_ref": ""}
    with session_scope(author) as s, pytest.raises(ValidationError, match="country_iso3 'KEN'"):
        create_evaluation(s, author, {**campaign_in_kenya, "country_iso3": "KEN"})
    assert _count(Evaluation) == 1


def test_an_earlier_version_with_dates_can_be_restored(db_url: str) -> None:
    author, _, reviewer = people()
    eid = draft(author)
    with session_scope(author) as s:
        update_evaluation(s, author, eid, {"ended_on": "2025-06-30"})
    with session_scope(reviewer) as s:
        restored = revert(s, reviewer, "evaluations", eid, 1)
        assert restored.ended_on == dt.date(2025, 5, 30) and restored.version == 3


def test_an_evaluation_survives_backup_and_restore(db_url: str, tmp_path: Path) -> None:
    author, _, _ = people()
    eid = draft(author)
    report = backup(tmp_path / "backup.json.gz", db_url)
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    assert restore(report.path, copy)["evaluations"] == 1
    with session_scope(write=False, url=copy) as s:
        restored = s.get(Evaluation, eid)
        assert restored is not None
        assert (restored.started_on, restored.ended_on) == (
            dt.date(2025, 2, 1),
            dt.date(2025, 5, 30),
        )
