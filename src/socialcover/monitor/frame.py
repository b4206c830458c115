"""The observation frame: the one table every part of monitoring reads and writes.

An observation is one value of an indicator for an area (an ISO3 country, or a group such as
``World``, an ILO region or an income group), a year and a sex, with its standard error or
interval where known, the nature of the value (as the UN SDG database marks it: observed,
estimated, modelled), who published it, the edition, and footnotes. :data:`OBSERVATION_SCHEMA`
fixes the columns and their order; :func:`validate_frame` checks a frame completely, against
the schema, the rules below and the registry, before anything is written, and names every bad
row and column.

Rows are numbered from 1 in the frame's order (row 1 is the first data row).

Examples
--------
>>> import polars as pl
>>> frame = pl.DataFrame({
...     "indicator": ["sdg131.children"], "area": ["World"], "year": [2023], "sex": ["both"],
...     "value": [12.5], "se": [None], "lower": [None], "upper": [None],
...     "nature": ["observed"], "source": ["ILO"], "vintage": ["2025"], "footnotes": [""],
... })
>>> validate_frame(frame).schema["year"]
Int32
>>> try:
...     validate_frame(frame.with_columns(sex=pl.lit("f")))
... except ValueError as err:
...     print(err.context["problems"][0]["message"])
row 1, sex: 'f' is not one of both, female, male
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import polars as pl

from socialcover.errors import InputError, NotFoundError
from socialcover.monitor.registry import get_indicator

__all__ = [
    "KEY",
    "NATURES",
    "NO_INCOME_GROUP",
    "OBSERVATION_SCHEMA",
    "SEXES",
    "WORLD",
    "known_areas",
    "validate_frame",
]

OBSERVATION_SCHEMA: Mapping[str, pl.DataType] = {
    "indicator": pl.String(),
    "area": pl.String(),
    "year": pl.Int32(),
    "sex": pl.String(),
    "value": pl.Float64(),
    "se": pl.Float64(),
    "lower": pl.Float64(),
    "upper": pl.Float64(),
    "nature": pl.String(),
    "source": pl.String(),
    "vintage": pl.String(),
    "footnotes": pl.String(),
}
"""The columns of an observation frame, in order, with their Polars types."""

KEY: tuple[str, ...] = ("indicator", "area", "year", "sex")
"""What identifies an observation; a frame holds each key at most once."""

SEXES: tuple[str, ...] = ("both", "female", "male")
"""The values of ``sex``."""

NATURES: tuple[str, ...] = ("observed", "survey_estimate", "administrative", "modelled", "imputed")
"""The values of ``nature``: how the value was obtained."""

WORLD = "World"
"""The ``area`` of the world. Other groups are named as :mod:`socialcover.data` names them: the
ILO regions of :data:`socialcover.data.countries.ILO_REGIONS` and the ``income_group`` values
of :func:`socialcover.data.countries` (``Low income``...)."""

NO_INCOME_GROUP = "No income group available"
"""The ``income_group`` of countries the World Bank does not classify (not a group)."""

_NULLABLE = frozenset({"se", "lower", "upper"})
_YEARS = (1900, 2100)
_SHOWN = 10  # problems spelled out in the message; all are in the error's context


def _rows(frame: pl.DataFrame, mask: pl.Expr) -> list[int]:
    found = frame.with_row_index("_row", offset=1).filter(mask.fill_null(False))["_row"]
    return [int(r) for r in found]


def _problem(row: int, column: str, code: str, what: str) -> dict[str, Any]:
    return {"row": row, "column": column, "code": code, "message": f"row {row}, {column}: {what}"}


def _cast(frame: pl.DataFrame, problems: list[dict[str, Any]]) -> pl.DataFrame:
    """The frame in the schema's types; values that do not convert are problems."""
    columns = []
    for name, dtype in OBSERVATION_SCHEMA.items():
        column = frame[name]
        cast = column.cast(dtype, strict=False)
        bad = column.is_not_null() & cast.is_null()
        if dtype == pl.Int32() and column.dtype.is_float():
            bad = bad | (column.is_not_null() & (column != column.round(0)))
        for row in (bad.arg_true() + 1).to_list():
            value = column[row - 1]
            problems.append(
                _problem(row, name, "monitor.bad-type", f"{value!r} does not convert to {dtype}")
            )
        columns.append(cast.alias(name))
    return pl.DataFrame(columns)


def _check_rows(frame: pl.DataFrame, problems: list[dict[str, Any]]) -> None:
    def flag(mask: pl.Expr, column: str, code: str, what: Any) -> None:
        for row in _rows(frame, mask):
            text = what(frame.row(row - 1, named=True)) if callable(what) else what
            problems.append(_problem(row, column, code, text))

    for name in OBSERVATION_SCHEMA:
        if name not in _NULLABLE and name != "footnotes":
            flag(pl.col(name).is_null(), name, "monitor.missing-value", "is empty")
    for name in ("indicator", "area", "source", "vintage"):
        flag(pl.col(name).str.strip_chars() == "", name, "monitor.missing-value", "is blank")
    flag(
        ~pl.col("sex").is_in(SEXES),
        "sex",
        "monitor.bad-sex",
        lambda r: f"{r['sex']!r} is not one of {', '.join(SEXES)}",
    )
    flag(
        ~pl.col("nature").is_in(NATURES),
        "nature",
        "monitor.bad-nature",
        lambda r: f"{r['nature']!r} is not one of {', '.join(NATURES)}",
    )
    flag(
        ~pl.col("year").is_between(*_YEARS),
        "year",
        "monitor.bad-year",
        lambda r: f"{r['year']} is not a year between {_YEARS[0]} and {_YEARS[1]}",
    )
    for name in ("value", "se", "lower", "upper"):
        flag(~pl.col(name).is_finite(), name, "monitor.not-finite", "is not a finite number")
    flag(pl.col("se") < 0, "se", "monitor.bad-se", lambda r: f"{r['se']} is negative")
    flag(
        (pl.col("lower") > pl.col("value")) | (pl.col("upper") < pl.col("value")),
        "value",
        "monitor.outside-interval",
        lambda r: f"{r['value']} is outside its interval [{r['lower']}, {r['upper']}]",
    )
    flag(
        pl.struct(KEY).is_duplicated(),
        "indicator",
        "monitor.duplicate-key",
        lambda r: f"{r['indicator']} {r['area']} {r['year']} {r['sex']} appears more than once",
    )


