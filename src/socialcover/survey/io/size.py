"""What a survey file expands to, read from its metadata before any of its data.

A compressed file can hold far more than its size says: 300 KB of Parquet (zstd, one constant
column) declares 50 million rows, and reading it whole takes gigabytes. :func:`survey_size`
reads only what each format declares, and :func:`check_survey_size` refuses a file beyond
limits before anything decodes it::

    Parquet        the footer's row count, and each column's width
    Stata, SPSS    the header's row count and variable widths (pyreadstat, metadata only);
                   SPSS files that do not declare a count are counted in chunks of one column
    CSV (or gzip)  rows and bytes counted by streaming, stopping once past the limits

The bytes are an estimate of the decoded table in memory: rows x the sum of the columns' widths
(8 bytes for a number, the declared or average width for text), never less than the declared
uncompressed size. Error code: ``survey.too-large``.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from socialcover.errors import InputError
from socialcover.survey.io.reader import SURVEY_FORMATS, _check_path, _unreadable

__all__ = ["SurveySize", "SurveyTooLargeError", "check_survey_size", "survey_size"]

_CHUNK = 1 << 20
_NUMBER = 8  # bytes of a decoded number (float64, int64), also a string's offset and pointer


class _Bytes(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...
    def read(self, size: int = -1, /) -> bytes: ...


class SurveyTooLargeError(InputError):
    """A survey file declares more rows or decoded bytes than the limits allow."""

    default_code = "survey.too-large"
    http_status = 413


@dataclass(frozen=True)
class SurveySize:
    """What a survey file declares: rows, columns and the estimated decoded bytes.

    ``complete`` is False when counting stopped early, past a limit (CSV, undeclared SPSS
    counts): ``rows`` and ``decoded_bytes`` are then lower bounds.
    """

    rows: int
    columns: int
    decoded_bytes: int
    complete: bool = True


def survey_size(
    path: str | Path, *, stop_rows: int | None = None, stop_bytes: int | None = None
) -> SurveySize:
    """The rows, columns and estimated decoded size of a survey file, from its metadata.

    Parameters
    ----------
    path
        A ``.parquet``, ``.dta``, ``.sav``/``.zsav`` or ``.csv``/``.csv.gz`` file.
    stop_rows, stop_bytes
        Formats counted by reading (CSV, SPSS without a declared count) stop once past these.

    Returns
    -------
    SurveySize

    Raises
    ------
    InputError
        ``survey.file-not-found``, ``survey.unknown-format`` or ``survey.unreadable-file``.

    Examples
    --------
    >>> import tempfile, pathlib, polars as pl
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.parquet"
    >>> pl.DataFrame({"w": [1.0, 2.0, 3.0], "age": [30, 40, 50]}).write_parquet(p)
    >>> size = survey_size(p)
    >>> size.rows, size.columns, size.decoded_bytes >= 3 * 2 * 8
    (3, 2, True)
    """
    path = Path(path)
    suffix = _check_path(path)
    kind = SURVEY_FORMATS[suffix]
    try:
        if suffix in (".parquet", ".pq"):
            return _parquet_size(path)
        if suffix in (".dta", ".sav", ".zsav"):
            return _readstat_size(path, suffix, stop_rows)
        if suffix == ".csv.gz":
            with gzip.open(path, "rb") as gz:
                return _csv_size(gz, stop_rows, stop_bytes)
        with path.open("rb") as fh:
            return _csv_size(fh, stop_rows, stop_bytes)
    except InputError:
        raise
    except Exception as exc:  # any reader failure becomes one coded, explained error
        raise _unreadable(path, kind, exc) from exc


def check_survey_size(path: str | Path, *, max_rows: int, max_bytes: int) -> SurveySize:
    """Refuse a survey file that declares more than ``max_rows`` rows or ``max_bytes`` decoded.

    Parameters
    ----------
    path
        The survey file.
    max_rows
        Most rows accepted.
    max_bytes
        Most estimated decoded bytes accepted (see :func:`survey_size`).

    Returns
    -------
    SurveySize
        The file's size, when within the limits.

    Raises
    ------
    SurveyTooLargeError
        ``survey.too-large``, with the rows or bytes found and the limit.

    Examples
    --------
    >>> import tempfile, pathlib, polars as pl
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.parquet"
    >>> pl.DataFrame({"w": [1.0] * 10}).write_parquet(p)
    >>> check_survey_size(p, max_rows=5, max_bytes=10**9)
    Traceback (most recent call last):
    ...
    socialcover.survey.io.size.SurveyTooLargeError: 's.parquet' declares 10 rows; the limit ...
    """
    path = Path(path)
    size = survey_size(path, stop_rows=max_rows, stop_bytes=max_bytes)
    more = "at least " if not size.complete else ""
    hint = (
        "Upload an extract with only the rows and variables the mapping uses (or split the "
        "survey), or ask the administrator to raise the limit."
    )
    if size.rows > max_rows:
        raise SurveyTooLargeError(
            f"{path.name!r} declares {more}{size.rows:,} rows; the limit is {max_rows:,}.",
            hint=hint,
            rows=size.rows,
            max_rows=max_rows,
        )
    if size.decoded_bytes > max_bytes:
        raise SurveyTooLargeError(
            f"{path.name!r} expands to {more}{_mb(size.decoded_bytes)} once read "
            f"({size.rows:,} rows x {size.columns} columns); the limit is {_mb(max_bytes)}.",
            hint=hint,
            decoded_bytes=size.decoded_bytes,
            max_bytes=max_bytes,
        )
    return size


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n:,} bytes"


def _parquet_size(path: Path) -> SurveySize:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    rows = meta.num_rows
    schema = meta.schema.to_arrow_schema()
    declared = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    width = 0
    for i, field in enumerate(schema):
        try:
            bit_width = field.type.bit_width
        except ValueError:  # text, nested: no fixed width
            bit_width = 0
        if bit_width > 0:
            width += max(1, bit_width // 8)
        else:  # text and nested: an offset plus the column's declared bytes per row
            text = sum(
                meta.row_group(g).column(i).total_uncompressed_size
                for g in range(meta.num_row_groups)
                if i < meta.row_group(g).num_columns
            )
            width += _NUMBER + (text // rows if rows else 0)
    return SurveySize(rows, len(schema), max(declared, rows * width))


def _readstat_size(path: Path, suffix: str, stop_rows: int | None) -> SurveySize:
    import pyreadstat

    reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
    _, meta = reader(str(path), metadataonly=True)
    names = list(meta.column_names)
    widths = getattr(meta, "variable_storage_width", None) or {}
    width = sum(max(_NUMBER, int(widths.get(n) or 0)) for n in names)
    rows = meta.number_rows
    complete = True
    if rows is None:  # SPSS may leave the count undeclared: count one column in chunks
        rows = 0
        chunks = pyreadstat.read_file_in_chunks(
            reader, str(path), chunksize=100_000, usecols=names[:1]
        )
        for chunk, _ in chunks:
            rows += len(chunk)
            if stop_rows is not None and rows > stop_rows:
                complete = False
                break
    return SurveySize(int(rows), len(names), int(rows) * width, complete)


def _csv_size(fh: _Bytes, stop_rows: int | None, stop_bytes: int | None) -> SurveySize:
    header = fh.readline()
    columns = header.count(b",") + 1 if header.strip() else 0
    newlines = 0
    total = len(header)
    last = b"\n"
    complete = True
    while chunk := fh.read(_CHUNK):
        newlines += chunk.count(b"\n")
        total += len(chunk)
        last = chunk[-1:]
        decoded = max(total, newlines * columns * _NUMBER)
        if (stop_rows is not None and newlines > stop_rows + 1) or (
            stop_bytes is not None and decoded > stop_bytes
        ):
            complete = False
            break
    rows = newlines + (0 if last == b"\n" else 1)
    return SurveySize(rows, columns, max(total, rows * columns * _NUMBER), complete)
