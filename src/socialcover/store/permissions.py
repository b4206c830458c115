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