def known_areas() -> set[str] | None:
    """Every area an observation may have: ISO3 codes, ``World``, the ILO regions, the income
    groups and the UN regions and subregions of the installed pack (``None`` without a pack)."""
    from socialcover.data import countries, pack_status
    from socialcover.data.countries import ILO_REGIONS

    if pack_status() is None:
        return None
    table = countries()
    names = {WORLD, *ILO_REGIONS, *table["iso3"].to_list()}
    for column in ("income_group", "sdg_region", "geo_region", "geo_subregion"):
        names.update(table[column].drop_nulls().unique().to_list())
    return names - {NO_INCOME_GROUP}


def _check_areas(frame: pl.DataFrame, problems: list[dict[str, Any]]) -> None:
    known = known_areas()
    if known is None:  # without a pack there is no list to check against
        return
    for area in sorted(set(frame["area"].drop_nulls().to_list()) - known):
        near = difflib.get_close_matches(area, sorted(known), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(near)}?" if near else "use an ISO3 code or a group name"
        for row in _rows(frame, pl.col("area") == area):
            problems.append(
                _problem(row, "area", "monitor.unknown-area", f"unknown area {area!r}: {hint}")
            )


def _check_registry(frame: pl.DataFrame, problems: list[dict[str, Any]]) -> None:
    codes = frame["indicator"].drop_nulls().unique().to_list()
    for code in sorted(codes):
        try:
            definition = get_indicator(code)
        except NotFoundError as err:
            for row in _rows(frame, pl.col("indicator") == code):
                problems.append(
                    _problem(row, "indicator", err.code, f"{err.message} {err.hint.rstrip('.')}")
                )
            continue
        (low, high), unit = definition.bounds, definition.unit
        for column in ("value", "lower", "upper"):
            too_low = pl.col(column) < low if low is not None else pl.lit(False)
            too_high = pl.col(column) > high if high is not None else pl.lit(False)
            for row in _rows(frame, (pl.col("indicator") == code) & (too_low | too_high)):
                value = frame[column][row - 1]
                problems.append(
                    _problem(
                        row,
                        column,
                        "monitor.out-of-range",
                        f"{value} is outside [{low}, {high}] ({unit}) for {code}",
                    )
                )


def validate_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Check an observation frame completely; return it in :data:`OBSERVATION_SCHEMA`.

    Columns must be exactly those of the schema (in any order); values are converted to the
    schema's types. Each row must have every column but ``se``, ``lower``, ``upper`` and
    ``footnotes`` (empty footnotes become ``""``); a known indicator code; ``sex`` in
    :data:`SEXES`; ``nature`` in :data:`NATURES`; a known area (:func:`known_areas`, when a
    pack is installed); a year in 1900-2100; finite numbers, a
    non-negative ``se``, a ``value`` inside its interval, all within the indicator's bounds;
    and a key (:data:`KEY`) no other row has.

    Parameters
    ----------
    frame
        The observations, one per row.

    Returns
    -------
    polars.DataFrame
        The same rows, columns in schema order and types.

    Raises
    ------
    InputError
        ``monitor.bad-columns`` when columns are missing or unknown; ``monitor.invalid-frame``
        naming every bad row and column otherwise: ``context["problems"]`` lists each as
        ``row``, ``column``, ``code`` and ``message``, ``context["rows"]`` the bad rows.
    """
    missing = [c for c in OBSERVATION_SCHEMA if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in OBSERVATION_SCHEMA]
    if missing or unknown:
        raise InputError(
            "The observation frame does not have the expected columns"
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + ".",
            code="monitor.bad-columns",
            hint=f"Use exactly these columns: {', '.join(OBSERVATION_SCHEMA)}.",
            missing=missing,
            unknown=unknown,
        )
    problems: list[dict[str, Any]] = []
    typed = _cast(frame, problems).with_columns(pl.col("footnotes").fill_null(""))
    _check_rows(typed, problems)
    _check_areas(typed, problems)
    _check_registry(typed, problems)
    if problems:
        problems.sort(key=lambda p: (p["row"], list(OBSERVATION_SCHEMA).index(p["column"])))
        rows = sorted({p["row"] for p in problems})
        shown = "; ".join(p["message"] for p in problems[:_SHOWN])
        more = f"; and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
        raise InputError(
            f"{len(rows)} of {frame.height} rows are not valid: {shown}{more}.",
            code="monitor.invalid-frame",
            hint="Correct the rows named above and send the whole frame again; nothing was saved.",
            problems=problems,
            rows=rows,
        )
    return typed
