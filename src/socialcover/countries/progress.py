"""Progress of a national strategy: its logframe against the indicator store, read on request
or issued as a dated report that keeps what it read.

- :func:`progress_report` reads, for each logframe indicator, the latest approved observations
  of the country (up to a year, if given) and the status the monitor gives against the target
  (:func:`socialcover.monitor.progress`: reached, on track, off track, no data), with the
  latest observation cited by its id, revision, source and vintage.
- :func:`issue_progress_report` (the strategy's team) keeps that reading for a period (``2025``,
  ``2025-H1``, ``2025-Q3``, ``2025-06`` or ``2025-06-30``; observations of later years are left
  out) as a :class:`~socialcover.store.models.StrategyProgressReport`: a snapshot, so that
  a revision or a new value approved later in the store does not change a report already
  issued. :func:`progress_reports` lists them, :func:`get_progress_report` gives one and
  :func:`progress_report_table` its rows flat, for CSV and spreadsheets.

Who sees them: whoever may see the strategy (:func:`socialcover.countries.get_strategy`);
the name of who issued a report only the team.

Examples
--------
>>> from socialcover.countries import ProgressReportInput
>>> ProgressReportInput(period="2025-H1").period
'2025-H1'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.countries.engagements import is_team
from socialcover.countries.strategy import _observation_dict, _team_strategy, get_strategy
from socialcover.store import RecordNotFoundError, ValidationError, flush_audited, validate_input
from socialcover.store.models import (
    DataSet,
    Observation,
    StrategyProgressReport,
    utcnow,
)

__all__ = [
    "PROGRESS_STATUSES",
    "ProgressReportInput",
    "get_progress_report",
    "issue_progress_report",
    "logframe_baselines",
    "progress_report",
    "progress_report_table",
    "progress_reports",
]

PROGRESS_STATUSES = ("reached", "on track", "off track", "no data")
"""The statuses of a logframe indicator against its target (the monitor's)."""

PERIOD_PATTERN = r"^\d{4}(-(H[12]|Q[1-4]|(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?))?$"


class ProgressReportInput(BaseModel):
    """The period a progress report covers, and the team's note on it."""

    model_config = ConfigDict(extra="forbid")
    period: str = Field(max_length=10)
    note: str = Field(default="", max_length=20_000)

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        if not re.fullmatch(PERIOD_PATTERN, value):
            raise ValueError(
                "give a year (2025), a half (2025-H1), a quarter (2025-Q3), a month (2025-06) "
                "or a date (2025-06-30)"
            )
        return value


def _latest_observation(
    session: Session, indicator: str, iso3: str, sex: str, year: int
) -> Observation | None:
    """The approved observation (latest revision) of one indicator, country, sex and year."""
    return session.scalars(
        select(Observation)
        .join(DataSet, DataSet.id == Observation.data_set_id)
        .where(
            Observation.indicator == indicator,
            Observation.area == iso3,
            Observation.sex == sex,
            Observation.year == year,
            DataSet.status == "approved",
        )
        .order_by(Observation.revision.desc())
    ).first()


def progress_report(
    session: Session, actor: Any, engagement_id: int, *, until_year: int | None = None
) -> list[dict[str, Any]]:
    """For each logframe indicator: its baseline, target, the latest approved observation of
    the country (``latest``: id, year, value, revision, source, vintage), and the monitor's
    status (reached, on track, off track, no data) with the pace and the projected value in
    the target year (:func:`socialcover.monitor.progress`).

    Parameters
    ----------
    until_year
        Read observations up to this year only (a report for a past period); ``None``: all.
    """
    from socialcover.monitor import Target, observations, progress

    strategy, engagement = get_strategy(session, actor, engagement_id)
    iso3 = engagement.country_iso3
    out = []
    for r in strategy.logframe:
        base = (
            session.get(Observation, r.baseline_observation_id)
            if r.baseline_observation_id
            else None
        )
        series = observations(session, actor, r.indicator, iso3, approved_only=True)
        series = series.filter(series["sex"] == r.sex)
        if until_year is not None:
            series = series.filter(series["year"] <= until_year)
        target = Target(
            r.indicator,
            iso3,
            r.target_value,
            r.target_year,
            base.year if base is not None else None,
            base.value if base is not None else None,
            source=strategy.title,
        )
        table = progress(series, [target])
        found = table.filter(table["sex"] == r.sex)
        line = (found if found.height else table).row(0, named=True)
        latest = (
            _latest_observation(session, r.indicator, iso3, r.sex, int(line["latest_year"]))
            if line["latest_year"] is not None
            else None
        )
        out.append(
            {
                "id": r.id,
                "level": r.level,
                "indicator": r.indicator,
                "sex": r.sex,
                "baseline": _observation_dict(base),
                "target_value": r.target_value,
                "target_year": r.target_year,
                "means_of_verification": r.means_of_verification,
                "latest_year": line["latest_year"],
                "latest_value": line["latest_value"],
                "latest": _observation_dict(latest),
                "pace_pp_year": line["pace_pp_year"],
                "projected_value": line["projected_value"],
                "status": line["status"],
                "reason": line["reason"],
            }
        )
    return out


def issue_progress_report(
    session: Session,
    actor: Any,
    engagement_id: int,
    data: ProgressReportInput | Mapping[str, Any],
) -> StrategyProgressReport:
    """Issue a progress report for a period (the strategy's team): the logframe read from the
    indicator store now, up to the period's year, and kept as it was read.

    Raises
    ------
    ValidationError
        ``store.invalid`` (a period not like 2025, 2025-H1, 2025-Q3, 2025-06, 2025-06-30),
        ``engagement.empty-logframe`` (nothing to report on), ``engagement.progress-duplicate``
        (a report for that period was issued already); nothing is saved.
    """
    strategy, _ = _team_strategy(session, actor, engagement_id, "report on its strategy")
    values = validate_input(ProgressReportInput, data, "progress report")
    if not strategy.logframe:
        raise ValidationError(
            "The strategy's logframe is empty: there is nothing to report on.",
            code="engagement.empty-logframe",
            hint="Add logframe indicators first. Nothing was saved.",
            fields=["period"],
        )
    clash = session.scalars(
        select(StrategyProgressReport.id).where(
            StrategyProgressReport.strategy_id == strategy.id,
            StrategyProgressReport.period == values.period,
        )
    ).first()
    if clash is not None:
        raise ValidationError(
            f"A progress report for {values.period} was issued already (report {clash}).",
            code="engagement.progress-duplicate",
            hint="An issued report is kept as it was; issue one for another period. "
            "Nothing was saved.",
            fields=["period"],
        )
    rows = progress_report(session, actor, engagement_id, until_year=int(values.period[:4]))
    uid = getattr(actor, "id", None)
    report = StrategyProgressReport(
        strategy_id=strategy.id,
        period=values.period,
        note=values.note,
        issued_at=utcnow(),
        issued_by_id=uid if isinstance(uid, int) else None,
        issued_by=str(getattr(actor, "email", "") or ""),
        strategy_title=strategy.title,
        rows=[_jsonable_row(r) for r in rows],
    )
    session.add(report)
    flush_audited(session, "engagement.strategy.progress-report")
    return report


def _jsonable_row(row: dict[str, Any]) -> dict[str, Any]:
    """A progress row with plain JSON values (floats stay floats, NaN becomes None)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, float) and value != value:
            value = None
        out[key] = value
    return out


def _summary(report: StrategyProgressReport, team: bool) -> dict[str, Any]:
    counts = {s: 0 for s in PROGRESS_STATUSES}
    for row in report.rows:
        counts[str(row.get("status"))] = counts.get(str(row.get("status")), 0) + 1
    out: dict[str, Any] = {
        "id": report.id,
        "period": report.period,
        "issued_at": report.issued_at,
        "strategy_title": report.strategy_title,
        "note": report.note,
        "indicators": len(report.rows),
        "statuses": counts,
    }
    if team:
        out["issued_by"] = report.issued_by
    return out


def progress_reports(session: Session, actor: Any, engagement_id: int) -> list[dict[str, Any]]:
    """The progress reports issued on the strategy, newest first, with their statuses counted."""
    strategy, engagement = get_strategy(session, actor, engagement_id)
    team = is_team(actor, engagement)
    found = session.scalars(
        select(StrategyProgressReport)
        .where(StrategyProgressReport.strategy_id == strategy.id)
        .order_by(StrategyProgressReport.issued_at.desc(), StrategyProgressReport.id.desc())
    )
    return [_summary(r, team) for r in found]


def get_progress_report(
    session: Session, actor: Any, engagement_id: int, report_id: int
) -> dict[str, Any]:
    """One issued progress report: its period, when it was issued, and its rows as read then.

    Raises
    ------
    RecordNotFoundError
        No such report on this engagement's strategy, or a strategy ``actor`` may not see.
    """
    strategy, engagement = get_strategy(session, actor, engagement_id)
    report = session.get(StrategyProgressReport, report_id)
    if report is None or report.strategy_id != strategy.id:
        raise RecordNotFoundError(
            f"The strategy of engagement {engagement_id} has no progress report {report_id}.",
            hint="The strategy's page lists its issued reports.",
        )
    return {
        **_summary(report, is_team(actor, engagement)),
        "engagement_id": engagement.id,
        "country_iso3": engagement.country_iso3,
        "rows": [dict(r) for r in report.rows],
    }


def progress_report_table(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An issued report's rows flat (one per indicator), each number beside its observation's
    id and revision, for CSV and spreadsheets."""
    table = []
    for r in report["rows"]:
        base = r.get("baseline") or {}
        latest = r.get("latest") or {}
        table.append(
            {
                "period": report["period"],
                "issued_at": report["issued_at"],
                "level": r["level"],
                "indicator": r["indicator"],
                "sex": r["sex"],
                "baseline_value": base.get("value"),
                "baseline_year": base.get("year"),
                "baseline_observation_id": base.get("id"),
                "baseline_revision": base.get("revision"),
                "target_value": r["target_value"],
                "target_year": r["target_year"],
                "latest_value": latest.get("value", r.get("latest_value")),
                "latest_year": latest.get("year", r.get("latest_year")),
                "latest_observation_id": latest.get("id"),
                "latest_revision": latest.get("revision"),
                "latest_source": latest.get("source"),
                "latest_vintage": latest.get("vintage"),
                "pace_pp_year": r.get("pace_pp_year"),
                "projected_value": r.get("projected_value"),
                "status": r["status"],
                "reason": r.get("reason") or "",
                "means_of_verification": r.get("means_of_verification") or "",
            }
        )
    return table


def logframe_baselines(session: Session, actor: Any, engagement_id: int) -> list[dict[str, Any]]:
    """The observations a logframe row of this engagement may cite as its baseline: the
    country's approved observations (latest revision of each indicator, year and sex), by
    indicator, sex and year (newest first), each with its id, revision, source and vintage."""
    from socialcover.countries.engagements import get_engagement

    engagement = get_engagement(session, actor, engagement_id)
    found = session.scalars(
        select(Observation)
        .join(DataSet, DataSet.id == Observation.data_set_id)
        .where(Observation.area == engagement.country_iso3, DataSet.status == "approved")
        .order_by(
            Observation.indicator,
            Observation.sex,
            Observation.year.desc(),
            Observation.revision.desc(),
        )
    )
    latest: dict[tuple[str, str, int], Observation] = {}
    for obs in found:
        latest.setdefault((obs.indicator, obs.sex, obs.year), obs)
    return [
        {"indicator": o.indicator, "sex": o.sex, **(_observation_dict(o) or {})}
        for o in latest.values()
    ]
