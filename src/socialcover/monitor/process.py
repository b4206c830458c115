"""The campaign's process indicators, counted from the platform's own records, never typed.

Each ``process.*`` indicator of :data:`~socialcover.monitor.registry.PROCESS_INDICATORS` has a
counter here (:data:`COUNTERS`) that reads the store's tables (``socialcover.store.models``)
and gives one value per year for the campaign as a whole (area ``World``), by sex where the
records say it. Monitoring sits below the country and advocacy domains, so counters read the
store's tables, never those domains' modules; they count published records only (a draft
engagement, event, practice or evaluation is private, so it is not counted):

- countries with a completed diagnosis, with costed options: published engagements whose
  ``assessment`` (``costing``) stage is ``done``, by the year of its end date (a stock: the
  countries counted by 31 December of each year; a country counts once);
- countries with an endorsed strategy: the government, the employers and the workers have
  each endorsed a published engagement; the year the last of the three signed;
- people trained: participants (role ``participant``, not marked absent) of published
  training sessions held in the year, by sex and by constituent (government, employers,
  workers, other: every other constituent); a person (one e-mail) attending several sessions
  of one training course (``training_course_sessions``) is counted once, in the year of the
  first;
- events held: published events that started in the year;
- publications downloaded: the monthly download counters, summed by year;
- practices published and evaluations completed: published practices by the year of their
  publication; published evaluations by the year they ended.

An indicator whose records the store did not hold would have no counter and be named in
:data:`PENDING_RECORDS`; every one is counted now.

The values go into the store as ``administrative`` observations through
:func:`~socialcover.monitor.observations.record_observations` (a value that changed is a new
revision; an unchanged one is not written again) and, with ``approve=True``, their data sets
are submitted and approved in the same transaction, each step audited like any other data set.
A data set already approved is first un-approved back to entered with the comment
:data:`RECOUNT_COMMENT`, so that a recount never changes a public value silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.monitor.datasets import (
    APPROVED,
    DATA_SETS,
    SUBMITTED,
    approve_data_set,
    submit_data_set,
    unapprove_data_set,
)
from socialcover.monitor.frame import OBSERVATION_SCHEMA, WORLD
from socialcover.monitor.observations import RecordReport, observations, record_observations
from socialcover.monitor.registry import PROCESS_INDICATORS
from socialcover.store.models import (
    DataSet,
    Endorsement,
    Engagement,
    Evaluation,
    Event,
    EventParticipant,
    Practice,
    PublicationDownload,
    Stage,
    TrainingCourseSession,
)

__all__ = [
    "COUNTERS",
    "PENDING_RECORDS",
    "PROCESS_SOURCE",
    "RECOUNT_COMMENT",
    "ProcessReport",
    "count_process_indicators",
    "refresh_process_indicators",
]

PROCESS_SOURCE = "socialcover: counted from the platform's records"
"""The ``source`` of every process observation."""
RECOUNT_COMMENT = "Process indicators recounted from the platform's records."
"""The audit comment of the steps a refresh takes on a data set."""

Counts = dict[tuple[int, str], float]
"""Values by (year, sex)."""
Counter = Callable[[Session, dt.date], Counts]

TRIPARTITE = ("government", "employers", "workers")
"""The constituents whose endorsement makes a national strategy endorsed."""
_OTHER = "other"


def _per_year(years: Iterable[int | None], last: int, sex: str = "both") -> Counts:
    """Counts per year, with zero for the years between the first and ``last``."""
    counts: dict[int, float] = {}
    for year in years:
        if year is not None and year <= last:
            counts[year] = counts.get(year, 0.0) + 1.0
    if not counts:
        return {}
    return {(y, sex): counts.get(y, 0.0) for y in range(min(counts), last + 1)}


def _running(first_years: Iterable[int], last: int) -> Counts:
    """How many items had reached their first year by the end of each year (a stock)."""
    firsts = sorted(y for y in first_years if y <= last)
    if not firsts:
        return {}
    return {
        (y, "both"): float(sum(1 for f in firsts if f <= y)) for y in range(firsts[0], last + 1)
    }


def _practices_published(session: Session, today: dt.date) -> Counts:
    stamps = session.scalars(
        select(Practice.published_at).where(
            Practice.status == "published", Practice.published_at.is_not(None)
        )
    )
    return _per_year((s.year for s in stamps if s is not None), today.year)


def _evaluations_completed(session: Session, today: dt.date) -> Counts:
    ends = session.scalars(
        select(Evaluation.ended_on).where(
            Evaluation.status == "published",
            Evaluation.ended_on.is_not(None),
            Evaluation.ended_on <= today,
        )
    )
    return _per_year((e.year for e in ends if e is not None), today.year)


def _publication_downloads(session: Session, today: dt.date) -> Counts:
    # Monthly counters (YYYY-MM): the downloads of each year, up to the month of the count.
    found: dict[int, float] = {}
    for month, n in session.execute(
        select(PublicationDownload.month, PublicationDownload.count).where(
            PublicationDownload.month <= f"{today:%Y-%m}"
        )
    ):
        found[int(month[:4])] = found.get(int(month[:4]), 0.0) + float(n or 0)
    if not found:
        return {}
    return {(y, "both"): found.get(y, 0.0) for y in range(min(found), today.year + 1)}


def _stage_done(stage: str) -> Counter:
    """Countries of published engagements whose ``stage`` is done, by the end of each year."""

    def count(session: Session, today: dt.date) -> Counts:
        rows = session.execute(
            select(Engagement.country_iso3, Stage.ends_on)
            .join(Stage, Stage.engagement_id == Engagement.id)
            .where(Engagement.status == "published", Stage.stage == stage, Stage.status == "done")
        ).all()
        first: dict[str, int] = {}
        for iso3, ended in rows:
            # a stage marked done without its end date is done by the day of the count
            year = (ended or today).year if (ended or today) <= today else None
            if year is not None:
                first[iso3] = min(first.get(iso3, year), year)
        return _running(first.values(), today.year)

    return count


def _strategy_endorsed(session: Session, today: dt.date) -> Counts:
    """Countries whose published engagement the government, employers and workers endorsed."""
    rows = session.execute(
        select(Engagement.id, Engagement.country_iso3, Endorsement.constituent,
               Endorsement.endorsed_on)
        .join(Endorsement, Endorsement.engagement_id == Engagement.id)
        .where(Engagement.status == "published", Endorsement.endorsed_on <= today)
    ).all()  # fmt: skip
    earliest: dict[tuple[int, str], dict[str, dt.date]] = {}
    for eid, iso3, constituent, on in rows:
        by = earliest.setdefault((eid, iso3), {})
        by[constituent] = min(by.get(constituent, on), on)
    first: dict[str, int] = {}
    for (_eid, iso3), by in earliest.items():
        if all(c in by for c in TRIPARTITE):  # endorsed once the last of the three signed
            year = max(by[c] for c in TRIPARTITE).year
            first[iso3] = min(first.get(iso3, year), year)
    return _running(first.values(), today.year)


def _trained(constituents: tuple[str, ...] | None) -> Counter:
    """Participants of published training sessions held by the day of the count, by sex.

    A person (one e-mail) attending several sessions of one training course is trained once,
    in the year of the first of them; a session outside any course counts each participant.
    """

    def count(session: Session, today: dt.date) -> Counts:
        end = dt.datetime.combine(today, dt.time.max, tzinfo=dt.UTC)
        query = (
            select(
                Event.starts_at,
                EventParticipant.sex,
                EventParticipant.constituent,
                EventParticipant.id,
                EventParticipant.email,
                TrainingCourseSession.course_id,
            )
            .join(EventParticipant, EventParticipant.event_id == Event.id)
            .outerjoin(TrainingCourseSession, TrainingCourseSession.event_id == Event.id)
            .where(
                Event.status == "published",
                Event.kind == "training_session",
                Event.starts_at <= end,
                EventParticipant.role == "participant",
                EventParticipant.attended.is_not(False),
            )
            .order_by(Event.starts_at, EventParticipant.id)
        )
        people: dict[tuple[Any, ...], tuple[dt.datetime, str, str]] = {}
        for starts, sex, constituent, pid, email, course_id in session.execute(query):
            key = ("course", course_id, email) if course_id and email else ("row", pid)
            people.setdefault(key, (starts, sex, constituent))  # the first session attended
        rows = list(people.values())
        if constituents is not None:
            known = set(TRIPARTITE)
            rows = [r for r in rows if (r[2] if r[2] in known else _OTHER) in constituents]
        out: Counts = {}
        for sex in ("both", "female", "male"):
            years = [r[0].year for r in rows if sex == "both" or r[1] == sex]
            out |= _per_year(years, today.year, sex)
        return out

    return count


def _events_held(session: Session, today: dt.date) -> Counts:
    end = dt.datetime.combine(today, dt.time.max, tzinfo=dt.UTC)
    starts = session.scalars(
        select(Event.starts_at).where(Event.status == "published", Event.starts_at <= end)
    )
    return _per_year((s.year for s in starts), today.year)


COUNTERS: dict[str, Counter] = {
    "process.countries_diagnosis_completed": _stage_done("assessment"),
    "process.countries_costed_options": _stage_done("costing"),
    "process.countries_strategy_endorsed": _strategy_endorsed,
    "process.people_trained": _trained(None),
    "process.people_trained.government": _trained(("government",)),
    "process.people_trained.employers": _trained(("employers",)),
    "process.people_trained.workers": _trained(("workers",)),
    "process.people_trained.other": _trained((_OTHER,)),
    "process.events_held": _events_held,
    "process.publication_downloads": _publication_downloads,
    "process.practices_published": _practices_published,
    "process.evaluations_completed": _evaluations_completed,
}
"""How each process indicator is counted from the store's records."""

