"""Distributional impact of a baseline and a reform, each number with a design-based SE.

What is measured (per scenario, and the change reform - baseline):

- **cost**: weighted total of benefits (a household programme counted once per household);
- **beneficiaries**: direct recipients (persons for person programmes, households for
  household programmes) and **persons reached** (persons living in a household that receives,
  the ASPIRE convention of direct and indirect beneficiaries);
- **poverty**: Foster-Greer-Thorbecke indices FGT(0) headcount, FGT(1) gap and FGT(2)
  severity (Foster, Greer & Thorbecke 1984, *Econometrica* 52(3)) of per-capita disposable
  income against each poverty line (national, international...);
- **Gini** of per-capita disposable income among persons;
- **winners and losers**: persons whose disposable income rises or falls by more than a
  threshold (1% by default), overall and by decile of baseline income;
- the same poverty and gain measures by decile, quintile and group (sex, age band,
  urban/rural, informal work).

Standard errors come from the survey engine (:mod:`socialcover.survey`, Taylor linearisation
as in R's ``survey``: Lumley 2010; Wolter 2007, ch. 6). Means are ratio estimators of two
totals. For the Gini the engine estimates the variance of the total of its linearised variable
(Binder & Kovacevic 1995, *Survey Methodology* 21(2); Langel & Tillé 2013, *JRSS A* 176(2),
"Variance estimation of the Gini index: revisiting a result several times published")::

    z_k = [2 N_k y_k - 2 Y_k + Y - N y_k - G (Y + N y_k)] / (N Y)

with ``N_k`` and ``Y_k`` the weighted count and income of persons with income at most
``y_k``, ``N`` and ``Y`` the totals. The change in an index (reform - baseline) is estimated
with the paired difference of the two linearised variables, so its SE accounts for the two
scenarios sharing one sample.

Speed: for a single-stage design (the usual household survey) the variance of a linear
statistic depends on the data only through the weighted totals of each primary sampling unit,
so the person-level frame is first reduced to PSU totals (exactly; Wolter 2007, ch. 6) and the
engine runs on that; other designs (several stages, replicate weights, no PSUs) run on the
person-level frame.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.estimation import Estimator
from socialcover.microsim.simulation import SCENARIOS, PopulationRun

__all__ = ["DEFAULT_GROUPS", "Impact", "gini", "gini_linearised", "measure_impact"]

DEFAULT_GROUPS = ("sex", "age_band", "urban", "informal_work")
AGE_BANDS = ((0, 14, "0-14"), (15, 24, "15-24"), (25, 64, "25-64"), (65, 200, "65+"))
Progress = Callable[[str], None]


def gini_linearised(
    y: np.ndarray[Any, Any], w: np.ndarray[Any, Any]
) -> tuple[float, np.ndarray[Any, Any]]:
    """The weighted Gini of ``y`` and its linearised variable ``z`` (see module docstring).

    Examples
    --------
    >>> g, z = gini_linearised(np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4))
    >>> round(g, 4), round(float((z * 1.0).sum()), 12)
    (0.25, 0.0)
    """
    y = np.asarray(y, np.float64)
    w = np.asarray(w, np.float64)
    order = np.argsort(y, kind="stable")
    ys, ws = y[order], w[order]
    cum_n = np.cumsum(ws)
    cum_y = np.cumsum(ws * ys)
    # ties: persons with equal incomes all take the cumulative values of the last of them
    ends = np.flatnonzero(np.r_[ys[1:] != ys[:-1], True])
    starts = np.r_[0, ends[:-1] + 1]
    group_last = np.repeat(ends, ends - starts + 1)
    nk, yk = cum_n[group_last], cum_y[group_last]
    n_tot, y_tot = cum_n[-1], cum_y[-1]
    if n_tot <= 0 or y_tot == 0:
        return float("nan"), np.zeros_like(y)
    g = float(np.sum(ws * (ys * (2 * nk - n_tot) + y_tot - 2 * yk)) / (2 * n_tot * y_tot))
    z_sorted = (2 * nk * ys - 2 * yk + y_tot - n_tot * ys - g * (y_tot + n_tot * ys)) / (
        n_tot * y_tot
    )
    z = np.empty_like(z_sorted)
    z[order] = z_sorted
    return g, z


def gini(y: np.ndarray[Any, Any], w: np.ndarray[Any, Any] | None = None) -> float:
    """Weighted Gini coefficient (mean absolute difference over twice the mean)."""
    return gini_linearised(np.asarray(y), np.ones(len(y)) if w is None else np.asarray(w))[0]


@dataclass(frozen=True)
class Impact:
    """All impact estimates in one tidy frame, with helpers to read them.

    ``table`` columns: section, scenario (base, reform, change), programme, indicator, line,
    by, group, estimate, se.
    """

    table: pl.DataFrame
    programmes: tuple[str, ...]
    lines: tuple[str, ...]
    n_persons: int

    def get(
        self,
        indicator: str,
        scenario: str = "base",
        *,
        programme: str = "all",
        line: str | None = None,
        by: str | None = None,
        group: str | None = None,
    ) -> tuple[float, float]:
        """(estimate, se) of one indicator."""
        t = self.table.filter(
            (pl.col("indicator") == indicator)
            & (pl.col("scenario") == scenario)
            & (pl.col("programme") == programme)
        )
        for col, val in (("line", line), ("by", by), ("group", group)):
            t = t.filter(pl.col(col).is_null() if val is None else pl.col(col) == val)
        if t.height != 1:
            raise KeyError(
                f"{indicator}/{scenario}/{programme}/{line}/{by}/{group}: {t.height} rows"
            )
        row = t.row(0, named=True)
        return float(row["estimate"]), float(row["se"])

    def summary(self) -> dict[str, Any]:
        """Per programme and in total, baseline, reform and change: cost, beneficiaries,
        poverty headcount, gap and severity (first line) and Gini, each ``{estimate, se}``."""

        def pair(ind: str, sc: str, prog: str = "all", line: str | None = None) -> dict[str, float]:
            e, s = self.get(ind, sc, programme=prog, line=line)
            return {"estimate": e, "se": s}

        names = {"base": "baseline", "reform": "reform", "change": "change"}
        out: dict[str, Any] = {"programmes": {}, "total": {}, "poverty": {}}
        for prog in self.programmes:
            out["programmes"][prog] = {
                names[sc]: {
                    k: pair(k, sc, prog) for k in ("cost", "beneficiaries", "persons_reached")
                }
                for sc in ("base", "reform", "change")
            }
        first = self.lines[0] if self.lines else None
        for sc in ("base", "reform", "change"):
            block = {k: pair(k, sc) for k in ("cost", "beneficiaries", "persons_reached")}
            if first is not None:
                block["poverty_headcount"] = pair("fgt0", sc, line=first)
                block["poverty_gap"] = pair("fgt1", sc, line=first)
                block["poverty_severity"] = pair("fgt2", sc, line=first)
            block["gini"] = pair("gini", sc)
            block["mean_disposable_income"] = pair("mean_income", sc)
            out["total"][names[sc]] = block
        for line in self.lines:
            out["poverty"][line] = {
                names[sc]: {f"fgt{a}": pair(f"fgt{a}", sc, line=line) for a in (0, 1, 2)}
                for sc in ("base", "reform", "change")
            }
        out["winners_losers"] = {k: pair(k, "change") for k in ("winners", "losers", "unchanged")}
        return out


def _age_band(age: pl.Expr) -> pl.Expr:
    expr: Any = pl.when(age.is_null()).then(pl.lit(None, pl.String))
    for lo, hi, label in AGE_BANDS:
        expr = expr.when((age >= lo) & (age <= hi)).then(pl.lit(label))
    out: pl.Expr = expr.otherwise(pl.lit(None, pl.String))
    return out


def _weighted_rank(y: np.ndarray[Any, Any], w: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Each person's cumulative weight share in the order of ``y`` (for deciles, quintiles)."""
    order = np.argsort(y, kind="stable")
    cum = np.cumsum(w[order])
    out = np.empty(len(y))
    out[order] = cum / cum[-1] if len(cum) else cum
    return out


