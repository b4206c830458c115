"""Arrow columns to NumPy and back, and Parquet files in and out, without pandas or Polars.

The array program (:mod:`socialcover.microsim.array_program`) computes on NumPy arrays. Its
inputs come from Arrow (a table in memory, or the columns the rules read from a Parquet file)
and its results can go straight to Parquet. PyArrow's own conversions (``Array.to_numpy``,
``pa.array``, ``pa.table``) import pandas on first use, which takes longer than the whole
computation on a million persons; the buffers are read and written here directly instead
(fixed-width values zero-copy, validity and flags as bitmaps), and anything unusual falls back
to Polars, which gives the same values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcover.microsim._errors import MicrosimDataError

__all__ = [
    "HOUSEHOLDS_FILE",
    "PERSONS_FILE",
    "fits_in_memory",
    "numbers",
    "parquet_file",
    "parquet_table",
    "prepare_out",
    "to_arrow",
    "to_numpy",
    "validity",
    "write_options",
    "write_results",
]

Array = npt.NDArray[Any]
PERSONS_FILE = "persons.parquet"
HOUSEHOLDS_FILE = "households.parquet"


def _bits(buf: pa.Buffer, offset: int, n: int) -> Array:
    """A bitmap (least significant bit first) as n booleans."""
    raw = np.frombuffer(buf, np.uint8)
    first, last = offset // 8, (offset + n + 7) // 8
    out: Array = np.unpackbits(raw[first:last], bitorder="little")
    start = offset - 8 * first
    return out[start : start + n].view(bool)


def _fixed_width(col: pa.Array) -> bool:
    t = col.type
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t))


def numbers(col: pa.Array) -> Array:
    """The values of a fixed-width numeric or boolean column (slots of missing values hold
    whatever the buffer holds: combine with :func:`validity`)."""
    n = len(col)
    if pa.types.is_boolean(col.type):
        return _bits(col.buffers()[1], col.offset, n)
    if _fixed_width(col):
        dtype = np.dtype(col.type.to_pandas_dtype())
        out: Array = np.frombuffer(
            col.buffers()[1], dtype, count=n, offset=col.offset * dtype.itemsize
        )
        return out
    raise TypeError(f"not a fixed-width column: {col.type}")  # pragma: no cover - callers check


def validity(col: pa.Array) -> Array | None:
    """Which entries are present (``None`` when none is missing)."""
    if col.null_count == 0:
        return None
    return _bits(col.buffers()[0], col.offset, len(col))


def to_numpy(col: pa.Array) -> Array:
    """A column as a NumPy array: zero-copy for numbers without missing values, flags unpacked,
    anything else through Polars (missing numbers become NaN, as Polars gives them)."""
    if col.null_count == 0 and (_fixed_width(col) or pa.types.is_boolean(col.type)):
        return numbers(col)
    import polars as pl

    out: Array = pl.Series(col).to_numpy()
    return out


def _strings(values: Sequence[str]) -> pa.Array:
    data = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(data) + 1, np.int64)
    np.cumsum([len(b) for b in data], out=offsets[1:])
    return pa.Array.from_buffers(
        pa.large_string(), len(data), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    )


def to_arrow(values: Any, labels: Array | None = None) -> pa.Array:
    """A NumPy array (or category codes with their ``labels``) as an Arrow array, no copy for
    numbers; object arrays of text become dictionary-encoded text."""
    arr = np.ascontiguousarray(values)
    n = len(arr)
    if labels is not None:
        codes = arr.astype(np.int32, copy=False)
        indices = pa.Array.from_buffers(pa.int32(), n, [None, pa.py_buffer(codes)])
        return pa.DictionaryArray.from_arrays(indices, _strings([str(x) for x in labels]))
    if arr.dtype == bool:
        packed = np.packbits(arr, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(packed)])
    if arr.dtype == object:
        uniques, inverse = np.unique(arr.astype(str), return_inverse=True)
        return to_arrow(inverse.reshape(-1), uniques)
    return pa.Array.from_buffers(pa.from_numpy_dtype(arr.dtype), n, [None, pa.py_buffer(arr)])


def parquet_file(path: str | Path) -> Any:
    import pyarrow.parquet as pq

    try:
        # Mapped, the file's pages are read in place from the page cache: without it every
        # column chunk is first copied into fresh memory (at 10M persons, 0.3-0.7 s of system
        # time for the page faults, more than decoding the columns).
        return pq.ParquetFile(str(path), memory_map=True)
    except (pa.ArrowInvalid, OSError) as exc:
        raise MicrosimDataError(
            f"cannot read {Path(path).name!r} as Parquet: {exc}",
            code="microsim.bad-data-format",
            hint="Check that the file is a complete Parquet file (write it again if it was "
            "cut short), or give a .csv file.",
        ) from exc


def parquet_table(path: str | Path, names: Sequence[str]) -> pa.Table:
    """Only the columns ``names`` (those present) of a Parquet file, read on all cores."""
    pf = parquet_file(path)
    present = set(pf.schema_arrow.names)
    return pf.read(columns=[n for n in dict.fromkeys(names) if n in present], use_threads=True)


def _available_bytes() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # not Linux
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - unknown platform
        return 0


def fits_in_memory(path: str | Path, columns: int) -> bool:
    """Whether the array program can hold ``columns`` columns of the file in memory: each is at
    most 8 bytes a person, and the program's temporaries and results take about eight more;
    half the available memory at most, so that other work keeps its share."""
    rows = int(parquet_file(path).metadata.num_rows)
    return rows * 8 * (columns + 8) <= _available_bytes() // 2


def prepare_out(out: str | Path) -> Path:
    """The folder results are written to, created if needed; refused if it is a file."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise MicrosimDataError(
            f"out={str(folder)!r} is a file; the results are written to a folder",
            code="microsim.bad-output",
            hint=f"Give a folder (it will hold {PERSONS_FILE} and {HOUSEHOLDS_FILE}).",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MicrosimDataError(
            f"cannot create the folder {str(folder)!r}: {exc.strerror}",
            code="microsim.bad-output",
            hint="Give a folder you can write to.",
        ) from exc
    return folder