PENDING_RECORDS: dict[str, str] = {}
"""The process indicators whose records the store does not hold (none: every one is counted)."""


def _to_date(today: dt.date) -> str:
    return f"Counted to {today.isoformat()}."


@dataclass(frozen=True)
class ProcessReport:
    """What :func:`refresh_process_indicators` counted and wrote.

    Attributes
    ----------
    counted
        The codes counted, in registry order.
    pending
        Code -> the records it needs, for the indicators the store cannot count yet.
    recorded
        What :func:`~socialcover.monitor.observations.record_observations` wrote.
    approved
        The data sets submitted and approved (empty unless ``approve=True``).
    """

    counted: tuple[str, ...]
    pending: dict[str, str]
    recorded: RecordReport
    approved: tuple[int, ...]


def count_process_indicators(
    session: Session, *, today: dt.date | None = None, codes: Iterable[str] | None = None
) -> pl.DataFrame:
    """Count the process indicators from the store's records, without writing anything.

    Parameters
    ----------
    session
        The transaction to read from.
    today
        The day of the count (default: today, in UTC); later records are left out.
    codes
        Only these indicators (default: every one with a counter).

    Returns
    -------
    polars.DataFrame
        Observations in :data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA`: area ``World``,
        sex ``both``, nature ``administrative``, vintage the day of the count.

    Examples
    --------
    >>> from socialcover.store import open_database, session_scope
    >>> engine = open_database("sqlite:///process-example.db")
    >>> with session_scope(engine=engine, write=False) as s:
    ...     count_process_indicators(s, today=dt.date(2026, 1, 1)).height  # no records yet
    0
    """
    today = today or dt.datetime.now(dt.UTC).date()
    wanted = list(COUNTERS) if codes is None else [c for c in codes if c in COUNTERS]
    rows: list[dict[str, Any]] = []
    for definition in PROCESS_INDICATORS:
        if definition.code not in wanted:
            continue
        for (year, sex), value in sorted(COUNTERS[definition.code](session, today).items()):
            rows.append(
                {
                    "indicator": definition.code,
                    "area": WORLD,
                    "year": year,
                    "sex": sex,
                    "value": value,
                    "se": None,
                    "lower": None,
                    "upper": None,
                    "nature": "administrative",
                    "source": PROCESS_SOURCE,
                    "vintage": today.isoformat(),
                    "footnotes": _to_date(today) if year == today.year else "",
                }
            )
    return pl.DataFrame(rows, schema=OBSERVATION_SCHEMA)


