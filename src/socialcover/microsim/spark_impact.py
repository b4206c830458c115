"""A baseline, a reform and their impact on a Spark DataFrame, with only results to the driver.

The same numbers as :func:`~socialcover.microsim.simulation.run_population` and
:func:`~socialcover.microsim.impact.measure_impact` give in memory, computed by Spark:

* the rules run as Spark SQL (:func:`~socialcover.microsim.execution.run_rules`), the reform
  over the baseline's output (so both scenarios sit on one row per person, with no join);
* the per-person variables (costs, beneficiaries, FGT indices, gains) are SQL expressions;
* the Gini's linearised variable and the income deciles need running sums in income order
  (income, then input row: the stable order NumPy sorts by, so the deciles are the
  in-memory ones to the person), computed by ranges of income on the executors
  (:func:`socialcover.survey.running_sums`), never in one task;
* every total and mean, with its SE, comes from the survey package on Spark
  (:func:`socialcover.survey.estimate_units`): only (group, sampling unit) sums come back,
  in one statement for every overall estimate and one for every breakdown (an element
  design's means add one of exact squared scores each; replicate designs sum every
  replicate per group). A change (reform - baseline) is the estimate of the difference
  variable: the same paired difference as in memory, since sums are linear.

The ranked persons are cached on the executors (memory, spilling to disk) while the
estimates run, and released afterwards; nothing is set on the session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.execution import run_rules
from socialcover.microsim.rules import RuleSet
from socialcover.microsim.spark_sql import (
    double,
    estimates_frame,
    number,
    quote,
)

__all__ = ["ROW", "impact_parts", "population_frame"]

ROW = "_sc_row"  # the input's row order: ties in income are ordered as NumPy's stable sort
SCENARIOS = ("base", "reform")
AGE_BANDS = ((0, 14, "0-14"), (15, 24, "15-24"), (25, 64, "25-64"), (65, 200, "65+"))
#: A cumulative share within this of a decile (quintile) boundary is on it, as in memory
#: (:data:`socialcover.microsim.impact.BOUNDARY`): sums added in another order stay put.
BOUNDARY = 1e-9


def population_frame(
    rules: RuleSet,
    reform_rules: RuleSet,
    data: Any,
    period: int | str,
    carry: Sequence[str],
) -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
    """The per-person frame of both scenarios (lazy), its programmes and household programmes.

    Columns as :func:`~socialcover.microsim.simulation.run_population`'s frame, plus the
    input's row number (:data:`ROW`).
    """
    from pyspark.sql import functions as F

    present = data.columns
    if "hh_id" not in present:
        raise MicrosimDataError(
            "the population has no hh_id column",
            code="microsim.missing-column",
            hint="Map the household identifier to hh_id (--mapping), one row per person.",
        )
    keep = ["hh_id", *[c for c in carry if c in present and c != "hh_id"]]
    reads = [c for c in reform_rules.used_inputs() if c in present and c != "hh_id"]
    # Columns passed through run_rules' keep= reach the rules untyped, so every carried
    # column travels under an alias and the rules read the originals (typed, defaults filled).
    alias = {c: f"_sc_k_{c}" for c in dict.fromkeys([*keep, *reads])}
    used = dict.fromkeys(["hh_id", *rules.used_inputs(), *reads, *keep])
    numbered = data.select(
        *[quote(c) for c in used if c in present],
        *[F.col(quote(c)).alias(a) for c, a in alias.items()],
        F.monotonically_increasing_id().alias(ROW),
    )
    # Spark numbers rows with a non-deterministic expression, which its planner cannot carry
    # through the rules' household joins run twice (INTERNAL_ERROR_ATTRIBUTE_NOT_FOUND): the
    # numbered columns the rules read are checkpointed once, on the executors.
    numbered = numbered.localCheckpoint(eager=True)
    totals = ["benefits", "disposable_income"]
    base_out = [*rules.programmes, *totals, "income_before"]
    named = {o: "_sc_income_before" if o == "income_before" else f"{o}__base" for o in base_out}
    passed = [ROW, *alias.values()]
    base = run_rules(rules, numbered, period, outputs=base_out, keep=passed, spread=True).persons
    base = base.select(
        *[quote(c) for c in passed],
        *[F.col(quote(alias[c])).alias(c) for c in ("hh_id", *reads)],
        *[F.col(quote(o)).alias(n) for o, n in named.items()],
    )
    # the reform runs over the baseline's output: both scenarios on one row, no join
    alt_out = [*reform_rules.programmes, *totals]
    passed = [*passed, *named.values()]
    both = run_rules(reform_rules, base, period, outputs=alt_out, keep=passed, spread=True).persons
    both = both.select(
        *[F.col(quote(a)).alias(c) for c, a in alias.items() if c in keep],
        quote(ROW),
        *[
            F.col(quote(n)).alias("income_before" if o == "income_before" else n)
            for o, n in named.items()
        ],
        *[F.col(quote(o)).alias(f"{o}__reform") for o in alt_out],
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
    programmes = tuple(dict.fromkeys([*rules.programmes, *reform_rules.programmes]))
    cols = ["*", "CAST(COUNT(*) OVER (PARTITION BY hh_id) AS DOUBLE) AS _hh_n"]
    for scenario, rs in (("base", rules), ("reform", reform_rules)):
        for name, prog in rs.programmes.items():
            col = quote(f"{name}__{scenario}")
            share = f"{col} / _hh_n" if prog.entity == "household" else col
            cols.append(f"{share} AS {quote(f'{name}__{scenario}__share')}")
    # A programme absent from one scenario pays nothing there.
    for scenario, rs in (("base", rules), ("reform", reform_rules)):
        for name in programmes:
            if name not in rs.programmes:
                cols += [
                    f"CAST(0.0 AS DOUBLE) AS {quote(f'{name}__{scenario}')}",
                    f"CAST(0.0 AS DOUBLE) AS {quote(f'{name}__{scenario}__share')}",
                ]
    return both.selectExpr(*cols), programmes, hh_progs


def _check_lines(frame: Any, lines: Mapping[str, str | float]) -> tuple[dict[str, str], int]:
    """Each poverty line as an SQL expression, checked as in memory, and the number of
    persons (one Spark job)."""
    out: dict[str, str] = {}
    counts = []
    for name, line in lines.items():
        if isinstance(line, str):
            if line not in frame.columns:
                raise MicrosimDataError(
                    f"poverty line {name!r} names column {line!r}, which the population lacks",
                    code="microsim.missing-column",
                    hint="Map poverty_line, or give the line as a number "
                    "(LCU per person per year).",
                )
            out[name] = double(line)
            counts.append(
                f"SUM(CASE WHEN {double(line)} IS NULL OR {double(line)} <= 0 THEN 1 ELSE 0 END)"
            )
        else:
            out[name] = number(float(line))
            counts.append("0" if float(line) > 0 else "COUNT(*)")
    row = frame.selectExpr("COUNT(*) AS _n", *[f"{c} AS _b{i}" for i, c in enumerate(counts)])
    got = row.first()
    for i, name in enumerate(lines):
        n = got[f"_b{i}"]
        if n:
            raise MicrosimDataError(
                f"poverty line {name!r} is missing or not positive for {int(n)} person(s)",
                code="microsim.bad-line",
                hint="Give a positive line (LCU per person per year) for everyone, e.g. "
                "--line national=7200.",
            )
    return out, int(got["_n"])


def _variables(
    programmes: Sequence[str],
    household: Sequence[str],
    lines: Mapping[str, str],
    threshold: float,
) -> tuple[dict[str, str], dict[str, str]]:
    """The per-person variables of :func:`socialcover.microsim.impact._variables`, as SQL."""
    totals: dict[str, str] = {}
    means: dict[str, str] = {}
    for sc in SCENARIOS:
        for p in programmes:
            paid = f"CAST({double(f'{p}__{sc}')} > 0 AS DOUBLE)"
            totals[f"cost__{sc}__{p}"] = double(f"{p}__{sc}__share")
            totals[f"beneficiaries__{sc}__{p}"] = f"{paid} / _hh_n" if p in household else paid
            totals[f"persons_reached__{sc}__{p}"] = paid
        benefits = double(f"benefits__{sc}")
        totals[f"cost__{sc}__all"] = f"{benefits} / _hh_n"
        totals[f"beneficiaries__{sc}__all"] = f"CAST({benefits} > 0 AS DOUBLE)"
        totals[f"persons_reached__{sc}__all"] = totals[f"beneficiaries__{sc}__all"]
        y = double(f"disposable_income__{sc}")
        means[f"mean_income__{sc}__all"] = y
        for name, z in lines.items():
            gap = f"GREATEST(({z} - {y}) / {z}, CAST(0.0 AS DOUBLE))"
            means[f"fgt0__{sc}__{name}"] = f"CAST({y} < {z} AS DOUBLE)"
            means[f"fgt1__{sc}__{name}"] = gap
            means[f"fgt2__{sc}__{name}"] = f"{gap} * {gap}"
    yb, yr = double("disposable_income__base"), double("disposable_income__reform")
    tol = f"{number(threshold)} * ABS({yb})"
    gain = f"({yr} - {yb})"
    means["winners__change__all"] = f"CAST({gain} > {tol} AS DOUBLE)"
    means["losers__change__all"] = f"CAST({gain} < -{tol} AS DOUBLE)"
    means["unchanged__change__all"] = (
        f"1.0D - CAST({gain} > {tol} AS DOUBLE) - CAST({gain} < -{tol} AS DOUBLE)"
    )
    means["gain__change__all"] = gain
    return totals, means


def _changes(names: Sequence[str]) -> dict[str, str]:
    """``x__change__y`` as the SQL difference reform - baseline, for every baseline name."""
    out = {}
    for key in names:
        ind, sc, rest = key.split("__")
        if sc == "base":
            out[f"{ind}__change__{rest}"] = f"{quote(f'{ind}__reform__{rest}')} - {quote(key)}"
    return out


def _ranked(
    frame: Any, w: str, n: int
) -> tuple[list[Any], dict[str, float], dict[str, str], float]:
    """Running weight and weighted-income sums in income order (the stable order: income,
    then input row), per scenario: N_k and T_k of :func:`socialcover.survey.gini_linearised`,
    by ranges of income on the executors (:func:`socialcover.survey.running_sums`, two
    jobs per scenario). Returns the running sums (to release), each scenario's Gini, its
    linearised variable as SQL, and the total weight."""
    from socialcover.survey import running_sums

    runs: list[Any] = []
    gini: dict[str, float] = {}
    z: dict[str, str] = {}
    big_n = 0.0
    current = frame
    try:
        for sc in SCENARIOS:
            y = double(f"disposable_income__{sc}")
            run = running_sums(
                current,
                [y, ROW],
                {f"_nk_{sc}": w, f"_tk_{sc}": f"{w} * {y}"},
                products={"a": (f"{w} * {y}", f"_nk_{sc}")},
                also={"b": f"{w} * ({w} * {y})"},
                rows=n,
            )
            runs.append(run)
            if len(runs) > 1:  # the reform's ranges are cached: the baseline's are not read
                runs[-2].release()
            current = run.frame
            big_n, t = run.totals[f"_nk_{sc}"], run.totals[f"_tk_{sc}"]
            nt = big_n * t
            if nt == 0:
                gini[sc], z[f"gini__{sc}__all"] = float("nan"), "CAST(0.0 AS DOUBLE)"
                continue
            g = (2 * run.products["a"] - run.totals["b"]) / nt - 1
            gini[sc] = g
            z[f"gini__{sc}__all"] = (
                f"(2.0D * {y} * _nk_{sc} + 2.0D * ({number(t)} - _tk_{sc}) "
                f"- {number(g + 1)} * ({number(t)} + {number(big_n)} * {y})) / {number(nt)}"
            )
    except BaseException:
        for run in runs:
            run.release()
        raise
    return runs, gini, z, big_n


def _groups(columns: Sequence[str], big_n: float) -> dict[str, str]:
    """The breakdown columns of :func:`socialcover.microsim.impact._groups`, as SQL."""
    share = f"_nk_base / {number(big_n)}"
    tie = number(BOUNDARY)
    out = {
        "decile": f"CAST(LEAST(GREATEST(CEIL({share} * 10 - {tie}), 1), 10) AS TINYINT)",
        "quintile": f"CAST(LEAST(GREATEST(CEIL({share} * 5 - {tie}), 1), 5) AS TINYINT)",
    }
    if "age" in columns:
        bands = " ".join(
            f"WHEN age >= {lo} AND age <= {hi} THEN '{label}'" for lo, hi, label in AGE_BANDS
        )
        out["age_band"] = f"CASE WHEN age IS NULL THEN NULL {bands} ELSE NULL END"
    if "informal" in columns:
        lab = "labour_status" if "labour_status" in columns else "'employed'"
        out["informal_work"] = (
            "CASE WHEN CAST(informal AS DOUBLE) = 1 THEN 'informal' "
            "WHEN CAST(informal AS DOUBLE) = 0 THEN 'formal' "
            f"WHEN {lab} = 'employed' THEN 'employed, unknown' ELSE 'not employed' END"
        )
    return out


class _UnitSums:
    """Totals and means of many per-person columns over the design, on Spark.

    The survey package sums ``w * v`` of every column per (group, sampling unit) where the
    rows are, for all the columns and breakdowns asked at once, and runs its variance
    algebra on those sums (:func:`socialcover.survey.estimate_units`: one statement for a
    design with PSUs; two for an element design, whose second sums the means' exact squared
    scores per (group, stratum); replicate designs from the replicates' sums per group), as
    :func:`socialcover.survey.unit_sums` and ``Sample`` in memory.
    """

    def __init__(self, frame: Any, design: Any) -> None:
        from socialcover.survey import bind

        self.bound = bind(frame, design, backend="spark", spark=frame.sparkSession)

    def run(
        self, totals: Sequence[str], means: Sequence[str], breakdowns: Sequence[str | None]
    ) -> dict[str | None, tuple[pl.DataFrame, pl.DataFrame]]:
        from socialcover.survey import estimate_units

        got = estimate_units(
            self.bound, {n: quote(n) for n in totals}, {n: quote(n) for n in means}, breakdowns
        )
        out = {}
        for by, u in got.items():
            t = [estimates_frame(n, u.levels, by, *_se(u.totals[n])) for n in totals]
            m = [estimates_frame(n, u.levels, by, *_se(u.means[n])) for n in means]
            out[by] = (pl.concat(t), pl.concat(m))
        return out


def _se(pair: tuple[Any, Any]) -> tuple[Any, Any]:
    est, var = pair
    return est, np.sqrt(var)  # as in memory


def impact_parts(
    frame: Any,
    programmes: Sequence[str],
    household: Sequence[str],
    design: Any,
    lines: Mapping[str, str | float],
    groups: Sequence[str],
    threshold: float,
    breakdowns: bool,
    say: Callable[[str], None],
) -> tuple[list[pl.DataFrame], int]:
    """The estimate frames of :func:`~socialcover.microsim.impact.measure_impact` (variable,
    group, estimate, se; a ``by`` column for breakdowns), and the number of persons."""
    cols = frame.columns
    if design.weights is not None and design.weights not in cols:
        frame = frame.selectExpr("*", f"1.0D AS {quote(design.weights)}")
    w = double(design.weights) if design.weights else "1.0D"
    say("preparing incomes, lines and groups")
    runs: list[Any] = []
    # The rules run once: the lines' check, the ranges' sample and the ranked rows read the
    # persons Spark caches here (each pass over the lazy frame would run them again).
    frame = frame.persist()
    try:
        z, n = _check_lines(frame, lines)
        totals, means = _variables(programmes, household, z, threshold)
        runs, gini, linearised, big_n = _ranked(frame, w, n)
        frame.unpersist()  # the ranked rows are cached
        ordered = runs[-1].frame
        group_sql = _groups(cols, big_n) if breakdowns else {}
        splits = ("decile", "quintile", *[g for g in groups if g in group_sql or g in cols])
        design_cols = [c for c in design.columns() if c in ordered.columns]
        kept = dict.fromkeys(
            [*design_cols, *[g for g in splits if g in cols and g not in group_sql and breakdowns]]
        )
        exprs = [quote(c) for c in kept]
        exprs += [f"{sql} AS {quote(k)}" for k, sql in group_sql.items() if k not in kept]
        exprs += [f"{sql} AS {quote(k)}" for k, sql in {**totals, **means, **linearised}.items()]
        per_person = ordered.selectExpr(*exprs)
        changes = {
            **_changes(list(totals)),
            **_changes([k for k in means if "__change__" not in k]),
            **_changes(list(linearised)),
        }
        # read from the ranked rows Spark caches: the rules do not run again
        per_person = per_person.selectExpr(
            "*", *[f"{sql} AS {quote(k)}" for k, sql in changes.items()], "1.0D AS _sc_one"
        )
        est = _UnitSums(per_person, design)
        say("estimating costs, beneficiaries, poverty and inequality")
        t_names = [*totals, *_changes(list(totals))]
        m_names = [*means, *_changes([k for k in means if "__change__" not in k])]
        g_names = [*linearised, *_changes(list(linearised))]
        t_all, m_all = est.run([*t_names, *g_names], m_names, [None])[None]
        point = {f"gini__{sc}__all": g for sc, g in gini.items()}
        point["gini__change__all"] = gini["reform"] - gini["base"]
        is_gini = pl.col("variable").is_in(g_names)
        # the SE of a Gini is that of the total of its linearised variable
        parts = [
            t_all.filter(~is_gini),
            m_all,
            t_all.filter(is_gini).with_columns(
                estimate=pl.col("variable").replace_strict(point, return_dtype=pl.Float64)
            ),
        ]
        first = next(iter(lines), None)
        by_totals = ["cost__base__all", "cost__reform__all", "cost__change__all"]
        by_means = ["gain__change__all", "winners__change__all", "losers__change__all"]
        if first is not None:
            by_means += [f"fgt0__{sc}__{first}" for sc in (*SCENARIOS, "change")]
        if breakdowns:
            say(f"estimating by {', '.join(splits)}")
            got = est.run(by_totals, by_means, list(splits))
            for by in splits:
                t, m = got[by]
                parts += [t.with_columns(by=pl.lit(by)), m.with_columns(by=pl.lit(by))]
    except MicrosimDataError:
        raise
    except Exception as exc:
        from socialcover.errors import SocialcoverError
        from socialcover.survey import spark_error

        if isinstance(exc, SocialcoverError):
            raise
        raise spark_error(exc, "estimating the impact on Spark") from exc
    finally:
        frame.unpersist()
        for run in runs:
            run.release()
    return parts, n
