"""Engagements: one country, one period; its team, constituents' representatives, partners
and stages.

An engagement is a reviewed record (:class:`~socialcover.store.Workflow`) owned by its team:
whoever opens it becomes its lead, the lead adds members, and the team edits it and makes it
public (``engagement.publish``) or takes it back (``engagement.withdraw``). A representative of
a national constituent (a ministry, an employers' or a workers' organisation) sees the
engagement and records only that organisation's positions (:mod:`socialcover.countries.dialogue`).
Readers see published engagements, never participants' personal data.

Examples
--------
>>> from socialcover.countries import STAGES
>>> STAGES[0], STAGES[-1]
('assessment', 'monitoring')
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from socialcover.countries.vocabulary import (
    CONSTITUENTS,
    MEMBER_ROLES,
    PARTNER_KINDS,
    STAGE_STATUSES,
    STAGES,
    TEAM_ROLES,
)
from socialcover.data import check_iso3, country, pack_status
from socialcover.errors import NotFoundError
from socialcover.store import (
    PermissionDeniedError,
    RecordNotFoundError,
    Step,
    User,
    ValidationError,
    Workflow,
    flush_audited,
    require,
    validate_input,
)
from socialcover.store.fields import IsoDate, RecordRef
from socialcover.store.models import (
    Engagement,
    EngagementMember,
    EngagementPartner,
    Milestone,
    Organisation,
    Stage,
)

__all__ = [
    "ENGAGEMENTS",
    "EngagementInput",
    "MemberInput",
    "MilestoneInput",
    "PartnerInput",
    "StageInput",
    "add_member",
    "add_milestone",
    "add_partner",
    "create_engagement",
    "current_stage",
    "engagement_as_dict",
    "get_engagement",
    "is_team",
    "list_engagements",
    "publish_engagement",
    "remove_member",
    "representation",
    "require_team",
    "share_events_with_team",
    "update_engagement",
    "update_stage",
    "withdraw_engagement",
]

_YEAR = Field(ge=1990, le=2100)


class EngagementInput(BaseModel):
    """The fields of an engagement."""

    model_config = ConfigDict(extra="forbid")
    country_iso3: str = Field(pattern=r"^[A-Z]{3}$")
    title: str = Field(min_length=3, max_length=300)
    period_start: int = _YEAR
    period_end: int = _YEAR
    summary: str = Field(default="", max_length=20_000)

    @field_validator("country_iso3", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("period_end")
    @classmethod
    def _order(cls, value: int, info: Any) -> int:
        start = info.data.get("period_start")
        if start is not None and value < start:
            raise ValueError(f"the period ends ({value}) before it starts ({start})")
        return value


class MemberInput(BaseModel):
    """A person's role in an engagement (``organisation_id`` and ``constituent`` for a rep)."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=320)
    role: str = Field(pattern="^(" + "|".join(MEMBER_ROLES) + ")$")
    organisation_id: RecordRef | None = None
    constituent: str | None = Field(default=None, pattern="^(" + "|".join(CONSTITUENTS) + ")$")


class PartnerInput(BaseModel):
    """An organisation in an engagement: a national counterpart (with its constituency) or a
    partner."""

    model_config = ConfigDict(extra="forbid")
    organisation_id: RecordRef
    kind: str = Field(pattern="^(" + "|".join(PARTNER_KINDS) + ")$")
    constituent: str | None = Field(default=None, pattern="^(" + "|".join(CONSTITUENTS) + ")$")


class StageInput(BaseModel):
    """What may change on a stage."""

    model_config = ConfigDict(extra="forbid")
    status: str = Field(default="planned", pattern="^(" + "|".join(STAGE_STATUSES) + ")$")
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    documents: list[str] = Field(default_factory=list, max_length=50)
    note: str = Field(default="", max_length=20_000)


