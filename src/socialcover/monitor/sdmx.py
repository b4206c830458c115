"""SDMX-CSV files of observations, in and out, and plain CSV out.

SDMX-CSV (SDMX Technical Working Group, "SDMX-CSV format", version 1.0 for SDMX 2.1 and 2.0
for SDMX 3.0, https://github.com/sdmx-twg/sdmx-csv): one observation per row; the first
column says which structure the row belongs to (``DATAFLOW`` holding ``AGENCY:ID(VERSION)`` in
1.0; ``STRUCTURE`` = ``dataflow``, ``STRUCTURE_ID`` and an optional ``ACTION`` in 2.0), then
one column per dimension (``FREQ``, ``REF_AREA``, ``SEX``, ..., ``TIME_PERIOD``), the measure
``OBS_VALUE`` and one column per attribute (``OBS_STATUS``, ``UNIT_MEASURE``, ``COMMENT_OBS``,
...). With labels, a header or a cell reads ``CODE: Label``; the code is what counts here.

Read: our own dataflow (below) and the UN SDG global database's harmonised dataflow
``IAEG-SDGs:DF_SDG_GLH`` (dimensions ``FREQ, REPORTING_TYPE, SERIES, REF_AREA, SEX, AGE,
URBANISATION, ...``; attributes ``UNIT_MEASURE, NATURE, SOURCE_DETAIL, COMMENT_OBS, ...``;
``REF_AREA`` as M49 numbers, ``1`` for the World), where the series ``SI_COV_BENFTS``,
``SI_COV_CHLD``, ... map to ``sdg131.*`` through the registry (the ``unsd_series`` of each
indicator's metadata).

Written: the dataflow :data:`DATAFLOW`, documented in docs/monitor-io.md, with the dimensions
``FREQ, INDICATOR, REF_AREA, SEX, TIME_PERIOD`` and the attributes ``OBS_STATUS, NATURE,
UNIT_MEASURE, STANDARD_ERROR, LOWER_BOUND, UPPER_BOUND, SOURCE_DETAIL, VINTAGE, COMMENT_OBS``.
Every observation column is kept, so a file written here reads back identical.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import polars as pl

from socialcover.data import countries
from socialcover.errors import InputError
from socialcover.monitor.csvfile import (
    MAX_BYTES,
    MAX_ROWS,
    ROW,
    parse_table,
    read_table,
    read_text,
    write_table,
)
from socialcover.monitor.frame import NATURES, OBSERVATION_SCHEMA, WORLD
from socialcover.monitor.registry import get_indicator, list_indicators
from socialcover.monitor.rules import (
    NATURE_OF_STATUS,
    STATUS_LABELS,
    Problem,
    accept_observations,
    translate_codes,
)

__all__ = [
    "COLUMNS",
    "DATAFLOW",
    "UNIT_CODES",
    "read_csv",
    "read_sdmx_csv",
    "write_csv",
    "write_sdmx_csv",
]

DATAFLOW = "SOCIALCOVER:DF_SP_MONITOR(1.0)"
"""The dataflow of the SDMX-CSV files written here: agency, id and version."""
COLUMNS = (
    "FREQ",
    "INDICATOR",
    "REF_AREA",
    "SEX",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_STATUS",
    "NATURE",
    "UNIT_MEASURE",
    "STANDARD_ERROR",
    "LOWER_BOUND",
    "UPPER_BOUND",
    "SOURCE_DETAIL",
    "VINTAGE",
    "COMMENT_OBS",
)
"""Dimensions, measure and attributes of :data:`DATAFLOW`, after its structure column(s)."""

_SEX_OUT = {"both": "_T", "female": "F", "male": "M"}
_SEX_IN = {"_T": "both", "F": "female", "M": "male", "T": "both"}
_STATUS_OF_NATURE = {"modelled": "E", "imputed": "I"}
# UN SDG NATURE codes (Guidelines for the Global Data Structure Definition for SDG
# Indicators, DSD 1.6, 2021): C country data, CA country data adjusted, G global monitoring
# data (compiled by the custodian agency), E estimated from national data, M modelled by the
# agency; and our own words.
_NATURE_IN = {
    "C": "observed",
    "CA": "observed",
    "G": "observed",
    "E": "modelled",
    "M": "modelled",
    **{n: n for n in NATURES},
}
_SERIES = {
    d.metadata["unsd_series"]: d.code for d in list_indicators() if "unsd_series" in d.metadata
}
_OPTIONAL = (
    "OBS_STATUS",
    "NATURE",
    "COMMENT_OBS",
    "SOURCE_DETAIL",
    "STANDARD_ERROR",
    "LOWER_BOUND",
    "UPPER_BOUND",
)
_TOTAL = ("", "_T", "_Z")
UNIT_CODES: dict[str, str] = {
    "percent": "PT",
    "percent_of_gdp": "PT_GDP",
    "ratio": "RATIO",
    "count": "NUMBER",
}
"""``UNIT_MEASURE`` of each registry unit in the dataflow :data:`DATAFLOW` (``PT``: percent,
as in the UN SDG dataflow; the others are this dataflow's own codes)."""

_ALLOWED = {  # column: (values read, why others are refused, how to fix)
    "FREQ": (("", "A"), "not an annual observation.", "Keep annual rows (FREQ A) only."),
    "UNIT_MULT": (("", "0"), "values scaled by a power of 10.", "Send unscaled values (0)."),
    "ACTION": (
        ("", "I", "A", "R"),
        "a deletion, or an unknown action.",
        "Send information, append or replace rows (ACTION I, A or R) only.",
    ),
    **{
        breakdown: (
            _TOTAL,
            "a breakdown the observations do not hold.",
            "Keep the total rows (_T) of this column only.",
        )
        for breakdown in (
            "AGE",
            "URBANISATION",
            "INCOME_WEALTH_QUANTILE",
            "EDUCATION_LEV",
            "OCCUPATION",
            "DISABILITY_STATUS",
            "ACTIVITY",
        )
    },
}
_CODED = (
    "UNIT_MEASURE",
    "DATAFLOW",
    "STRUCTURE_ID",
    "ACTION",
    "FREQ",
    "INDICATOR",
    "SERIES",
    "REF_AREA",
    "SEX",
    "OBS_STATUS",
    "NATURE",
)
_NUMBERS = ("OBS_VALUE", "STANDARD_ERROR", "LOWER_BOUND", "UPPER_BOUND")
# The separator is the character after the first header term (SDMX-CSV 2.0, "Columns").
_FIRST_COLUMN = re.compile(r"^(DATAFLOW|STRUCTURE(\[[^\]]*\])?)(?P<separator>[^\w\[])")
_FILE_COLUMNS = {
    "area": "REF_AREA",
    "year": "TIME_PERIOD",
    "sex": "SEX",
    "value": "OBS_VALUE",
    "se": "STANDARD_ERROR",
    "lower": "LOWER_BOUND",
    "upper": "UPPER_BOUND",
    "nature": "NATURE",
}


def _header(text: str) -> str:
    """``REF_AREA: Reference area`` -> ``REF_AREA``; ``STRUCTURE[;]``, ``ATTR[]`` -> the ID."""
    return re.sub(r"\[[^\]]*\]$", "", text.split(": ", 1)[0].strip())


def _table(source: str | Path | bytes, max_bytes: int, max_rows: int) -> pl.DataFrame:
    """The file's cells as text, columns named by component ID, codes without labels."""
    text = read_text(source, max_bytes=max_bytes)
    first = _FIRST_COLUMN.match(text)
    if first is None:
        raise InputError(
            "The file is not SDMX-CSV: its first column is neither DATAFLOW nor STRUCTURE.",
            code="monitor.not-sdmx-csv",
            hint="Export the data as SDMX-CSV (version 1.0 or 2.0), with codes or codes and "
            "labels.",
            start=text[:40],
        )
    delimiter = first["separator"]
    raw = parse_table(text, max_rows=max_rows, delimiter=delimiter)
    raw = raw.rename({c: _header(c) for c in raw.columns if c != ROW})
    coded = [c for c in _CODED if c in raw.columns]
    numbers = [c for c in _NUMBERS if c in raw.columns and delimiter != ","]
    return raw.with_columns(
        *(pl.col(c).str.replace(r": .*", "").str.strip_chars() for c in coded),
        *(pl.col(c).str.replace(",", ".", literal=True) for c in numbers),  # a decimal comma
    )


def _areas(raw: pl.DataFrame) -> pl.Series:
    """REF_AREA as ISO3 (M49 numbers of countries translated; ``1`` is the World)."""
    table = countries().select(pl.col("m49").cast(pl.String), "iso3")
    m49 = dict(zip(table["m49"].to_list(), table["iso3"].to_list(), strict=True))
    return raw["REF_AREA"].replace({**m49, "1": WORLD, "001": WORLD})


def _footnotes(comments: list[str], statuses: list[str], natures: list[str]) -> list[str]:
    """COMMENT_OBS, with the status as a footnote unless it is normal or says the nature."""
    out = []
    for comment, status, nature in zip(comments, statuses, natures, strict=True):
        tag = f"[status {status}]"
        if status in ("", "A", _STATUS_OF_NATURE.get(nature)) or tag in comment:
            out.append(comment)
        else:
            note = f"{tag} {STATUS_LABELS.get(status, '')}".strip()
            out.append(f"{note} | {comment}" if comment else note)
    return out


def read_sdmx_csv(
    source: str | Path | bytes,
    *,
    vintage: str = "",
    previous: pl.DataFrame | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> pl.DataFrame:
    """Read an SDMX-CSV file (1.0 or 2.0) into observations.

    Parameters
    ----------
    source
        The file's path or bytes (plain or gzip-compressed).
    vintage
        The edition, where the file has no ``VINTAGE`` column.
    previous
        Observations already kept, for the jump rule (:mod:`socialcover.monitor.rules`).
    max_rows, max_bytes
        Bounds on the data rows and the uncompressed size.

    Returns
    -------
    polars.DataFrame
        The observation frame, rows in file order.

    Raises
    ------
    ObservationFileError
        Any row breaks a rule; every problem is listed and nothing is returned.
    InputError
        The file is too large, not UTF-8, or not SDMX-CSV.

    Examples
    --------
    >>> text = (b"DATAFLOW,FREQ,SERIES,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,NATURE\\n"
    ...         b"IAEG-SDGs:DF_SDG_GLH(1.20),A,SI_COV_CHLD,1,_T,2023,23.9,M\\n")
    >>> read_sdmx_csv(text).select("indicator", "area", "value", "nature").rows()
    [('sdg131.children', 'World', 23.9, 'modelled')]
    """
    raw = _table(source, max_bytes, max_rows)
    indicator_column = "INDICATOR" if "INDICATOR" in raw.columns else "SERIES"
    missing = [
        c
        for c in (indicator_column, "REF_AREA", "TIME_PERIOD", "OBS_VALUE")
        if c not in raw.columns
    ]
    if missing:
        raise InputError(
            f"The SDMX-CSV file lacks the column(s) {', '.join(missing)}.",
            code="monitor.not-sdmx-csv",
            hint="Observations need INDICATOR (or the UN SDG SERIES), REF_AREA, TIME_PERIOD and "
            "OBS_VALUE; see docs/monitor-io.md.",
            missing=missing,
        )
    dataflow = raw["DATAFLOW" if "DATAFLOW" in raw.columns else "STRUCTURE_ID"]
    raw = raw.with_columns(
        *(pl.lit("").alias(c) for c in _OPTIONAL if c not in raw.columns),
        *([] if "VINTAGE" in raw.columns else [pl.lit(vintage).alias("VINTAGE")]),
        SEX=pl.col("SEX").replace("", "_T") if "SEX" in raw.columns else pl.lit("_T"),
    )
    found: list[Problem] = []
    indicator = raw["INDICATOR"] if indicator_column == "INDICATOR" else None
    if indicator is None:
        indicator, found = translate_codes(
            raw, "SERIES", _SERIES, why="not an SDG 1.3.1 coverage series.",
            fix=f"Keep the series {', '.join(_SERIES)} only.",
        )  # fmt: skip
    sex, bad = translate_codes(raw, "SEX", _SEX_IN, why="unknown sex code.", fix="Use _T, F or M.")
    found += bad
    for column, (allowed, why, fix) in _ALLOWED.items():
        if column in raw.columns:
            refused = raw.filter(~pl.col(column).is_in(list(allowed))).select(column, ROW)
            found += [
                Problem(r, column, v, "unsupported", why, fix) for v, r in refused.iter_rows()
            ]
    found += _unit_problems(raw, indicator)
    status = raw["OBS_STATUS"]
    nature = pl.select(
        pl.when(pl.lit(raw["NATURE"]) == "")
        .then(status.replace_strict(NATURE_OF_STATUS, default="observed", return_dtype=pl.String))
        .otherwise(raw["NATURE"].replace(_NATURE_IN))
    ).to_series()
    source_detail = pl.select(
        pl.when(pl.lit(raw["SOURCE_DETAIL"]) == "").then(dataflow).otherwise(raw["SOURCE_DETAIL"])
    ).to_series()
    frame = pl.DataFrame(
        {
            "indicator": indicator,
            "area": _areas(raw),
            "year": raw["TIME_PERIOD"],
            "sex": sex,
            "value": raw["OBS_VALUE"],
            "se": raw["STANDARD_ERROR"],
            "lower": raw["LOWER_BOUND"],
            "upper": raw["UPPER_BOUND"],
            "nature": nature,
            "source": source_detail,
            "vintage": raw["VINTAGE"],
            "footnotes": _footnotes(
                raw["COMMENT_OBS"].to_list(), status.to_list(), nature.to_list()
            ),
        }
    )
    return accept_observations(
        frame,
        what="the SDMX-CSV file",
        previous=previous,
        rows=raw[ROW].to_list(),
        columns={**_FILE_COLUMNS, "indicator": indicator_column},
        found=found,
    )


def _unit_problems(raw: pl.DataFrame, indicator: pl.Series) -> list[Problem]:
    """A ``UNIT_MEASURE`` that is not the unit of the row's indicator (blank: the registry's)."""
    if "UNIT_MEASURE" not in raw.columns:
        return []
    problems = []
    for code, unit, row in zip(indicator, raw["UNIT_MEASURE"], raw[ROW], strict=True):
        try:
            expected = UNIT_CODES[get_indicator(code).unit]
        except (KeyError, TypeError):  # an unknown indicator is named by the rules
            continue
        if unit not in ("", expected):
            problems.append(
                Problem(
                    row,
                    "UNIT_MEASURE",
                    unit,
                    "unsupported",
                    f"{code} is measured in {expected}, not {unit}.",
                    f"Send the values of {code} in {expected} (or leave UNIT_MEASURE blank).",
                )
            )
    return problems


def _rows(frame: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in OBSERVATION_SCHEMA if c not in frame.columns]
    if missing:
        raise InputError(
            f"Not an observation frame: it lacks {', '.join(missing)}.",
            code="monitor.not-observations",
            hint="Pass a frame with the columns of OBSERVATION_SCHEMA, as the readers return.",
            missing=missing,
        )
    return frame.select(list(OBSERVATION_SCHEMA))


def _status(nature: str, footnotes: str) -> str:
    if footnotes.startswith("[status ") or " | [status " in footnotes:
        return footnotes.split("[status ", 1)[1].split("]", 1)[0]
    return _STATUS_OF_NATURE.get(nature, "A")


def write_sdmx_csv(
    frame: pl.DataFrame,
    path: str | Path | None = None,
    *,
    version: Literal["1.0", "2.0"] = "1.0",
) -> str | None:
    """Write observations as SDMX-CSV of the dataflow :data:`DATAFLOW`.

    Parameters
    ----------
    frame
        An observation frame (:data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA`).
    path
        Where to write; ``None`` returns the text instead.
    version
        ``"1.0"`` (SDMX 2.1: first column ``DATAFLOW``) or ``"2.0"`` (SDMX 3.0: ``STRUCTURE``,
        ``STRUCTURE_ID``, and ``ACTION`` ``I``, information).

    Returns
    -------
    str or None
        The CSV text when ``path`` is ``None``. Text cells that a spreadsheet would run as a
        formula start with a single quote (see :mod:`socialcover.monitor.csvfile`).

    Examples
    --------
    >>> frame = read_sdmx_csv(b"DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE\\n"
    ...                       b"IAEG-SDGs:DF_SDG_GLH(1.20),SI_COV_BENFTS,1,2023,52.4\\n")
    >>> print(write_sdmx_csv(frame).splitlines()[1])
    SOCIALCOVER:DF_SP_MONITOR(1.0),A,sdg131.at_least_one_benefit,World,_T,2023,52.4,A,observed,PT,,,,IAEG-SDGs:DF_SDG_GLH(1.20),,
    """
    structure = [DATAFLOW] if version == "1.0" else ["dataflow", DATAFLOW, "I"]
    header = ["DATAFLOW"] if version == "1.0" else ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    header += COLUMNS
    rows = [
        [
            *structure,
            "A",
            r["indicator"],
            r["area"],
            _SEX_OUT.get(r["sex"], r["sex"]),
            r["year"],
            r["value"],
            _status(r["nature"], r["footnotes"]),
            r["nature"],
            UNIT_CODES[get_indicator(r["indicator"]).unit],
            r["se"],
            r["lower"],
            r["upper"],
            r["source"],
            r["vintage"],
            r["footnotes"],
        ]
        for r in _rows(frame).iter_rows(named=True)
    ]
    return write_table(header, rows, path)


def write_csv(frame: pl.DataFrame, path: str | Path | None = None) -> str | None:
    """Write observations as a plain CSV, one column per frame column, formulas escaped.

    Examples
    --------
    >>> frame = read_sdmx_csv(b"DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE,COMMENT_OBS\\n"
    ...                       b"X:Y(1.0),SI_COV_BENFTS,1,2023,52.4,=1+1\\n")
    >>> print(write_csv(frame).splitlines()[1])
    sdg131.at_least_one_benefit,World,2023,both,52.4,,,,observed,X:Y(1.0),,'=1+1
    """
    rows = _rows(frame)
    return write_table(rows.columns, rows.iter_rows(), path)


def read_csv(
    source: str | Path | bytes,
    *,
    vintage: str = "",
    previous: pl.DataFrame | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> pl.DataFrame:
    """Read a plain CSV of observations, as :func:`write_csv` writes it, checked by the rules.

    Parameters
    ----------
    source
        The file's path or bytes (plain or gzip-compressed); a header row with the columns of
        :data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA` (``se``, ``lower``, ``upper``,
        ``vintage`` and ``footnotes`` may be left out).
    vintage
        The edition, for rows whose ``vintage`` is empty.
    previous, max_rows, max_bytes
        As for :func:`read_sdmx_csv`.

    Raises
    ------
    ObservationFileError
        Any row breaks a rule; every problem is listed and nothing is returned.
    InputError
        The file is too large, not UTF-8, or lacks a required column (``monitor.not-observations``).

    Examples
    --------
    >>> frame = read_sdmx_csv(b"DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE,COMMENT_OBS\\n"
    ...                       b"X:Y(1.0),SI_COV_BENFTS,1,2023,52.4,=1+1\\n")
    >>> read_csv(write_csv(frame).encode()).equals(frame)
    True
    """
    raw = read_table(source, max_bytes=max_bytes, max_rows=max_rows)
    optional = ("se", "lower", "upper", "vintage", "footnotes")
    missing = [c for c in OBSERVATION_SCHEMA if c not in raw.columns and c not in optional]
    if missing:
        raise InputError(
            f"The CSV file lacks the column(s) {', '.join(missing)}.",
            code="monitor.not-observations",
            hint="Write a header row with the columns of the CSV export (docs/monitor-io.md).",
            missing=missing,
        )
    frame = raw.with_columns(
        *(pl.lit("").alias(c) for c in optional if c not in raw.columns)
    ).with_columns(
        pl.when(pl.col("vintage").str.strip_chars() == "")
        .then(pl.lit(vintage))
        .otherwise(pl.col("vintage"))
        .alias("vintage")
    )
    return accept_observations(
        frame.select(list(OBSERVATION_SCHEMA)),
        what="the CSV file",
        previous=previous,
        rows=raw[ROW].to_list(),
    )
