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

``backend="duckdb"`` forces DuckDB for in-memory data too; the back-ends return the same
frames (tests/microsim/test_array_program_agrees.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.array_program import (
    HOUSEHOLD,
    Codes,
    Households,
    compile_arrays,
    evaluate_arrays,
)
from socialcover.microsim.connection import connect, is_duckdb_input, relation
from socialcover.microsim.frames import as_frame, missing_columns_error, missing_values_error
from socialcover.microsim.rules import RuleSet
from socialcover.microsim.sql_compiler import SparkDialect, _needed, compile_rules

__all__ = ["BACKENDS", "RuleResult", "run_rules"]

BACKENDS = ("auto", "arrays", "duckdb", "spark")


@dataclass(frozen=True)
class RuleResult:
    """Person outputs in the input's row order; household outputs one row per household.

    ``households`` is sorted by ``hh_id``; ``backend`` says which engine ran ("arrays",
    "duckdb" or "spark"). On Spark both are lazy Spark DataFrames, rows in no set order, and
    ``persons`` always has the household outputs too; elsewhere they are Polars frames.
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


def _column(data: pa.Table | Mapping[str, Any], name: str) -> pa.Array:
    raw = data.column(name) if isinstance(data, pa.Table) else data[name]
    if isinstance(raw, pa.ChunkedArray):
        return raw.combine_chunks() if raw.num_chunks != 1 else raw.chunk(0)
    if isinstance(raw, pa.Array):
        return raw
    if isinstance(raw, pl.Series):
        return raw.to_arrow()
    arr = np.asarray(raw)
    if arr.dtype == object:
        return pa.array(arr.tolist(), from_pandas=True)
    return pa.array(arr)


def _numpy(col: pa.Array | pa.ChunkedArray) -> Any:
    """An Arrow column as a NumPy array, through Polars: zero-copy for numbers without nulls,
    like pyarrow's ``to_numpy``, which also imports pandas on first use (a second or so)."""
    return pl.Series(col).to_numpy()


def _category(col: pa.Array) -> Codes:
    if not pa.types.is_dictionary(col.type):
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            col = pc.cast(col, pa.string())
        col = pc.dictionary_encode(col)
    labels = col.dictionary
    if not (pa.types.is_string(labels.type) or pa.types.is_large_string(labels.type)):
        labels = pc.cast(labels, pa.string())
    names = np.array([*labels.to_pylist(), ""], dtype=object)
    codes = col.indices
    if codes.null_count:  # a missing category is "" (as COALESCE(x, '') in SQL)
        codes = pc.fill_null(codes, len(names) - 1)
    return Codes(_numpy(codes), names)


def prepare_columns(
    rules: RuleSet, data: pa.Table | Mapping[str, Any], names: Sequence[str], n: int
) -> dict[str, Any]:
    """The inputs ``names`` as arrays typed as the rules expect (defaults filled)."""
    present = data.column_names if isinstance(data, pa.Table) else list(data)
    missing = [m for m in names if m not in present and rules.inputs[m].default is None]
    if missing:
        raise missing_columns_error(missing, list(present))
    out: dict[str, Any] = {}
    for name in names:
        spec = rules.inputs[name]
        if name not in present:
            default: Any = spec.default  # not None: checked above
            if spec.unit.kind == "bool":
                default = bool(default)
            elif spec.unit.kind == "number":
                default = float(default)
            out[name] = np.full(n, default)
            continue
        col = _column(data, name)
        if spec.unit.kind == "category":
            out[name] = _category(col)
        elif spec.unit.kind == "bool":
            if not pa.types.is_boolean(col.type):
                num = pc.cast(col, pa.float64())
                col = pc.and_(pc.not_equal(num, 0.0), pc.invert(pc.is_nan(num)))
            out[name] = _numpy(pc.fill_null(col, False))
        else:
            if pa.types.is_dictionary(col.type):
                col = col.dictionary_decode()
            if pa.types.is_integer(col.type) and col.null_count == 0:
                # exact in double for |x| < 2**53; the program computes in float64
                out[name] = _numpy(col)
                continue
            num = pc.cast(col, pa.float64())
            gaps = num.null_count + int(pc.sum(pc.is_nan(num)).as_py() or 0)
            if gaps and spec.default is None:
                raise missing_values_error(name, gaps)
            if gaps:
                num = pc.if_else(pc.is_nan(num), spec.default, num)
                num = pc.fill_null(num, spec.default)
            out[name] = _numpy(num)
    return out


def _plain(value: Any) -> Any:
    return np.ascontiguousarray(value.decode() if isinstance(value, Codes) else value)


def _run_arrays(
    rules: RuleSet,
    data: Any,
    period: int | str,
    outputs: Sequence[str],
    keep: Sequence[str],
    params: Mapping[str, Any] | None,
    spread: bool,
) -> RuleResult:
    # An Arrow table or a mapping of arrays is read as it is; any other frame through Polars,
    # converted to Arrow only for the columns the program reads.
    frame = data if isinstance(data, (pa.Table, Mapping)) else as_frame(data)
    present = (
        frame.column_names
        if isinstance(frame, pa.Table)
        else frame.columns
        if isinstance(frame, pl.DataFrame)
        else list(frame)
    )
    _need_hh_id(present)
    steps = _needed(rules, outputs)
    program = compile_arrays(rules, period, steps, params=params)
    table: pa.Table | Mapping[str, Any] = frame
    if isinstance(frame, pl.DataFrame):
        read = dict.fromkeys(c for c in ("hh_id", *program.inputs) if c in present)
        table = frame.select(list(read)).to_arrow()
    hh_id = _numpy(_column(table, "hh_id"))
    columns = prepare_columns(rules, table, program.inputs, len(hh_id))
    households = Households(hh_id)
    values = evaluate_arrays(program, columns, households)
    entity = {s.name: s.entity for s in steps}
    persons: list[pl.Series] = []
    homes: dict[str, Any] = {"hh_id": households.ids}
    for name in outputs:
        value, level = values[name]
        if entity[name] == "person":
            persons.append(pl.Series(name, _plain(value)))
            continue
        homes[name] = _plain(value if level == HOUSEHOLD else households.first(value))
        if spread:
            persons.append(
                pl.Series(name, _plain(households.spread(value) if level == HOUSEHOLD else value))
            )
    if not keep:
        out = pl.DataFrame(persons)
    elif isinstance(frame, pl.DataFrame):
        out = frame.select(keep).hstack(persons)  # kept columns are not copied
    else:
        out = pl.DataFrame({k: _column(frame, k) for k in keep}).hstack(persons)
    return RuleResult(out, pl.DataFrame(homes), "arrays")


def _query(rel: Any, table: str, sql: str) -> pl.DataFrame:
    """``sql`` over ``rel`` (named ``table``) on the relation's own connection."""
    result = rel.query(table, sql)
    if result is None:  # a SELECT always returns rows; DuckDB's stubs allow None
        raise MicrosimDataError(
            "DuckDB returned no result for the compiled rules",
            code="microsim.data-invalid",
            hint="Check that the population is a table of rows (one per person).",
        )
    frame: pl.DataFrame = result.pl()
    return frame


def _run_duckdb(
    rules: RuleSet,
    data: Any,
    period: int | str,
    outputs: Sequence[str],
    keep: Sequence[str],
    params: Mapping[str, Any] | None,
    spread: bool,
) -> RuleResult:
    from socialcover.microsim.split_query import compile_split

    con = connect()
    rel = relation(con, data)
    _need_hh_id(rel.columns)
    table = "_sc_rules_people"  # the queries run on the relation's own connection
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
        persons = _query(rel, table, q.persons)  # projections only: input order kept
        households = _query(rel, table, f"{q.households} ORDER BY 1")
        return RuleResult(persons, households, "duckdb")
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
    per = _query(numbered, table, f"{general.sql} ORDER BY _row").drop("_row")
    entity = {s.name: s.entity for s in rules.steps}
    shown = [o for o in outputs if spread or entity[o] == "person"]
    h_out = [o for o in outputs if entity[o] == "household"]
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
    _need_hh_id(data.columns)
    table = "_sc_rules_people"
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
) -> RuleResult:
    """Evaluate ``outputs`` of ``rules`` for every person and household of ``data``.

    Parameters
    ----------
    rules
        A checked :class:`RuleSet` (a baseline, or a reform applied to one:
        :meth:`Reform.apply <socialcover.microsim.Reform.apply>`).
    data
        One row per person with ``hh_id`` and the inputs: an Arrow table, a Polars/pandas
        frame or a mapping of arrays (run as NumPy arrays), a Parquet path or DuckDB relation
        (run by DuckDB), or a Spark DataFrame (run by Spark SQL).
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
        "auto" (by where the data are), "arrays", "duckdb" or "spark".

    Returns
    -------
    RuleResult
        ``persons`` (``keep`` and the person outputs, in the input's row order) and
        ``households`` (``hh_id`` and the household outputs, sorted by ``hh_id``).

    Raises
    ------
    MicrosimDataError
        A column the rules read (or ``hh_id``) is missing, a numeric input without a default
        has missing values, or ``backend`` is unknown.

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
        return _run_spark(rules, data, period, names, keep, params)
    if backend == "duckdb" or (backend == "auto" and is_duckdb_input(data)):
        return _run_duckdb(rules, data, period, names, keep, params, spread)
    if is_duckdb_input(data):  # arrays forced on data from disk: read it into memory first
        data = pl.read_parquet(data) if isinstance(data, (str, Path)) else data.to_arrow_table()
    return _run_arrays(rules, data, period, names, keep, params, spread)