class MilestoneInput(BaseModel):
    """A dated step of a stage."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=3, max_length=300)
    due_on: IsoDate
    done_on: IsoDate | None = None


def _uid(actor: Any) -> int | None:
    uid = getattr(actor, "id", None)
    return uid if isinstance(uid, int) else None


class _EngagementTeam:
    """The engagement's team: its members with the role lead or member."""

    def has(self, actor: Any, record: Any) -> bool:
        uid = _uid(actor)
        return any(m.user_id == uid and m.role in TEAM_ROLES for m in record.members)

    def clause(self, actor: Any) -> ColumnElement[bool] | None:
        uid = _uid(actor)
        if uid is None:
            return None
        return Engagement.id.in_(
            select(EngagementMember.engagement_id).where(
                EngagementMember.user_id == uid, EngagementMember.role.in_(TEAM_ROLES)
            )
        )


def _prepare(session: Session, values: dict[str, Any], record: Engagement | None) -> None:
    try:
        check_iso3(values["country_iso3"])
    except ValueError as exc:
        raise ValidationError(
            str(exc), code="store.invalid", hint="Nothing was saved.", fields=["country_iso3"]
        ) from None
    values["region"] = ""  # without a pack, filled in by a later edit
    if pack_status() is not None:
        with suppress(NotFoundError):  # a well-formed code the demo pack does not know
            values["region"] = country(values["country_iso3"]).ilo_region or ""
    clash = session.scalars(
        select(Engagement.id).where(
            Engagement.country_iso3 == values["country_iso3"],
            Engagement.period_start == values["period_start"],
        )
    ).first()
    if clash is not None and (record is None or clash != record.id):
        raise ValidationError(
            f"Engagement {clash} already covers {values['country_iso3']} from "
            f"{values['period_start']}.",
            code="engagement.duplicate",
            hint="Open that engagement, or start this one in another year. Nothing was saved.",
            fields=["period_start"],
        )


ENGAGEMENTS: Workflow[Engagement] = Workflow(
    Engagement,
    "engagement",
    EngagementInput,
    read="engagement.read_published",
    draft="engagement.draft",
    edit_any="engagement.edit_any",
    delete="engagement.delete",
    read_drafts="engagement.read_drafts",
    steps={
        "publish": Step(sources=("draft",), target="published"),
        "withdraw": Step(sources=("published",), target="draft"),
    },
    prepare=_prepare,
    team=_EngagementTeam(),
)
"""The engagement's workflow: its team drafts it, edits it in any state, publishes it."""


def _member(actor: Any, engagement: Engagement) -> EngagementMember | None:
    uid = _uid(actor)
    return next((m for m in engagement.members if m.user_id == uid), None)


def is_team(actor: Any, engagement: Engagement) -> bool:
    """Whether ``actor`` edits ``engagement``: on its team, or an administrator."""
    from socialcover.store import can

    return ENGAGEMENTS.on_team(actor, engagement) or can(
        getattr(actor, "role", None), "engagement.edit_any"
    )


def representation(actor: Any, engagement: Engagement) -> EngagementMember | None:
    """The membership by which ``actor`` represents a constituent in ``engagement``, if any."""
    member = _member(actor, engagement)
    return member if member is not None and member.role == "representative" else None


def require_team(actor: Any, engagement: Engagement, what: str) -> None:
    """Raise :class:`PermissionDeniedError` unless ``actor`` is on the engagement's team."""
    require(getattr(actor, "role", None), "engagement.draft")
    if not is_team(actor, engagement):
        raise PermissionDeniedError(
            f"Only the team of engagement {engagement.id} may {what}.",
            code="engagement.not-team",
            hint="Ask the engagement's lead to add you to its team.",
        )


def get_engagement(session: Session, actor: Any, engagement_id: int) -> Engagement:
    """The engagement, if ``actor`` may see it (published, or on its team or a representative).

    Raises
    ------
    RecordNotFoundError
        No such engagement, or a draft ``actor`` may not see.
    """
    record = session.get(Engagement, engagement_id)
    if record is not None and _member(actor, record) is not None:
        return record
    return ENGAGEMENTS.get(session, actor, engagement_id)


