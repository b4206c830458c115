"""A baseline, a reform and their impact on a Spark DataFrame, with only results to the driver.

The same numbers as :func:`~socialcover.microsim.simulation.run_population` and
:func:`~socialcover.microsim.impact.measure_impact` give in memory, computed by Spark:

* the rules run as Spark SQL (:func:`~socialcover.microsim.execution.run_rules`), the reform
  over the baseline's output (so both scenarios sit on one row per person, with no join);
* the per-person variables (costs, beneficiaries, FGT indices, gains) are SQL expressions;
* the Gini's linearised variable and the income deciles need the persons ordered by income:
  running sums over a window ordered by (income, input row), the stable order NumPy sorts
  by, so the deciles are the in-memory ones to the person. Spark runs a window without a
  partition in one task (the rows move to one executor, never to the driver);
* every total and mean, with its SE, is an estimate of the survey package on Spark
  (:class:`socialcover.survey.Sample`): only (domain, sampling unit) sums come back. A
  change (reform - baseline) is the estimate of the difference variable: the same paired
  difference as in memory, since sums are linear.

The frame of per-person variables is persisted (memory, spilling to disk) while the estimates
run, and released afterwards; nothing is set on the session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.execution import run_rules
from socialcover.microsim.rules import RuleSet

__all__ = ["ROW", "impact_parts", "population_frame"]

ROW = "_sc_row"  # the input's row order: ties in income are ordered as NumPy's stable sort
SCENARIOS = ("base", "reform")
AGE_BANDS = ((0, 14, "0-14"), (15, 24, "15-24"), (25, 64, "25-64"), (65, 200, "65+"))


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _num(value: float) -> str:
    """A double literal (a bare 1.5 is a decimal in Spark SQL)."""
    return f"CAST('{float(value)!r}' AS DOUBLE)"


def _d(name: str) -> str:
    return f"CAST({_q(name)} AS DOUBLE)"


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
        *[_q(c) for c in used if c in present],
        *[F.col(_q(c)).alias(a) for c, a in alias.items()],
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
        *[_q(c) for c in passed],
        *[F.col(_q(alias[c])).alias(c) for c in ("hh_id", *reads)],
        *[F.col(_q(o)).alias(n) for o, n in named.items()],
    )
    # the reform runs over the baseline's output: both scenarios on one row, no join
    alt_out = [*reform_rules.programmes, *totals]
    passed = [*passed, *named.values()]
    both = run_rules(reform_rules, base, period, outputs=alt_out, keep=passed, spread=True).persons
    both = both.select(
        *[F.col(_q(a)).alias(c) for c, a in alias.items() if c in keep],
        _q(ROW),
        *[
            F.col(_q(n)).alias("income_before" if o == "income_before" else n)
            for o, n in named.items()
        ],
        *[F.col(_q(o)).alias(f"{o}__reform") for o in alt_out],
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
            col = _q(f"{name}__{scenario}")
            share = f"{col} / _hh_n" if prog.entity == "household" else col
            cols.append(f"{share} AS {_q(f'{name}__{scenario}__share')}")
    # A programme absent from one scenario pays nothing there.
    for scenario, rs in (("base", rules), ("reform", reform_rules)):
        for name in programmes:
            if name not in rs.programmes:
                cols += [
                    f"CAST(0.0 AS DOUBLE) AS {_q(f'{name}__{scenario}')}",
                    f"CAST(0.0 AS DOUBLE) AS {_q(f'{name}__{scenario}__share')}",
                ]
    return both.selectExpr(*cols), programmes, hh_progs


def _check_lines(frame: Any, lines: Mapping[str, str | float]) -> dict[str, str]:
    """Each poverty line as an SQL expression, checked as in memory (one Spark job)."""
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
            out[name] = _d(line)
            counts.append(f"SUM(CASE WHEN {_d(line)} IS NULL OR {_d(line)} <= 0 THEN 1 ELSE 0 END)")
        else:
            out[name] = _num(float(line))
            counts.append("0" if float(line) > 0 else "COUNT(*)")
    bad = (
        frame.selectExpr(*[f"{c} AS _b{i}" for i, c in enumerate(counts)]).first() if counts else []
    )
    for (name, _), n in zip(lines.items(), bad or [], strict=True):
        if n:
            raise MicrosimDataError(
                f"poverty line {name!r} is missing or not positive for {int(n)} person(s)",
                code="microsim.bad-line",
                hint="Give a positive line (LCU per person per year) for everyone, e.g. "
                "--line national=7200.",
            )
    return out


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
            paid = f"CAST({_d(f'{p}__{sc}')} > 0 AS DOUBLE)"
            totals[f"cost__{sc}__{p}"] = _d(f"{p}__{sc}__share")
            totals[f"beneficiaries__{sc}__{p}"] = f"{paid} / _hh_n" if p in household else paid
            totals[f"persons_reached__{sc}__{p}"] = paid
        benefits = _d(f"benefits__{sc}")
        totals[f"cost__{sc}__all"] = f"{benefits} / _hh_n"
        totals[f"beneficiaries__{sc}__all"] = f"CAST({benefits} > 0 AS DOUBLE)"
        totals[f"persons_reached__{sc}__all"] = totals[f"beneficiaries__{sc}__all"]
        y = _d(f"disposable_income__{sc}")
        means[f"mean_income__{sc}__all"] = y
        for name, z in lines.items():
            gap = f"GREATEST(({z} - {y}) / {z}, CAST(0.0 AS DOUBLE))"
            means[f"fgt0__{sc}__{name}"] = f"CAST({y} < {z} AS DOUBLE)"
            means[f"fgt1__{sc}__{name}"] = gap
            means[f"fgt2__{sc}__{name}"] = f"{gap} * {gap}"
    yb, yr = _d("disposable_income__base"), _d("disposable_income__reform")
    tol = f"{_num(threshold)} * ABS({yb})"
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
            out[f"{ind}__change__{rest}"] = f"{_q(f'{ind}__reform__{rest}')} - {_q(key)}"
    return out


def _gini_inputs(frame: Any, w: str) -> Any:
    """Running weight and weighted-income sums in income order (the stable order), per
    scenario: N_k and T_k of :func:`socialcover.survey.gini_linearised`."""
    cols = ["*"]
    for sc in SCENARIOS:
        y = _d(f"disposable_income__{sc}")
        win = f"(ORDER BY {y}, {ROW} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
        cols += [f"SUM({w}) OVER {win} AS _nk_{sc}", f"SUM({w} * {y}) OVER {win} AS _tk_{sc}"]
    return frame.selectExpr(*cols)


def _ginis(frame: Any, w: str) -> tuple[dict[str, float], dict[str, str], float]:
    """Each scenario's Gini, its linearised variable as SQL, and the total weight (one job)."""
    sums = []
    for sc in SCENARIOS:
        y = _d(f"disposable_income__{sc}")
        sums += [
            f"SUM(({w} * {y}) * _nk_{sc}) AS a_{sc}",
            f"SUM({w} * ({w} * {y})) AS b_{sc}",
            f"SUM({w} * {y}) AS t_{sc}",
        ]
    row = frame.selectExpr(f"SUM({w}) AS n", *sums).first()
    big_n = float(row["n"] or 0.0)
    gini: dict[str, float] = {}
    z: dict[str, str] = {}
    for sc in SCENARIOS:
        a, b, t = (float(row[f"{k}_{sc}"] or 0.0) for k in ("a", "b", "t"))
        nt = big_n * t
        if nt == 0:
            gini[sc], z[f"gini__{sc}__all"] = float("nan"), "CAST(0.0 AS DOUBLE)"
            continue
        g = (2 * a - b) / nt - 1
        gini[sc] = g
        y = _d(f"disposable_income__{sc}")
        z[f"gini__{sc}__all"] = (
            f"(2.0D * {y} * _nk_{sc} + 2.0D * ({_num(t)} - _tk_{sc}) "
            f"- {_num(g + 1)} * ({_num(t)} + {_num(big_n)} * {y})) / {_num(nt)}"
        )
    return gini, z, big_n


