"""Observation files into and out of the store: ILOSTAT bulk CSV and SDMX-CSV in, SDMX-CSV
and CSV out.

An import reads the whole file with its checked reader (:func:`~socialcover.monitor.ilostat.
read_ilostat`, :func:`~socialcover.monitor.sdmx.read_sdmx_csv`) and only then records it
(:func:`~socialcover.monitor.observations.record_observations`): a file with one bad row is
refused with that row's number, and nothing of it is kept. Imported values are entered, in
the data sets of their area and year, and feed public aggregates once approved. An export
writes the approved observations only, what the public sees.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from socialcover.errors import InputError
from socialcover.monitor.ilostat import read_ilostat
from socialcover.monitor.observations import RecordReport, observations, record_observations
from socialcover.monitor.registry import indicator_codes
from socialcover.monitor.rules import JumpWarning, accept_observations
from socialcover.monitor.sdmx import read_csv, read_sdmx_csv, write_csv, write_sdmx_csv

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "enter_observations",
    "export_observations",
    "import_observations",
]

IMPORT_FORMATS: dict[str, Callable[..., pl.DataFrame]] = {
    "ilostat": read_ilostat,
    "sdmx": read_sdmx_csv,
    "csv": read_csv,
}
"""The file formats :func:`import_observations` reads, by name, with their readers."""

EXPORT_FORMATS: dict[str, Callable[[pl.DataFrame, str | Path | None], str | None]] = {
    "sdmx": write_sdmx_csv,
    "csv": write_csv,
}
"""The file formats :func:`export_observations` writes, by name, with their writers."""


def _format(name: str, formats: dict[str, Any], what: str) -> Any:
    if name not in formats:
        raise InputError(
            f"Unknown {what} format {name!r}.",
            code="monitor.bad-format",
            hint=f"Use {' or '.join(formats)}.",
            value=name,
        )
    return formats[name]


def import_observations(
    session: Session,
    actor: Any,
    path: str | Path,
    format: str = "ilostat",
    *,
    vintage: str = "",
) -> RecordReport:
    """Read an observation file and record all of it, or nothing.

    Parameters
    ----------
    session
        The transaction (``session_scope(actor)``); nothing is committed here.
    actor
        Who imports (needs ``monitor.enter``); recorded with every value.
    path
        The file (plain or gzip-compressed).
    format
        ``ilostat`` (ILOSTAT bulk CSV), ``sdmx`` (SDMX-CSV 1.0 or 2.0) or ``csv`` (the plain CSV
        of :func:`~socialcover.monitor.sdmx.write_csv`).
    vintage
        The edition of the file (``"2025-06"``), where the file does not say it: ILOSTAT bulk
        files never do, SDMX-CSV files may have a ``VINTAGE`` column.

    Returns
    -------
    RecordReport
        How many values were new, revised or unchanged, and the data sets written to; its
        ``warnings`` name the rows whose value jumps from the previous period (in the file, or
        stored: the values ``actor`` may see), which are recorded all the same.

    Raises
    ------
    socialcover.monitor.rules.ObservationFileError
        A row breaks a validation rule: every problem is listed with its row number, and
        nothing of the file is kept.
    InputError
        An unknown ``format``, a file that is not of it, or rows whose edition neither the file
        nor ``vintage`` gives (``monitor.no-vintage``); nothing is kept.
    """
    read = _format(format, IMPORT_FORMATS, "import")
    previous = observations(session, actor, approved_only=False)  # jumps against the store
    frame, jumps = _checked(lambda: read(Path(path), vintage=vintage, previous=previous))
    blank = frame.filter(pl.col("vintage").str.strip_chars() == "").height
    if blank:
        raise InputError(
            f"{blank} of {frame.height} rows do not say the edition of their values; nothing "
            "was imported.",
            code="monitor.no-vintage",
            hint="Give the file's edition (vintage=, or --vintage 2025-06 on the command line).",
        )
    return dataclasses.replace(record_observations(session, actor, frame), warnings=jumps)


def _checked(read: Callable[[], pl.DataFrame]) -> tuple[pl.DataFrame, tuple[dict[str, Any], ...]]:
    """Run a checked reader; its jump warnings are returned (each row's), not emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", JumpWarning)
        frame = read()
    jumps = tuple(
        p for w in caught if isinstance(w.message, JumpWarning) for p in w.message.problems
    )
    for other in (w for w in caught if not isinstance(w.message, JumpWarning)):
        warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    return frame, jumps


def enter_observations(
    session: Session, actor: Any, frame: pl.DataFrame, *, what: str = "the rows"
) -> RecordReport:
    """Check rows typed in (a form, the API) by the validation rules, then record them.

    The rules of :mod:`socialcover.monitor.rules` run with the store's current values as the
    previous period; row numbers count from 1 in ``frame``'s order.

    Returns
    -------
    RecordReport
        What was written, with the jump warnings in ``warnings``.

    Raises
    ------
    socialcover.monitor.rules.ObservationFileError
        A row breaks a rule (each problem names its row); nothing is written.
    """
    codes = [c for c in frame["indicator"].unique().to_list() if c in set(indicator_codes())]
    previous = observations(session, actor, indicator=codes or None, approved_only=False)
    checked, jumps = _checked(
        lambda: accept_observations(
            frame, what=what, previous=previous, rows=range(1, frame.height + 1)
        )
    )
    return dataclasses.replace(record_observations(session, actor, checked), warnings=jumps)


def export_observations(
    session: Session,
    actor: Any,
    path: str | Path | None = None,
    format: str = "sdmx",
    *,
    indicator: str | list[str] | None = None,
) -> str | None:
    """Write the approved observations as SDMX-CSV or CSV.

    Parameters
    ----------
    session, actor
        The transaction, and who reads (``None``: the public; approved values only either way).
    path
        Where to write; ``None`` returns the text.
    format
        ``sdmx`` (SDMX-CSV of :data:`~socialcover.monitor.sdmx.DATAFLOW`) or ``csv`` (one
        column per frame column).
    indicator
        Only these codes (``None``: all).

    Returns
    -------
    str or None
        The text when ``path`` is ``None``.
    """
    write = _format(format, EXPORT_FORMATS, "export")
    frame = observations(session, actor, indicator=indicator, approved_only=True)
    return write(frame, path)  # type: ignore[no-any-return]
