"""Who may do what: ONE table, ``PERMISSIONS``, from action to the roles allowed.

Readers are anonymous visitors; every signed-in person has at least the reader's rights.
Ownership rules (a contributor edits only his or her own drafts) are checked by the services
on top of this table, never instead of it.
"""

from __future__ import annotations

from socialcover.store._errors import PermissionDeniedError
from socialcover.store.vocabulary import Role

__all__ = ["ACTIONS", "PERMISSIONS", "can", "require"]

_R = Role.READER
_C = Role.CONTRIBUTOR
_V = Role.REVIEWER
_A = Role.ADMINISTRATOR
_ALL = frozenset({_R, _C, _V, _A})
_SIGNED_IN = frozenset({_C, _V, _A})
_EDITORS = frozenset({_V, _A})
_ADMIN = frozenset({_A})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # practices
    "practice.read_published": _ALL,
    "practice.read_drafts": _EDITORS,  # all drafts; contributors always see their own
    "practice.draft": _SIGNED_IN,  # create, edit own draft, submit for review
    "practice.edit_any": _EDITORS,
    "practice.publish": _EDITORS,  # publish, or return with a comment
    "practice.verify": _EDITORS,  # verify or dispute a practice's claims one by one
    "practice.delete": _ADMIN,
    # publications
    "publication.read_published": _ALL,
    "publication.read_drafts": _EDITORS,
    "publication.upload": _SIGNED_IN,  # create metadata, attach a PDF
    "publication.publish": _EDITORS,
    "publication.delete": _ADMIN,
    # actors
    "actor.read": _ALL,
    "actor.edit": _SIGNED_IN,
    "actor.delete": _ADMIN,
    # monitoring: data sets of observations (an area and a year), approved as DHIS2 does
    "monitor.read_approved": _ALL,
    "monitor.read_unapproved": _EDITORS,  # contributors always see the data sets they entered
    "monitor.enter": _SIGNED_IN,  # enter observations in one's own data sets, submit them
    "monitor.edit_any": _EDITORS,
    "monitor.approve": _EDITORS,  # approve, un-approve (with a comment), return to entered
    "monitor.delete": _ADMIN,
    # evaluations: the register, recommendations and their follow-up, the schedule
    "evaluation.read_published": _ALL,
    "evaluation.read_drafts": _EDITORS,
    "evaluation.draft": _SIGNED_IN,  # create, edit own draft and its recommendations, submit
    "evaluation.edit_any": _EDITORS,
    "evaluation.publish": _EDITORS,  # publish, or return with a comment
    "evaluation.follow_up": _EDITORS,  # management responses and follow-up of recommendations
    "evaluation.schedule": _EDITORS,  # plan the regular evaluations
    "evaluation.delete": _ADMIN,
    # country engagements: the team (members of the engagement) edits it and its diagnosis;
    # a national constituent's representative records only that organisation's positions;
    # the services check membership on top of these rows (socialcover.countries)
    "engagement.read_published": _ALL,
    "engagement.read_drafts": _EDITORS,
    "engagement.draft": _SIGNED_IN,  # open an engagement (its lead); team members edit it
    "engagement.edit_any": _ADMIN,
    "engagement.position": _SIGNED_IN,  # record a position: the team, or the constituent's rep
    "engagement.participants": _SIGNED_IN,  # participants' personal data: the team only
    "engagement.delete": _ADMIN,
    # saved costing scenarios: a draft is its author's until a reviewer publishes it
    "scenario.read_published": _ALL,
    "scenario.read_drafts": _EDITORS,
    "scenario.draft": _SIGNED_IN,  # save, rename and save new versions of one's own drafts
    "scenario.edit_any": _EDITORS,
    "scenario.publish": _EDITORS,  # publish, or return with a comment
    "scenario.delete": _ADMIN,
    # events: seminars, meetings, webinars, trainings, consultations, validation workshops
    "event.read_published": _ALL,
    "event.read_drafts": _EDITORS,
    "event.draft": _SIGNED_IN,  # create, edit own draft (agenda, materials), submit
    "event.edit_any": _EDITORS,
    "event.publish": _EDITORS,  # publish, or return with a comment
    "event.register": _ALL,  # register oneself for a published event open to registration
    "event.participants_any": _ADMIN,  # see and manage the participants of any event
    "event.delete": _ADMIN,
    # training courses: everyone reads courses and their results; participants' scores are
    # personal data, seen by the organisers of their session and the course's owner
    "training.read": _ALL,
    "training.edit": _SIGNED_IN,  # create a course; its owner edits it and links sessions
    "training.edit_any": _EDITORS,
    # press releases: figures from the store, public after their embargo
    "press.read_published": _ALL,  # after the embargo only
    "press.read_drafts": _EDITORS,  # drafts and releases under embargo
    "press.draft": _SIGNED_IN,
    "press.edit_any": _EDITORS,
    "press.publish": _EDITORS,
    "press.delete": _ADMIN,
    # joint statements and policy positions with partner organisations
    "statement.read_published": _ALL,
    "statement.read_drafts": _EDITORS,  # people of the partner organisations see their drafts
    "statement.draft": _SIGNED_IN,
    "statement.edit_any": _EDITORS,
    "statement.publish": _EDITORS,
    "statement.sign": _SIGNED_IN,  # for one's own organisation, when it is a partner
    "statement.delete": _ADMIN,
    # search
    "search.read": _ALL,
    # survey microdata
    "survey.upload": _SIGNED_IN,
    # the world report and its regional editions, built from approved data in the background
    "report.build": _SIGNED_IN,
    # accounts
    "account.use_tokens": _SIGNED_IN,  # create and revoke one's own API tokens
    "user.manage": _ADMIN,
    # audit and versions
    "record.history": _SIGNED_IN,
    "audit.read": _EDITORS,
    "record.revert": _EDITORS,
}

ACTIONS: tuple[str, ...] = tuple(sorted(PERMISSIONS))
"""Every action of the table, sorted."""


def can(role: Role | str | None, action: str) -> bool:
    """Whether ``role`` may perform ``action`` (``None`` means an anonymous reader).

    Examples
    --------
    >>> can("reviewer", "practice.publish")
    True
    >>> can(None, "practice.draft")
    False
    """
    if action not in PERMISSIONS:
        raise KeyError(f"Unknown action {action!r}; known actions: {', '.join(ACTIONS)}")
    try:
        r = Role(role) if role is not None else Role.READER
    except ValueError:
        return False
    return r in PERMISSIONS[action]


def require(role: Role | str | None, action: str) -> None:
    """Raise :class:`PermissionDeniedError` unless ``role`` may perform ``action``."""
    if not can(role, action):
        allowed = ", ".join(sorted(r.value for r in PERMISSIONS[action]))
        who = f"role {Role(role).value!r}" if role else "an anonymous reader"
        raise PermissionDeniedError(
            f"Action {action!r} is not allowed for {who}.",
            code="auth.forbidden",
            hint=f"It needs one of these roles: {allowed}. Sign in with such an account "
            "or ask an administrator.",
            action=action,
        )
