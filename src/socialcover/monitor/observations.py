"""Observations in the store: recorded as revisions, read back as observation frames.

Every value is written as a new revision of its key (indicator, area, year, sex), never over
an older one, so the history of a figure is kept whole: :func:`observations` returns the
latest revision of each key, :func:`history` every revision. A frame is written all or
nothing: :func:`record_observations` checks every row first (:func:`validate_frame`, the
registry, the data sets it would change) and refuses the whole frame, naming the rows, on any
problem. Values go into the data set of their area and year (:mod:`socialcover.monitor.datasets`),
and only approved data sets are read by default, as public aggregates and reports must.

Each write is audited by the store in the same transaction (``observation.record`` for the
values, ``data_set.create`` for a new data set).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from socialcover.data import coverage, pack_status
from socialcover.monitor.datasets import (
    APPROVED,
    DATA_SETS,
    ENTERED,
    approve_data_set,
    submit_data_set,
)
from socialcover.monitor.frame import KEY, OBSERVATION_SCHEMA, validate_frame
from socialcover.monitor.registry import get_indicator
from socialcover.store import ConflictError, PermissionDeniedError, flush_audited, require
from socialcover.store.models import DataSet, Observation

__all__ = [
    "HISTORY_SCHEMA",
    "RecordReport",
    "history",
    "load_pack_series",
    "observations",
    "record_observations",
]

HISTORY_SCHEMA: dict[str, pl.DataType] = {
    **OBSERVATION_SCHEMA,
    "revision": pl.Int32(),
    "entered_by": pl.String(),
    "entered_at": pl.Datetime("us", "UTC"),
}
"""The columns of :func:`history`: an observation frame's, then who entered each revision, when."""

_VALUES = ("value", "se", "lower", "upper", "nature", "source", "vintage", "footnotes")


@dataclass(frozen=True)
class RecordReport:
    """What :func:`record_observations` wrote.

    Attributes
    ----------
    new
        Rows for keys the store did not hold: revision 1.
    revised
        Rows whose values differ from the current revision: a new revision each.
    unchanged
        Rows equal to the current revision: nothing written.
    data_sets
        The ids of the data sets that received values, sorted.
    warnings
        The validation rules' warnings about the values written (jumps from the previous
        period, see :mod:`socialcover.monitor.rules`): row, column, value, why and fix each.
    """

    new: int
    revised: int
    unchanged: int
    data_sets: tuple[int, ...]
    warnings: tuple[dict[str, Any], ...] = ()


def _role(actor: Any) -> str | None:
    return getattr(actor, "role", None)


def _row_list(rows: Sequence[int]) -> str:
    return ", ".join(str(r) for r in rows[:20]) + (" ..." if len(rows) > 20 else "")


def _check_data_sets(
    actor: Any, changed: dict[tuple[str, int], list[int]], existing: dict[tuple[str, int], DataSet]
) -> None:
    """Refuse, naming the rows, values for data sets the actor may not change now."""
    for (area, year), rows in changed.items():
        data_set = existing.get((area, year))
        if data_set is None:
            continue
        where = f"Rows {_row_list(rows)} ({area} {year}) belong to data set {data_set.id}"
        if data_set.status != ENTERED:
            raise ConflictError(
                f"{where}, which is {data_set.status}; values change only while a data set is "
                "entered. Nothing was saved.",
                code="monitor.data-set-locked",
                hint="A reviewer can un-approve it back to entered (unapprove_data_set with "
                'back_to="entered"); then send the frame again.',
                rows=rows,
                data_set=data_set.id,
            )
        if not (DATA_SETS.visible(actor, data_set) and DATA_SETS.may_edit(actor, data_set)):
            raise PermissionDeniedError(
                f"{where}, which another contributor entered; nothing was saved.",
                code="monitor.not-your-data-set",
                hint="Ask its contributor or a reviewer to enter these values.",
                rows=rows,
                data_set=data_set.id,
            )