def create_engagement(
    session: Session, actor: Any, data: EngagementInput | Mapping[str, Any]
) -> Engagement:
    """Open an engagement: a draft whose lead is ``actor``, with its six stages planned.

    Raises
    ------
    ValidationError
        A field is bad (``store.invalid``), or the country already has an engagement starting
        that year (``engagement.duplicate``); nothing is saved.
    """
    record = ENGAGEMENTS.create(session, actor, data)
    uid = _uid(actor)
    if uid is not None:
        record.members.append(EngagementMember(user_id=uid, role="lead"))
    record.stages.extend(Stage(stage=name) for name in STAGES)
    flush_audited(session, "engagement.create")
    return record


def update_engagement(
    session: Session,
    actor: Any,
    engagement_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Engagement:
    """Change the engagement's fields (its team; ``store.stale`` on an older version)."""
    return ENGAGEMENTS.update(
        session, actor, engagement_id, changes, expected_version=expected_version
    )


def publish_engagement(session: Session, actor: Any, engagement_id: int) -> Engagement:
    """Make the engagement public (its team)."""
    return ENGAGEMENTS.move(session, actor, engagement_id, "publish")


def withdraw_engagement(session: Session, actor: Any, engagement_id: int) -> Engagement:
    """Take the engagement off the public site (its team)."""
    return ENGAGEMENTS.move(session, actor, engagement_id, "withdraw")


def share_events_with_team(session: Session, engagement: Engagement) -> None:
    """Make every team member a co-organiser of each of the engagement's events."""
    team = {m.user_id for m in engagement.members if m.role in TEAM_ROLES}
    from socialcover.store.models import EngagementEvent, Event, EventOrganiser

    links = session.scalars(
        select(EngagementEvent.event_id).where(EngagementEvent.engagement_id == engagement.id)
    ).all()
    added = False
    for event_id in links:
        event = session.get(Event, event_id)
        if event is None:
            continue
        have = {o.user_id for o in event.organisers} | {event.created_by_id}
        for uid in sorted(team - have):
            event.organisers.append(EventOrganiser(user_id=uid))
            added = True
    if added:
        flush_audited(session, "event.organiser")


def _organisation(session: Session, organisation_id: int, field: str) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise ValidationError(
            f"No organisation {organisation_id}.",
            code="engagement.unknown-organisation",
            hint="Add it to the actor registry first (/actors). Nothing was saved.",
            fields=[field],
        )
    return org


def add_member(
    session: Session, actor: Any, engagement_id: int, data: MemberInput | Mapping[str, Any]
) -> EngagementMember:
    """Give a person (by the e-mail of their account) a role in the engagement (its team).

    A representative needs the organisation they speak for and its constituency.
    """
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "change its members")
    values = validate_input(MemberInput, data, "member")
    user = session.scalars(select(User).where(User.email == values.email.strip().lower())).first()
    if user is None:
        raise ValidationError(
            f"No account with the e-mail {values.email!r}.",
            code="engagement.unknown-user",
            hint="Ask an administrator to create the account first. Nothing was saved.",
            fields=["email"],
        )
    if values.role == "representative":
        if values.organisation_id is None or values.constituent is None:
            raise ValidationError(
                "A representative needs the organisation and the constituency they speak for.",
                code="engagement.representative-needs-organisation",
                hint="Give organisation_id and constituent (government, employers, workers...). "
                "Nothing was saved.",
                fields=["organisation_id", "constituent"],
            )
        _organisation(session, values.organisation_id, "organisation_id")
    existing = next((m for m in engagement.members if m.user_id == user.id), None)
    member = existing or EngagementMember(user_id=user.id)
    member.role = values.role
    member.organisation_id = values.organisation_id if values.role == "representative" else None
    member.constituent = values.constituent if values.role == "representative" else None
    if existing is None:
        engagement.members.append(member)
    flush_audited(session, "engagement.member")
    share_events_with_team(session, engagement)  # the team organises the engagement's events
    return member


