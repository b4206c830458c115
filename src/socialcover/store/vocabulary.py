"""Controlled vocabularies shared by the store, the services and the web forms.

The actor types are the campaign's partners (DESIGN.md section 1); the guarantees follow the
branches of ILO Convention No. 102 (Social Security (Minimum Standards) Convention, 1952) plus
general social assistance, as the ILO World Social Protection Report groups them.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "LANGUAGES",
    "ActorType",
    "Assessment",
    "EvidenceStrength",
    "Guarantee",
    "PracticeStatus",
    "PublicationKind",
    "PublicationStatus",
    "Role",
]

LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
"""The campaign's working languages (ISO 639-1)."""


class Role(StrEnum):
    """What a person may do; see :data:`socialcover.store.permissions.PERMISSIONS`."""

    READER = "reader"
    CONTRIBUTOR = "contributor"
    REVIEWER = "reviewer"
    ADMINISTRATOR = "administrator"


class ActorType(StrEnum):
    """The kinds of organisation the campaign works with."""

    GOVERNMENT = "government"
    EMPLOYERS = "employers_organisation"
    WORKERS = "workers_organisation"
    UN_AGENCY = "un_agency"
    IFI = "international_financial_institution"
    ISSA = "issa"
    DEVELOPMENT_AGENCY = "development_agency"
    SOCIAL_SECURITY_INSTITUTION = "social_security_institution"
    UNIVERSITY = "university"
    RESEARCH_CENTRE = "research_centre"
    NETWORK = "network"  # a network of people or institutions (its members: Membership rows)
    CIVIL_SOCIETY = "civil_society"


class Guarantee(StrEnum):
    """Branch of social security (C102 branches plus general social assistance and health)."""

    HEALTH = "health"
    SICKNESS = "sickness"
    UNEMPLOYMENT = "unemployment"
    OLD_AGE = "old_age"
    EMPLOYMENT_INJURY = "employment_injury"
    FAMILY_CHILD = "children"
    MATERNITY = "maternity"
    DISABILITY = "disability"
    SURVIVORS = "survivors"
    SOCIAL_ASSISTANCE = "social_assistance"
    GENERAL = "general"


class Assessment(StrEnum):
    """Whether a practice is one to follow, to avoid, or both."""

    GOOD = "good"
    BAD = "bad"
    MIXED = "mixed"


class EvidenceStrength(StrEnum):
    """How strong the evidence on results is."""

    STRONG = "strong"  # impact evaluation with a counterfactual, or several concordant studies
    MODERATE = "moderate"  # administrative data and evaluations without a counterfactual
    LIMITED = "limited"  # descriptive reports, few data
    ANECDOTAL = "anecdotal"


class PracticeStatus(StrEnum):
    """Review workflow: contributors draft and submit; reviewers publish or return."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"


class PublicationKind(StrEnum):
    """The kinds of publication in the library."""

    GUIDE = "guide"
    STUDY = "study"
    WORKING_PAPER = "working_paper"
    TOOL = "tool"
    REPORT = "report"
    POLICY_BRIEF = "policy_brief"
    STANDARD = "standard"


class PublicationStatus(StrEnum):
    """Where a publication is in review: a draft, or published."""

    DRAFT = "draft"
    PUBLISHED = "published"
