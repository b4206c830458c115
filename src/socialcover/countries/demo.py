"""A complete, fictional engagement for Demoland (XDM), shipped with the demo data.

:func:`install_demo_engagement` writes it into the platform's database: the national
counterparts and partners, the six stages with dates and milestones, an assessment matrix
whose coverage cites the demo pack's observations (loaded into the indicator store and
approved), recommendations on which government, employers and workers take different
positions before agreeing, the endorsement of the final set by all three, two rounds of the
CODI diagnostic, and the national strategy that carries out the agreed set (measures, financing,
logframe) with one issued progress report (for 2025). Everything in it is made up, like
Demoland itself; it shows what a finished engagement looks like, and the tests and tutorials
have one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.actors import create_organisation, find_organisation
from socialcover.countries.codi import record_codi
from socialcover.countries.dialogue import agree_recommendation, endorse, record_position
from socialcover.countries.engagements import (
    add_milestone,
    add_partner,
    create_engagement,
    publish_engagement,
    update_stage,
)
from socialcover.countries.matrix import add_recommendation, set_cell
from socialcover.countries.progress import issue_progress_report
from socialcover.countries.strategy import (
    add_logframe_indicator,
    add_measure,
    add_objective,
    publish_strategy,
    set_strategy,
)
from socialcover.store import ValidationError
from socialcover.store.models import DataSet, Engagement, Observation

__all__ = ["DEMO_TITLE", "install_demo_engagement"]

DEMO_TITLE = "Demoland: towards a national social protection floor"
ISO3 = "XDM"

_ORGANISATIONS: tuple[tuple[str, str, str, str], ...] = (
    # name, acronym, actor type, constituency
    ("Demoland Ministry of Labour and Social Protection", "MLSP", "government", "government"),
    ("Demoland Federation of Employers", "DFE", "employers_organisation", "employers"),
    ("Demoland Congress of Trade Unions", "DCTU", "workers_organisation", "workers"),
    ("Demoland Social Protection Platform", "DSPP", "civil_society", "civil_society"),
)
_PARTNER = ("Demoland Social Security Fund", "DSSF", "social_security_institution")


def _organisation(session: Session, actor: Any, name: str, acronym: str, kind: str) -> int:
    found = find_organisation(session, name)
    if found is not None:
        return found.id
    return create_organisation(
        session,
        actor,
        {"name": name, "acronym": acronym, "actor_type": kind, "country_iso3": ISO3},
    ).id


def _observation(session: Session, indicator: str, year: int, *, load: bool = True) -> int:
    """The current approved revision of a Demoland observation (both sexes)."""
    obs = session.scalars(
        select(Observation)
        .join(DataSet, DataSet.id == Observation.data_set_id)
        .where(
            Observation.indicator == indicator,
            Observation.area == ISO3,
            Observation.year == year,
            Observation.sex == "both",
            DataSet.status == "approved",
        )
        .order_by(Observation.revision.desc())
    ).first()
    if obs is None and load:
        from socialcover.monitor import load_pack_series

        load_pack_series(session, _SYSTEM, approve=True)
        return _observation(session, indicator, year, load=False)
    if obs is None:
        raise ValidationError(
            f"The indicator store has no approved {indicator} for Demoland in {year}.",
            code="engagement.demo-needs-pack",
            hint="Install the demo pack first: `socialcover data demo`.",
        )
    return obs.id


class _System:
    email = "system:demo"
    role = "administrator"
    id = None


_SYSTEM = _System()


def _scenarios(session: Session, actor: Any) -> dict[str, int]:
    """The costed options: the campaign's basic package for Demoland, one saved scenario per
    benefit (a universal pension, a child benefit), published."""
    from socialcover.costing import load_scenario
    from socialcover.store.scenarios import SCENARIOS, save_scenario

    package = load_scenario({"country": ISO3, "package": "campaign-basic"})
    out = {}
    for benefit in package.benefits:
        one = package.model_copy(update={"benefits": [benefit], "package": None})
        name = f"Demoland {benefit.name.replace('_', ' ')}"
        saved = save_scenario(session, actor, name, one, description="Demoland engagement (demo)")
        if saved.status != "published":
            SCENARIOS.move(session, actor, saved.id, "publish")
        out[benefit.name] = saved.id
    return out


_PARTICIPANTS: tuple[tuple[str, str, str], ...] = (
    # made-up people: name, sex, constituency
    ("A. Demo-Official", "female", "government"),
    ("B. Demo-Planner", "male", "government"),
    ("C. Demo-Employer", "male", "employers"),
    ("D. Demo-Employer", "female", "employers"),
    ("E. Demo-Unionist", "female", "workers"),
    ("F. Demo-Unionist", "male", "workers"),
)


def _workshop(session: Session, actor: Any, engagement_id: int, orgs: dict[str, int]) -> int:
    """The national validation workshop, with its (made-up) participants, published."""
    from socialcover.advocacy import publish_event
    from socialcover.countries.consultations import add_engagement_participant, record_event

    event = record_event(
        session,
        actor,
        engagement_id,
        {
            "kind": "validation_workshop",
            "title": "Demoland national validation workshop",
            "summary": "The assessment matrix and the costed options, discussed with the "
            "government, employers and workers.",
            "starts_at": "2025-02-20T09:00:00",
            "ends_at": "2025-02-20T17:00:00",
            "place": "Demo City",
            "outcomes": "The child benefit and the universal pension agreed, financed from "
            "general revenue.",
        },
    )
    for name, sex, constituent in _PARTICIPANTS:
        add_engagement_participant(
            session,
            actor,
            engagement_id,
            event.id,
            {
                "name": name,
                "sex": sex,
                "constituent": constituent,
                "organisation_id": orgs[constituent],
                "country_iso3": ISO3,
                "attended": True,
            },
        )
    publish_event(session, actor, event.id, "Demo workshop.")
    return event.id


def install_demo_engagement(session: Session, actor: Any | None = None) -> Engagement:
    """Write the Demoland engagement (once; again returns the one there).

    Parameters
    ----------
    session
        A write transaction on the platform's database, with the demo pack installed
        (``socialcover data demo``): the matrix cites its coverage series.
    actor
        Who writes it (default: a local administrator, ``system:demo``).

    Returns
    -------
    Engagement
        The published engagement.
    """
    actor = actor or _SYSTEM
    existing = session.scalars(
        select(Engagement).where(Engagement.country_iso3 == ISO3, Engagement.title == DEMO_TITLE)
    ).first()
    if existing is not None:
        return existing
    orgs = {c: _organisation(session, actor, n, a, k) for n, a, k, c in _ORGANISATIONS}
    fund = _organisation(session, actor, *_PARTNER)
    e = create_engagement(
        session,
        actor,
        {
            "country_iso3": ISO3,
            "title": DEMO_TITLE,
            "period_start": 2024,
            "period_end": 2027,
            "summary": "An assessment-based national dialogue on a social protection floor "
            "for Demoland: a child benefit and a universal old-age pension, costed, discussed "
            "with the constituents and endorsed.",
        },
    )
    for constituent, oid in orgs.items():
        add_partner(
            session,
            actor,
            e.id,
            {"organisation_id": oid, "kind": "counterpart", "constituent": constituent},
        )
    add_partner(session, actor, e.id, {"organisation_id": fund, "kind": "partner"})
    stages = {
        "assessment": ("done", "2024-01-15", "2024-06-30", ["Assessment matrix, June 2024"]),
        "costing": ("done", "2024-05-01", "2024-09-30", ["Costing report (RAP), September 2024"]),
        "dialogue": ("done", "2024-10-01", "2025-03-31", ["Validation workshop minutes"]),
        "strategy": ("in_progress", "2025-04-01", "2025-12-31", []),
    }
    for name, (status, start, end, docs) in stages.items():
        update_stage(
            session,
            actor,
            e.id,
            name,
            {"status": status, "starts_on": start, "ends_on": end, "documents": docs},
        )
    add_milestone(
        session,
        actor,
        e.id,
        "assessment",
        {
            "title": "Matrix validated by the technical committee",
            "due_on": "2024-06-15",
            "done_on": "2024-06-20",
        },
    )
    add_milestone(
        session,
        actor,
        e.id,
        "dialogue",
        {"title": "National validation workshop", "due_on": "2025-02-20", "done_on": "2025-02-20"},
    )
    add_milestone(
        session,
        actor,
        e.id,
        "strategy",
        {"title": "Draft national strategy to cabinet", "due_on": "2025-11-30"},
    )
    children = set_cell(
        session,
        actor,
        e.id,
        {
            "guarantee": "children",
            "population_group": "Children aged 0-14",
            "existing_schemes": "A school-feeding programme in two provinces; family allowances "
            "for children of formal-sector employees only.",
            "legal_coverage": "Employees of the formal sector (Social Security Act).",
            "coverage_observation_id": _observation(session, "sdg131.children", 2023),
            "effective_coverage": "One child in ten receives a child or family benefit.",
            "policy_gaps": "No benefit for children of informal-economy and rural households.",
            "implementation_issues": "No registry of children outside the formal sector.",
        },
    )
    older = set_cell(
        session,
        actor,
        e.id,
        {
            "guarantee": "older_persons",
            "population_group": "People above pensionable age",
            "existing_schemes": "Contributory pension of the Social Security Fund.",
            "legal_coverage": "Formal-sector employees with 15 years of contributions.",
            "coverage_observation_id": _observation(session, "sdg131.older_persons_pension", 2023),
            "effective_coverage": "About a quarter of older persons receive a pension.",
            "policy_gaps": "No non-contributory pension.",
            "implementation_issues": "Pension payments are made in the capital only.",
        },
    )
    scenarios = _scenarios(session, actor)
    rec_child = add_recommendation(
        session,
        actor,
        e.id,
        {
            "text": "Introduce a universal child benefit for children aged 0-5, then 0-14.",
            "cell_id": children.id,
            "scenario_id": scenarios["child_benefit"],
        },
    )
    rec_pension = add_recommendation(
        session,
        actor,
        e.id,
        {
            "text": "Introduce a universal old-age pension from age 65.",
            "cell_id": older.id,
            "scenario_id": scenarios["universal_pension"],
        },
    )
    first = {
        "government": ("supports_with_reservations", "Supports, phased over five years."),
        "employers": ("opposes", "Opposes any rise in payroll contributions to finance it."),
        "workers": ("supports", "Supports, from age 0 at once."),
    }
    for constituent, (stance, text) in first.items():
        record_position(
            session,
            actor,
            rec_child.id,
            {"organisation_id": orgs[constituent], "stance": stance, "text": text},
        )
    workshop = _workshop(session, actor, e.id, orgs)
    # at the validation workshop: financed from general revenue, phased in
    record_position(
        session,
        actor,
        rec_child.id,
        {
            "organisation_id": orgs["employers"],
            "stance": "supports_with_reservations",
            "text": "Supports if financed from general taxation, not payroll.",
            "event_id": workshop,
        },
    )
    for constituent in ("government", "employers", "workers"):
        record_position(
            session,
            actor,
            rec_pension.id,
            {
                "organisation_id": orgs[constituent],
                "stance": "supports",
                "text": "Supports a universal pension financed from general revenue.",
            },
        )
    agree_recommendation(
        session,
        actor,
        rec_child.id,
        "Agreed: ages 0-5 from 2026, extended to 0-14 by 2030, financed from general revenue.",
    )
    agree_recommendation(
        session,
        actor,
        rec_pension.id,
        "Agreed: from age 65 in 2026, financed from general revenue.",
    )
    signers = {
        "government": "Minister of Labour and Social Protection",
        "employers": "President, Demoland Federation of Employers",
        "workers": "Secretary-General, Demoland Congress of Trade Unions",
    }
    for constituent, who in signers.items():
        endorse(
            session,
            actor,
            e.id,
            {
                "organisation_id": orgs[constituent],
                "signed_by": who,
                "endorsed_on": dt.date(2025, 3, 28),
                "document": "Tripartite declaration on the social protection floor, 28 March 2025",
            },
        )
    for day, label, moved in (
        ("2024-03-01", "Baseline", 0),
        ("2025-09-01", "Mid-term", 1),
    ):
        scores = [
            {
                "module": "policy",
                "key_area": "legal_and_policy_framework",
                "criterion": "inclusiveness",
                "score": 1 + moved,
                "evidence": "No law covers informal-economy workers."
                if not moved
                else "A draft law on the floor was tabled in parliament.",
                "source": "Demoland legal review (demo)",
            },
            {
                "module": "policy",
                "key_area": "public_expenditure_and_financing",
                "criterion": "financial_sustainability",
                "score": 2,
                "evidence": "Spending on non-contributory benefits is below 1% of GDP.",
                "source": "Demoland budget documents (demo)",
            },
            {
                "module": "programme_design",
                "key_area": "benefit_design",
                "criterion": "adequacy",
                "score": 2 + moved,
                "evidence": "Family allowances are not indexed."
                if not moved
                else "The agreed child benefit is indexed to prices.",
                "source": "Assessment matrix (demo)",
            },
        ]
        record_codi(session, actor, e.id, {"assessed_on": day, "label": label, "scores": scores})
    _strategy(session, actor, e.id, orgs["government"], rec_child.id, rec_pension.id)
    return publish_engagement(session, actor, e.id)


def _strategy(
    session: Session, actor: Any, engagement_id: int, ministry: int, child: int, pension: int
) -> None:
    """The national strategy 2026-2030 that carries out the two agreed recommendations, with
    its logframe (the headline coverage and child coverage of the indicator store), published,
    and its first progress report issued."""
    set_strategy(
        session,
        actor,
        engagement_id,
        {
            "title": "Demoland National Social Protection Strategy 2026-2030",
            "vision": "Every child and every older person in Demoland receives a benefit by 2030.",
            "start_year": 2026,
            "end_year": 2030,
        },
    )
    income = add_objective(
        session, actor, engagement_id, {"text": "Income security for children and older persons."}
    )
    delivery = add_objective(
        session, actor, engagement_id, {"text": "A delivery system that reaches every province."}
    )
    add_measure(
        session,
        actor,
        engagement_id,
        {
            "text": "Child benefit for ages 0-5 from 2026, extended to 0-14 by 2030.",
            "objective_id": income.id,
            "start_year": 2026,
            "end_year": 2030,
            "responsible": "Ministry of Labour and Social Protection, family benefits directorate",
            "responsible_organisation_id": ministry,
            "recommendation_ids": [child],
        },
    )
    add_measure(
        session,
        actor,
        engagement_id,
        {
            "text": "Universal old-age pension from age 65, paid in every province.",
            "objective_id": income.id,
            "start_year": 2026,
            "end_year": 2030,
            "responsible": "Demoland Social Security Fund, for the Ministry",
            "responsible_organisation_id": ministry,
            "recommendation_ids": [pension],
        },
    )
    add_measure(
        session,
        actor,
        engagement_id,
        {
            "text": "Both benefits paid through one social registry, with payment points in "
            "every province.",
            "objective_id": delivery.id,
            "start_year": 2026,
            "end_year": 2028,
            "responsible": "Ministry of Labour and Social Protection, planning unit",
            "responsible_organisation_id": ministry,
            "recommendation_ids": [child, pension],
        },
    )
    for level, objective, indicator, target, means in (
        (
            "impact",
            None,
            "sdg131.at_least_one_benefit",
            40.0,
            "SDG 1.3.1 in the indicator store (ILOSTAT), each year",
        ),
        (
            "outcome",
            income.id,
            "sdg131.children",
            30.0,
            "SDG 1.3.1 children in the indicator store; the ministry's payment records",
        ),
        (
            "outcome",
            income.id,
            "sdg131.older_persons_pension",
            60.0,
            "SDG 1.3.1 pensions in the indicator store; the Fund's payment records",
        ),
    ):
        add_logframe_indicator(
            session,
            actor,
            engagement_id,
            {
                "level": level,
                "objective_id": objective,
                "indicator": indicator,
                "baseline_observation_id": _observation(session, indicator, 2023),
                "target_value": target,
                "target_year": 2030,
                "means_of_verification": means,
            },
        )
    publish_strategy(session, actor, engagement_id)
    issue_progress_report(
        session,
        actor,
        engagement_id,
        {
            "period": "2025",
            "note": "First annual report to the national social protection council: the "
            "strategy starts in 2026, so this report records where each indicator stands "
            "before it.",
        },
    )
