"""The platform's tables (SQLAlchemy 2 typed declarative models)."""

from socialcover.store.models.accounts import ApiToken, LoginAttempt, ResetToken, User, UserSession
from socialcover.store.models.actors import Contact, Organisation, Partnership
from socialcover.store.models.advocacy import (
    Event,
    EventMaterial,
    EventOrganiser,
    EventParticipant,
    EventSession,
    PressRelease,
    PublicationDownload,
    Statement,
    StatementPartner,
    StatementSignature,
)
from socialcover.store.models.audit import AuditEntry
from socialcover.store.models.base import Audited, Base, Reviewed, UTCDateTime, utcnow
from socialcover.store.models.costing import CostingScenario
from socialcover.store.models.evaluations import Evaluation, Recommendation, ScheduledEvaluation
from socialcover.store.models.knowledge import (
    Practice,
    PracticeClaim,
    PracticeOrganisation,
    Publication,
    PublicationOrganisation,
    SearchDocument,
    SearchState,
)
from socialcover.store.models.monitor import DataSet, Observation

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Audited",
    "Base",
    "Contact",
    "CostingScenario",
    "DataSet",
    "Evaluation",
    "Event",
    "EventMaterial",
    "EventOrganiser",
    "EventParticipant",
    "EventSession",
    "LoginAttempt",
    "Observation",
    "Organisation",
    "Partnership",
    "Practice",
    "PracticeClaim",
    "PracticeOrganisation",
    "PressRelease",
    "Publication",
    "PublicationDownload",
    "PublicationOrganisation",
    "Recommendation",
    "ResetToken",
    "Reviewed",
    "ScheduledEvaluation",
    "SearchDocument",
    "SearchState",
    "Statement",
    "StatementPartner",
    "StatementSignature",
    "UTCDateTime",
    "User",
    "UserSession",
    "utcnow",
]
