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
from socialcover.store.models.countries import (
    AssessmentCell,
    CodiAssessment,
    CodiScore,
    Endorsement,
    Engagement,
    EngagementEvent,
    EngagementMember,
    EngagementPartner,
    EngagementRecommendation,
    Milestone,
    Position,
    Stage,
)
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
from socialcover.store.models.training import (
    TrainingAssessment,
    TrainingCourse,
    TrainingCourseSession,
)

__all__ = [
    "ApiToken",
    "AssessmentCell",
    "AuditEntry",
    "Audited",
    "Base",
    "CodiAssessment",
    "CodiScore",
    "Contact",
    "CostingScenario",
    "DataSet",
    "Endorsement",
    "Engagement",
    "EngagementEvent",
    "EngagementMember",
    "EngagementPartner",
    "EngagementRecommendation",
    "Evaluation",
    "Event",
    "EventMaterial",
    "EventOrganiser",
    "EventParticipant",
    "EventSession",
    "LoginAttempt",
    "Milestone",
    "Observation",
    "Organisation",
    "Partnership",
    "Position",
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
    "Stage",
    "Statement",
    "StatementPartner",
    "StatementSignature",
    "TrainingAssessment",
    "TrainingCourse",
    "TrainingCourseSession",
    "UTCDateTime",
    "User",
    "UserSession",
    "utcnow",
]
