"""Run a rule set (and a reform) over a population: one row per person, both scenarios.

The baseline and the reform are compiled to SQL and run by DuckDB in one query over the same
registered population, joined on the row number; the result is a Polars frame with, for each
scenario ``s`` in (``base``, ``reform``), every programme's amount (``<prog>__s``), its per-
person share (household programmes divided equally among members, so weighted person totals
equal household totals), the household's benefits and each person's disposable income.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.population import as_frame, missing_values_error
from socialcover.microsim.reform import Reform
from socialcover.microsim.rules import RuleSet
from socialcover.microsim.sql_compiler import Scenario, compile_scenarios

__all__ = ["SCENARIOS", "PopulationRun", "run_population"]

SCENARIOS = ("base", "reform")
#: Columns carried through from the population when present (design, groups, lines).
CARRY = (
    "person_id",
    "weight",
    "strata",
    "psu",
    "fpc",
    "sex",
    "age",
    "urban",
    "informal",
    "labour_status",
    "status_in_employment",
    "region",
    "poverty_line",
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PopulationRun:
    """Per-person results of a baseline and a reform."""

    frame: pl.DataFrame
    rules: RuleSet
    reform_rules: RuleSet
    period: str
    programmes: tuple[str, ...]
    household_programmes: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return self.frame.columns


def _check_missing(
    con: duckdb.DuckDBPyConnection, rules: Sequence[RuleSet], table: str, present: Sequence[str]
) -> None:
    """Numeric inputs without a default must have no missing value (one scan for all)."""
    names: list[str] = []
    for r in rules:
        for name in r.used_inputs():
            spec = r.inputs[name]
            if (
                name in present
                and spec.default is None
                and spec.unit.kind == "number"
                and name not in names
            ):
                names.append(name)
    if not names:
        return
    sql = ", ".join(f'COUNT(*) - COUNT("{n}") AS "{n}"' for n in names)
    rows = con.sql(f"SELECT {sql} FROM {table}").fetchall()
    row = rows[0] if rows else ()
    for name, count in zip(names, row or (), strict=False):
        if count:
            raise missing_values_error(name, int(count))


def run_population(
    rules: RuleSet,
    data: Any,
    period: int | str,
    *,
    reform: Reform | RuleSet | None = None,
    carry: Sequence[str] = CARRY,
    connection: duckdb.DuckDBPyConnection | None = None,
    progress: Progress | None = None,
) -> PopulationRun:
    """Evaluate ``rules`` and its ``reform`` for every person of ``data`` (DuckDB).

    Parameters
    ----------
    rules
        The baseline rules.
    data
        The population: a Polars/pandas frame, an Arrow table, a Parquet path or a DuckDB
        relation, one row per person with ``hh_id`` and the inputs (standard concepts).
    period
        Period whose parameter values apply.
    reform
        A :class:`Reform` (applied to ``rules``) or a second rule set; ``None`` runs the
        baseline twice (an empty reform).
    carry
        Population columns copied to the result when present (design and group columns).
    """
    say = progress or (lambda _msg: None)
    reform_rules = (
        reform.apply(rules)
        if isinstance(reform, Reform)
        else reform
        if isinstance(reform, RuleSet)
        else Reform.from_dict({}).apply(rules)
    )
    con = connection or duckdb.connect()
    con.sql("SET enable_progress_bar = false")
    say("reading the population")
    if isinstance(data, duckdb.DuckDBPyRelation):
        rel = data
    elif isinstance(data, (str, Path)) and str(data).lower().endswith(".parquet"):
        if not Path(data).exists():
            as_frame(data)  # raises the missing-file error
        # DuckDB scans the file itself (only the columns the rules read, out of core)
        rel = con.read_parquet(str(data))
    else:
        frame = as_frame(data)
        rel = con.from_arrow(frame.to_arrow())
    table = "_sc_people"
    rel.create_view(table, replace=True)
    present = rel.columns
    if "hh_id" not in present:
        raise MicrosimDataError(
            "the population has no hh_id column",
            code="microsim.missing-column",
            hint="Map the household identifier to hh_id (--mapping), one row per person.",
        )
    _check_missing(con, [rules, reform_rules], table, present)
    keep = [c for c in carry if c in present and c != "hh_id"]
    say("running the rules (DuckDB)")
    totals = ["benefits", "disposable_income"]
    q = compile_scenarios(
        [
            Scenario(rules, "base", outputs=[*rules.programmes, *totals, "income_before"]),
            Scenario(reform_rules, "reform", outputs=[*reform_rules.programmes, *totals]),
        ],
        period,
        table=table,
        present=present,
        keep=keep,
    )
    out = con.sql(q.sql).pl()
    out = out.rename({"income_before__base": "income_before"})
    hh_progs = tuple(
        sorted(
            {
                n
                for r in (rules, reform_rules)
                for n, p in r.programmes.items()
                if p.entity == "household"
            }
        )
    )
    # household size once (a hash of hh_id), then every household share divides by it
    out = out.with_columns(pl.len().over("hh_id").cast(pl.Float64).alias("_hh_n"))
    size = pl.col("_hh_n")
    shares = []
    for scenario, rs in (("base", rules), ("reform", reform_rules)):
        for name, prog in rs.programmes.items():
            col = pl.col(f"{name}__{scenario}")
            shares.append(
                (col / size if prog.entity == "household" else col).alias(
                    f"{name}__{scenario}__share"
                )
            )
    out = out.with_columns(shares)
    programmes = tuple(dict.fromkeys([*rules.programmes, *reform_rules.programmes]))
    # A programme absent from one scenario pays nothing there.
    fill = []
    for scenario in SCENARIOS:
        for name in programmes:
            if f"{name}__{scenario}" not in out.columns:
                fill += [
                    pl.lit(0.0).alias(f"{name}__{scenario}"),
                    pl.lit(0.0).alias(f"{name}__{scenario}__share"),
                ]
    if fill:
        out = out.with_columns(fill)
    return PopulationRun(out, rules, reform_rules, str(period), programmes, hh_progs)