def _prepare(
    run: PopulationRun, lines: Mapping[str, str | float], weight: str, threshold: float
) -> tuple[pl.DataFrame, dict[str, float]]:
    f = run.frame
    if weight not in f.columns:
        f = f.with_columns(pl.lit(1.0).alias(weight))
    size = pl.col("_hh_n")
    w = pl.col(weight).cast(pl.Float64)
    cols: list[pl.Expr] = [w.alias("_w")]
    for sc in SCENARIOS:
        cols.append((pl.col(f"benefits__{sc}") / size).alias(f"benefits__{sc}__share"))
    f = f.with_columns(cols)
    yb, yr = pl.col("disposable_income__base"), pl.col("disposable_income__reform")
    extra: list[pl.Expr] = [(yr - yb).alias("_gain")]
    for name, line in lines.items():
        z = pl.col(line) if isinstance(line, str) else pl.lit(float(line))
        if isinstance(line, str) and line not in f.columns:
            raise MicrosimDataError(
                f"poverty line {name!r} names column {line!r}, which the population lacks",
                code="microsim.missing-column",
                hint="Map poverty_line, or give the line as a number (LCU per person per year).",
            )
        values = f[line] if isinstance(line, str) else pl.Series([float(line)])
        bad = values.null_count() + int((values.cast(pl.Float64) <= 0).cast(pl.Int64).sum())
        if bad:
            raise MicrosimDataError(
                f"poverty line {name!r} is missing or not positive for {bad} person(s)",
                code="microsim.bad-line",
                hint="Give a positive line (LCU per person per year) for everyone, e.g. "
                "--line national=7200.",
            )
        for sc, y in (("base", yb), ("reform", yr)):
            gap = ((z - y) / z).clip(lower_bound=0.0)
            extra += [
                (y < z).cast(pl.Float64).alias(f"_fgt0__{sc}__{name}"),
                gap.alias(f"_fgt1__{sc}__{name}"),
                (gap * gap).alias(f"_fgt2__{sc}__{name}"),
            ]
    tol = pl.lit(threshold) * yb.abs()
    extra += [
        ((yr - yb) > tol).cast(pl.Float64).alias("_winner"),
        ((yr - yb) < -tol).cast(pl.Float64).alias("_loser"),
    ]
    if "age" in f.columns:
        extra.append(_age_band(pl.col("age")).alias("age_band"))
    if "informal" in f.columns:
        lab = pl.col("labour_status") if "labour_status" in f.columns else pl.lit("employed")
        extra.append(
            pl.when(pl.col("informal").cast(pl.Float64) == 1)
            .then(pl.lit("informal"))
            .when(pl.col("informal").cast(pl.Float64) == 0)
            .then(pl.lit("formal"))
            .when(lab == "employed")
            .then(pl.lit("employed, unknown"))
            .otherwise(pl.lit("not employed"))
            .alias("informal_work")
        )
    f = f.with_columns(extra)
    wts = f["_w"].to_numpy()
    share = _weighted_rank(f["disposable_income__base"].to_numpy(), wts)
    f = f.with_columns(
        pl.Series("decile", np.clip(np.ceil(share * 10), 1, 10).astype(np.int8)),
        pl.Series("quintile", np.clip(np.ceil(share * 5), 1, 5).astype(np.int8)),
    )
    f = f.with_columns(
        (pl.col("_winner") == 0).and_(pl.col("_loser") == 0).cast(pl.Float64).alias("_unchanged")
    )
    ginis: dict[str, float] = {}
    for sc in SCENARIOS:
        g, zlin = gini_linearised(f[f"disposable_income__{sc}"].to_numpy(), wts)
        ginis[sc] = g
        f = f.with_columns(pl.Series(f"_gini__{sc}", zlin))
    return f, ginis


