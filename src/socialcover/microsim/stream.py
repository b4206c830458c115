"""A Parquet file to Parquet results in runs of row groups: read, compute and write a run at a time.

The array program needs no more than one household at a time, so a file whose persons are sorted
by ``hh_id`` (as survey files are) need not be held whole: runs of row groups (about a million
persons each) are read, evaluated and appended to the two result files in turn, the next run
read while this one is computed and the previous one written. Memory stays at a few runs'
worth whatever the file's size, and is reused from run to run instead of fresh pages for every
column (at 10M persons the kernel's time to hand out 250 MB of fresh pages, and to take them
back, was a third of the process's CPU time on a busy machine).

A household cut by the end of a run is carried over to the next, and evaluated with the rest
of its members. Persons not sorted by ``hh_id``, or anything unusual (result columns whose types
change between runs, an input with missing values, which the whole-file path reports with its
count), stop the stream before either file is published: the caller runs the whole file
instead, with the same results.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa

from socialcover.microsim import arrow_io
from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.array_program import ArrayProgram, _is_sorted, run_program
from socialcover.microsim.columns import arrow_chunks, arrow_column, prepare_columns
from socialcover.microsim.rules import RuleSet

__all__ = ["BATCH_ROWS", "run_streamed"]

# Persons per run (whole row groups are read; a run ends at the first row group that reaches it).
BATCH_ROWS = 1 << 20


class _Fallback(Exception):
    """The stream cannot go on: the whole file is run instead."""


def _batches(pf: Any, rows: int) -> list[list[int]]:
    """Consecutive row groups gathered into runs of at least ``rows`` persons."""
    runs: list[list[int]] = []
    current: list[int] = []
    size = 0
    for i in range(pf.num_row_groups):
        current.append(i)
        size += pf.metadata.row_group(i).num_rows
        if size >= rows:
            runs.append(current)
            current, size = [], 0
    if current:
        runs.append(current)
    return runs


class _Writer:
    """One result file written run by run, in order, on the writing thread (PyArrow writes
    without the GIL); at most one run waits to be written."""

    def __init__(self, path: Path, pool: ThreadPoolExecutor) -> None:
        self.path = path
        self.writer: Any = None
        self.pool = pool
        self.pending: Future[None] | None = None

    def _write(self, table: pa.Table) -> None:
        import pyarrow.parquet as pq

        if self.writer is None:
            opts = arrow_io.write_options(table.schema)
            self.writer = pq.ParquetWriter(str(self.path), table.schema, **opts)
        elif not table.schema.equals(self.writer.schema):
            try:
                table = table.cast(self.writer.schema)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError) as exc:
                raise _Fallback from exc
        self.writer.write_table(table, row_group_size=max(table.num_rows, 1))  # one per run

    def add(self, table: pa.Table) -> None:
        self.wait()
        self.pending = self.pool.submit(self._write, table)

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self.writer is not None:
                self.writer.close()


def _table(columns: dict[str, Any]) -> pa.Table:
    return pa.Table.from_arrays(list(columns.values()), names=list(columns))


def _joined(tables: list[pa.Table]) -> pa.Table:
    """Tables of the same columns one after the other (as chunks, not copied)."""
    if len(tables) == 1:
        return tables[0]
    try:
        return pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        raise _Fallback from exc


def run_streamed(
    rules: RuleSet,
    program: ArrayProgram,
    path: str | Path,
    outputs: Sequence[str],
    entity: dict[str, str],
    keep: Sequence[str],
    spread: bool,
    folder: Path,
) -> tuple[Path, Path] | None:
    """Run ``program`` over the Parquet file ``path`` run by run into ``folder``'s two files;
    their paths, or ``None`` (nothing written) when the whole file must be run instead."""
    pf = arrow_io.parquet_file(path)
    batches = _batches(pf, BATCH_ROWS)
    present = set(pf.schema_arrow.names)
    if len(batches) < 2 or "hh_id" not in present or any(k not in present for k in keep):
        return None  # one run (or an error the whole-file path reports)
    names = [c for c in dict.fromkeys(["hh_id", *program.inputs, *keep]) if c in present]
    p_part, h_part = arrow_io.parts(folder)
    writing = ThreadPoolExecutor(1)  # both files, a run at a time, beside the computing
    persons, homes = _Writer(p_part, writing), _Writer(h_part, writing)

    def compute(tables: list[pa.Table]) -> None:
        """Evaluate runs of whole households; their results appended as one row group."""
        p_tabs, h_tabs = [], []
        for table in tables:
            if table.num_rows == 0:
                continue
            hh_id = arrow_io.to_numpy(arrow_column(table, "hh_id"))
            columns = prepare_columns(rules, table, program.inputs, len(hh_id))
            p_out, h_out = run_program(  # sorted: checked as each run was read
                program,
                columns,
                hh_id,
                outputs,
                entity,
                spread,
                cores=1,
                join=False,
                is_sorted=True,
            )
            kept = {k: arrow_column(table, k) for k in keep}
            p_tabs.append(_table({**kept, **{k: arrow_chunks(v) for k, v in p_out.items()}}))
            h_tabs.append(_table({k: arrow_chunks(v) for k, v in h_out.items()}))
        if p_tabs:
            persons.add(_joined(p_tabs))
            homes.add(_joined(h_tabs))

    def read(run: list[int]) -> pa.Table:
        return pf.read_row_groups(run, columns=names, use_threads=True)

    written = False
    reader = ThreadPoolExecutor(1)  # reads the next run while this one is computed
    try:
        ahead = reader.submit(read, batches[0])
        carry: pa.Table | None = None  # the last household so far, perhaps not whole
        last: Any = None  # the last hh_id of the run before (a NumPy integer)
        for b in range(len(batches)):
            table = ahead.result()
            if b + 1 < len(batches):
                ahead = reader.submit(read, batches[b + 1])
            hh = arrow_io.to_numpy(arrow_column(table, "hh_id"))
            if len(hh) == 0:
                continue
            if not _is_sorted(hh) or (last is not None and hh[0] < last):
                raise _Fallback
            start, done = 0, []
            if carry is not None:
                # the carried household's members at the top of this run join it
                start = int(hh.searchsorted(last, side="right"))
                carry = pa.concat_tables([carry, table.slice(0, start)])
                if start == len(hh):
                    continue  # the whole run belongs to the carried household
                done.append(carry)
            if b == len(batches) - 1:  # the last run: its last household is whole
                compute([*done, table.slice(start)])
                carry = None
                break
            tail = int(hh.searchsorted(hh[-1], side="left"))  # the last household's start
            compute([*done, table.slice(start, tail - start)])
            carry, last = table.slice(tail), hh[-1]
        if carry is not None:
            compute([carry])
        persons.close()
        homes.close()
        written = True
    except (_Fallback, MicrosimDataError):
        return None
    finally:
        reader.shutdown(cancel_futures=True)
        writing.shutdown()
        if not written:
            for w in (persons, homes):
                with contextlib.suppress(Exception):  # the stream is abandoned: its files go
                    w.close()
        finals = arrow_io.publish(folder, written)
    return finals
