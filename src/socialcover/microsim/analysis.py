"""One call from rules and a survey to a baseline-versus-reform analysis.

:func:`simulate` reads the population (applying a survey mapping when given), runs the rules
and the reform through :func:`~socialcover.microsim.execution.run_rules` (the array program
for frames in memory, DuckDB for Parquet files, Spark SQL for Spark DataFrames; see
:func:`~socialcover.microsim.simulation.run_population`) and estimates the impact with
design-based SEs (:func:`~socialcover.microsim.impact.measure_impact`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcover.microsim import arrow_io
from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.connection import is_parquet_path
from socialcover.microsim.frames import as_frame, mapped
from socialcover.microsim.impact import Impact, measure_impact
from socialcover.microsim.reform import Reform
from socialcover.microsim.rules import RuleSet, load_rules
from socialcover.microsim.simulation import PopulationRun, parquet_footprint, run_population

__all__ = ["SimulationResult", "simulate"]


@dataclass(frozen=True)
class SimulationResult:
    """Per-person results (:attr:`run`) and impact estimates (:attr:`impact`)."""

    run: PopulationRun
    impact: Impact

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary: per programme and in total, baseline, reform and change."""
        out: dict[str, Any] = {
            "rules": self.run.rules.name,
            "period": self.run.period,
            "persons": self.impact.n_persons,
            "lines": list(self.impact.lines),
        }
        out.update(self.impact.summary())
        return out


def _check_memory(path: str | Path, rules: RuleSet, reform_rules: RuleSet) -> None:
    """Refuse, before reading it, a Parquet file whose simulation cannot fit in memory (the
    kernel would otherwise end the process part-way); unknown available memory passes."""
    need = parquet_footprint(path, rules, reform_rules)
    have = arrow_io._available_bytes()
    if have and need > have:
        raise MicrosimDataError(
            f"simulating {Path(path).name!r} needs about {need / 2**30:.1f} GB of memory "
            f"and {have / 2**30:.1f} GB are available",
            code="microsim.too-large",
            hint='Run it on Spark (engine="spark"), on a machine with more memory, or on a '
            "sample of the households.",
        )


def simulate(
    rules: RuleSet | str | Path,
    data: Any,
    *,
    period: int | str,
    reform: Reform | RuleSet | dict[str, Any] | str | Path | None = None,
    mapping: Any = None,
    design: Any = None,
    lines: Mapping[str, str | float] | None = None,
    breakdowns: bool = True,
    progress: Callable[[str], None] | None = None,
    engine: str = "auto",
    spark: Any = None,
) -> SimulationResult:
    """Simulate ``rules`` (and a ``reform``) on a survey and measure the impact.

    Parameters
    ----------
    rules
        A :class:`RuleSet` or the path of a rules file.
    data
        The survey: a frame, an Arrow table, or a path (Parquet/CSV; Stata/SPSS through a
        ``mapping``).
    period
        The period whose parameter values apply.
    reform
        A :class:`Reform`, a dict, a reform file, or a second rule set.
    mapping
        A :class:`socialcover.survey.io.Mapping` or the path of a mapping YAML; the survey is
        then mapped to the standard concepts first (a Spark DataFrame by Spark).
    design, lines, breakdowns
        See :func:`~socialcover.microsim.impact.measure_impact`.
    engine
        "auto" (Spark for a Spark DataFrame; otherwise the array program in memory or DuckDB
        for Parquet files) or "spark": a path (Parquet, a folder, ``hdfs://``, ``s3a://``) is
        then read by Spark, and the rules, the variables and every estimate run on the
        cluster; only the estimates come back to the driver.
    spark
        The SparkSession for ``engine="spark"``; by default the active one (or Spark's own
        default: the product never builds or changes a session of its own choosing).

    Raises
    ------
    MicrosimDataError
        ``engine`` is unknown (``microsim.bad-backend``), or a Parquet file whose simulation
        is estimated to need more than the available memory (``microsim.too-large``, see
        :func:`~socialcover.microsim.simulation.simulation_bytes`: the per-person results are
        held in memory on either back-end).

    Examples
    --------
    >>> from socialcover.testing import synthetic_survey  # doctest: +SKIP
    >>> result = simulate("docs/examples/microsim/social_pension.yaml",
    ...                   synthetic_survey(20_000, seed=1), period=2025,
    ...                   reform={"parameters": {"social_pension.age": 60}})  # doctest: +SKIP
    >>> result.to_dict()["total"]["change"]["cost"]  # doctest: +SKIP
    """
    say = progress or (lambda _m: None)
    rs = rules if isinstance(rules, RuleSet) else load_rules(rules)
    ref: Reform | RuleSet | None
    if isinstance(reform, (str, Path)):
        ref = Reform.from_yaml(reform)
    elif isinstance(reform, dict):
        ref = Reform.from_dict(reform)
    else:
        ref = reform
    # Validate the reform before reading any data: a bad reform costs nothing.
    reform_rules = ref.apply(rs) if isinstance(ref, Reform) else ref
    if engine not in ("auto", "spark"):
        raise MicrosimDataError(
            f"unknown engine {engine!r}",
            code="microsim.bad-backend",
            hint='Use "auto" (where the data are decide) or "spark".',
        )
    frame: Any
    on_spark = engine == "spark" or type(data).__module__.startswith("pyspark.sql")
    if on_spark:
        from socialcover.survey import read_spark

        say("reading the population with Spark")
        frame = read_spark(data, spark)
        if mapping is not None:
            frame = mapped(frame, mapping)  # by Spark, where the rows are
    elif mapping is not None:
        say("reading and mapping the survey")
        frame = mapped(data, mapping)
    else:
        # Parquet files are scanned by DuckDB directly; other inputs run in memory
        frame = data if isinstance(data, (str, Path)) else as_frame(data)
        if is_parquet_path(frame) and Path(frame).exists():
            _check_memory(frame, rs, reform_rules or rs)
    run = run_population(rs, frame, period, reform=reform_rules, progress=say)
    impact = measure_impact(run, design, lines=lines, breakdowns=breakdowns, progress=say)
    return SimulationResult(run, impact)
