"""An engagement is its team's: the lead and members see its draft, edit it and publish it;
others see it once published; nobody else edits it. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from socialcover import countries
from socialcover.store import (
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    ValidationError,
    history,
    session_scope,
)
from socialcover.store.models import Engagement


def test_the_lead_opens_a_draft_with_six_planned_stages_and_is_its_lead(cast: Any) -> None:
    c = cast
    with session_scope(c.lead, write=False) as s:
        e = countries.get_engagement(s, c.lead, c.engagement_id)
        assert e.status == "draft"
        assert [st.stage for st in e.stages] == list(countries.STAGES)
        assert {(m.user_id, m.role) for m in e.members} >= {(c.lead.id, "lead")}
        assert countries.current_stage(e) == "assessment"
        actions = [h.action for h in history(s, "engagements", e.id)]
    assert actions[0] == "engagement.create"


def test_a_draft_is_hidden_from_readers_and_outsiders_until_the_team_publishes_it(
    cast: Any,
) -> None:
    c = cast
    for who in (None, c.outsider):
        with session_scope(who, write=False) as s:
            with pytest.raises(RecordNotFoundError):
                countries.get_engagement(s, who, c.engagement_id)
            assert countries.list_engagements(s, who) == []
    with session_scope(c.member) as s:  # a member, not its author, publishes it
        assert countries.publish_engagement(s, c.member, c.engagement_id).status == "published"
    with session_scope(None, write=False) as s:
        row = countries.engagement_as_dict(
            s, None, countries.get_engagement(s, None, c.engagement_id)
        )
        assert "members" not in row  # readers never see who is on the team
        assert [r["id"] for r in countries.list_engagements(s, None)] == [c.engagement_id]


def test_only_the_team_edits_and_a_stale_edit_is_refused(cast: Any) -> None:
    c = cast
    with session_scope(c.member) as s:
        e = countries.update_engagement(
            s, c.member, c.engagement_id, {"summary": "Diagnosis first."}, expected_version=1
        )
        assert e.version == 2
    with session_scope(c.lead) as s, pytest.raises(ConflictError) as info:
        countries.update_engagement(
            s, c.lead, c.engagement_id, {"summary": "Other."}, expected_version=1
        )
    assert info.value.code == "store.stale"
    with session_scope(c.member) as s:
        countries.publish_engagement(s, c.member, c.engagement_id)
    for who in (c.outsider, c.workers_rep, c.reviewer):
        with session_scope(who) as s, pytest.raises(PermissionDeniedError):
            countries.update_engagement(s, who, c.engagement_id, {"summary": "Mine now."})
        with session_scope(who) as s, pytest.raises(PermissionDeniedError) as denied:
            countries.update_stage(s, who, c.engagement_id, "assessment", {"status": "done"})
        assert denied.value.code == "engagement.not-team"


def test_stages_milestones_and_where_each_engagement_stands(cast: Any) -> None:
    c = cast
    with session_scope(c.lead) as s:
        countries.update_stage(
            s,
            c.lead,
            c.engagement_id,
            "assessment",
            {
                "status": "done",
                "starts_on": "2024-01-01",
                "ends_on": "2024-06-30",
                "documents": ["matrix.pdf"],
            },
        )
        countries.update_stage(s, c.lead, c.engagement_id, "costing", {"status": "in_progress"})
        countries.add_milestone(
            s,
            c.lead,
            c.engagement_id,
            "costing",
            {"title": "Costing report", "due_on": "2024-09-30"},
        )
    with session_scope(c.lead, write=False) as s:
        assert [r["current_stage"] for r in countries.list_engagements(s, c.lead)] == ["costing"]
        assert countries.list_engagements(s, c.lead, stage="dialogue") == []
        assert len(countries.list_engagements(s, c.lead, stage="costing")) == 1
        assert countries.list_engagements(s, c.lead, region="Africa") == []
    with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
        countries.update_stage(
            s,
            c.lead,
            c.engagement_id,
            "costing",
            {"starts_on": "2024-09-01", "ends_on": "2024-01-01"},
        )
    assert "before it starts" in info.value.message
    with session_scope(c.lead, write=False) as s, pytest.raises(ValidationError) as info:
        countries.list_engagements(s, c.lead, stage="costed")
    assert info.value.code == "engagement.unknown-stage"


def test_bad_engagements_are_refused_and_save_nothing(cast: Any) -> None:
    c = cast
    bad = [
        (
            {"country_iso3": "XDM", "title": "Again", "period_start": 2024, "period_end": 2026},
            "engagement.duplicate",
        ),
        (
            {"country_iso3": "XDM", "title": "Backwards", "period_start": 2030, "period_end": 2026},
            "store.invalid",
        ),
        (
            {"country_iso3": "X1", "title": "Code", "period_start": 2030, "period_end": 2031},
            "store.invalid",
        ),
    ]
    for data, code in bad:
        with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
            countries.create_engagement(s, c.lead, data)
        assert info.value.code == code, data
    with session_scope(None, write=False) as s:
        assert s.scalar(select(func.count()).select_from(Engagement)) == 1
    with session_scope(None) as s, pytest.raises(PermissionDeniedError):
        countries.create_engagement(s, None, {**bad[0][0], "period_start": 2030})


def test_a_representative_needs_an_organisation_and_the_last_lead_stays(cast: Any) -> None:
    c = cast
    with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
        countries.add_member(
            s, c.lead, c.engagement_id, {"email": "outsider@example.org", "role": "representative"}
        )
    assert info.value.code == "engagement.representative-needs-organisation"
    with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
        countries.remove_member(s, c.lead, c.engagement_id, c.lead.id)
    assert info.value.code == "engagement.last-lead"
    with session_scope(c.lead) as s, pytest.raises(ValidationError) as info:
        countries.add_member(
            s, c.lead, c.engagement_id, {"email": "nobody@x.org", "role": "member"}
        )
    assert info.value.code == "engagement.unknown-user"
