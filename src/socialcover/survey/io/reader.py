"""Reading survey files and frames into Polars, keeping Stata and SPSS value labels.

Formats: Stata ``.dta`` and SPSS ``.sav``/``.zsav`` through pyreadstat (codes are kept as
codes; their labels are read separately by :func:`read_value_labels`), CSV (also gzip'd),
Parquet, and Polars, pandas or Arrow frames already in memory. Errors from the readers are
translated at this boundary into :class:`~socialcover.errors.InputError` with stable codes::

    survey.file-not-found     the path does not exist
    survey.unknown-format     the extension is not one we read
    survey.unreadable-file    the file exists but its reader fails (corrupt, truncated, wrong type)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from socialcover.errors import InputError

__all__ = [
    "SURVEY_FORMATS",
    "SurveySource",
    "read_survey",
    "read_value_labels",
    "survey_to_parquet",
]

#: Rows per chunk when a Stata or SPSS file is streamed to Parquet.
CHUNK_ROWS = 200_000

SURVEY_FORMATS = {
    ".dta": "Stata",
    ".sav": "SPSS",
    ".zsav": "SPSS",
    ".csv": "CSV",
    ".csv.gz": "CSV (gzip)",
    ".parquet": "Parquet",
    ".pq": "Parquet",
}

SurveySource = str | Path | pl.DataFrame | pl.LazyFrame | Any

ValueLabels = dict[str, dict[Any, str]]


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".csv.gz" if name.endswith(".csv.gz") else path.suffix.lower()


def _check_path(path: Path) -> str:
    if not path.exists():
        raise InputError(
            f"Survey file {str(path)!r} does not exist.",
            code="survey.file-not-found",
            hint="Check the path; relative paths are read from the current directory.",
            path=str(path),
        )
    suffix = _suffix(path)
    if suffix not in SURVEY_FORMATS:
        raise InputError(
            f"Cannot read {path.name!r}: the format {suffix or '(no extension)'!r} is not known.",
            code="survey.unknown-format",
            hint="Give a file ending in " + ", ".join(SURVEY_FORMATS) + ", or pass a data frame.",
            path=str(path),
        )
    return suffix


def _unreadable(path: Path, kind: str, exc: BaseException) -> InputError:
    return InputError(
        f"Cannot read {path.name!r} as a {kind} file: {exc}",
        code="survey.unreadable-file",
        hint=f"The file may be corrupt, truncated or not really {kind}: open it in the software "
        "that wrote it and save it again, or export it to CSV or Parquet.",
        path=str(path),
    )


def read_survey(source: SurveySource, *, columns: list[str] | None = None) -> pl.DataFrame:
    """Read a survey file or frame into a Polars frame (value codes, not labels).

    Parameters
    ----------
    source
        A path to a ``.dta``, ``.sav``, ``.zsav``, ``.csv``, ``.csv.gz`` or ``.parquet`` file, or
        a Polars (eager or lazy), pandas or Arrow frame.
    columns
        Read only these columns (faster on wide files).

    Returns
    -------
    polars.DataFrame

    Raises
    ------
    InputError
        ``survey.file-not-found``, ``survey.unknown-format`` or ``survey.unreadable-file``.

    Examples
    --------
    >>> import polars as pl
    >>> read_survey(pl.DataFrame({"a": [1, 2]})).height
    2
    """
    if isinstance(source, pl.DataFrame):
        return source.select(columns) if columns else source
    if isinstance(source, pl.LazyFrame):
        return (source.select(columns) if columns else source).collect()
    if not isinstance(source, str | Path):
        frame = _from_foreign_frame(source)
        return frame.select(columns) if columns else frame
    path = Path(source)
    suffix = _check_path(path)
    kind = SURVEY_FORMATS[suffix]
    try:
        if suffix in (".dta", ".sav", ".zsav"):
            import pyreadstat

            reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
            pdf, _meta = reader(str(path), usecols=columns, apply_value_formats=False)
            return pl.from_pandas(pdf)
        if suffix in (".csv", ".csv.gz"):
            return pl.read_csv(path, columns=columns, infer_schema_length=100_000)
        return pl.read_parquet(path, columns=columns)
    except InputError:
        raise
    except Exception as exc:  # any reader failure becomes one coded, explained error
        raise _unreadable(path, kind, exc) from exc


def survey_to_parquet(
    source: str | Path, target: str | Path, *, chunk_rows: int = CHUNK_ROWS
) -> Path:
    """Stream a Stata or SPSS file to one Parquet file, ``chunk_rows`` rows at a time.

    Memory holds one chunk whatever the file's size, so a census file can be handed to Spark
    (or DuckDB) as Parquet. Codes stay codes; the value labels stay in the source file
    (:func:`read_value_labels`). CSV and Parquet files need no conversion.

    Parameters
    ----------
    source
        A ``.dta``, ``.sav`` or ``.zsav`` file.
    target
        The Parquet file to write (its folder must exist); replaced if it exists.
    chunk_rows
        Rows read and written at a time.

    Returns
    -------
    pathlib.Path
        ``target``.

    Raises
    ------
    InputError
        ``survey.file-not-found``, ``survey.unknown-format`` (not Stata or SPSS) or
        ``survey.unreadable-file``.
    """
    from socialcover.survey.backend.stream import stream_to_parquet

    path, target = Path(source), Path(target)
    suffix = _check_path(path)
    if suffix not in (".dta", ".sav", ".zsav"):
        raise InputError(
            f"{path.name!r} is not a Stata or SPSS file; it needs no conversion to Parquet.",
            code="survey.unknown-format",
            hint="Pass CSV and Parquet files as they are; convert .dta, .sav and .zsav files.",
            path=str(path),
        )
    try:
        stream_to_parquet(path, target, chunk_rows)
    except Exception as exc:  # any reader failure becomes one coded, explained error
        raise _unreadable(path, SURVEY_FORMATS[suffix], exc) from exc
    return target


def read_value_labels(source: SurveySource) -> ValueLabels:
    """The value labels of a Stata or SPSS file: ``{variable: {code: label}}``.

    Files without labels (CSV, Parquet, frames) give an empty mapping.

    Raises
    ------
    InputError
        As :func:`read_survey`.
    """
    if not isinstance(source, str | Path):
        return {}
    path = Path(source)
    suffix = _check_path(path)
    if suffix not in (".dta", ".sav", ".zsav"):
        return {}
    try:
        import pyreadstat

        reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
        _, meta = reader(str(path), metadataonly=True)
    except Exception as exc:
        raise _unreadable(path, SURVEY_FORMATS[suffix], exc) from exc
    labels: ValueLabels = {
        str(var): {code: str(label) for code, label in mapping.items()}
        for var, mapping in (meta.variable_value_labels or {}).items()
    }
    return labels


def _from_foreign_frame(source: Any) -> pl.DataFrame:
    module = type(source).__module__
    if module.startswith("pandas"):
        converted: pl.DataFrame = pl.from_pandas(source)
        return converted
    if module.startswith("pyarrow"):
        frame = pl.from_arrow(source)
        if isinstance(frame, pl.DataFrame):
            return frame
    if hasattr(source, "pl"):  # a DuckDB relation
        out = source.pl()
        if isinstance(out, pl.DataFrame):
            return out
    raise InputError(
        f"Cannot read a survey from an object of type {type(source).__name__}.",
        code="survey.unknown-format",
        hint="Pass a file path, or a Polars, pandas or Arrow frame.",
    )