def measure_impact(
    run: PopulationRun,
    design: Any = None,
    *,
    lines: Mapping[str, str | float] | None = None,
    groups: Sequence[str] = DEFAULT_GROUPS,
    threshold: float = 0.01,
    breakdowns: bool = True,
    progress: Progress | None = None,
) -> Impact:
    """Estimate cost, beneficiaries, poverty, inequality and gains, with design-based SEs.

    Parameters
    ----------
    run
        Per-person baseline and reform results (:func:`~socialcover.microsim.run_population`).
    design
        A :class:`socialcover.survey.Design` (or replicate design) over the population's
        columns; by default ``weight``, ``strata`` and ``psu`` when present.
    lines
        Poverty lines: name -> column (per person per year, in the welfare unit) or a number.
        Default ``{"national": "poverty_line"}`` when the population has that column.
    groups
        Group columns for the breakdowns (``age_band`` and ``informal_work`` are derived).
    threshold
        Relative change in disposable income below which a person neither wins nor loses.
    breakdowns
        Also estimate by decile, quintile and group (most of the time on large surveys).
    """
    from socialcover.survey import Design

    say = progress or (lambda _m: None)
    cols = run.frame.columns
    if design is None:
        design = Design(
            weights="weight" if "weight" in cols else None,
            strata="strata" if "strata" in cols else None,
            psu="psu" if "psu" in cols else None,
            lonely_psu="adjust",
        )
    if lines is None:
        lines = {"national": "poverty_line"} if "poverty_line" in cols else {}
    weight = design.weights or "_one"
    say("preparing incomes, lines and groups")
    frame, ginis = _prepare(run, lines, weight, threshold)
    v: dict[str, pl.Expr] = {"_one": pl.lit(1.0)}
    progs = list(run.programmes)
    for sc in SCENARIOS:
        for p in progs:
            amount = pl.col(f"{p}__{sc}")
            v[f"cost__{sc}__{p}"] = pl.col(f"{p}__{sc}__share")
            direct = (amount > 0).cast(pl.Float64)
            if p in run.household_programmes:
                direct = direct / pl.col("_hh_n")
            v[f"beneficiaries__{sc}__{p}"] = direct
            v[f"persons_reached__{sc}__{p}"] = (amount > 0).cast(pl.Float64)
        v[f"cost__{sc}__all"] = pl.col(f"benefits__{sc}__share")
        v[f"beneficiaries__{sc}__all"] = (pl.col(f"benefits__{sc}") > 0).cast(pl.Float64)
        v[f"persons_reached__{sc}__all"] = v[f"beneficiaries__{sc}__all"]
        v[f"mean_income__{sc}__all"] = pl.col(f"disposable_income__{sc}")
        v[f"gini__{sc}__all"] = pl.col(f"_gini__{sc}")
        for name in lines:
            for a in (0, 1, 2):
                v[f"fgt{a}__{sc}__{name}"] = pl.col(f"_fgt{a}__{sc}__{name}")
    for key in [k for k in v if k.count("__") == 2]:
        ind, sc, rest = key.split("__")
        if sc == "base":
            v[f"{ind}__change__{rest}"] = v[f"{ind}__reform__{rest}"] - v[key]
    v["winners__change__all"] = pl.col("_winner")
    v["losers__change__all"] = pl.col("_loser")
    v["unchanged__change__all"] = pl.col("_unchanged")
    v["gain__change__all"] = pl.col("_gain")
    rows: list[dict[str, Any]] = []
    est = Estimator(frame, design, v, say)

    def add(res: pl.DataFrame, by: str | None, totals: bool) -> None:
        for r in res.iter_rows(named=True):
            ind, sc, rest = str(r["variable"]).split("__")
            if (ind in ("cost", "beneficiaries", "persons_reached", "gini")) != totals:
                continue
            is_line = ind.startswith("fgt")
            point = r["estimate"]
            if ind == "gini":  # the engine gives the SE of the linearised total
                point = ginis[sc] if sc != "change" else ginis["reform"] - ginis["base"]
            rows.append(
                {
                    "section": "by" if by else "overall",
                    "scenario": sc,
                    "programme": "all" if is_line else rest,
                    "indicator": ind,
                    "line": rest if is_line else None,
                    "by": by,
                    "group": None if by is None else str(r[by]),
                    "estimate": point,
                    "se": r["se"],
                }
            )

    say("estimating costs, beneficiaries, poverty and inequality")
    keys = [k for k in v if k.count("__") == 2]
    total_kinds = ("cost", "beneficiaries", "persons_reached", "gini")
    res = est.estimate(keys, None, totals=[k for k in keys if k.split("__")[0] in total_kinds])
    add(res["total"], None, True)
    add(res["mean"], None, False)
    first = next(iter(lines), None)
    by_keys = [
        "gain__change__all",
        "winners__change__all",
        "losers__change__all",
        "cost__base__all",
        "cost__reform__all",
        "cost__change__all",
    ]
    if first is not None:
        by_keys += [f"fgt0__{sc}__{first}" for sc in ("base", "reform", "change")]
    splits = ("decile", "quintile", *[g for g in groups if g in frame.columns])
    for by in splits if breakdowns else ():
        say(f"estimating by {by}")
        res = est.estimate(by_keys, by, totals=[k for k in by_keys if k.startswith("cost")])
        add(res["total"], by, True)
        add(res["mean"], by, False)
    table = pl.DataFrame(
        rows,
        schema={
            "section": pl.String,
            "scenario": pl.String,
            "programme": pl.String,
            "indicator": pl.String,
            "line": pl.String,
            "by": pl.String,
            "group": pl.String,
            "estimate": pl.Float64,
            "se": pl.Float64,
        },
    )
    return Impact(table, tuple(progs), tuple(lines), frame.height)
