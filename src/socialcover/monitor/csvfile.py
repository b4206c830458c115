"""Reading and writing CSV files that come from outside, with bounds and without formulas.

Every importer reads through :func:`read_table`: the file (a path or its bytes, plain or
gzip-compressed) is read in chunks and refused once its uncompressed size passes ``max_bytes``,
so a gzip bomb stops after ``max_bytes`` of output instead of filling the memory; the CSV is
parsed by Python's :mod:`csv` module (nothing in a cell is ever evaluated) and refused past
``max_rows`` records. Rows are numbered as a spreadsheet shows them: the header is row 1.

Every exporter writes through :func:`write_table`: a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is written with a single quote in front, so that a
spreadsheet shows it as text instead of running it as a formula (OWASP, "CSV Injection").
:func:`read_table` removes that quote again, so an exported file re-imports unchanged.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import polars as pl

from socialcover.errors import InputError

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ROW",
    "escape_formula",
    "parse_table",
    "read_table",
    "read_text",
    "unescape_formula",
    "write_table",
]

MAX_ROWS = 2_000_000
"""Default bound on the data rows of an imported file."""
MAX_BYTES = 512 * 2**20
"""Default bound on the uncompressed size of an imported file (512 MiB)."""
ROW = "_row"
"""Column that :func:`read_table` adds: the row number in the file (the header is row 1)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = (*_FORMULA_START, "'")
_QUOTED = "^'([=+\\-@\t\r'])"  # a quote before one of _ESCAPED, as a regular expression
_CHUNK = 1 << 20  # bytes read at a time
_CHUNK_ROWS = 100_000  # records parsed before their cells move to Arrow columns
_GZIP_MAGIC = b"\x1f\x8b"


def escape_formula(text: str) -> str:
    """Text a spreadsheet shows as text: a leading quote before ``= + - @``, tab or CR.

    A text that starts with a quote gets one more, so that :func:`unescape_formula` gives it
    back unchanged.

    Examples
    --------
    >>> escape_formula("=HYPERLINK(1)"), escape_formula("Kenya"), escape_formula("'quoted'")
    ("'=HYPERLINK(1)", 'Kenya', "''quoted'")
    """
    return "'" + text if text.startswith(_ESCAPED) else text


def unescape_formula(text: str) -> str:
    """Undo :func:`escape_formula`: a quote followed by a formula start or a quote is removed."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_ESCAPED) else text


def _too_large(what: str, max_bytes: int) -> InputError:
    return InputError(
        f"The file is larger than {max_bytes:,} bytes {what}; nothing was imported.",
        code="monitor.file-too-large",
        hint="Split the file, or pass a larger max_bytes if you trust it.",
        max_bytes=max_bytes,
    )


def _read_bounded(stream: io.BufferedIOBase | io.BytesIO, max_bytes: int, what: str) -> bytes:
    out = bytearray()
    while chunk := stream.read(_CHUNK):
        out += chunk
        if len(out) > max_bytes:
            raise _too_large(what, max_bytes)
    return bytes(out)


def _raw_bytes(source: str | Path | bytes, max_bytes: int) -> bytes:
    if isinstance(source, bytes):
        if len(source) > max_bytes:
            raise _too_large("as given", max_bytes)
        data = source
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(
                f"No file {str(path)!r}.",
                code="monitor.no-file",
                hint="Give the path of a CSV (or .csv.gz) file, or its bytes.",
                path=str(path),
            )
        with path.open("rb") as handle:
            data = _read_bounded(handle, max_bytes, "on disk")
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            return _read_bounded(unzipped, max_bytes, "once decompressed")
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(
            f"The file looks gzip-compressed but cannot be decompressed ({exc}).",
            code="monitor.bad-gzip",
            hint="Send the CSV uncompressed, or compress it again with gzip.",
        ) from exc


def read_text(source: str | Path | bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """A file's text (a path or its bytes, plain or gzip), within ``max_bytes`` uncompressed.

    Raises
    ------
    InputError
        ``monitor.file-too-large``, ``monitor.bad-gzip``, ``monitor.not-utf8`` or
        ``monitor.no-file``.
    """
    data = _raw_bytes(source, max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"The file is not UTF-8 text (byte {exc.start} cannot be read).",
            code="monitor.not-utf8",
            hint="Save the file as CSV UTF-8.",
        ) from exc


def _too_wide(rows: list[tuple[int, int]], width: int) -> InputError:
    shown = ", ".join(f"row {row} has {n}" for row, n in rows[:20])
    more = f" and {len(rows) - 20} more rows" if len(rows) > 20 else ""
    return InputError(
        f"{len(rows)} row(s) have more cells than the header's {width}: {shown}{more}; "
        "nothing was imported.",
        code="monitor.bad-row-width",
        hint="A cell holding the separator must be in double quotes.",
        rows=[row for row, _ in rows],
    )


def parse_table(text: str, *, max_rows: int = MAX_ROWS, delimiter: str = ",") -> pl.DataFrame:
    """CSV text as text columns, named as in its header, plus :data:`ROW`.

    Parameters
    ----------
    text
        The file's text, as :func:`read_text` returns it.
    max_rows
        Bound on the number of data rows.
    delimiter
        The field separator.

    Returns
    -------
    polars.DataFrame
        One String column per header cell (empty and missing cells are ``""``; a formula
        quote written by :func:`write_table` is removed) and ``_row`` (Int64), the row
        number in the file: the header is row 1, and blank lines count, as a spreadsheet
        shows them.

    Raises
    ------
    InputError
        ``monitor.too-many-rows``, ``monitor.bad-header``, ``monitor.bad-row-width`` or
        ``monitor.bad-csv``.

    Examples
    --------
    >>> parse_table("a,b\\n1,'=x\\n\\n3\\n").rows()
    [('1', '=x', 2), ('3', '', 4)]
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return _parse(reader, max_rows)
    except csv.Error as exc:
        raise InputError(
            f"The file is not valid CSV near row {reader.line_num}: {exc}.",
            code="monitor.bad-csv",
            hint="Quote cells that hold the separator, quotes or line breaks (RFC 4180); a cell "
            f"may hold at most {csv.field_size_limit():,} characters.",
            row=reader.line_num,
        ) from exc


