"""The country brief: one engagement on a few pages, in HTML or PDF, in English, French or
Spanish, on the report's machinery (:mod:`socialcover.report.render`).

It gives the coverage situation (the latest approved SDG 1.3.1 observations of the country in
the indicator store, and those the assessment matrix cites, each with its year, source,
vintage and revision), the assessment matrix, the costed options (each recommendation's saved
scenario, named ``name@version``, in % of GDP and of government spending in the base and the
horizon year) with the agreed set's cost and financing gap, the constituents' positions and
the endorsement, where the engagement's stages stand, and the national strategy: its objectives,
its measures with their cost, its financing against fiscal space, and its logframe with the
progress of each indicator (from the latest issued progress report, as it was kept; without
one, as the indicator store reads now). Every number names its data: the observation's id and
revision, the scenario's version, the data pack's version, the macro series' source. Participants'
personal data are never in it; it shows what ``actor`` may see (readers: a published
engagement).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.report.i18n import N_
from socialcover.report.render import check_output, render_html, write_document

__all__ = ["TERMS", "brief_data", "write_brief"]

TERMS: dict[str, str] = {
    "health": N_("health"),
    "children": N_("children"),
    "working_age": N_("working age"),
    "older_persons": N_("older persons"),
    "supports": N_("supports"),
    "supports_with_reservations": N_("supports with reservations"),
    "opposes": N_("opposes"),
    "government": N_("government"),
    "employers": N_("employers"),
    "workers": N_("workers"),
    "civil_society": N_("civil society"),
    "development_partners": N_("development partners"),
    "assessment": N_("assessment"),
    "costing": N_("costing of options"),
    "dialogue": N_("dialogue and endorsement"),
    "strategy": N_("strategy"),
    "implementation": N_("implementation support"),
    "monitoring": N_("monitoring"),
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "draft": N_("draft"),
    "published": N_("published"),
    "impact": N_("impact"),
    "outcome": N_("outcome"),
    "output": N_("output"),
    "both": N_("both sexes"),
    "female": N_("women"),
    "male": N_("men"),
    "reached": N_("reached"),
    "on track": N_("on track"),
    "off track": N_("off track"),
    "no data": N_("no data"),
}
"""The brief's words for the engagement's codes (guarantees, stances, constituents, stages, the
logframe's levels, sexes and statuses), translated through the report's catalogue."""


def _coverage(session: Session, iso3: str) -> list[dict[str, Any]]:
    """The latest approved revision of each SDG 1.3.1 indicator of the country (both sexes)."""
    from socialcover.store.models import DataSet, Observation

    rows = session.scalars(
        select(Observation)
        .join(DataSet, DataSet.id == Observation.data_set_id)
        .where(
            Observation.area == iso3,
            Observation.sex == "both",
            Observation.indicator.like("sdg131.%"),
            DataSet.status == "approved",
        )
        .order_by(Observation.indicator, Observation.year.desc(), Observation.revision.desc())
    )
    latest: dict[str, dict[str, Any]] = {}
    for o in rows:
        latest.setdefault(
            o.indicator,
            {
                "id": o.id,
                "indicator": o.indicator,
                "year": o.year,
                "value": o.value,
                "revision": o.revision,
                "source": o.source,
                "vintage": o.vintage,
            },
        )
    return list(latest.values())


def _strategy(session: Session, actor: Any, engagement_id: int) -> dict[str, Any] | None:
    """The strategy as ``actor`` may see it, with its financing and its progress: the latest
    issued report's rows as they were kept (``report``), else the store read now."""
    from socialcover import countries
    from socialcover.errors import NotFoundError

    try:
        plan = countries.strategy_as_dict(session, actor, engagement_id)
    except NotFoundError:  # none yet, or a draft this reader may not see
        return None
    plan["financing"] = countries.strategy_financing(session, actor, engagement_id)
    plan["cost_of"] = {m["id"]: m for m in plan["financing"]["measures"]}
    issued = countries.progress_reports(session, actor, engagement_id)
    plan["report"] = (
        countries.get_progress_report(session, actor, engagement_id, issued[0]["id"])
        if issued
        else None
    )
    plan["progress"] = (
        plan["report"]["rows"]
        if plan["report"]
        else countries.progress_report(session, actor, engagement_id)
    )
    return plan


def brief_data(session: Session, actor: Any, engagement_id: int) -> dict[str, Any]:
    """Everything the brief shows, as plain data (what ``actor`` may see)."""
    from socialcover import countries
    from socialcover.data import pack_status

    e = countries.get_engagement(session, actor, engagement_id)
    info = countries.engagement_as_dict(session, actor, e)
    info.pop("members", None)  # people: never in a brief
    manifest = pack_status()
    return {
        "engagement": info,
        "coverage": _coverage(session, e.country_iso3),
        "matrix": countries.assessment_matrix(session, actor, engagement_id),
        "final_cost": countries.set_cost(session, actor, engagement_id),
        "endorsements": countries.endorsements_of(session, actor, engagement_id),
        "strategy": _strategy(session, actor, engagement_id),
        "pack_version": manifest.version if manifest else "",
    }


def write_brief(
    session: Session, actor: Any, engagement_id: int, out: Path, lang: str = "en"
) -> Path:
    """Write the engagement's brief to ``out`` (``.html`` or ``.pdf``) in ``lang``.

    Raises
    ------
    socialcover.errors.InputError
        ``report.bad-output`` (not .pdf/.html, or no such folder), an unknown language.
    socialcover.store.RecordNotFoundError
        No engagement ``actor`` may see.
    """
    check_output(out)
    data = brief_data(session, actor, engagement_id)
    e = data["engagement"]
    from socialcover.report.i18n import translations

    gettext = translations(lang).gettext
    html = render_html(
        "brief.html",
        {
            **data,
            "title": e["title"],
            "subtitle": gettext("Country brief") + f" · {e['country_iso3']} · "
            f"{e['period_start']}-{e['period_end']}",
            "author": "socialcover",
            "term": lambda code: gettext(TERMS[code]) if code in TERMS else str(code),
            "sections": [
                ("coverage", gettext("The coverage situation")),
                ("matrix", gettext("The assessment matrix")),
                ("options", gettext("The costed options")),
                ("dialogue", gettext("Positions and endorsement")),
                ("stages", gettext("Where the engagement stands")),
                *(
                    [("strategy", gettext("The national strategy"))]
                    if data["strategy"] is not None
                    else []
                ),
            ],
        },
        lang,
    )
    return write_document(html, out)
