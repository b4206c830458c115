"""Run a rule set (and a reform) over a population: one row per person, both scenarios.

Each scenario is one call to :func:`~socialcover.microsim.execution.run_rules` (so the data
decide the back-end: the array program in memory, DuckDB for Parquet files and relations); the
result is a Polars frame with, for each scenario ``s`` in (``base``, ``reform``), every
programme's amount (``<prog>__s``), its per-person share (household programmes divided equally
among members, so weighted person totals equal household totals), the household's benefits and
each person's disposable income.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from socialcover.microsim import arrow_io
from socialcover.microsim.array_program import Households
from socialcover.microsim.arrow_io import parquet_file, parquet_table
from socialcover.microsim.connection import connect, is_duckdb_input, is_parquet_path, relation
from socialcover.microsim.execution import run_rules
from socialcover.microsim.frames import as_frame
from socialcover.microsim.reform import Reform
from socialcover.microsim.rules import RuleSet

__all__ = ["SCENARIOS", "PopulationRun", "parquet_footprint", "run_population", "simulation_bytes"]

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

#: Safety margin on the measured peak of :func:`simulation_bytes`.
MARGIN = 1.3


def simulation_bytes(rows: int, inputs: int, carried: int, programmes: int) -> int:
    """Estimated peak memory of a simulation in memory (:func:`run_population` then
    :func:`~socialcover.microsim.impact.measure_impact`), in bytes, with a 30% margin.

    ``inputs`` columns are read, ``carried`` of them are copied to the result and
    ``programmes`` programmes (in either scenario) are run. The result frame has
    ``F = carried + 4 * programmes + 6`` per-person columns: per scenario each programme's
    amount and share, ``benefits`` and ``disposable_income``; ``income_before`` and the
    household size once. The peak is counted in per-person float64 columns (8 bytes)::

        2.4 * F + inputs + 16

    that is the stacked frame plus about 1.4 working copies of it while the impact is
    estimated, the inputs read, and about 16 more (the two scenarios' outputs before they are
    stacked, the household index, the impact's per-person vectors). The coefficients are
    fitted to peaks measured (``ru_maxrss`` of a fresh process, minus the process before the
    call) for ``simulate()`` on a Parquet file of ``synthetic_survey(n, seed=3)``, 1M and 2M
    persons, two poverty lines, without breakdowns: 755 bytes a person for
    ``means_tested_transfer.yaml`` (F = 27, 14 inputs), 679 for ``social_pension.yaml``
    (F = 23); the formula gives 758 and 682. DuckDB running the rules instead of the array
    program measured as much or more (806 bytes a person for the first): the per-person
    result is held in memory either way. The estimate is that count times :data:`MARGIN`,
    plus 100 MB of fixed working memory.
    """
    frame = carried + 4 * programmes + 6
    per_person = 8 * (2.4 * frame + inputs + 16)
    return int(rows * per_person * MARGIN) + 100 * 2**20


@dataclass(frozen=True)
class PopulationRun:
    """Per-person results of a baseline and a reform (a Polars frame; a lazy Spark DataFrame
    when the population was one)."""

    frame: Any
    rules: RuleSet
    reform_rules: RuleSet
    period: str
    programmes: tuple[str, ...]
    household_programmes: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


def parquet_footprint(
    path: str | Path, rules: RuleSet, reform_rules: RuleSet, carry: Sequence[str] = CARRY
) -> int:
    """:func:`simulation_bytes` for simulating ``rules`` and ``reform_rules`` on a Parquet
    file: counts the columns read and carried that the file holds."""
    pf = parquet_file(path)
    present = set(pf.schema_arrow.names)
    wanted = {"hh_id", *rules.used_inputs(), *reform_rules.used_inputs(), *carry}
    carried = {"hh_id", *carry} & present
    programmes = len({*rules.programmes, *reform_rules.programmes})
    rows = int(pf.metadata.num_rows)
    return simulation_bytes(rows, len(wanted & present), len(carried), programmes)


def run_population(
    rules: RuleSet,
    data: Any,
    period: int | str,
    *,
    reform: Reform | RuleSet | None = None,
    carry: Sequence[str] = CARRY,
    progress: Progress | None = None,
) -> PopulationRun:
    """Evaluate ``rules`` and its ``reform`` for every person of ``data``.

    Parameters
    ----------
    rules
        The baseline rules.
    data
        The population: a Polars/pandas frame, an Arrow table, a Parquet path, a DuckDB
        relation or a Spark DataFrame, one row per person with ``hh_id`` and the inputs
        (standard concepts). On Spark, :attr:`PopulationRun.frame` is a lazy Spark DataFrame
        (rows in no set order; column ``_sc_row`` numbers the input's rows).
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
    if type(data).__module__.startswith("pyspark.sql"):
        from socialcover.microsim.spark_impact import population_frame

        say("compiling the rules to Spark SQL")
        frame, programmes, hh_progs = population_frame(rules, reform_rules, data, period, carry)
        return PopulationRun(frame, rules, reform_rules, str(period), programmes, hh_progs)
    say("reading the population")
    backend = "auto"
    if is_parquet_path(data) and Path(data).exists():
        wanted = ["hh_id", *rules.used_inputs(), *reform_rules.used_inputs(), *carry]
        if parquet_footprint(data, rules, reform_rules, carry) <= arrow_io._available_bytes() // 2:
            # the whole simulation fits in half the available memory: read once for the
            # baseline and the reform, only the columns either uses
            data = parquet_table(data, wanted)
        else:
            # DuckDB scans the file for each scenario (run_rules' own "auto" would count only
            # one run's columns and could still pick the array program)
            backend = "duckdb"
    if is_duckdb_input(data):
        present = relation(connect(), data).columns
    elif isinstance(data, pa.Table):
        present = data.column_names
    else:
        data = as_frame(data)
        present = data.columns
    keep = ["hh_id", *[c for c in carry if c in present and c != "hh_id"]]
    say("running the rules")
    totals = ["benefits", "disposable_income"]
    # The array program and DuckDB release the GIL: the reform runs beside the baseline.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reformed = pool.submit(
            run_rules,
            reform_rules,
            data,
            period,
            outputs=[*reform_rules.programmes, *totals],
            spread=True,
            backend=backend,
        )
        base = run_rules(
            rules,
            data,
            period,
            outputs=[*rules.programmes, *totals, "income_before"],
            keep=keep,
            spread=True,
            backend=backend,
        ).persons
        alt = reformed.result().persons
    out = (
        base.rename({c: f"{c}__base" for c in base.columns[len(keep) :]})
        .hstack(alt.rename({c: f"{c}__reform" for c in alt.columns}).get_columns())
        .rename({"income_before__base": "income_before"})
    )
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
    # household size once, then every household share divides by it
    households = Households(out["hh_id"].to_numpy())
    out = out.with_columns(pl.Series("_hh_n", households.spread(households.sizes.astype(float))))
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
