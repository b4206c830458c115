"""ILOSTAT bulk CSV files of SDG indicator 1.3.1 as observations.

Layout: the ILOSTAT bulk download facility's indicator files (``SDG_0131_SEX_SOC_RT_A.csv.gz``,
https://ilostat.ilo.org/data/bulk/), in code form (``ref_area, source, indicator, sex,
classif1, time, obs_value, obs_status, note_classif, note_indicator, note_source``) or with a
label column after each code (``ref_area.label``, ``obs_status.label``, ...), as the Rilostat
package writes them. How the pack's fetcher reads the same files:
:mod:`socialcover.data.fetch.ilostat`.

Mapping (docs/monitor-io.md has the table):

- ``classif1`` (``SOC_CONTIG_TOTAL``, ...) -> the registry's indicator whose metadata names
  that ``ilostat_classif1`` (``sdg131.*``, :mod:`socialcover.monitor.registry`);
- ``ref_area``: ISO3 codes as they are; the ILO's aggregates ``X01`` -> ``World`` and ``X02`` ->
  ``Low income`` (the only two the pack uses); other ``X..`` aggregates are refused;
- ``sex``: ``SEX_T``/``SEX_F``/``SEX_M`` -> ``both``/``female``/``male``;
- ``obs_status`` -> nature: ``E`` (estimated) and ``F`` (forecast) -> ``modelled``, ``I``
  (imputed) -> ``imputed``, any other status and none -> ``observed``, except the ILO's
  aggregates without a status, which are modelled estimates; every status is also kept as a
  footnote, ``[status B] Time series break``, with the file's label (the SDMX code list's when
  the file has none, :data:`~socialcover.monitor.rules.STATUS_LABELS`);
- notes: each code of ``note_classif``, ``note_indicator`` and ``note_source`` (several are
  joined by ``_``) becomes a footnote ``[T2:84] label``, paired with its label when the file has
  labels (several joined by `` | ``); footnotes are joined by `` | ``;
- source: ``ILO, ILOSTAT <indicator>``, with the file's ``source`` code and label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from socialcover.errors import InputError
from socialcover.monitor.csvfile import MAX_BYTES, MAX_ROWS, ROW, read_table
from socialcover.monitor.frame import WORLD
from socialcover.monitor.registry import list_indicators
from socialcover.monitor.rules import (
    NATURE_OF_STATUS,
    STATUS_LABELS,
    Problem,
    accept_observations,
    translate_codes,
)

__all__ = ["AREAS", "INDICATOR", "NOTE_COLUMNS", "read_ilostat"]

INDICATOR = "SDG_0131_SEX_SOC_RT"
"""The ILOSTAT indicator read (its annual file adds ``_A``)."""
AREAS = {"X01": WORLD, "X02": "Low income"}
"""ILOSTAT aggregate codes read (as :mod:`socialcover.data.fetch.ilostat` reads them)."""
NOTE_COLUMNS = ("note_classif", "note_indicator", "note_source")
"""The note columns of a bulk file, read into footnotes in this order."""

_REQUIRED = ("ref_area", "indicator", "sex", "classif1", "time", "obs_value")
_SEX = {"SEX_T": "both", "SEX_F": "female", "SEX_M": "male"}
_FILE_COLUMNS = {"area": "ref_area", "year": "time", "value": "obs_value", "sex": "sex"}


def _notes(codes: str, labels: str | None) -> list[str]:
    split_codes = [c.strip() for c in codes.split("_") if c.strip()]
    split_labels = [t.strip() for t in (labels or "").split(" | ") if t.strip()]
    if len(split_codes) == len(split_labels):
        return [f"[{c}] {t}" for c, t in zip(split_codes, split_labels, strict=True)]
    return [f"[{c}]" for c in split_codes] + split_labels


def _footnotes(row: dict[str, str]) -> str:
    notes: list[str] = []
    status = row.get("obs_status", "").strip()
    if status:
        label = row.get("obs_status.label", "").strip() or STATUS_LABELS.get(status, "")
        notes.append(f"[status {status}] {label}".strip())
    for column in NOTE_COLUMNS:
        notes += _notes(row.get(column, ""), row.get(f"{column}.label"))
    return " | ".join(notes)


def _source(row: dict[str, str]) -> str:
    code, label = row.get("source", "").strip(), row.get("source.label", "").strip()
    detail = f"; source {code}" + (f" ({label})" if label else "") if code else ""
    return f"ILO, ILOSTAT {row['indicator'].strip()}{detail}"


def _per_distinct(
    raw: pl.DataFrame, make: Callable[[dict[str, str]], str], columns: Sequence[str]
) -> pl.Series:
    """``make(row)`` for each row, computed once per distinct combination of ``columns``."""
    columns = list(columns)
    keys = raw.select(columns)
    distinct = keys.unique()
    made = [make(row) for row in distinct.iter_rows(named=True)]
    table = distinct.with_columns(pl.Series("_made", made, pl.String))
    return keys.join(table, on=columns, how="left", maintain_order="left")["_made"]


def read_ilostat(
    source: str | Path | bytes,
    *,
    vintage: str = "",
    previous: pl.DataFrame | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> pl.DataFrame:
    """Read an ILOSTAT bulk CSV (or .csv.gz) of SDG 1.3.1 coverage into observations.

    Parameters
    ----------
    source
        The file's path or bytes.
    vintage
        The edition of the file (``"2025-06"``); the bulk files do not say it.
    previous
        Observations already kept, for the jump rule (:mod:`socialcover.monitor.rules`).
    max_rows, max_bytes
        Bounds on the data rows and the uncompressed size.

    Returns
    -------
    polars.DataFrame
        The observation frame (:data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA`), rows in
        file order.

    Raises
    ------
    ObservationFileError
        Any row breaks a rule: every problem is listed with its row and column, and nothing is
        returned.
    InputError
        The file is too large, not UTF-8, or lacks a column of the bulk layout.

    Examples
    --------
    >>> text = (b"ref_area,indicator,sex,classif1,time,obs_value,obs_status\\n"
    ...         b"XDM,SDG_0131_SEX_SOC_RT_A,SEX_T,SOC_CONTIG_TOTAL,2023,41.5,B\\n")
    >>> read_ilostat(text).select("indicator", "area", "value", "footnotes").rows()
    [('sdg131.at_least_one_benefit', 'XDM', 41.5, '[status B] Time series break')]
    """
    raw = read_table(source, max_bytes=max_bytes, max_rows=max_rows)
    missing = [c for c in _REQUIRED if c not in raw.columns]
    if missing:
        raise InputError(
            f"The file lacks the column(s) {', '.join(missing)} of an ILOSTAT bulk file.",
            code="monitor.not-ilostat",
            hint="Download the indicator file (code or code-and-label layout) from ILOSTAT's "
            "bulk download facility; its header starts ref_area,source,indicator,sex,classif1.",
            missing=missing,
        )
    for column in ("obs_status", "source", *NOTE_COLUMNS):
        if column not in raw.columns:
            raw = raw.with_columns(pl.lit("").alias(column))
    found: list[Problem] = []
    indicator_ok = raw["indicator"].str.strip_chars().str.replace("_A$", "") == INDICATOR
    found += [
        Problem(r, "indicator", v, "unknown-code", "not the SDG 1.3.1 coverage indicator.",
                f"Import the {INDICATOR}_A file, or remove the rows of other indicators.")
        for v, r in raw.filter(~indicator_ok).select("indicator", ROW).iter_rows()
    ]  # fmt: skip
    codes = {
        d.metadata["ilostat_classif1"]: d.code
        for d in list_indicators()
        if "ilostat_classif1" in d.metadata
    }
    indicator, bad = translate_codes(
        raw, "classif1", codes, why="unknown coverage group.",
        fix=f"Use one of {', '.join(codes)}.",
    )  # fmt: skip
    found += bad
    sex, bad = translate_codes(
        raw, "sex", _SEX, why="unknown sex code.", fix="Use SEX_T, SEX_F or SEX_M."
    )
    found += bad
    area = raw["ref_area"].str.strip_chars().str.to_uppercase()
    aggregate = area.str.contains(r"^X\d+$")
    unmapped = raw.filter(aggregate & ~area.is_in(list(AREAS))).select("ref_area", ROW)
    found += [
        Problem(r, "ref_area", v, "unknown-code", "an ILO aggregate this reader does not map.",
                f"Keep countries and {', '.join(AREAS)} only.")
        for v, r in unmapped.iter_rows()
    ]  # fmt: skip
    status = raw["obs_status"].str.strip_chars()
    nature = status.replace_strict(NATURE_OF_STATUS, default="observed", return_dtype=pl.String)
    notes = [
        c for n in ("obs_status", *NOTE_COLUMNS) for c in (n, f"{n}.label") if c in raw.columns
    ]
    sources = [c for c in ("indicator", "source", "source.label") if c in raw.columns]
    frame = pl.DataFrame(
        {
            "indicator": indicator,
            "area": area.replace(AREAS),
            "year": raw["time"],
            "sex": sex,
            "value": raw["obs_value"],
            "se": pl.Series([None] * raw.height, dtype=pl.String),
            "lower": pl.Series([None] * raw.height, dtype=pl.String),
            "upper": pl.Series([None] * raw.height, dtype=pl.String),
            "nature": pl.select(
                pl.when(aggregate & (status == "")).then(pl.lit("modelled")).otherwise(nature)
            ).to_series(),
            "source": _per_distinct(raw, _source, sources),
            "vintage": [vintage] * raw.height,
            "footnotes": _per_distinct(raw, _footnotes, notes),
        }
    )
    return accept_observations(
        frame,
        what="the ILOSTAT file",
        previous=previous,
        rows=raw[ROW].to_list(),
        columns={**_FILE_COLUMNS, "indicator": "classif1"},
        found=found,
    )
