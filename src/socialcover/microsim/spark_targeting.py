"""Calibration, proxy means tests and informal-economy schemes on a Spark DataFrame.

The same numbers as :mod:`~socialcover.microsim.calibration` and
:mod:`~socialcover.microsim.scheme` compute in memory, computed by Spark; only aggregates come
back to the driver (weighted sums per group and sampling unit, a few totals, the bin sums of
a weighted median, one row of sums per Monte Carlo draw), never persons:

* the rules run as Spark SQL (:func:`~socialcover.microsim.execution.run_rules`); a scheme's
  variants run one over the other's output, so every variant sits on one row per person;
* calibration to a budget or a poverty target is Brent's method on the driver, as in memory,
  each evaluation being the rules with the parameter overridden and one aggregate statement
  (the input's columns persisted meanwhile): the search is sequential, each step is
  distributed;
* fitting a take-up intercept is Brent's method too, each step one sum over the eligible
  (their price, income and weight persisted);
* the weighted median income of each variant's eligible is found by the survey engine's
  quantile search (:func:`socialcover.survey.locate_windows`: bin sums, then a narrow window);
* every total and ratio, with its SE, is the survey engine's estimate from sums per (group,
  sampling unit) (the Taylor designs of :mod:`~socialcover.microsim.spark_impact`), or a
  :class:`~socialcover.survey.Sample` estimate on Spark for other designs;
* the Monte Carlo over the take-up parameters is one statement: the draws (a small table,
  broadcast) crossed with the eligible, summed per draw.

Spark's failures come out as the project's errors (:func:`socialcover.survey.spark_error`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from socialcover.errors import InputError
from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.execution import run_rules
from socialcover.microsim.rules import RuleSet
from socialcover.microsim.spark_sql import double, estimates_frame, number, quote

if TYPE_CHECKING:
    from socialcover.microsim.scheme_model import Scheme, TakeUp

__all__ = [
    "SparkEstimates",
    "SparkEvaluator",
    "on_spark",
    "pmt_on_spark",
    "scheme_on_spark",
    "spark_errors",
    "take_up_on_spark",
]

ONE = "_sc_one"


def on_spark(data: Any, engine: str, spark: Any) -> Any | None:
    """``data`` as a Spark DataFrame when it is one or ``engine="spark"`` (paths read by
    Spark itself), else ``None`` (the in-memory path)."""
    if engine not in ("auto", "spark"):
        raise MicrosimDataError(
            f"unknown engine {engine!r}",
            code="microsim.bad-backend",
            hint='Use "auto" (where the data are decide) or "spark".',
        )
    if engine != "spark" and not type(data).__module__.startswith("pyspark.sql"):
        return None
    from socialcover.survey import read_spark

    return read_spark(data, spark)


@contextmanager
def spark_errors(doing: str) -> Iterator[None]:
    """Spark's and Py4J's exceptions as the project's errors (with a hint)."""
    try:
        yield
    except Exception as exc:
        from socialcover.errors import SocialcoverError
        from socialcover.survey import spark_error

        if isinstance(exc, SocialcoverError):
            raise
        raise spark_error(exc, doing) from exc


