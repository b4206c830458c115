"""The words of a country engagement: stages, constituents, positions, the matrix and CODI.

Sources (docs/countries.md cites them in full):

- The assessment-based national dialogue (ABND) of the ILO: assess the social protection
  floor already in place and its gaps (the assessment matrix: guarantee by population group,
  existing schemes, policy gaps, implementation issues, recommendations), identify and cost
  policy options (the Rapid Assessment Protocol), and have them endorsed by the national
  actors (ILO, *Assessment Based National Dialogue: a good practices guide*,
  https://www.social-protection.org/gimi/ABND.action; module 8, completing the assessment
  matrix: https://www.social-protection.org/gimi/ABNDM8.action).
- The four guarantees of the social protection floor are those of the ILO's Social Protection
  Floors Recommendation, 2012 (No. 202), which the ABND guide assesses.
- ISPA's Core Diagnostic Instrument (CODI): three modules (policy, programme design,
  programme implementation), key areas within them, and the system scored against a standard
  set of performance criteria tracked over time (ISPA, *CODI "What matters" guidance note*;
  socialprotection.org, "The Core Diagnostic Instrument (CODI)").
"""

from __future__ import annotations

__all__ = [
    "CODI_CRITERIA",
    "CODI_KEY_AREAS",
    "CODI_MODULES",
    "CONSTITUENTS",
    "GUARANTEES",
    "MEMBER_ROLES",
    "PARTNER_KINDS",
    "STAGES",
    "STAGE_STATUSES",
    "STANCES",
    "TEAM_ROLES",
]

STAGES: tuple[str, ...] = (
    "assessment",
    "costing",
    "dialogue",
    "strategy",
    "implementation",
    "monitoring",
)
"""The stages of an engagement, in order: assessment, costing of options, dialogue and
endorsement, strategy, implementation support, monitoring."""

STAGE_STATUSES: tuple[str, ...] = ("planned", "in_progress", "done")

CONSTITUENTS: tuple[str, ...] = (
    "government",
    "employers",
    "workers",
    "civil_society",
    "development_partners",
)
"""The national constituents whose positions the dialogue records."""

STANCES: tuple[str, ...] = ("supports", "supports_with_reservations", "opposes")

TEAM_ROLES: tuple[str, ...] = ("lead", "member")
MEMBER_ROLES: tuple[str, ...] = (*TEAM_ROLES, "representative")
"""A person's role in one engagement: its team (lead, member), who edit it, or the
representative of one national constituent's organisation, who records its positions."""

PARTNER_KINDS: tuple[str, ...] = ("counterpart", "partner")

GUARANTEES: tuple[str, ...] = ("health", "children", "working_age", "older_persons")
"""The four guarantees of the social protection floor (Recommendation No. 202): essential
health care, income security for children, for persons of working age (maternity, sickness,
unemployment, employment injury, disability) and for older persons."""

CODI_MODULES: tuple[str, ...] = ("policy", "programme_design", "programme_implementation")

CODI_KEY_AREAS: dict[str, tuple[str, ...]] = {
    "policy": (
        "legal_and_policy_framework",
        "alignment_with_needs",
        "policymaking_process",
        "policy_implementation_and_capacity",
        "public_expenditure_and_financing",
        "information_and_awareness",
        "monitoring_and_evaluation",
    ),
    "programme_design": ("eligibility_criteria", "benefit_design"),
    "programme_implementation": (),
}
"""The key areas of CODI's modules as its guidance note lists them (key areas 1-7 of the
policy module, 8 and 9 of programme design). Other key areas of programme design and
implementation are written as the assessment names them."""

CODI_CRITERIA: tuple[str, ...] = (
    "inclusiveness",
    "adequacy",
    "appropriateness",
    "rights_and_dignity",
    "governance_and_capacity",
    "financial_sustainability",
    "coherence_and_integration",
    "responsiveness",
    "cost_effectiveness",
    "incentive_compatibility",
)
"""CODI's ten performance criteria, each scored 1 (weakest) to 4 (strongest)."""
