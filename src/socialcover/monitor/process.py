"""The campaign's process indicators, counted from the platform's own records, never typed.

Each ``process.*`` indicator of :data:`~socialcover.monitor.registry.PROCESS_INDICATORS` has a
counter here that reads the store's tables (``socialcover.store.models``) and gives one value
per year for the campaign as a whole (area ``World``): practices published in the year,
published evaluations that ended in the year, publication downloads counted to date. Monitoring
sits below the country and advocacy domains, so counters read the store's tables, never those
domains' modules. An indicator whose records the store does not hold yet (country engagements,
training, events) has no counter: :func:`refresh_process_indicators` names it in
``pending`` with the records it needs, and writes nothing for it.

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
from sqlalchemy import func, select
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
from socialcover.store.models import DataSet, Evaluation, Practice, Publication

__all__ = [
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

Counter = Callable[[Session, dt.date], dict[int, float]]


def _per_year(years: Iterable[int | None], last: int) -> dict[int, float]:
    """Counts per year of ``years``, with zero for the years between the first and ``last``."""
    counts: dict[int, float] = {}
    for year in years:
        if year is not None and year <= last:
            counts[year] = counts.get(year, 0.0) + 1.0
    if not counts:
        return {}
    return {y: counts.get(y, 0.0) for y in range(min(counts), last + 1)}


def _practices_published(session: Session, today: dt.date) -> dict[int, float]:
    stamps = session.scalars(
        select(Practice.published_at).where(
            Practice.status == "published", Practice.published_at.is_not(None)
        )
    )
    return _per_year((s.year for s in stamps if s is not None), today.year)


def _evaluations_completed(session: Session, today: dt.date) -> dict[int, float]:
    ends = session.scalars(
        select(Evaluation.ended_on).where(
            Evaluation.status == "published",
            Evaluation.ended_on.is_not(None),
            Evaluation.ended_on <= today,
        )
    )
    return _per_year((e.year for e in ends if e is not None), today.year)


def _publication_downloads(session: Session, today: dt.date) -> dict[int, float]:
    # The library counts downloads without their dates: the total to date is this year's value.
    total = session.scalar(select(func.coalesce(func.sum(Publication.download_count), 0)))
    return {today.year: float(total or 0)}


COUNTERS: dict[str, Counter] = {
    "process.practices_published": _practices_published,
    "process.evaluations_completed": _evaluations_completed,
    "process.publication_downloads": _publication_downloads,
}
"""The process indicators the store's records can count, and how."""

PENDING_RECORDS: dict[str, str] = {
    "process.countries_diagnosis_completed": "country engagements with their diagnosis dates",
    "process.countries_costed_options": "country engagements with the dates options were costed",
    "process.countries_strategy_endorsed": "country engagements with their endorsement dates",
    **{
        d.code: "training records with participants by sex and constituent"
        for d in PROCESS_INDICATORS
        if d.code.startswith("process.people_trained")
    },
    "process.events_held": "event records with their dates",
}
"""The process indicators whose records the store does not hold yet, and what they need."""

_FOOTNOTES = {
    "process.publication_downloads": "Downloads counted to {today}; the library does not "
    "date each download.",
}


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
    ...     count_process_indicators(s, today=dt.date(2026, 1, 1))["indicator"].to_list()
    ['process.publication_downloads']
    """
    today = today or dt.datetime.now(dt.UTC).date()
    wanted = list(COUNTERS) if codes is None else [c for c in codes if c in COUNTERS]
    rows: list[dict[str, Any]] = []
    for definition in PROCESS_INDICATORS:
        if definition.code not in wanted:
            continue
        note = _FOOTNOTES.get(definition.code, "").format(today=today.isoformat())
        for year, value in sorted(COUNTERS[definition.code](session, today).items()):
            rows.append(
                {
                    "indicator": definition.code,
                    "area": WORLD,
                    "year": year,
                    "sex": "both",
                    "value": value,
                    "se": None,
                    "lower": None,
                    "upper": None,
                    "nature": "administrative",
                    "source": PROCESS_SOURCE,
                    "vintage": today.isoformat(),
                    "footnotes": note if year == today.year else "",
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