def _need(frame: Any, columns: Sequence[str], why: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MicrosimDataError(
            f"the population has no column {', '.join(repr(m) for m in missing)}, which {why}",
            code="microsim.missing-column",
            hint="Map the survey's columns to the standard concepts (socialcover.survey.io), "
            "or rename them.",
            missing=missing,
        )


def _first(frame: Any, exprs: Sequence[str]) -> list[float]:
    row = frame.selectExpr(*[f"{e} AS _a{i}" for i, e in enumerate(exprs)]).first()
    return [float(v) if v is not None else 0.0 for v in row]


class SparkEstimates:
    """Totals and ratios of per-person columns of a Spark frame, with design-based SEs.

    A Taylor design with PSUs is summed per (group, sampling unit) in one statement per call
    (:func:`socialcover.survey.sum_units`) and the variance algebra is the survey engine's;
    other designs go through :class:`~socialcover.survey.Sample` on Spark, one statement per
    estimate. Frames have columns variable, group, estimate and se, as
    :class:`~socialcover.microsim.estimation.PopulationEstimates` gives them.
    """

    def __init__(self, frame: Any, design: Any) -> None:
        from socialcover.survey import Design, Sample, bind, unit_design

        if ONE not in frame.columns:
            frame = frame.selectExpr("*", f"1.0D AS {ONE}")
        self.frame = frame
        self.batched = isinstance(design, Design) and bool(design.psu)
        # a design with PSUs is bound once (its sampling structure comes back); others are
        # estimated by the Sample below
        self.bound = (
            bind(frame, design, backend="spark", spark=frame.sparkSession) if self.batched else None
        )
        self.rows = unit_design(self.bound) if self.bound is not None else None
        self.sample = None if self.batched else Sample(frame, design, spark=frame.sparkSession)

    def estimate(
        self,
        totals: Mapping[str, str],
        means: Mapping[str, tuple[str, str | None]],
        by: str | None = None,
    ) -> pl.DataFrame:
        """``totals`` (label -> column) and ``means`` (label -> (column, denominator column,
        all persons when ``None``)), overall or by the column ``by``."""
        ratios_of = {k: (n, d or ONE) for k, (n, d) in means.items()}
        out: list[pl.DataFrame] = []
        if self.bound is not None and self.rows is not None:
            from socialcover.survey import ratios, sum_units

            dens = list(dict.fromkeys(d for _, d in ratios_of.values()))
            names = list(
                dict.fromkeys([*totals.values(), *[n for n, _ in ratios_of.values()], *dens])
            )
            sums = sum_units(self.bound, {n: quote(n) for n in names}, by=by, counts=dens)
            n_dom = len(sums.levels)
            for label, col in totals.items():
                t = sums.sums[col]
                est = np.bincount(sums.dom, weights=t, minlength=n_dom)
                var = self.rows.variance(sums.dom, sums.unit, t, n_dom)
                out.append(estimates_frame(label, sums.levels, by, est, np.sqrt(var)))
            if ratios_of:
                r = ratios(self.rows, sums, list(ratios_of.values()))
                for j, label in enumerate(ratios_of):
                    with np.errstate(divide="ignore", invalid="ignore"):
                        est = np.where(
                            r.denominator[j] != 0, r.numerator[j] / r.denominator[j], np.nan
                        )
                    out.append(estimates_frame(label, r.levels, by, est, np.sqrt(r.variance[j])))
            return pl.concat(out)
        assert self.sample is not None
        sample = self.sample
        found = [(label, sample.total(col, by=by)) for label, col in totals.items()]
        found += [(label, sample.ratio(n, d, by=by)) for label, (n, d) in ratios_of.items()]
        for label, estimate in found:
            got = estimate.to_polars()
            if by is not None:
                got = got.filter(pl.col(by).is_not_null())
            levels = [str(v) for v in got[by].to_list()] if by else ["all"]
            out.append(estimates_frame(label, levels, by, got["estimate"], got["se"]))
        return pl.concat(out)


def _carried(
    frame: Any, columns: Sequence[str], reads: Sequence[str]
) -> tuple[Any, dict[str, str]]:
    """The inputs the rules read under their names, and ``columns`` (plus those inputs) under
    aliases: columns passed through run_rules' ``keep=`` reach the rules untyped, so the rules
    read the originals and the copies travel beside them."""
    present = frame.columns
    alias = {c: f"_sc_k_{c}" for c in dict.fromkeys(["hh_id", *columns, *reads]) if c in present}
    originals = [c for c in dict.fromkeys(["hh_id", *reads]) if c in present]
    exprs = [quote(c) for c in originals]
    exprs += [f"{quote(c)} AS {quote(a)}" for c, a in alias.items()]
    return frame.selectExpr(*exprs), alias


class SparkEvaluator:
    """The rules with a parameter overridden, and their cost or poverty index, on Spark.

    The columns the rules read (and the weight, the line and the household size) are
    persisted once; each evaluation is the rules as Spark SQL and one aggregate statement.
    Call :meth:`close` to release them.
    """

    def __init__(
        self,
        rules: RuleSet,
        frame: Any,
        period: int | str,
        weight: str | None,
        programmes: list[str] | None,
        line: str | float,
    ) -> None:
        if weight is not None and weight not in frame.columns:
            raise InputError(
                f"the population has no weight column {weight!r}",
                code="microsim.missing-column",
                hint="Pass weight=None for an unweighted population.",
            )
        _need(frame, ["hh_id"], "identifies households")
        self.rules = rules
        self.period = period
        self.programmes = programmes or list(rules.programmes)
        carry = [c for c in (weight, line if isinstance(line, str) else None) if c]
        base, self.alias = _carried(frame, carry, rules.used_inputs())
        with spark_errors("preparing the population for calibration"):
            self.base = base.selectExpr(
                "*", "CAST(COUNT(*) OVER (PARTITION BY hh_id) AS DOUBLE) AS _sc_hh_n"
            ).persist()
        self.weight = double(self.alias[weight]) if weight else "1.0D"
        self.present = frame.columns
        self.calls = 0

    def close(self) -> None:
        self.base.unpersist()

    def _sums(self, params: dict[str, float], exprs: Sequence[str]) -> list[float]:
        self.calls += 1
        with spark_errors("evaluating the rules for calibration"):
            out = run_rules(
                self.rules,
                self.base,
                self.period,
                outputs=[*self.programmes, "disposable_income"],
                keep=[*self.alias.values(), "_sc_hh_n"],
                params=params,
                spread=True,
            ).persons
            return _first(out, exprs)

    def cost(self, params: dict[str, float]) -> float:
        w = self.weight
        exprs = []
        for name in self.programmes:
            x = double(name)
            if self.rules.programmes[name].entity == "household":
                x = f"({x} / _sc_hh_n)"
            exprs.append(f"SUM({w} * {x})")
        total = 0.0
        for v in self._sums(params, exprs):
            total += v
        return total

    def poverty(self, params: dict[str, float], line: str | float, alpha: int) -> float:
        if isinstance(line, str):
            if line not in self.present:
                raise MicrosimDataError(
                    f"the population has no poverty line column {line!r}",
                    code="microsim.missing-column",
                    hint="Map poverty_line, or give line= as a number (LCU per person per year).",
                )
            z = double(self.alias[line])
        else:
            z = number(float(line))
        y = double("disposable_income")
        gap = f"GREATEST(({z} - {y}) / {z}, 0.0D)"
        fgt = (
            f"CAST({y} < {z} AS DOUBLE)" if alpha == 0 else gap if alpha == 1 else f"{gap} * {gap}"
        )
        w = self.weight
        num, den = self._sums(params, [f"SUM({w} * {fgt})", f"SUM({w})"])
        return num / den


def pmt_on_spark(
    rules: RuleSet, frame: Any, period: int | str, design: Any, say: Callable[[str], None]
) -> tuple[Any, pl.DataFrame]:
    """The scores (a lazy Spark DataFrame: hh_id, score, selected, poor) and the targeting
    errors with their SEs (one aggregate statement for a Taylor design with PSUs)."""
    from socialcover.survey import Design

    _need(frame, ["hh_id"], "identifies households")
    if design is None:
        cols = frame.columns
        design = Design(
            weights="weight" if "weight" in cols else None,
            strata="strata" if "strata" in cols else None,
            psu="psu" if "psu" in cols else None,
            lonely_psu="adjust",
        )
    _need(frame, list(design.columns()), "the design names")
    say("scoring households")
    base, alias = _carried(frame, list(design.columns()), rules.used_inputs())
    outs = ["pmt_score", "pmt_poor", "pmt_selected_eligible"]
    with spark_errors("scoring households on Spark"):
        per = run_rules(rules, base, period, outputs=outs, keep=list(alias.values()), spread=True)
        per = per.persons.selectExpr(
            *[f"{quote(a)} AS {quote(c)}" for c, a in alias.items()], *[quote(o) for o in outs]
        )
        scores = per.selectExpr(
            "hh_id", "pmt_score AS score", "pmt_selected_eligible AS selected", "pmt_poor AS poor"
        )
        flags = per.selectExpr(
            *[quote(c) for c in design.columns()],
            f"{double('pmt_selected_eligible')} AS _sc_sel",
            f"{double('pmt_poor')} AS _sc_poor",
        )
        flags = flags.selectExpr(
            "*",
            "_sc_poor * (1.0D - _sc_sel) AS _sc_excl",
            "_sc_sel * (1.0D - _sc_poor) AS _sc_incl",
        ).persist()
    say("estimating targeting errors")
    try:
        with spark_errors("estimating targeting errors on Spark"):
            errors = SparkEstimates(flags, design).estimate(
                {},
                {
                    "exclusion_error": ("_sc_excl", "_sc_poor"),
                    "inclusion_error": ("_sc_incl", "_sc_sel"),
                    "share_selected": ("_sc_sel", None),
                    "share_poor": ("_sc_poor", None),
                },
            )
    finally:
        flags.unpersist()
    return scores, errors.select(indicator="variable", estimate="estimate", se="se")


# --- schemes ---------------------------------------------------------------------------------


def _take_up_sql(price: str, income: str, median: float, t: TakeUp, a: str | None = None) -> str:
    """:func:`~socialcover.microsim.scheme.take_up_probability` as SQL (the same operations
    in the same order); ``a``, ``b``, ``g`` may be columns (Monte Carlo draws)."""
    y = f"GREATEST({income}, 1.0D)"
    p = f"GREATEST({price}, {number(t.transaction_cost)})"
    return _logit(
        p, y, median, a or number(t.intercept), number(t.price_elasticity), number(t.income_effect)
    )


def _logit(price: str, y: str, median: float, a: str, b: str, g: str) -> str:
    u = f"({a} + {b} * LN({price} / {y}) + {g} * LN({y} / {number(max(median, 1.0))}))"
    return f"(1.0D / (1.0D + EXP(-{u})))"


def _subsidy_sql(sub: Mapping[str, float | str], contribution: str, income: str) -> str:
    if sub["kind"] == "flat":
        return f"LEAST({number(float(sub['flat']))}, {contribution})"
    if sub["kind"] == "share":
        return f"{number(float(sub['share']))} * {contribution}"
    lo, hi = float(sub["from_income"]), float(sub["to_income"])
    taper = f"LEAST(GREATEST(({number(hi)} - {income}) / {number(hi - lo)}, 0.0D), 1.0D)"
    return f"{number(float(sub['share']))} * {taper} * {contribution}"


class SchemeFrame:
    """Every variant of a scheme on one row per person, on Spark (persisted until closed).

    Columns: the carried design and group columns, ``_sc_income`` (welfare), ``_sc_hh_n``
    (household size), and per variant ``i`` the person's ``_sc_v{i}_eligible`` (0/1),
    ``_sc_v{i}__group`` (its first group, "" when not eligible), ``_sc_v{i}_contribution``,
    ``_sc_v{i}_subsidy`` and ``_sc_v{i}_net_price``; :meth:`with_take_up` adds the take-up
    probability (``_sc_v{i}_members``, 0 when not eligible) and what follows from it.
    """

    def __init__(self, variants: Mapping[str, Scheme], frame: Any, carry: Sequence[str]) -> None:
        _need(frame, ["hh_id", "welfare"], "the scheme reads")
        self.variants = dict(variants)
        reads = list(dict.fromkeys(c for s in variants.values() for c in s.rules.used_inputs()))
        cur, alias = _carried(frame, [*carry, "welfare"], reads)
        originals = [c for c in dict.fromkeys(["hh_id", *reads]) if c in frame.columns]
        cur = cur.selectExpr(
            "*",
            f"{double(alias['welfare'])} AS _sc_income",
            "CAST(COUNT(*) OVER (PARTITION BY hh_id) AS DOUBLE) AS _sc_hh_n",
        )
        passed = [*alias.values(), "_sc_income", "_sc_hh_n"]
        for i, s in enumerate(variants.values()):
            outs = ["contribution_base", "scheme_eligible", *[f"group_{g}" for g in s.groups]]
            named = {o: f"_sc_v{i}_{o}" for o in outs}
            res = run_rules(s.rules, cur, s.period, outputs=outs, keep=passed, spread=True)
            cur = res.persons.selectExpr(
                *[quote(c) for c in passed],
                *[f"{quote(alias[c])} AS {quote(c)}" for c in originals],
                *[f"{quote(o)} AS {quote(n)}" for o, n in named.items()],
            )
            passed = [*passed, *named.values()]
        exprs = [*[f"{quote(a)} AS {quote(c)}" for c, a in alias.items()], "_sc_income", "_sc_hh_n"]
        for i, s in enumerate(variants.values()):
            v = f"_sc_v{i}_"
            elig = f"COALESCE(CAST({v}scheme_eligible AS BOOLEAN), FALSE)"
            cases = " ".join(
                f"WHEN COALESCE(CAST({quote(v + 'group_' + g)} AS BOOLEAN), FALSE) THEN '{g}'"
                for g in s.groups
            )
            # in parentheses: the subsidy multiplies the contribution, as in memory
            contribution = f"({number(s.rate)} * {double(v + 'contribution_base')})"
            subsidy = _subsidy_sql(s.subsidy, contribution, "_sc_income")
            exprs += [
                f"CAST({elig} AS DOUBLE) AS {v}eligible",
                f"CASE WHEN NOT {elig} THEN '' {cases} ELSE '' END AS {v}_group",
                f"{contribution} AS {v}contribution",
                f"{subsidy} AS {v}subsidy",
            ]
        with spark_errors("running the scheme's rules on Spark"):
            cur = cur.selectExpr(*exprs)
            cur = cur.selectExpr(
                "*",
                *[
                    f"_sc_v{i}_contribution - _sc_v{i}_subsidy AS _sc_v{i}_net_price"
                    for i in range(len(variants))
                ],
            ).persist()
        self.frame = cur
        self.prefix = {name: f"_sc_v{i}_" for i, name in enumerate(variants)}

    def close(self) -> None:
        self.frame.unpersist()

    def medians(self, design: Any) -> dict[str, float]:
        """Each variant's weighted median income among its eligible (1.0 when none), by the
        survey engine's quantile search over the eligible of every variant at once."""
        from socialcover.survey import Design, bind, locate_windows

        w = design.weights if design is not None else None
        wexpr = double(w) if w else "1.0D"
        parts = ", ".join(
            f"named_struct('v', {i}, 'e', {p}eligible, 'x', _sc_income, 'w', {wexpr})"
            for i, p in enumerate(self.prefix.values())
        )
        stacked = self.frame.selectExpr(f"inline(array({parts}))")
        with spark_errors("finding the median income of the eligible on Spark"):
            bound = bind(stacked, Design(weights="w"), backend="spark", spark=stacked.sparkSession)
            keys = [((i,), 0.5) for i in range(len(self.prefix))]
            found = locate_windows(bound, "CAST(x AS DOUBLE)", ["v"], "e > 0", keys, "math")
        out = {}
        for name, win in zip(self.prefix, found, strict=True):
            if win is None:
                out[name] = 1.0
                continue
            j = min(int(np.searchsorted(win.cumw, win.total / 2, side="left")), len(win.x) - 1)
            out[name] = float(win.x[j])
        return out

    def with_take_up(
        self,
        medians: Mapping[str, float],
        cash: Mapping[str, float],
        value: Mapping[str, float],
        line: str | None,
    ) -> Any:
        """The frame with each variant's take-up probability and its per-person variables
        (members, contributions, subsidy cost, benefit value, poverty change)."""
        exprs = ["*"]
        for name, s in self.variants.items():
            v = self.prefix[name]
            p = _take_up_sql(f"{v}net_price", "_sc_income", medians[name], s.take_up)
            exprs.append(f"CASE WHEN {v}eligible > 0 THEN {p} ELSE 0.0D END AS {v}members")
        first = self.frame.selectExpr(*exprs)
        exprs = ["*"]
        for name in self.variants:
            v = self.prefix[name]
            exprs += [
                f"{v}members * {v}contribution AS {v}contributions",
                f"{v}members * {v}subsidy AS {v}subsidy_cost",
                f"{v}members * {number(value[name])} AS {v}benefit_value",
            ]
            if line is not None:
                y, z = "_sc_income", double(line)
                join = f"{y} + ({number(cash[name])} - {v}net_price) / _sc_hh_n"
                now = f"CAST({y} < {z} AS DOUBLE)"
                exprs.append(
                    f"{v}members * CAST({join} < {z} AS DOUBLE) + (1.0D - {v}members) * {now}"
                    f" - {now} AS {v}poverty_headcount_change"
                )
        return first.selectExpr(*exprs)

    def monte_carlo(
        self,
        frame: Any,
        draws: Mapping[str, list[TakeUp]],
        medians: Mapping[str, float],
        cash: Mapping[str, float],
        value: Mapping[str, float],
        line: str | None,
        weight: str | None,
    ) -> dict[str, dict[str, np.ndarray[Any, Any]]]:
        """Per variant, the sums of :func:`~socialcover.microsim.scheme._monte_carlo` for
        every draw: one statement, the draws (broadcast) crossed with the eligible."""
        from pyspark.sql import functions as F

        n = len(next(iter(draws.values()), []))
        names = list(self.variants)
        empty = {k: np.zeros(0) for k in _MC}
        if n == 0:
            return {name: dict(empty) for name in names}
        rows = [[d, *[float(x) for name in names for x in _abg(draws[name][d])]] for d in range(n)]
        cols = ["_d", *[f"_{k}{i}" for i in range(len(names)) for k in "abg"]]
        session = frame.sparkSession
        table = session.createDataFrame(
            rows, schema=", ".join([f"{cols[0]} INT", *[f"{c} DOUBLE" for c in cols[1:]]])
        )
        any_elig = " OR ".join(f"{self.prefix[n_]}eligible > 0" for n_ in names)
        w = double(weight) if weight else "1.0D"
        aggs = []
        for i, name in enumerate(names):
            v, s = self.prefix[name], self.variants[name]
            y = "GREATEST(_sc_income, 1.0D)"
            price = f"GREATEST({v}net_price, {number(s.take_up.transaction_cost)})"
            p = _logit(price, y, medians[name], f"_a{i}", f"_b{i}", f"_g{i}")
            wp = f"(CASE WHEN {v}eligible > 0 THEN {w} * {p} ELSE 0.0D END)"
            aggs += [
                f"SUM({wp}) AS m{i}",
                f"SUM({wp} * {v}contribution) AS c{i}",
                f"SUM({wp} * {v}subsidy) AS s{i}",
                f"SUM({wp} * {number(value[name])}) AS b{i}",
            ]
            if line is not None:
                z = double(line)
                join = f"_sc_income + ({number(cash[name])} - {v}net_price) / _sc_hh_n"
                change = f"(CAST({join} < {z} AS DOUBLE) - CAST(_sc_income < {z} AS DOUBLE))"
                aggs.append(f"SUM({wp} * {change}) AS p{i}")
        with spark_errors("running the Monte Carlo on Spark"):
            crossed = frame.where(any_elig).crossJoin(F.broadcast(table))
            got = pl.from_arrow(crossed.groupBy("_d").agg(*[F.expr(a) for a in aggs]).toArrow())
            w_all = _first(frame, [f"SUM({w})"])[0]
        assert isinstance(got, pl.DataFrame)
        # a draw with no eligible person sums to 0, as in memory
        got = (
            pl.DataFrame({"_d": list(range(n))}, schema={"_d": got.schema["_d"]})
            .join(got, on="_d", how="left")
            .fill_null(0.0)
        )
        out: dict[str, dict[str, np.ndarray[Any, Any]]] = {}
        for i, name in enumerate(names):
            res = {
                "members": got[f"m{i}"].to_numpy(),
                "contributions": got[f"c{i}"].to_numpy(),
                "subsidy_cost": got[f"s{i}"].to_numpy(),
                "benefit_value": got[f"b{i}"].to_numpy(),
                "poverty_headcount_change": got[f"p{i}"].to_numpy() / w_all
                if line is not None
                else np.zeros(0),
            }
            out[name] = {k: np.asarray(x, np.float64) for k, x in res.items()}
        return out


_MC = ("members", "contributions", "subsidy_cost", "benefit_value", "poverty_headcount_change")


def _abg(t: TakeUp) -> tuple[float, float, float]:
    return (t.intercept, t.price_elasticity, t.income_effect)


def scheme_on_spark(
    variants: Mapping[str, Scheme],
    frame: Any,
    design: Any,
    draws: Mapping[str, list[TakeUp]],
    say: Callable[[str], None],
) -> tuple[dict[str, tuple[list[tuple[str | None, pl.DataFrame]], dict[str, Any]]], Any]:
    """Per variant, its estimates ((breakdown, frame) pairs, as
    :func:`~socialcover.microsim.scheme.run_scheme` lists them) and its Monte Carlo sums; and
    the persons' take-up probabilities (a lazy Spark DataFrame: hh_id, take_up__<variant>)."""
    cols = frame.columns
    splits = [c for c in ("sex", "urban") if c in cols]
    line = "poverty_line" if "poverty_line" in cols else None
    carry = list(dict.fromkeys([*design.columns(), *splits, *([line] if line else [])]))
    _need(frame, list(design.columns()), "the design names")
    say("running the scheme's rules on Spark")
    sf = SchemeFrame(variants, frame, carry)
    try:
        say("finding the median income of the eligible")
        medians = sf.medians(design)
        cash = {n: sum((v for _, v, c in s.benefits if c), 0.0) for n, s in variants.items()}
        value = {n: sum((v for _, v, _c in s.benefits), 0.0) for n, s in variants.items()}
        per = sf.with_take_up(medians, cash, value, line)
        names = list(variants)
        pre = sf.prefix
        say("estimating members, contributions and costs")
        with spark_errors("estimating the scheme on Spark"):
            est = SparkEstimates(per, design)
            overall_tot = {
                f"{n}\x00{k}": f"{pre[n]}{k}"
                for n in names
                for k in ("eligible", "members", "contributions", "subsidy_cost", "benefit_value")
            }
            overall_mean: dict[str, tuple[str, str | None]] = {}
            for n in names:
                if line is not None:
                    overall_mean[f"{n}\x00poverty_headcount_change"] = (
                        f"{pre[n]}poverty_headcount_change",
                        None,
                    )
                overall_mean[f"{n}\x00coverage_gained_of_eligible"] = (
                    f"{pre[n]}members",
                    f"{pre[n]}eligible",
                )
                overall_mean[f"{n}\x00coverage_gained_of_population"] = (f"{pre[n]}members", None)
            overall_tot_names = [k.split("\x00")[1] for k in overall_tot]
            overall_mean_names = [k.split("\x00")[1] for k in overall_mean]
            tables: dict[str | None, pl.DataFrame] = {None: est.estimate(overall_tot, overall_mean)}
            coverage = {k: v for k, v in overall_mean.items() if "\x00coverage" in k}
            for by in splits:
                say(f"estimating coverage by {by}")
                tables[by] = est.estimate({}, coverage, by)
            by_group = {}
            for n in names:
                say(f"estimating coverage by group ({n})")
                by_group[n] = est.estimate(
                    {},
                    {
                        f"{n}\x00coverage_gained_of_eligible": coverage[
                            f"{n}\x00coverage_gained_of_eligible"
                        ]
                    },
                    f"{pre[n]}_group",
                )
        say("Monte Carlo over the take-up parameters")
        mc = sf.monte_carlo(per, draws, medians, cash, value, line, design.weights)
        persons = per.selectExpr(
            "hh_id", *[f"{pre[n]}members AS {quote('take_up__' + n)}" for n in names]
        )
    finally:
        sf.close()
    out: dict[str, tuple[list[tuple[str | None, pl.DataFrame]], dict[str, Any]]] = {}
    for n in names:

        def pick(t: pl.DataFrame, inds: Sequence[str], n: str = n) -> pl.DataFrame:
            keys = [f"{n}\x00{i}" for i in inds]
            return t.filter(pl.col("variable").is_in(keys)).with_columns(
                variable=pl.col("variable").str.split("\x00").list.last()
            )

        both = ("coverage_gained_of_eligible", "coverage_gained_of_population")
        parts: list[tuple[str | None, pl.DataFrame]] = [
            (None, pick(tables[None], [*overall_tot_names, *overall_mean_names])),
            ("_group", pick(by_group[n], both[:1])),
            *[(by, pick(tables[by], both)) for by in splits],
        ]
        out[n] = (parts, mc[n])
    return out, persons


def take_up_on_spark(
    s: Scheme, frame: Any, design: Any
) -> tuple[float, float, Callable[[float], float], Callable[[], None]]:
    """The eligible total, the median income of the eligible, a function giving expected
    members for an intercept (one aggregate statement each), and the release of what it
    persisted."""
    carry = (
        list(design.columns())
        if design is not None
        else (["weight"] if "weight" in frame.columns else [])
    )
    weight = design.weights if design is not None else (carry[0] if carry else None)
    sf = SchemeFrame({"as written": s}, frame, carry)
    try:
        from socialcover.survey import Design

        median = sf.medians(Design(weights=weight))["as written"]
        w = double(weight) if weight else "1.0D"
        with spark_errors("fitting the take-up intercept on Spark"):
            eligible = (
                sf.frame.where("_sc_v0_eligible > 0")
                .selectExpr(f"{w} AS _w", "_sc_v0_net_price AS _p", "_sc_income AS _y")
                .persist()
            )
            total = _first(eligible, ["SUM(_w)"])[0]
    finally:
        sf.close()

    def members(a: float) -> float:
        p = _take_up_sql("_p", "_y", median, s.take_up, number(a))
        with spark_errors("fitting the take-up intercept on Spark"):
            return _first(eligible, [f"SUM(_w * {p})"])[0]

    return total, median, members, eligible.unpersist
