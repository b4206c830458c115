"""The platform's database: connections and sessions, models, migrations, audit, workflow, accounts.

SQLite (WAL) embedded in the socialcover home by default; PostgreSQL when
``$SOCIALCOVER_DATABASE_URL`` says so. A program opens it with :func:`open_database` (which
migrates it). Every write goes through an ORM session and leaves an audit row in the same
transaction (:mod:`socialcover.store.audit`); records that people draft and publish share one
:class:`Workflow` (:mod:`socialcover.store.workflow`).

Examples
--------
>>> from socialcover.store import SystemActor, create_user, open_database, session_scope
>>> engine = open_database("sqlite:///example.db")
>>> with session_scope(SystemActor("cli"), engine=engine) as s:
...     user = create_user(s, SystemActor(), "ana@example.org", "a long passphrase", "reviewer")
>>> user.role
'reviewer'
"""

from socialcover.store._errors import (
    AuthenticationError,
    BackupError,
    ConflictError,
    PermissionDeniedError,
    RecordNotFoundError,
    SchemaError,
    ThrottledError,
    ValidationError,
)
from socialcover.store.accounts import (
    LoginResult,
    change_password,
    create_api_token,
    create_reset_token,
    create_session,
    create_user,
    get_user,
    hash_password,
    list_api_tokens,
    list_users,
    login,
    reset_password,
    resolve_api_token,
    resolve_session,
    revoke_api_token,
    revoke_session,
    set_active,
    set_role,
    verify_password,
)
from socialcover.store.audit import (
    AuditRecord,
    flush_audited,
    history,
    model_for,
    recent_activity,
    revert,
)
from socialcover.store.backup import BackupReport, backup, restore
from socialcover.store.database import (
    SystemActor,
    database_url,
    dispose_engines,
    get_engine,
    session_scope,
    set_actor,
)
from socialcover.store.migrate import current_revision, head_revision, open_database, upgrade
from socialcover.store.models import (
    ApiToken,
    AuditEntry,
    Contact,
    CostingScenario,
    Organisation,
    Partnership,
    Practice,
    PracticeOrganisation,
    Publication,
    PublicationOrganisation,
    SearchDocument,
    User,
    UserSession,
)
from socialcover.store.permissions import ACTIONS, PERMISSIONS, can, require
from socialcover.store.scenarios import (
    SCENARIOS,
    SavedScenario,
    compare_saved,
    get_scenario,
    list_scenarios,
    save_scenario,
)
from socialcover.store.search_index import fold, rebuild_documents
from socialcover.store.vocabulary import (
    LANGUAGES,
    ActorType,
    Assessment,
    EvidenceStrength,
    Guarantee,
    PracticeStatus,
    PublicationKind,
    PublicationStatus,
    Role,
)
from socialcover.store.workflow import REVIEW_STEPS, Step, Team, Workflow, validate_input

__all__ = [
    "ACTIONS",
    "LANGUAGES",
    "PERMISSIONS",
    "REVIEW_STEPS",
    "SCENARIOS",
    "ActorType",
    "ApiToken",
    "Assessment",
    "AuditEntry",
    "AuditRecord",
    "AuthenticationError",
    "BackupError",
    "BackupReport",
    "ConflictError",
    "Contact",
    "CostingScenario",
    "EvidenceStrength",
    "Guarantee",
    "LoginResult",
    "Organisation",
    "Partnership",
    "PermissionDeniedError",
    "Practice",
    "PracticeOrganisation",
    "PracticeStatus",
    "Publication",
    "PublicationKind",
    "PublicationOrganisation",
    "PublicationStatus",
    "RecordNotFoundError",
    "Role",
    "SavedScenario",
    "SchemaError",
    "SearchDocument",
    "Step",
    "SystemActor",
    "Team",
    "ThrottledError",
    "User",
    "UserSession",
    "ValidationError",
    "Workflow",
    "backup",
    "can",
    "change_password",
    "compare_saved",
    "create_api_token",
    "create_reset_token",
    "create_session",
    "create_user",
    "current_revision",
    "database_url",
    "dispose_engines",
    "flush_audited",
    "fold",
    "get_engine",
    "get_scenario",
    "get_user",
    "hash_password",
    "head_revision",
    "history",
    "list_api_tokens",
    "list_scenarios",
    "list_users",
    "login",
    "model_for",
    "open_database",
    "rebuild_documents",
    "recent_activity",
    "require",
    "reset_password",
    "resolve_api_token",
    "resolve_session",
    "restore",
    "revert",
    "revoke_api_token",
    "revoke_session",
    "save_scenario",
    "session_scope",
    "set_active",
    "set_actor",
    "set_role",
    "upgrade",
    "validate_input",
    "verify_password",
]