def record_observations(session: Session, actor: Any, frame: pl.DataFrame) -> RecordReport:
    """Write a frame of observations, all or nothing, each changed value as a new revision.

    Parameters
    ----------
    session
        The transaction (``session_scope(actor)``); nothing is committed here.
    actor
        Who enters the values (needs ``monitor.enter``); a new data set is theirs.
    frame
        Observations in :data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA`.

    Returns
    -------
    RecordReport
        How many rows were new, revised or unchanged, and the data sets written to.

    Raises
    ------
    socialcover.errors.InputError
        A bad row (``monitor.invalid-frame``, see :func:`validate_frame`); nothing is written.
    socialcover.store.PermissionDeniedError
        The role may not enter values (``auth.forbidden``), or rows belong to another
        contributor's data set (``monitor.not-your-data-set``).
    socialcover.store.ConflictError
        Rows would change a submitted or approved data set (``monitor.data-set-locked``).
    """
    require(_role(actor), DATA_SETS.draft)
    typed = validate_frame(frame)
    pairs = {(a, y) for a, y in typed.select("area", "year").unique().iter_rows()}
    existing = {
        (d.area, d.year): d
        for d in session.scalars(
            select(DataSet)
            .where(DataSet.area.in_({a for a, _ in pairs}), DataSet.year.in_({y for _, y in pairs}))
            .with_for_update()  # a step taken meanwhile waits for us, or we see its state
        )
        if (d.area, d.year) in pairs
    }
    current: dict[tuple[Any, ...], Observation] = {}
    if existing:
        held = select(Observation).where(
            Observation.data_set_id.in_([d.id for d in existing.values()]),
            Observation.indicator.in_(typed["indicator"].unique().to_list()),
        )
        for obs in session.scalars(held):
            key = (obs.indicator, obs.area, obs.year, obs.sex)
            if key not in current or obs.revision > current[key].revision:
                current[key] = obs
    changes: list[tuple[int, dict[str, Any], int]] = []  # (row, values, revision)
    changed_rows: dict[tuple[str, int], list[int]] = {}
    unchanged = 0
    for row, values in enumerate(typed.iter_rows(named=True), start=1):
        held_obs = current.get(tuple(values[k] for k in KEY))
        if held_obs is not None and all(getattr(held_obs, k) == values[k] for k in _VALUES):
            unchanged += 1
            continue
        revision = 1 if held_obs is None else held_obs.revision + 1
        changes.append((row, values, revision))
        changed_rows.setdefault((values["area"], values["year"]), []).append(row)
    _check_data_sets(actor, changed_rows, existing)
    try:
        for area, year in sorted(changed_rows):
            if (area, year) not in existing:
                existing[area, year] = DATA_SETS.create(
                    session, actor, {"area": area, "year": year}
                )
        user_id, label = session.info.get("actor", (None, "anonymous"))
        session.add_all(
            Observation(
                **values,
                revision=revision,
                data_set_id=existing[values["area"], values["year"]].id,
                entered_by_id=user_id,
                entered_by=label,
            )
            for _, values, revision in changes
        )
        flush_audited(session, "observation.record")
    except IntegrityError as exc:  # the same data set or revision, written meanwhile
        raise ConflictError(
            "Someone entered values for the same data sets meanwhile; nothing was saved.",
            code="monitor.entered-meanwhile",
            hint="Send the frame again: values already there are left unchanged.",
        ) from exc
    return RecordReport(
        new=sum(1 for _, _, r in changes if r == 1),
        revised=sum(1 for _, _, r in changes if r > 1),
        unchanged=unchanged,
        data_sets=tuple(sorted(existing[p].id for p in changed_rows)),
    )