def _groups(columns: Sequence[str], big_n: float) -> dict[str, str]:
    """The breakdown columns of :func:`socialcover.microsim.impact._groups`, as SQL."""
    share = f"_nk_base / {_num(big_n)}"
    out = {
        "decile": f"CAST(LEAST(GREATEST(CEIL({share} * 10), 1), 10) AS TINYINT)",
        "quintile": f"CAST(LEAST(GREATEST(CEIL({share} * 5), 1), 5) AS TINYINT)",
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


_SCHEMA = {"variable": pl.String, "group": pl.String, "estimate": pl.Float64, "se": pl.Float64}


class _PerVariable:
    """Replicate and element designs: each total and mean is one estimate of
    :class:`socialcover.survey.Sample` on Spark (one aggregate statement each)."""

    def __init__(self, frame: Any, design: Any) -> None:
        from socialcover.survey import Sample

        self.sample = Sample(frame, design, spark=frame.sparkSession)

    def _one(self, kind: str, name: str, by: str | None) -> pl.DataFrame:
        call = self.sample.total if kind == "total" else self.sample.mean
        est = call(name, by=by).to_polars()
        if by is not None:
            est = est.filter(pl.col(by).is_not_null())
        levels = [str(v) for v in est[by].to_list()] if by else ["all"]
        return _frame(name, levels, by, est["estimate"], est["se"])

    def totals(self, names: Sequence[str], by: str | None = None) -> pl.DataFrame:
        return pl.concat([self._one("total", n, by) for n in names])

    def means(self, names: Sequence[str], by: str | None = None) -> pl.DataFrame:
        return pl.concat([self._one("mean", n, by) for n in names])


class _UnitSums:
    """Totals and means of many per-person columns over a Taylor design, on Spark.

    One aggregate statement per breakdown sums ``w * v`` of every column per (group,
    sampling unit), as :func:`socialcover.survey.unit_sums` does in memory; the variance
    algebra is then the survey package's own (:meth:`socialcover.survey.RowDesign.variance`,
    :func:`socialcover.survey.ratios`), on those sums. The design is bound on Spark
    (its sampling structure: one row per stratum and unit comes back).
    """

    def __init__(self, frame: Any, design: Any) -> None:
        import numpy as np

        from socialcover.survey import RowDesign, bind

        self.frame = frame
        self.bound = bind(frame, design, backend="spark", spark=frame.sparkSession)
        self.rows = RowDesign(design, np.zeros(0, np.int64), np.zeros(0), self.bound)
        self.weight = _d(design.weights) if design.weights else "1.0D"

    def sums(self, names: Sequence[str], by: str | None, counts: Sequence[str]) -> Any:
        import numpy as np

        from socialcover.survey import UnitSums

        st = self.bound.structure
        keys = [a for _, a in st.key_sql]
        group = _q(by) if by else "'all'"
        inner = [f"{e} AS {a}" for e, a in st.key_sql]
        inner += [f"{group} AS _g", f"{self.weight} AS _w"]
        inner += [f"CAST({_q(n)} AS DOUBLE) AS _v{i}" for i, n in enumerate(names)]
        outer = [*keys, "_g"]
        outer += [f"SUM(_w * _v{i}) AS _s{i}" for i in range(len(names))]
        outer += [
            f"SUM(CASE WHEN _v{names.index(c)} <> 0 THEN 1.0D ELSE 0.0D END) AS _n{j}"
            for j, c in enumerate(counts)
        ]
        view = f"_sc_impact_{id(self):x}"
        self.frame.createOrReplaceTempView(view)
        sql = (
            f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {view}) AS _sc_in "
            f"WHERE _g IS NOT NULL GROUP BY {', '.join([*keys, '_g'])}"
        )
        agg = pl.from_arrow(self.frame.sparkSession.sql(sql).toArrow())
        assert isinstance(agg, pl.DataFrame)
        levels = sorted(agg["_g"].unique().to_list())
        agg = agg.join(
            pl.DataFrame(
                {"_g": levels, "_dom": list(range(len(levels)))},
                schema_overrides={"_g": agg.schema["_g"]},
            ),
            on="_g",
        )
        if keys:
            agg = agg.join(st.units.cast({k: agg.schema[k] for k in keys}), on=keys, how="left")
        else:
            agg = agg.with_columns(_u=pl.lit(0, pl.Int64))
        return UnitSums(
            [str(v) for v in levels],
            agg["_dom"].to_numpy().astype(np.int64),
            agg["_u"].to_numpy().astype(np.int64),
            {n: agg[f"_s{i}"].to_numpy().astype(np.float64) for i, n in enumerate(names)},
            {c: agg[f"_n{j}"].to_numpy().astype(np.float64) for j, c in enumerate(counts)},
        )

    def totals(self, names: Sequence[str], by: str | None = None) -> pl.DataFrame:
        import numpy as np

        sums = self.sums(names, by, ())
        n_dom = len(sums.levels)
        out = []
        for name in names:
            t = sums.sums[name]
            est = np.bincount(sums.dom, weights=t, minlength=n_dom)
            var = self.rows.variance(sums.dom, sums.unit, t, n_dom)
            out.append(_frame(name, sums.levels, by, est, np.sqrt(var)))
        return pl.concat(out)

    def means(self, names: Sequence[str], by: str | None = None) -> pl.DataFrame:
        import numpy as np

        from socialcover.survey import ratios

        sums = self.sums([*names, "_sc_one"], by, ["_sc_one"])
        r = ratios(self.rows, sums, [(name, "_sc_one") for name in names])
        out = []
        for j, name in enumerate(names):
            with np.errstate(divide="ignore", invalid="ignore"):
                est = np.where(r.denominator[j] != 0, r.numerator[j] / r.denominator[j], np.nan)
            out.append(_frame(name, r.levels, by, est, np.sqrt(r.variance[j])))
        return pl.concat(out)


