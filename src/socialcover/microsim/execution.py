"""Run rules over a population, on the back-end that fits where the data are.

:func:`run_rules` is the one entry point for "these rules, these people, these outputs" (a
baseline, a reform applied to it, parameter overrides; scenarios are one call each):

* **in memory** (an Arrow table, a Polars or pandas frame, a mapping of arrays): the rules are
  compiled to a vectorised NumPy program (:mod:`socialcover.microsim.array_program`); the
  columns are read zero-copy from Arrow where their type allows, households are segmented
  reductions over persons sorted by ``hh_id`` (one stable sort first if they are not);
* **on disk or in a database** (a Parquet path, a DuckDB relation): the rules are compiled to
  SQL and run by DuckDB (:mod:`socialcover.microsim.connection`), which scans only the columns
  read and can work out of core (:mod:`socialcover.microsim.split_query`, or
  :mod:`socialcover.microsim.sql_compiler` when a person rule reads a household value);
* **on Spark** (a Spark DataFrame): the same SQL in Spark's dialect, left lazy.

A Parquet file whose columns the rules read fit comfortably in memory is run by the array
program too (only those columns are read, on all cores), a larger one by DuckDB out of core;
with ``out=``, a file sorted by ``hh_id`` is streamed a run of row groups at a time
(:mod:`socialcover.microsim.stream`).
With ``out=`` a folder, the results are written there as Parquet (``persons.parquet``,
``households.parquet``) instead of returned: DuckDB copies them from file to file, the array
program writes them from its arrays, and neither builds a frame in Python. A script that runs
rules imports neither pandas nor Polars on the way from a Parquet file to Parquet results
(tests/microsim/test_parquet_to_parquet.py).

``backend="duckdb"`` forces DuckDB for in-memory data too; the back-ends return the same
frames (tests/microsim/test_array_program_agrees.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from socialcover.microsim import arrow_io
from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.array_program import compile_arrays, run_program
from socialcover.microsim.columns import (
    arrow_chunks,
    arrow_column,
    is_polars,
    plain_array,
    prepare_columns,
)
from socialcover.microsim.connection import connect, is_duckdb_input, is_parquet_path, relation
from socialcover.microsim.frames import as_frame, missing_columns_error, missing_values_error
from socialcover.microsim.rules import RuleSet

# Polars and pyarrow.compute load only where they are used (frames held by Polars, unusual
# column types, returning frames): from a Parquet file to Parquet results, neither is needed.

__all__ = ["BACKENDS", "RuleResult", "run_rules"]

BACKENDS = ("auto", "arrays", "duckdb", "spark")


@dataclass(frozen=True)
class RuleResult:
    """Person outputs in the input's row order; household outputs one row per household.

    ``households`` is sorted by ``hh_id``; ``backend`` says which engine ran ("arrays",
    "duckdb" or "spark"). On Spark both are lazy Spark DataFrames, rows in no set order, and
    ``persons`` always has the household outputs too; elsewhere they are Polars frames, or
    the paths of the Parquet files holding them when ``run_rules`` was given ``out``.
    """

    persons: Any
    households: Any
    backend: str


def _is_spark(data: Any) -> bool:
    return type(data).__module__.startswith("pyspark.sql")


def _need_hh_id(present: Sequence[str]) -> None:
    if "hh_id" not in present:
        raise MicrosimDataError(
            "the population has no hh_id column",
            code="microsim.missing-column",
            hint="Map the household identifier to hh_id (--mapping), one row per person.",
        )


def _run_arrays(
    rules: RuleSet,
    data: Any,
    period: int | str,
    outputs: Sequence[str],
    keep: Sequence[str],
    params: Mapping[str, Any] | None,
    spread: bool,
    out: Path | None,
) -> RuleResult:
    steps = rules.steps_for(outputs)
    program = compile_arrays(rules, period, steps, params=params)
    # A Parquet file: only the columns read (hh_id, the inputs, keep). An Arrow table or a
    # mapping of arrays is read as it is; any other frame through Polars, converted to Arrow
    # only for the columns the program reads.
    entity = {s.name: s.entity for s in steps}
    if is_parquet_path(data) and out is not None:
        # persons sorted by household: read, computed and written a run of row groups at a time
        from socialcover.microsim.stream import run_streamed

        paths = run_streamed(rules, program, data, outputs, entity, keep, spread, out)
        if paths is not None:
            return RuleResult(*paths, "arrays")
    if is_parquet_path(data):
        data = arrow_io.parquet_table(data, ["hh_id", *program.inputs, *keep])
    frame: Any = data if isinstance(data, (pa.Table, Mapping)) else as_frame(data)
    present = (
        frame.column_names
        if isinstance(frame, pa.Table)
        else frame.columns
        if is_polars(frame)
        else list(frame)
    )
    _need_hh_id(present)
    absent = [k for k in keep if k not in present]
    if absent:
        raise missing_columns_error(absent, list(present))
    table: pa.Table | Mapping[str, Any] = frame
    if is_polars(frame):
        read = dict.fromkeys(c for c in ("hh_id", *program.inputs) if c in present)
        table = frame.select(list(read)).to_arrow()
    hh_id = arrow_io.to_numpy(arrow_column(table, "hh_id"))
    columns = prepare_columns(rules, table, program.inputs, len(hh_id))
    cores = os.cpu_count() or 1
    if out is not None:
        # each piece's results go to the files as they are, as chunks: not joined first
        pieces = run_program(program, columns, hh_id, outputs, entity, spread, cores, join=False)
        kept = {k: arrow_column(frame, k) for k in keep}
        p_cols, h_cols = ({k: arrow_chunks(v) for k, v in part.items()} for part in pieces)
        paths = arrow_io.write_results(out, {**kept, **p_cols}, h_cols)
        return RuleResult(*paths, "arrays")
    persons, homes = run_program(program, columns, hh_id, outputs, entity, spread, cores)
    import polars as pl

    series = [pl.Series(k, plain_array(v)) for k, v in persons.items()]
    if not keep:
        frame_out = pl.DataFrame(series)
    elif is_polars(frame):
        frame_out = frame.select(keep).hstack(series)  # kept columns are not copied
    else:
        frame_out = pl.DataFrame({k: arrow_column(frame, k) for k in keep}).hstack(series)
    homes_out = pl.DataFrame({k: plain_array(v) for k, v in homes.items()})
    return RuleResult(frame_out, homes_out, "arrays")


def _query(rel: Any, table: str, sql: str, out: Path | None = None) -> Any:
    """``sql`` over ``rel`` (named ``table``) on the relation's own connection: a Polars frame,
    or, with ``out``, written to that file by DuckDB (rows streamed, in the query's order)."""
    result = rel.query(table, sql)
    if result is None:  # a SELECT always returns rows; DuckDB's stubs allow None
        raise MicrosimDataError(
            "DuckDB returned no result for the compiled rules",
            code="microsim.data-invalid",
            hint="Check that the population is a table of rows (one per person).",
        )
    import duckdb

    from socialcover.microsim.sql_compiler import MISSING_MARK, _is_nan

    try:
        if out is None:
            return result.pl()
        result.write_parquet(str(out))
        return out
    except duckdb.InvalidInputException as exc:
        text = str(exc)
        if MISSING_MARK not in text:
            raise
        # an input without a default has gaps: count them (missing or not a number)
        name = text.split(MISSING_MARK, 1)[1].split()[0]
        col = f'"{name}"'
        found = rel.query(
            table, f"SELECT count(*) FROM {table} WHERE {col} IS NULL OR {_is_nan(col)}"
        )
        gaps = found.fetchall()[0][0] if found is not None else 0
        raise missing_values_error(name, int(gaps)) from None


def _run_duckdb(
    rules: RuleSet,
    data: Any,
    period: int | str,
    outputs: Sequence[str],
    keep: Sequence[str],
    params: Mapping[str, Any] | None,
    spread: bool,
    out: Path | None,
) -> RuleResult:
    from socialcover.microsim.split_query import compile_split
    from socialcover.microsim.sql_compiler import compile_rules

    con = connect()
    rel = relation(con, data)
    _need_hh_id(rel.columns)
    table = "_sc_rules_people"  # the queries run on the relation's own connection
    p_file, h_file = arrow_io.parts(out) if out is not None else (None, None)
    q = None
    if not spread:
        q = compile_split(
            rules,
            period,
            table=table,
            present=rel.columns,
            keep=keep,
            outputs=outputs,
            params=params,
        )
    if q is not None:
        if out is None:
            persons = _query(rel, table, q.persons)  # projections only: input order kept
            households = _query(rel, table, f"{q.households} ORDER BY 1")
            return RuleResult(persons, households, "duckdb")
        written = False
        try:
            _query(rel, table, q.persons, p_file)
            _query(rel, table, f"{q.households} ORDER BY 1", h_file)
            written = True
        finally:
            finals = arrow_io.publish(out, written)
        return RuleResult(*finals, "duckdb")
    numbered = rel.select("*, row_number() OVER () - 1 AS _row")
    general = compile_rules(
        rules,
        period,
        table=table,
        present=numbered.columns,
        keep=["hh_id", *keep, "_row"],
        params=params,
        outputs=outputs,
    )
    entity = {s.name: s.entity for s in rules.steps}
    shown = [o for o in outputs if spread or entity[o] == "person"]
    h_out = [o for o in outputs if entity[o] == "household"]
    if out is not None:
        # computed once, in person order, into a temporary file beside the results (DuckDB
        # streams it, out of core), then copied from it to the two files
        whole = out / ".rules.part.parquet"
        written = False
        try:
            _query(numbered, table, f"{general.sql} ORDER BY _row", whole)
            rel_all = con.read_parquet(str(whole))
            cols = ", ".join(f'"{c}"' for c in dict.fromkeys([*keep, *shown]))
            firsts = "".join(f', first("{c}") AS "{c}"' for c in h_out)
            by_hh = f"SELECT hh_id{firsts} FROM _sc_o GROUP BY 1 ORDER BY 1"
            _query(rel_all, "_sc_o", f"SELECT {cols} FROM _sc_o", p_file)
            _query(rel_all, "_sc_o", by_hh, h_file)
            written = True
        finally:
            whole.unlink(missing_ok=True)
            finals = arrow_io.publish(out, written)
        return RuleResult(*finals, "duckdb")
    per = _query(numbered, table, f"{general.sql} ORDER BY _row").drop("_row")
    households = per.select("hh_id", *h_out).unique("hh_id", keep="first").sort("hh_id")
    return RuleResult(per.select(*keep, *shown), households, "duckdb")


def _run_spark(
    rules: RuleSet,
    data: Any,
    period: int | str,
    outputs: Sequence[str],
    keep: Sequence[str],
    params: Mapping[str, Any] | None,
) -> RuleResult:
    import uuid

    from socialcover.microsim.sql_compiler import SparkDialect, compile_rules

    _need_hh_id(data.columns)
    # a view of its own per call, dropped once Spark has analysed the query (the plan holds
    # what the view named, so the rows are still computed later): a calibration's or a
    # reform's many runs leave no views behind in the user's session
    table = f"_sc_rules_people_{uuid.uuid4().hex[:12]}"
    data.createOrReplaceTempView(table)
    q = compile_rules(
        rules,
        period,
        table=table,
        present=data.columns,
        keep=["hh_id", *keep],
        params=params,
        outputs=outputs,
        dialect=SparkDialect(),
    )
    entity = {s.name: s.entity for s in rules.steps}
    h_out = [o for o in outputs if entity[o] == "household"]
    try:  # Spark analyses the plan here (columns, types); rows are computed later, lazily
        per = data.sparkSession.sql(q.sql)
        households = per.select("hh_id", *h_out).dropDuplicates(["hh_id"])
        persons = per.select(*dict.fromkeys([*keep, *outputs]))
    except Exception as exc:
        from socialcover.survey import spark_error  # only on Spark: rules alone stay light

        raise spark_error(exc, "compiling the rules to Spark SQL") from exc
    finally:
        data.sparkSession.catalog.dropTempView(table)
    return RuleResult(persons, households, "spark")


def run_rules(
    rules: RuleSet,
    data: Any,
    period: int | str,
    *,
    outputs: Sequence[str] | None = None,
    keep: Sequence[str] = (),
    params: Mapping[str, Any] | None = None,
    spread: bool = False,
    backend: str = "auto",
    out: str | Path | None = None,
) -> RuleResult:
    """Evaluate ``outputs`` of ``rules`` for every person and household of ``data``.

    Parameters
    ----------
    rules
        A checked :class:`RuleSet` (a baseline, or a reform applied to one:
        :meth:`Reform.apply <socialcover.microsim.Reform.apply>`).
    data
        One row per person with ``hh_id`` and the inputs: an Arrow table, a Polars/pandas
        frame or a mapping of arrays (run as NumPy arrays), a Parquet path (run as NumPy
        arrays when the columns read fit in memory, by DuckDB out of core otherwise), a DuckDB
        relation (run by DuckDB), or a Spark DataFrame (run by Spark SQL).
    period
        The period whose parameter values apply.
    outputs
        Steps to return (the programmes by default); only the steps they need are computed.
    keep
        Population columns copied to ``persons`` as they are.
    params
        Parameter values to use instead of those in force at ``period`` (dotted name ->
        value), as calibration does.
    spread
        Also give every person its household's household outputs, in ``persons``.
    backend
        "auto" (by where the data are and their size), "arrays", "duckdb" or "spark".
    out
        A folder (created if needed): write ``persons.parquet`` and ``households.parquet``
        there instead of returning frames (not on Spark). Each file appears whole or not at
        all; existing files of those names are replaced.

    Returns
    -------
    RuleResult
        ``persons`` (``keep`` and the person outputs, in the input's row order) and
        ``households`` (``hh_id`` and the household outputs, sorted by ``hh_id``); with
        ``out``, the paths of the two files holding them.

    Raises
    ------
    MicrosimDataError
        A column the rules read (or ``hh_id``) is missing, a numeric input without a default
        has missing values, ``backend`` is unknown, the Parquet file cannot be read, or
        ``out`` is a file or cannot be created (checked before anything is computed).

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.microsim import load_rules, run_rules
    >>> rules = load_rules(text='''
    ... programmes:
    ...   old_age: {eligibility: age >= 65, amount: 100}
    ...   family: {entity: household, eligibility: hh_any(age < 5), amount: 50}
    ... ''')
    >>> people = pl.DataFrame({"hh_id": [1, 1, 2], "age": [70, 3, 40], "welfare": [9, 9, 5]})
    >>> out = run_rules(rules, people, 2025)
    >>> out.persons["old_age"].to_list(), out.households["family"].to_list(), out.backend
    ([100.0, 0.0, 0.0], [50.0, 0.0], 'arrays')
    """
    if backend not in BACKENDS:
        raise MicrosimDataError(
            f"unknown backend {backend!r}",
            code="microsim.bad-backend",
            hint=f"Use one of {', '.join(BACKENDS)}.",
        )
    names = list(outputs) if outputs is not None else list(rules.programmes)
    if backend == "spark" or (backend == "auto" and _is_spark(data)):
        if out is not None:
            raise MicrosimDataError(
                "out= writes files from DuckDB or the array program, not from Spark",
                code="microsim.bad-output",
                hint="On Spark, write the lazy frames yourself: "
                "result.persons.write.parquet(path).",
            )
        return _run_spark(rules, data, period, names, keep, params)
    if is_parquet_path(data) and not Path(data).exists():
        as_frame(data)  # raises the missing-file error
    folder = arrow_io.prepare_out(out) if out is not None else None
    if backend == "auto" and is_parquet_path(data):
        # in memory when the columns read fit comfortably: no hashing of households
        read = {"hh_id", *rules.used_inputs(rules.steps_for(names)), *keep}
        backend = "arrays" if arrow_io.fits_in_memory(data, len(read)) else "duckdb"
    if backend == "duckdb" or (backend == "auto" and is_duckdb_input(data)):
        return _run_duckdb(rules, data, period, names, keep, params, spread, folder)
    if is_duckdb_input(data) and not is_parquet_path(data):  # arrays forced on a relation
        data = data.to_arrow_table()
    return _run_arrays(rules, data, period, names, keep, params, spread, folder)