def _as_list(value: str | Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _query(
    actor: Any,
    indicator: str | Sequence[str] | None,
    area: str | Sequence[str] | None,
    years: int | Iterable[int] | None,
    approved_only: bool,
) -> Select[Observation]:
    """The observations ``actor`` may read, filtered (every revision of each)."""
    require(_role(actor), DATA_SETS.read)
    query = select(Observation).join(DataSet)
    codes = _as_list(indicator)
    if codes is not None:
        for code in codes:
            get_indicator(code)  # an unknown code says so, with the nearest ones
        query = query.where(Observation.indicator.in_(codes))
    areas = _as_list(area)
    if areas is not None:
        query = query.where(Observation.area.in_(areas))
    if years is not None:
        wanted = [years] if isinstance(years, int) else list(years)
        query = query.where(Observation.year.in_(wanted))
    if approved_only:
        return query.where(DataSet.status == APPROVED)
    visible = DATA_SETS.visible_clause(actor)
    return query if visible is None else query.where(visible)


def observations(
    session: Session,
    actor: Any,
    indicator: str | Sequence[str] | None = None,
    area: str | Sequence[str] | None = None,
    years: int | Iterable[int] | None = None,
    approved_only: bool = True,
) -> pl.DataFrame:
    """The current value (latest revision) of each observation, as an observation frame.

    Parameters
    ----------
    session, actor
        The transaction, and who reads.
    indicator, area, years
        Filters: codes, areas and years (``None``: all).
    approved_only
        ``True`` (default): values of approved data sets only, what public aggregates and
        reports read. ``False``: also the unapproved data sets ``actor`` may see (their own;
        every one for reviewers).

    Returns
    -------
    polars.DataFrame
        In :data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA`, sorted by indicator, area,
        year and sex.

    Raises
    ------
    socialcover.errors.NotFoundError
        An unknown indicator code (``monitor.unknown-indicator``, with the nearest codes).
    """
    query = _query(actor, indicator, area, years, approved_only)
    latest: dict[tuple[Any, ...], Observation] = {}
    for obs in session.scalars(query):
        key = (obs.indicator, obs.area, obs.year, obs.sex)
        if key not in latest or obs.revision > latest[key].revision:
            latest[key] = obs
    rows = [{c: getattr(latest[k], c) for c in OBSERVATION_SCHEMA} for k in sorted(latest)]
    return pl.DataFrame(rows, schema=dict(OBSERVATION_SCHEMA))


def history(
    session: Session,
    actor: Any,
    indicator: str,
    area: str,
    year: int,
    sex: str = "both",
) -> pl.DataFrame:
    """Every revision of one observation, oldest first, if ``actor`` may see its data set.

    Returns
    -------
    polars.DataFrame
        In :data:`HISTORY_SCHEMA`; empty when there is no such observation (or its data set is
        not approved and not ``actor``'s to see).
    """
    query = _query(actor, indicator, area, year, approved_only=False).where(Observation.sex == sex)
    rows = [
        {
            **{c: getattr(obs, c) for c in OBSERVATION_SCHEMA},
            "revision": obs.revision,
            "entered_by": obs.entered_by,
            "entered_at": obs.created_at,
        }
        for obs in session.scalars(query.order_by(Observation.revision))
    ]
    return pl.DataFrame(rows, schema=HISTORY_SCHEMA)


def load_pack_series(session: Session, actor: Any, *, approve: bool = False) -> RecordReport:
    """Import the data pack's SDG 1.3.1 country series as ``observed`` observations.

    Every year of :func:`socialcover.data.coverage` (``history=True``) becomes the
    ``sdg131.<contingency>`` observation of its country, year and sex, with the pack's source
    text and the edition of its dataset as vintage. Where ILOSTAT and the UN SDG database 2020
    both have a value, ILOSTAT's (the newer edition) is kept. Importing again writes only what
    changed.

    Parameters
    ----------
    session, actor
        The transaction, and who imports (needs ``monitor.enter``; a loader is a
        :class:`socialcover.store.SystemActor`).
    approve
        Also submit and approve every data set the import wrote to (needs ``monitor.approve``):
        a published series was reviewed by its publisher. Each step is audited.

    Returns
    -------
    RecordReport
        What was written.
    """
    series = coverage(None, history=True)
    manifest = pack_status()
    editions = {d.dataset_id: d.edition for d in (manifest.datasets if manifest else ())}
    from_unsd = pl.col("source").str.contains("UN SDG")
    frame = (
        series.sort(from_unsd, maintain_order=True)
        .unique(["iso3", "contingency", "sex", "year"], keep="first", maintain_order=True)
        .select(
            ("sdg131." + pl.col("contingency")).alias("indicator"),
            pl.col("iso3").alias("area"),
            pl.col("year").cast(pl.Int32),
            "sex",
            pl.col("coverage_pct").alias("value"),
            pl.lit(None, pl.Float64).alias("se"),
            pl.lit(None, pl.Float64).alias("lower"),
            pl.lit(None, pl.Float64).alias("upper"),
            pl.lit("observed").alias("nature"),
            "source",
            pl.when(from_unsd)
            .then(pl.lit(editions.get("unsd_sdg131", "")))
            .otherwise(pl.lit(editions.get("ilo_sdg131_country", "")))
            .alias("vintage"),
            pl.lit("").alias("footnotes"),
        )
    )
    report = record_observations(session, actor, frame)
    if approve:
        comment = "Published series of the data pack, reviewed by its publisher."
        for data_set_id in report.data_sets:
            submit_data_set(session, actor, data_set_id)
            approve_data_set(session, actor, data_set_id, comment)
    return report