def refresh_process_indicators(
    session: Session, actor: Any, *, today: dt.date | None = None, approve: bool = False
) -> ProcessReport:
    """Count the process indicators and record them as observations of their years.

    Parameters
    ----------
    session, actor
        The transaction, and who records (needs ``monitor.enter``; ``monitor.approve`` with
        ``approve``). A scheduled job runs as a :class:`socialcover.store.SystemActor`.
    today
        The day of the count (default: today, in UTC).
    approve
        Also submit and approve the data sets written to. An approved data set whose value
        changed is first un-approved back to entered, with :data:`RECOUNT_COMMENT`.

    Returns
    -------
    ProcessReport
        What was counted, what is pending (records the store does not hold), what was written.

    Raises
    ------
    socialcover.store.ConflictError
        Without ``approve``, a recount would change a submitted or approved data set
        (``monitor.data-set-locked``); nothing is written.
    socialcover.store.PermissionDeniedError
        The role may not enter (or approve) values.
    """
    frame = count_process_indicators(session, today=today)
    reopened: list[int] = []
    if approve and frame.height:
        reopened = _reopen_changed(session, actor, frame)
    report = record_observations(session, actor, frame)
    approved: list[int] = []
    if approve:
        for data_set_id in sorted({*report.data_sets, *reopened}):
            state = session.get(DataSet, data_set_id)
            if state is None or state.status == APPROVED:
                continue
            if state.status != SUBMITTED:
                submit_data_set(session, actor, data_set_id)
            approve_data_set(session, actor, data_set_id, RECOUNT_COMMENT)
            approved.append(data_set_id)
    return ProcessReport(
        counted=tuple(frame["indicator"].unique(maintain_order=True).to_list()),
        pending=dict(PENDING_RECORDS),
        recorded=report,
        approved=tuple(approved),
    )


def _reopen_changed(session: Session, actor: Any, frame: pl.DataFrame) -> list[int]:
    """Un-approve (back to entered) the locked data sets whose values the recount changes."""
    held = observations(
        session,
        actor,
        indicator=frame["indicator"].unique().to_list(),
        area=WORLD,
        approved_only=False,
    )
    key = ["indicator", "area", "year", "sex"]
    joined = frame.join(held.select(*key, pl.col("value").alias("_held")), on=key, how="left")
    changed_years = set(
        joined.filter(pl.col("_held").is_null() | (pl.col("value") != pl.col("_held")))[
            "year"
        ].to_list()
    )
    reopened = []
    for data_set in session.scalars(
        select(DataSet).where(DataSet.area == WORLD, DataSet.year.in_(changed_years))
    ):
        if data_set.status == APPROVED:
            unapprove_data_set(session, actor, data_set.id, RECOUNT_COMMENT, back_to="entered")
            reopened.append(data_set.id)
        elif data_set.status == SUBMITTED:
            DATA_SETS.move(session, actor, data_set.id, "return", RECOUNT_COMMENT)
            reopened.append(data_set.id)
    return reopened
