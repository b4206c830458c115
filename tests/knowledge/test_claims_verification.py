"""Claims: sourced key facts, verified one by one; a practice is verified only when all are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic
import pytest
from sqlalchemy import func, select

from socialcover.knowledge import (
    ClaimInput,
    add_claim,
    create_practice,
    dispute_claim,
    evidence_of_practice,
    get_practice,
    list_claims,
    practice_view,
    verification_of,
    verify_claim,
)
from socialcover.knowledge.claims import check_source_dates
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    PracticeClaim,
    SystemActor,
    User,
    ValidationError,
    create_user,
    session_scope,
)

ADMIN = SystemActor("test")

PRACTICE: dict[str, Any] = {
    "title": "Demoland: universal guaranteed pension",
    "country_iso3": "xdm",
    "region": "Africa",
    "guarantee": "old_age",
    "mechanism": "universal pension",
    "summary": "A guaranteed pension for everyone aged 65 and over.",
    "assessment": "good",
}
BOOK_2018 = {"title": "A study of pension reversals", "publisher": "Example Press", "year": 2018}
LAW_2022 = {
    "title": "Law 21 on the guaranteed pension",
    "publisher": "Official Gazette",
    "year": 2022,
    "url": "https://example.org/law-21",
    "locator": "article 1",
}


def _claim(key: str, source: dict[str, Any] | None, year: int = 2022) -> dict[str, Any]:
    return {
        "key": key,
        "text": f"Claim {key}",
        "kind": "date",
        "event_year": year,
        "source": source,
    }


def _people() -> tuple[User, User]:
    with session_scope(ADMIN) as s:
        return (
            create_user(s, ADMIN, "author@example.org", "long passphrase", "contributor"),
            create_user(
                s, ADMIN, "rev@example.org", "long passphrase", "reviewer", display_name="Rosa R"
            ),
        )


def test_a_source_published_before_the_event_is_refused_and_nothing_saved(db_url: str) -> None:
    author, _ = _people()
    with session_scope(author) as s:
        pid = create_practice(s, author, PRACTICE).id
    with pytest.raises(ValidationError) as err, session_scope(author) as s:
        add_claim(s, author, pid, _claim("pgu-2022", BOOK_2018))
    assert err.value.code == "claim.source-before-event"
    assert "2018" in err.value.message and "2022" in err.value.message
    with session_scope(write=False) as s:
        assert s.scalar(select(func.count()).select_from(PracticeClaim)) == 0


def test_a_verified_claim_says_who_when_and_against_what() -> None:
    with pytest.raises(pydantic.ValidationError, match="verified_by"):
        ClaimInput.model_validate({**_claim("x1", LAW_2022), "status": "verified"})
    with pytest.raises(pydantic.ValidationError, match=r"source\.year"):
        ClaimInput.model_validate(
            {
                **_claim("x2", {"title": "An undated page"}),
                "status": "verified",
                "verified_by": "R",
                "verified_on": "2026-01-02",
                "verified_against": "para 3",
            }
        )
    with pytest.raises(pydantic.ValidationError, match="dispute_source"):
        ClaimInput.model_validate({**_claim("x3", LAW_2022), "status": "disputed"})
    ok = ClaimInput.model_validate(_claim("x4", LAW_2022, year=2021))
    check_source_dates(ok)  # a source later than the event is fine


def test_contributors_add_claims_unverified_reviewers_verify_one_by_one(db_url: str) -> None:
    author, reviewer = _people()
    with session_scope(author) as s:
        pid = create_practice(s, author, PRACTICE).id
        first = add_claim(
            s,
            author,
            pid,
            {
                **_claim("pgu-2022", LAW_2022),
                "status": "verified",
                "verified_by": "Me",
                "verified_on": "2026-01-01",
                "verified_against": "trust me",
            },
        ).id
        second = add_claim(s, author, pid, _claim("coverage-90", LAW_2022)).id
    with session_scope(write=False) as s:
        practice = get_practice(s, author, pid)
        claims = list_claims(s, author, pid)
        state = verification_of(practice, claims)
    assert [c.status for c in claims] == ["unverified", "unverified"]  # only reviewers verify
    assert state.state == "being-verified" and state.as_of is None
    assert state.unverified == ["Claim pgu-2022", "Claim coverage-90"]

    with pytest.raises(PermissionDeniedError), session_scope(author) as s:
        verify_claim(s, author, first, against="article 1")
    with session_scope(reviewer) as s:
        verify_claim(s, reviewer, first, against="article 1", on=dt.date(2026, 3, 1))
    with session_scope(write=False) as s:
        view = practice_view(s, reviewer, pid)
    assert view["verification"]["state"] == "being-verified"
    assert view["verification"]["verified"] == 1 and view["verification"]["total"] == 2
    assert view["verification"]["as_of"] == "2026-03-01"
    assert view["claims"][0]["verified_by"] == "Rosa R"

    with session_scope(reviewer) as s:
        verify_claim(s, reviewer, second, against="article 2", on=dt.date(2026, 3, 5))
    with session_scope(write=False) as s:
        view = practice_view(s, reviewer, pid)
    assert view["verification"]["state"] == "verified"
    assert view["verification"]["as_of"] == "2026-03-05"
    assert view["verification"]["unverified"] == []


def test_verifying_against_an_older_source_is_refused(db_url: str) -> None:
    author, reviewer = _people()
    with session_scope(author) as s:
        pid = create_practice(s, author, PRACTICE).id
        cid = add_claim(s, author, pid, _claim("pgu-2022", None)).id
    with pytest.raises(ValidationError) as err, session_scope(reviewer) as s:
        verify_claim(s, reviewer, cid, against="p. 12", source=BOOK_2018)
    assert err.value.code == "claim.source-before-event"
    with pytest.raises(ValidationError) as err, session_scope(reviewer) as s:
        verify_claim(s, reviewer, cid, against="p. 12")  # no source at all
    assert err.value.code == "claim.invalid"
    with session_scope(write=False) as s:
        assert s.get(PracticeClaim, cid).status == "unverified"  # type: ignore[union-attr]


def test_a_disputed_claim_names_the_other_source(db_url: str) -> None:
    author, reviewer = _people()
    with session_scope(author) as s:
        pid = create_practice(s, author, PRACTICE).id
        cid = add_claim(s, author, pid, _claim("pgu-2022", LAW_2022)).id
        with pytest.raises(ConflictError) as dup:
            add_claim(s, author, pid, _claim("pgu-2022", LAW_2022))
    assert dup.value.code == "claim.duplicate"
    other = {"title": "Audit report on the pension", "publisher": "Audit Office", "year": 2023}
    with session_scope(reviewer) as s:
        dispute_claim(s, reviewer, cid, other_source=other, note="Says 2023, section 2.")
    with session_scope(write=False) as s:
        view = practice_view(s, reviewer, pid)
    claim = view["claims"][0]
    assert claim["status"] == "disputed"
    assert claim["dispute_source"]["title"] == "Audit report on the pension"
    assert view["verification"]["disputed"] == ["Claim pgu-2022"]


def test_published_evaluations_are_the_practice_evidence(db_url: str) -> None:
    from socialcover.monitor.evaluations import (
        create_evaluation,
        publish_evaluation,
        submit_evaluation,
    )

    author, reviewer = _people()
    with session_scope(author) as s:
        pid = create_practice(s, author, PRACTICE).id
    data = {
        "title": "Impact evaluation of the Demoland pension",
        "subject_type": "practice",
        "subject_ref": str(pid),
        "evaluation_type": "impact",
        "started_on": "2024-01-01",
        "ended_on": "2024-12-31",
        "evaluators": ["Independent Evaluation Unit"],
        "findings": "Poverty among older persons fell.",
    }
    with session_scope(author) as s:
        eid = create_evaluation(s, author, data).id
    with session_scope(write=False) as s:
        assert evidence_of_practice(s, pid) == []  # a draft is not evidence yet
    with session_scope(author) as s:
        submit_evaluation(s, author, eid)
    with session_scope(reviewer) as s:
        publish_evaluation(s, reviewer, eid)
    with session_scope(write=False) as s:
        evidence = evidence_of_practice(s, pid)
    assert [e["title"] for e in evidence] == ["Impact evaluation of the Demoland pension"]
    assert evidence[0]["evaluators"] == ["Independent Evaluation Unit"]