def _frame(name: str, levels: list[str], by: str | None, est: Any, se: Any) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "variable": [name] * len(levels),
            "group": levels if by is not None else [None] * len(levels),
            "estimate": np.asarray(est, np.float64),
            "se": np.asarray(se, np.float64),
        },
        schema=_SCHEMA,
    )


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
    from socialcover.survey import Design

    cols = frame.columns
    if design.weights is not None and design.weights not in cols:
        frame = frame.selectExpr("*", f"1.0D AS {_q(design.weights)}")
    w = _d(design.weights) if design.weights else "1.0D"
    say("preparing incomes, lines and groups")
    z = _check_lines(frame, lines)
    totals, means = _variables(programmes, household, z, threshold)
    ordered = _gini_inputs(frame, w)
    gini, linearised, big_n = _ginis(ordered, w)
    group_sql = _groups(cols, big_n) if breakdowns else {}
    splits = ("decile", "quintile", *[g for g in groups if g in group_sql or g in cols])
    design_cols = [c for c in design.columns() if c in ordered.columns]
    kept = dict.fromkeys(
        [*design_cols, *[g for g in splits if g in cols and g not in group_sql and breakdowns]]
    )
    exprs = [_q(c) for c in kept]
    exprs += [f"{sql} AS {_q(k)}" for k, sql in group_sql.items() if k not in kept]
    exprs += [f"{sql} AS {_q(k)}" for k, sql in {**totals, **means, **linearised}.items()]
    per_person = ordered.selectExpr(*exprs)
    changes = {
        **_changes(list(totals)),
        **_changes([k for k in means if "__change__" not in k]),
        **_changes(list(linearised)),
    }
    per_person = per_person.selectExpr(
        "*", *[f"{sql} AS {_q(k)}" for k, sql in changes.items()], "1.0D AS _sc_one"
    )
    per_person = per_person.persist()  # scanned once per estimate: computed once
    try:
        n = per_person.count()
        batched = isinstance(design, Design) and bool(design.psu)
        est: Any = _UnitSums(per_person, design) if batched else _PerVariable(per_person, design)
        say("estimating costs, beneficiaries, poverty and inequality")
        t_names = [*totals, *_changes(list(totals))]
        m_names = [*means, *_changes([k for k in means if "__change__" not in k])]
        g_names = [*linearised, *_changes(list(linearised))]
        parts = [est.totals(t_names), est.means(m_names)]
        point = {f"gini__{sc}__all": g for sc, g in gini.items()}
        point["gini__change__all"] = gini["reform"] - gini["base"]
        # the SE of a Gini is that of the total of its linearised variable
        parts.append(
            est.totals(g_names).with_columns(
                estimate=pl.col("variable").replace_strict(point, return_dtype=pl.Float64)
            )
        )
        first = next(iter(lines), None)
        by_totals = ["cost__base__all", "cost__reform__all", "cost__change__all"]
        by_means = ["gain__change__all", "winners__change__all", "losers__change__all"]
        if first is not None:
            by_means += [f"fgt0__{sc}__{first}" for sc in (*SCENARIOS, "change")]
        if breakdowns:
            for by in splits:
                say(f"estimating by {by}")
                parts += [
                    est.totals(by_totals, by).with_columns(by=pl.lit(by)),
                    est.means(by_means, by).with_columns(by=pl.lit(by)),
                ]
    except MicrosimDataError:
        raise
    except Exception as exc:
        from socialcover.errors import SocialcoverError
        from socialcover.survey import spark_error

        if isinstance(exc, SocialcoverError):
            raise
        raise spark_error(exc, "estimating the impact on Spark") from exc
    finally:
        per_person.unpersist()
    return parts, n