def parts(folder: Path) -> tuple[Path, Path]:
    """Temporary names for the persons and households files while they are being written."""
    return folder / f".{PERSONS_FILE}.part", folder / f".{HOUSEHOLDS_FILE}.part"


def publish(folder: Path, written: bool) -> tuple[Path, Path]:
    """Give the two files their names once both are written (``written``), else remove what
    was written: a failed run leaves neither file, a good one replaces both."""
    finals = (folder / PERSONS_FILE, folder / HOUSEHOLDS_FILE)
    for part, final in zip(parts(folder), finals, strict=True):
        if written:
            os.replace(part, final)
        part.unlink(missing_ok=True)
    return finals


def write_options(schema: pa.Schema) -> dict[str, Any]:
    """How result columns are encoded in Parquet (for ``pq.write_table`` and ``ParquetWriter``).

    Dictionary pages pay off for amounts and categories (few distinct values), not for
    identifiers (hh_id, kept integer ids), where trying them costs half the writing time.
    Integers are delta-coded instead: sorted household ids shrink to bits (2.9M take 0.4 MB
    instead of 12 MB), written faster than plain values compressed."""
    coded = [f.name for f in schema if f.name != "hh_id" and not pa.types.is_integer(f.type)]
    ints = [f.name for f in schema if pa.types.is_integer(f.type)]
    delta = dict.fromkeys(ints, "DELTA_BINARY_PACKED")
    return {"use_dictionary": coded, "column_encoding": delta or None}


def write_results(
    folder: Path,
    persons: Mapping[str, pa.Array | pa.ChunkedArray],
    households: Mapping[str, pa.Array | pa.ChunkedArray],
) -> tuple[Path, Path]:
    """Write the persons and households tables to ``folder`` (both at once: PyArrow writes
    without the GIL), named only when both are whole; their paths."""
    import pyarrow.parquet as pq

    def write(path: Path, columns: Mapping[str, pa.Array | pa.ChunkedArray]) -> None:
        table = pa.Table.from_arrays(list(columns.values()), names=list(columns))
        pq.write_table(table, str(path), **write_options(table.schema))

    p_part, h_part = parts(folder)
    written = False
    try:
        with ThreadPoolExecutor(2) as pool:
            done = [pool.submit(write, p_part, persons), pool.submit(write, h_part, households)]
            for job in done:
                job.result()
        written = True
    finally:
        finals = publish(folder, written)
    return finals