def remove_member(session: Session, actor: Any, engagement_id: int, user_id: int) -> None:
    """Take a person's role in the engagement away (its team); the last lead stays."""
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "change its members")
    member = next((m for m in engagement.members if m.user_id == user_id), None)
    if member is None:
        raise RecordNotFoundError(
            f"User {user_id} has no role in engagement {engagement_id}.",
            hint="The engagement's page lists its members.",
        )
    leads = [m for m in engagement.members if m.role == "lead"]
    if member.role == "lead" and len(leads) == 1:
        raise ValidationError(
            f"User {user_id} is the only lead of engagement {engagement_id}.",
            code="engagement.last-lead",
            hint="Make another member lead first. Nothing was saved.",
        )
    engagement.members.remove(member)
    flush_audited(session, "engagement.member")


def add_partner(
    session: Session, actor: Any, engagement_id: int, data: PartnerInput | Mapping[str, Any]
) -> EngagementPartner:
    """Add an organisation as a national counterpart (with its constituency) or a partner."""
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "change its partners")
    values = validate_input(PartnerInput, data, "partner")
    if values.kind == "counterpart" and values.constituent is None:
        raise ValidationError(
            "A national counterpart needs its constituency.",
            code="engagement.counterpart-needs-constituent",
            hint="Give constituent: " + ", ".join(CONSTITUENTS) + ". Nothing was saved.",
            fields=["constituent"],
        )
    _organisation(session, values.organisation_id, "organisation_id")
    existing = next(
        (p for p in engagement.partners if p.organisation_id == values.organisation_id), None
    )
    partner = existing or EngagementPartner(organisation_id=values.organisation_id)
    partner.kind = values.kind
    partner.constituent = values.constituent
    if existing is None:
        engagement.partners.append(partner)
    flush_audited(session, "engagement.partner")
    return partner


def _stage(engagement: Engagement, name: str) -> Stage:
    found = next((s for s in engagement.stages if s.stage == name), None)
    if found is None:
        raise ValidationError(
            f"No stage {name!r}.",
            code="engagement.unknown-stage",
            hint="Stages: " + ", ".join(STAGES) + ".",
            fields=["stage"],
        )
    return found


def update_stage(
    session: Session,
    actor: Any,
    engagement_id: int,
    stage: str,
    changes: Mapping[str, Any],
) -> Stage:
    """Change a stage's status, dates, documents or note (its team)."""
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "change its stages")
    record = _stage(engagement, stage)
    current = {k: getattr(record, k) for k in StageInput.model_fields}
    values = validate_input(StageInput, current | dict(changes), "stage")
    if values.starts_on and values.ends_on and values.ends_on < values.starts_on:
        raise ValidationError(
            f"The stage ends ({values.ends_on}) before it starts ({values.starts_on}).",
            code="store.invalid",
            hint="Correct the dates. Nothing was saved.",
            fields=["ends_on"],
        )
    for key, value in values.model_dump().items():
        if getattr(record, key) != value:
            setattr(record, key, value)
    flush_audited(session, "engagement.stage")
    return record


def add_milestone(
    session: Session,
    actor: Any,
    engagement_id: int,
    stage: str,
    data: MilestoneInput | Mapping[str, Any],
) -> Milestone:
    """Add a dated milestone to a stage (its team)."""
    engagement = get_engagement(session, actor, engagement_id)
    require_team(actor, engagement, "change its stages")
    record = _stage(engagement, stage)
    values = validate_input(MilestoneInput, data, "milestone")
    milestone = Milestone(**values.model_dump())
    record.milestones.append(milestone)
    flush_audited(session, "engagement.milestone")
    return milestone


