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

Standard errors come from the survey package (:mod:`socialcover.survey`, Taylor linearisation
as in R's ``survey``: Lumley 2010; Wolter 2007, ch. 6), through its estimators over rows
(:mod:`socialcover.microsim.estimation`): the design is bound once, every per-person variable
is summed to sampling units in one pass, and means are ratio estimators of two totals. The
Gini and its linearised variable (its influence function; Binder & Kovacevic 1995, *Survey
Methodology* 21(2); Langel & Tillé 2013, *JRSS A* 176(2)) come from
:func:`socialcover.survey.gini_linearised`. The change in an index (reform - baseline) is
estimated with the paired difference of the two linearised variables, so its SE accounts for
the two scenarios sharing one sample.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from socialcover.microsim._errors import MicrosimDataError
from socialcover.microsim.estimation import PopulationEstimates
from socialcover.microsim.simulation import SCENARIOS, PopulationRun

__all__ = ["DEFAULT_GROUPS", "Impact", "measure_impact"]

if TYPE_CHECKING:
    from socialcover.survey import Linearised

F64 = npt.NDArray[np.float64]

DEFAULT_GROUPS = ("sex", "age_band", "urban", "informal_work")
AGE_BANDS = ((0, 14, "0-14"), (15, 24, "15-24"), (25, 64, "25-64"), (65, 200, "65+"))
#: A person whose cumulative weight share (in income order) is within this of a decile or
#: quintile boundary is on it (the lower group): sums added in another order (by ranges of
#: income on Spark) cannot move a person across a boundary they fall on exactly.
BOUNDARY = 1e-9
Progress = Callable[[str], None]


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


def _lines(f: pl.DataFrame, lines: Mapping[str, str | float]) -> dict[str, F64 | float]:
    """Each poverty line per person (a column) or for everyone (a number), checked."""
    out: dict[str, F64 | float] = {}
    for name, line in lines.items():
        if isinstance(line, str) and line not in f.columns:
            raise MicrosimDataError(
                f"poverty line {name!r} names column {line!r}, which the population lacks",
                code="microsim.missing-column",
                hint="Map poverty_line, or give the line as a number (LCU per person per year).",
            )
        values = f[line].cast(pl.Float64) if isinstance(line, str) else pl.Series([float(line)])
        bad = values.null_count() + int((values <= 0).cast(pl.Int64).sum())
        if bad:
            raise MicrosimDataError(
                f"poverty line {name!r} is missing or not positive for {bad} person(s)",
                code="microsim.bad-line",
                hint="Give a positive line (LCU per person per year) for everyone, e.g. "
                "--line national=7200.",
            )
        out[name] = values.to_numpy() if isinstance(line, str) else float(line)
    return out


def _groups(f: pl.DataFrame, order: npt.NDArray[np.intp], w: F64) -> pl.DataFrame:
    """The breakdown columns: decile and quintile of baseline income, age band, informal work."""
    cum = np.cumsum(w[order])
    share = np.empty(len(order))
    share[order] = cum / cum[-1] if len(cum) else cum
    extra: list[pl.Expr | pl.Series] = [
        pl.Series("decile", np.clip(np.ceil(share * 10 - BOUNDARY), 1, 10).astype(np.int8)),
        pl.Series("quintile", np.clip(np.ceil(share * 5 - BOUNDARY), 1, 5).astype(np.int8)),
    ]
    if "age" in f.columns:
        age = pl.col("age")
        band: Any = pl.when(age.is_null()).then(pl.lit(None, pl.String))
        for lo, hi, label in AGE_BANDS:
            band = band.when((age >= lo) & (age <= hi)).then(pl.lit(label))
        extra.append(band.otherwise(pl.lit(None, pl.String)).alias("age_band"))
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
    return f.with_columns(extra)


def _variables(
    run: PopulationRun, lines: Mapping[str, F64 | float], threshold: float
) -> tuple[dict[str, F64], dict[str, F64]]:
    """Per-person variables whose weighted totals (first) and means (second) are estimated.

    Names are ``indicator__scenario__programme-or-line``; the ``change`` scenario of each
    (:func:`_changes`) is estimated from the baseline's and the reform's, as a paired
    difference. Winners, losers and gains exist only as changes.
    """
    f = run.frame
    size = f["_hh_n"].to_numpy()

    def col(name: str) -> F64:
        out: F64 = f[name].cast(pl.Float64).to_numpy()
        return out

    totals: dict[str, F64] = {}
    means: dict[str, F64] = {}
    for sc in SCENARIOS:
        for p in run.programmes:
            paid = (col(f"{p}__{sc}") > 0).astype(np.float64)
            totals[f"cost__{sc}__{p}"] = col(f"{p}__{sc}__share")
            household = p in run.household_programmes
            totals[f"beneficiaries__{sc}__{p}"] = paid / size if household else paid
            totals[f"persons_reached__{sc}__{p}"] = paid
        benefits = col(f"benefits__{sc}")
        totals[f"cost__{sc}__all"] = benefits / size
        totals[f"beneficiaries__{sc}__all"] = (benefits > 0).astype(np.float64)
        totals[f"persons_reached__{sc}__all"] = totals[f"beneficiaries__{sc}__all"]
        y = col(f"disposable_income__{sc}")
        means[f"mean_income__{sc}__all"] = y
        for name, z in lines.items():
            gap = np.subtract(z, y)  # the relative shortfall max(0, (z - y) / z), in place
            gap /= z
            np.maximum(gap, 0.0, out=gap)
            means[f"fgt0__{sc}__{name}"] = (y < z).astype(np.float64)
            means[f"fgt1__{sc}__{name}"] = gap
            means[f"fgt2__{sc}__{name}"] = gap * gap
    yb, yr = col("disposable_income__base"), col("disposable_income__reform")
    tol = threshold * np.abs(yb)
    gain = yr - yb
    winners = (gain > tol).astype(np.float64)
    losers = (gain < -tol).astype(np.float64)
    means["winners__change__all"] = winners
    means["losers__change__all"] = losers
    means["unchanged__change__all"] = 1.0 - winners - losers
    means["gain__change__all"] = gain
    return totals, means


def _changes(names: Sequence[str]) -> dict[str, tuple[str, str]]:
    """``x__change__y`` -> (``x__reform__y``, ``x__base__y``) for every baseline name."""
    out = {}
    for key in names:
        ind, sc, rest = key.split("__")
        if sc == "base":
            out[f"{ind}__change__{rest}"] = (f"{ind}__reform__{rest}", key)
    return out


def _ginis(frame: pl.DataFrame, w: F64) -> tuple[npt.NDArray[np.intp], dict[str, Linearised]]:
    """The order of baseline incomes, and the Gini of each scenario with its linearised
    variable (:func:`socialcover.survey.gini_linearised`)."""
    from socialcover.survey import gini_linearised

    y = {sc: frame[f"disposable_income__{sc}"].cast(pl.Float64).to_numpy() for sc in SCENARIOS}
    order = np.argsort(y["base"], kind="stable")
    return order, {
        "base": gini_linearised(y["base"], w, order=order),
        "reform": gini_linearised(y["reform"], w),
    }


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

    Returns
    -------
    Impact
        Every estimate with its SE, in one tidy table.

    Raises
    ------
    MicrosimDataError
        A poverty line names a missing column, or is missing or not positive for someone.
    """
    from socialcover.survey import Design

    say = progress or (lambda _m: None)
    frame = run.frame
    cols = frame.columns
    if design is None:
        design = Design(
            weights="weight" if "weight" in cols else None,
            strata="strata" if "strata" in cols else None,
            psu="psu" if "psu" in cols else None,
            lonely_psu="adjust",
        )
    if lines is None:
        lines = {"national": "poverty_line"} if "poverty_line" in cols else {}
    if _is_spark(frame):
        from socialcover.microsim.spark_impact import impact_parts

        parts, n = impact_parts(
            frame,
            run.programmes,
            run.household_programmes,
            design,
            lines,
            groups,
            threshold,
            breakdowns,
            say,
        )
        return _impact(parts, run, lines, n)
    if design.weights is not None and design.weights not in cols:
        frame = frame.with_columns(pl.lit(1.0).alias(design.weights))
    say("preparing incomes, lines and groups")
    z = _lines(frame, lines)
    w = (
        frame[design.weights].cast(pl.Float64).to_numpy()
        if design.weights
        else np.ones(frame.height)
    )
    # Binding the design (DuckDB) and the Ginis (NumPy sorts and array arithmetic) release the
    # GIL, so on two cores they run beside the per-person variables and the means.
    with ThreadPoolExecutor(max_workers=2) as pool:
        bound = pool.submit(PopulationEstimates, frame, design)
        inequality = pool.submit(_ginis, frame, w)
        totals, means = _variables(run, z, threshold)
        est = bound.result()
        say("estimating costs, beneficiaries, poverty and inequality")
        parts = [
            est.totals(totals, changes=_changes(list(totals))),
            est.means(means, changes=_changes(list(means))),
        ]
        order, ginis = inequality.result()
    # the SE of a Gini is that of the total of its linearised variable (paired for the change)
    linearised = {f"gini__{sc}__all": g.z for sc, g in ginis.items()}
    point = {f"gini__{sc}__all": float(g.estimate[0]) for sc, g in ginis.items()}
    point["gini__change__all"] = point["gini__reform__all"] - point["gini__base__all"]
    parts.append(
        est.totals(linearised, changes=_changes(list(linearised))).with_columns(
            estimate=pl.col("variable").replace_strict(point, default=pl.col("estimate"))
        )
    )
    first = next(iter(lines), None)
    by_totals = ["cost__base__all", "cost__reform__all"]
    by_means = ["gain__change__all", "winners__change__all", "losers__change__all"]
    if first is not None:
        by_means += [f"fgt0__{sc}__{first}" for sc in SCENARIOS]
    if breakdowns:
        est = est.over(_groups(frame, order, w))
        splits = ("decile", "quintile", *[g for g in groups if g in est.frame.columns])
        for by in splits:
            say(f"estimating by {by}")
            t = est.totals({k: totals[k] for k in by_totals}, by, _changes(by_totals))
            m = est.means({k: means[k] for k in by_means}, by, _changes(by_means))
            parts += [t.with_columns(by=pl.lit(by)), m.with_columns(by=pl.lit(by))]
    return _impact(parts, run, lines, frame.height)


def _is_spark(frame: Any) -> bool:
    return type(frame).__module__.startswith("pyspark.sql")


def _impact(
    parts: list[pl.DataFrame], run: PopulationRun, lines: Mapping[str, Any], n: int
) -> Impact:
    """The tidy table of the estimate frames (variable, group, estimate, se[, by])."""
    rows = pl.concat(
        [p if "by" in p.columns else p.with_columns(by=pl.lit(None, pl.String)) for p in parts]
    )
    parsed = (
        rows["variable"]
        .str.split_exact("__", 2)
        .struct.rename_fields(["indicator", "scenario", "rest"])
    )
    rows = rows.with_columns(parsed.struct.unnest())
    is_line = pl.col("indicator").str.starts_with("fgt")
    table = rows.select(
        section=pl.when(pl.col("by").is_null()).then(pl.lit("overall")).otherwise(pl.lit("by")),
        scenario="scenario",
        programme=pl.when(is_line).then(pl.lit("all")).otherwise(pl.col("rest")),
        indicator="indicator",
        line=pl.when(is_line).then(pl.col("rest")).otherwise(pl.lit(None, pl.String)),
        by="by",
        group="group",
        estimate="estimate",
        se="se",
    )
    return Impact(table, tuple(run.programmes), tuple(lines), n)