def _parse(reader: Iterator[list[str]], max_rows: int) -> pl.DataFrame:
    header = [h.strip() for h in next(reader, [])]
    if not any(header) or len(set(header)) != len(header):
        raise InputError(
            "The file has no header row, or a column name appears twice.",
            code="monitor.bad-header",
            hint="The first row must name each column once.",
            header=header,
        )
    width = len(header)
    chunks: list[pl.DataFrame] = []
    records: list[list[str]] = []
    rows: list[int] = []
    too_wide: list[tuple[int, int]] = []
    count = 0
    for number, record in enumerate(reader, start=2):
        if not any(record):
            continue  # a blank line: no data, but it keeps its number
        count += 1
        if count > max_rows:
            raise InputError(
                f"The file has more than {max_rows:,} data rows; nothing was imported.",
                code="monitor.too-many-rows",
                hint="Split the file, or pass a larger max_rows if you trust it.",
                max_rows=max_rows,
            )
        if len(record) != width:
            if len(record) > width:
                too_wide.append((number, len(record)))
            record = (record + [""] * width)[:width]
        records.append(record)
        rows.append(number)
        if len(records) == _CHUNK_ROWS:
            chunks.append(_chunk(header, records, rows))
            records, rows = [], []
    if too_wide:
        raise _too_wide(too_wide, width)
    chunks.append(_chunk(header, records, rows))
    return pl.concat(chunks).with_columns(pl.exclude(ROW).str.replace(_QUOTED, "$1"))


def _chunk(header: list[str], records: list[list[str]], rows: list[int]) -> pl.DataFrame:
    """Records as Arrow text columns: Python strings are kept for one chunk at a time only."""
    columns = zip(*records, strict=True) if records else ([] for _ in header)
    return pl.DataFrame(
        [
            *(pl.Series(name, col, pl.String) for name, col in zip(header, columns, strict=True)),
            pl.Series(ROW, rows, pl.Int64),
        ]
    )


def read_table(
    source: str | Path | bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> pl.DataFrame:
    """:func:`parse_table` of :func:`read_text`: a comma-separated file as text columns.

    Examples
    --------
    >>> read_table(b"a,b\\n1,'=x\\n").rows()
    [('1', '=x', 2)]
    """
    return parse_table(read_text(source, max_bytes=max_bytes), max_rows=max_rows)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    return escape_formula(str(value))


def write_table(
    header: Sequence[str], rows: Iterable[Sequence[object]], path: str | Path | None = None
) -> str | None:
    """Write a CSV (UTF-8, CRLF line ends), escaping formulas; return the text if no path.

    Examples
    --------
    >>> write_table(["area", "note"], [("KEN", "-5 pp"), ("UGA", None)]).splitlines()
    ['area,note', "KEN,'-5 pp", 'UGA,']
    """
    out = io.StringIO(newline="")
    # RFC 4180 line ends: the csv module then quotes a cell holding a lone CR too.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    if path is None:
        return out.getvalue()
    Path(path).write_text(out.getvalue(), encoding="utf-8", newline="")
    return None