def current_stage(engagement: Engagement) -> str:
    """Where the engagement stands: the first stage in progress, else the first not done
    (``"completed"`` once all are done)."""
    by_name = {s.stage: s.status for s in engagement.stages}
    for name in STAGES:
        if by_name.get(name) == "in_progress":
            return name
    for name in STAGES:
        if by_name.get(name) != "done":
            return name
    return "completed"


def engagement_as_dict(session: Session, actor: Any, engagement: Engagement) -> dict[str, Any]:
    """The engagement as plain data; members' names only for its team and representatives."""
    orgs = {
        o.id: o
        for o in session.scalars(
            select(Organisation).where(
                Organisation.id.in_([p.organisation_id for p in engagement.partners])
            )
        )
    }
    inside = is_team(actor, engagement) or _member(actor, engagement) is not None
    out: dict[str, Any] = {
        "id": engagement.id,
        "country_iso3": engagement.country_iso3,
        "region": engagement.region,
        "title": engagement.title,
        "period_start": engagement.period_start,
        "period_end": engagement.period_end,
        "summary": engagement.summary,
        "status": engagement.status,
        "version": engagement.version,
        "current_stage": current_stage(engagement),
        "editable": is_team(actor, engagement),
        "partners": [
            {
                "organisation_id": p.organisation_id,
                "name": orgs[p.organisation_id].name,
                "kind": p.kind,
                "constituent": p.constituent,
            }
            for p in engagement.partners
        ],
        "stages": [
            {
                "stage": s.stage,
                "status": s.status,
                "starts_on": s.starts_on,
                "ends_on": s.ends_on,
                "documents": list(s.documents),
                "note": s.note,
                "milestones": [
                    {"title": m.title, "due_on": m.due_on, "done_on": m.done_on}
                    for m in s.milestones
                ],
            }
            for s in engagement.stages
        ],
    }
    if inside:
        users = {
            u.id: u
            for u in session.scalars(
                select(User).where(User.id.in_([m.user_id for m in engagement.members]))
            )
        }
        out["members"] = [
            {
                "user_id": m.user_id,
                "name": users[m.user_id].display_name if m.user_id in users else "",
                "role": m.role,
                "organisation_id": m.organisation_id,
                "constituent": m.constituent,
            }
            for m in engagement.members
        ]
    return out


def list_engagements(
    session: Session, actor: Any, *, region: str | None = None, stage: str | None = None
) -> list[dict[str, Any]]:
    """Every engagement ``actor`` may see, with where each stands, by region and stage.

    Parameters
    ----------
    region
        An ILO region ("Africa"...), as the data pack groups the country.
    stage
        Keep those whose current stage (:func:`current_stage`) is this one.
    """
    query = select(Engagement).order_by(Engagement.country_iso3, Engagement.period_start)
    seen = ENGAGEMENTS.visible_clause(actor)
    uid = _uid(actor)
    if seen is not None:
        if uid is not None:
            mine = Engagement.id.in_(
                select(EngagementMember.engagement_id).where(EngagementMember.user_id == uid)
            )
            seen = or_(seen, mine)
        query = query.where(seen)
    if region:
        query = query.where(Engagement.region == region)
    if stage is not None and stage not in (*STAGES, "completed"):
        raise ValidationError(
            f"No stage {stage!r}.",
            code="engagement.unknown-stage",
            hint="Stages: " + ", ".join(STAGES) + ", completed.",
            fields=["stage"],
        )
    rows = []
    for e in session.scalars(query):
        now = current_stage(e)
        if stage and now != stage:
            continue
        rows.append(
            {
                "id": e.id,
                "country_iso3": e.country_iso3,
                "region": e.region,
                "title": e.title,
                "period_start": e.period_start,
                "period_end": e.period_end,
                "status": e.status,
                "current_stage": now,
            }
        )
    return rows
