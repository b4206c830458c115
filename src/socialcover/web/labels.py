"""Reader-facing names of coverage groups (msgids translated through the catalogues)."""

from __future__ import annotations

from collections.abc import Callable

# The SDG 1.3.1 groups (ILO World Social Protection Report), in the order the ILO lists them.
CONTINGENCIES: dict[str, str] = {
    "at_least_one_benefit": "Population covered by at least one benefit",
    "children": "Children",
    "mothers_with_newborns": "Mothers with newborns",
    "persons_with_severe_disabilities": "Persons with severe disabilities",
    "unemployed": "Unemployed persons",
    "older_persons_pension": "Older persons receiving a pension",
    "vulnerable_social_assistance": "Vulnerable persons covered by social assistance",
    "poor_social_assistance": "Poor persons covered",
    "employment_injury": "Workers protected in case of employment injury",
}


def N_(text: str) -> str:
    """Mark a string for extraction (``pybabel -k N_``) without translating it here."""
    return text


# extraction markers so pybabel finds the labels above
_MARKED = [
    N_("Population covered by at least one benefit"),
    N_("Children"),
    N_("Mothers with newborns"),
    N_("Persons with severe disabilities"),
    N_("Unemployed persons"),
    N_("Older persons receiving a pension"),
    N_("Vulnerable persons covered by social assistance"),
    N_("Poor persons covered"),
    N_("Workers protected in case of employment injury"),
]


def contingency_label(code: str, gettext: Callable[[str], str]) -> str:
    """The translated label of a coverage group code (the code itself when unknown)."""
    text = CONTINGENCIES.get(code)
    return gettext(text) if text else code.replace("_", " ")


def contingency_order(code: str) -> int:
    """Sort key: the ILO's order of groups."""
    keys = list(CONTINGENCIES)
    return keys.index(code) if code in keys else len(keys)


# Reader-facing names of the store's vocabulary codes (branches, assessments, workflow states,
# publication kinds, actor types, roles, job states).
TERMS: dict[str, str] = {
    "health": N_("health"),
    "sickness": N_("sickness"),
    "unemployment": N_("unemployment"),
    "old_age": N_("old age"),
    "employment_injury": N_("employment injury"),
    "children": N_("children and family"),
    "maternity": N_("maternity"),
    "disability": N_("disability"),
    "survivors": N_("survivors"),
    "social_assistance": N_("social assistance"),
    "general": N_("general"),
    "good": N_("good practice"),
    "bad": N_("bad practice"),
    "mixed": N_("mixed"),
    "strong": N_("strong"),
    "moderate": N_("moderate"),
    "limited": N_("limited"),
    "anecdotal": N_("anecdotal"),
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "returned": N_("returned"),
    "published": N_("published"),
    "guide": N_("guide"),
    "study": N_("study"),
    "working_paper": N_("working paper"),
    "tool": N_("tool"),
    "report": N_("report"),
    "policy_brief": N_("policy brief"),
    "standard": N_("standard"),
    "government": N_("government"),
    "employers_organisation": N_("employers' organisation"),
    "workers_organisation": N_("workers' organisation"),
    "un_agency": N_("UN agency"),
    "international_financial_institution": N_("international financial institution"),
    "issa": N_("ISSA"),
    "development_agency": N_("development agency"),
    "social_security_institution": N_("social security institution"),
    "university": N_("university"),
    "research_centre": N_("research centre"),
    "network": N_("network"),
    "civil_society": N_("civil society"),
    "contributor": N_("contributor"),
    "reviewer": N_("reviewer"),
    "administrator": N_("administrator"),
    "queued": N_("queued"),
    "running": N_("running"),
    "done": N_("done"),
    "failed": N_("failed"),
    "entered": N_("entered"),
    "approved": N_("approved"),
    "programme": N_("programme"),
    "country_engagement": N_("country engagement"),
    "practice": N_("practice"),
    "campaign": N_("the campaign"),
    "mid_term": N_("mid-term"),
    "final": N_("final"),
    "impact": N_("impact"),
    "thematic": N_("thematic"),
    "open": N_("open"),
    "dropped": N_("dropped"),
    # country engagements: stages, statuses, roles, constituents, positions, CODI
    "assessment": N_("assessment"),
    "costing": N_("costing of options"),
    "dialogue": N_("dialogue and endorsement"),
    "strategy": N_("strategy"),
    "implementation": N_("implementation support"),
    "monitoring": N_("monitoring"),
    "completed": N_("completed"),
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "working_age": N_("working age"),
    "older_persons": N_("older persons"),
    "employers": N_("employers"),
    "workers": N_("workers"),
    "development_partners": N_("development partners"),
    "development_partner": N_("development partner"),
    "academia": N_("academia"),
    "other": N_("other"),
    "supports": N_("supports"),
    "supports_with_reservations": N_("supports with reservations"),
    "opposes": N_("opposes"),
    "lead": N_("lead"),
    "member": N_("member"),
    "representative": N_("representative"),
    "counterpart": N_("counterpart"),
    "partner": N_("partner"),
    "consultation": N_("consultation"),
    "validation_workshop": N_("validation workshop"),
    "training_session": N_("training session"),
    "female": N_("female"),
    "male": N_("male"),
    "not_stated": N_("not stated"),
    "policy": N_("policy"),
    "programme_design": N_("programme design"),
    "programme_implementation": N_("programme implementation"),
    "legal_and_policy_framework": N_("legal and policy framework"),
    "alignment_with_needs": N_("alignment of policies with needs"),
    "policymaking_process": N_("policymaking process"),
    "policy_implementation_and_capacity": N_("policy implementation and capacity"),
    "public_expenditure_and_financing": N_("public expenditure and financing"),
    "information_and_awareness": N_("information and awareness"),
    "monitoring_and_evaluation": N_("monitoring and evaluation"),
    "eligibility_criteria": N_("eligibility criteria"),
    "benefit_design": N_("benefit design"),
    "inclusiveness": N_("inclusiveness"),
    "adequacy": N_("adequacy"),
    "appropriateness": N_("appropriateness"),
    "rights_and_dignity": N_("respect for rights and dignity"),
    "governance_and_capacity": N_("governance and institutional capacity"),
    "financial_sustainability": N_("financial and fiscal sustainability"),
    "coherence_and_integration": N_("coherence and integration"),
    "responsiveness": N_("responsiveness"),
    "cost_effectiveness": N_("cost-effectiveness"),
    "incentive_compatibility": N_("incentive compatibility"),
    # events, participants, materials and statements (socialcover.advocacy)
    "seminar": N_("seminar"),
    "meeting": N_("meeting"),
    "webinar": N_("webinar"),
    "conference": N_("conference"),
    "slides": N_("slides"),
    "paper": N_("paper"),
    "joint_statement": N_("joint statement"),
    "policy_position": N_("policy position"),
    # the benefits of the costing packages (socialcover.costing.presets)
    "universal_pension": N_("universal pension"),
    "old_age_pension": N_("old-age pension"),
    "child_benefit": N_("child benefit"),
    "orphans_benefit": N_("orphans' benefit"),
    "maternity_benefit": N_("maternity benefit"),
    "disability_benefit": N_("disability benefit"),
}


def term(code: object, gettext: Callable[[str], str]) -> str:
    """The translated name of a vocabulary code (the code, spaced, when unknown)."""
    text = TERMS.get(str(code))
    return gettext(text) if text else str(code).replace("_", " ")
