"""Progress towards targets: the current pace, where it leads, and whether that is enough.

The current pace is a least-squares line fitted to the most recent observations of one series
(one indicator x area x sex): by default the last 8 calendar years ending at the latest value,
in percentage points per year (``scale="linear"``). On the logit scale (``scale="logit"``) the
line is fitted to log(v / (100 - v)), so that the projection bends towards 0 and 100 and never
leaves them; its pace is then reported in points per year at the latest year (delta method).
Linear is the default because it is the arithmetic the ILO and the UN SDG reports use ("at the
pace of recent years", percentage points per year) and because a target of 100 (universal
coverage) is reached on a line but only approached on the logit scale.

Uncertainty comes from the fit's residuals: the SE of the slope is s / sqrt(Sxx), the 95% band
of the projected line is the confidence band of the regression line (Student t, n - 2 degrees of
freedom; the uncertainty of the pace, not the year-to-year noise around it), and the interval of
the year reached is the inverse-regression (Fieller) interval: the years where that band crosses
the target (Draper and Smith 1998, *Applied Regression Analysis*, 3rd ed.). With fewer than 3
points there is no residual, hence no interval, and a reason says so.

The status compares the line's value in the target year with the target, as the ESCAP
Anticipated Progress Index does (predicted value in 2030 against the target value,
https://data.unescap.org/resource-guides/progress-assessment-methodology): ``reached`` when the
latest observation meets the target, ``on track`` when the line meets it by the target year,
``off track`` otherwise, ``no data`` when there are fewer than 2 points. See
docs/monitor-progress.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

from socialcover.errors import InputError
from socialcover.monitor.frame import OBSERVATION_SCHEMA
from socialcover.monitor.targets import Target
from socialcover.survey import t_quantile

__all__ = [
    "STATUSES",
    "Reached",
    "Trend",
    "progress",
    "project",
    "status",
    "trend",
    "year_reached",
]

Scale = Literal["linear", "logit"]
Status = Literal["reached", "on track", "off track", "no data"]
STATUSES: tuple[Status, ...] = ("reached", "on track", "off track", "no data")
"""The statuses :func:`status` returns, best first."""

DEFAULT_WINDOW = 8
LEVEL = 0.95
_OBSERVED = {"observed", "survey_estimate", "administrative"}
_KEY = ["indicator", "area", "sex"]


@dataclass(frozen=True)
class Trend:
    """A least-squares line through the recent points of one series, and its uncertainty.

    The line is ``centre_value + slope * (year - centre_year)`` on the fit scale (values for
    ``linear``, logits for ``logit``). ``slope_se`` and ``residual_sd`` are ``None`` with fewer
    than 3 points, and ``reason`` then says why there is no interval.
    """

    indicator: str
    area: str
    sex: str
    scale: Scale
    first_year: int
    last_year: int
    n: int
    slope: float
    slope_se: float | None
    centre_year: float
    centre_value: float
    residual_sd: float | None
    sxx: float
    latest_value: float
    reason: str = ""

    @property
    def pace(self) -> float:
        """Points per year at the latest year (the slope itself on the linear scale)."""
        return self.slope * self._pace_factor()

    @property
    def pace_se(self) -> float | None:
        """The SE of :attr:`pace` (delta method on the logit scale), ``None`` under 3 points."""
        return None if self.slope_se is None else self.slope_se * self._pace_factor()

    def _pace_factor(self) -> float:
        if self.scale == "linear":
            return 1.0
        p = _expit(self._line(self.last_year))
        return 100.0 * p * (1.0 - p)

    def _line(self, year: float) -> float:
        return self.centre_value + self.slope * (year - self.centre_year)

    def _half_width(self, year: float, level: float = LEVEL) -> float | None:
        if self.residual_sd is None:
            return None
        t = float(t_quantile(0.5 + level / 2, self.n - 2))
        return (
            t * self.residual_sd * math.sqrt(1 / self.n + (year - self.centre_year) ** 2 / self.sxx)
        )

    def value(self, year: float) -> float:
        """The line's value in ``year``, in the indicator's unit."""
        return _from_scale(self._line(year), self.scale)

    def interval(self, year: float, level: float = LEVEL) -> tuple[float, float] | None:
        """The confidence band of the line in ``year``; ``None`` with fewer than 3 points."""
        half = self._half_width(year, level)
        if half is None:
            return None
        centre = self._line(year)
        return _from_scale(centre - half, self.scale), _from_scale(centre + half, self.scale)


@dataclass(frozen=True)
class Reached:
    """The year a target is reached at the current pace (fractional), with its 95% interval.

    ``year`` is ``None`` when the pace never gets there, and ``lower``/``upper`` are ``None``
    when no interval can be given; ``reason`` then says why.
    """

    year: float | None
    lower: float | None = None
    upper: float | None = None
    reason: str = ""


def trend(series: pl.DataFrame, *, window: int = DEFAULT_WINDOW, scale: Scale = "linear") -> Trend:
    """Fit the current pace: a least-squares line through the last ``window`` years of a series.

    Parameters
    ----------
    series
        Observation frame rows (:data:`OBSERVATION_SCHEMA`) of one indicator x area x sex, one
        value per year; every nature (observed, modelled, ...) enters the fit.
    window
        Calendar years ending at the latest one (8: latest - 7 to latest).
    scale
        ``"linear"`` (percentage points per year) or ``"logit"`` (stays inside 0-100).

    Returns
    -------
    Trend

    Raises
    ------
    InputError
        ``monitor.too-few-points`` (under 2 values in the window), ``monitor.not-one-series``,
        ``monitor.duplicate-year``, ``monitor.bad-window``, ``monitor.bad-scale``,
        ``monitor.logit-bounds`` (a value at 0 or 100 on the logit scale).

    Examples
    --------
    >>> rows = _example_series({2016: 40.0, 2018: 44.0, 2020: 48.0})
    >>> t = trend(rows)
    >>> round(t.pace, 6), t.slope_se
    (2.0, 0.0)
    """
    if not isinstance(window, int) or isinstance(window, bool) or window < 2:
        raise InputError(
            f"A window of {window!r} years cannot hold a trend.",
            code="monitor.bad-window",
            hint="Pass a whole number of years, 2 or more (default 8).",
            window=window,
        )
    if scale not in ("linear", "logit"):
        raise InputError(
            f"Unknown scale {scale!r}.",
            code="monitor.bad-scale",
            hint='Use scale="linear" (points per year) or scale="logit".',
            scale=scale,
        )
    rows = _one_series(series)
    if rows.height == 0:
        raise InputError("No value: no pace can be fitted.", code="monitor.too-few-points", n=0)
    last = int(rows["year"].max())  # type: ignore[arg-type]
    recent = rows.filter(pl.col("year") > last - window)
    if recent.height < 2:
        raise InputError(
            f"One value in the {window} years to {last}: no pace can be fitted.",
            code="monitor.too-few-points",
            hint="A pace needs 2 values; widen the window.",
            n=recent.height,
        )
    years = recent["year"].to_numpy().astype(float)
    values = recent["value"].to_numpy().astype(float)
    if scale == "logit":
        if ((values <= 0) | (values >= 100)).any():
            raise InputError(
                "A value at or beyond 0 or 100 has no logit.",
                code="monitor.logit-bounds",
                hint='Use scale="linear" for this series.',
            )
        fit = np.log(values / (100 - values))
    else:
        fit = values
    n = len(years)
    xbar, ybar = float(years.mean()), float(fit.mean())
    sxx = float(((years - xbar) ** 2).sum())
    slope = float(((years - xbar) * (fit - ybar)).sum() / sxx)
    reason = ""
    sd: float | None = None
    se: float | None = None
    if n >= 3:
        resid = fit - (ybar + slope * (years - xbar))
        sd = math.sqrt(float((resid**2).sum()) / (n - 2))
        se = sd / math.sqrt(sxx)
    else:
        reason = "2 points: no residual, so no interval"
    first = rows.row(0, named=True)
    return Trend(
        indicator=first["indicator"],
        area=first["area"],
        sex=first["sex"],
        scale=scale,
        first_year=int(years.min()),
        last_year=last,
        n=n,
        slope=slope,
        slope_se=se,
        centre_year=xbar,
        centre_value=ybar,
        residual_sd=sd,
        sxx=sxx,
        latest_value=float(values[-1]),
        reason=reason,
    )


def project(
    series: pl.DataFrame,
    years: Iterable[int],
    *,
    window: int = DEFAULT_WINDOW,
    scale: Scale = "linear",
) -> pl.DataFrame:
    """The series in ``years``: its own values where it has them, the current pace elsewhere.

    Parameters
    ----------
    series
        One indicator x area x sex (see :func:`trend`).
    years
        The years wanted.
    window, scale
        As in :func:`trend`.

    Returns
    -------
    polars.DataFrame
        ``year`` (Int32), ``value``, ``lower``, ``upper`` (the observation's own interval, or the
        95% band of the line), and ``part``: ``observed`` (observed, survey estimate,
        administrative), ``modelled`` (modelled, imputed) or ``projected``.

    Examples
    --------
    >>> rows = _example_series({2016: 40.0, 2018: 44.0, 2020: 48.0})
    >>> project(rows, [2020, 2022])["part"].to_list()
    ['modelled', 'projected']
    """
    rows = _one_series(series)
    wanted = sorted(set(years))
    t = trend(rows, window=window, scale=scale)
    known = {r["year"]: r for r in rows.iter_rows(named=True)}
    out: list[dict[str, Any]] = []
    for year in wanted:
        if year in known:
            r = known[year]
            part = "observed" if r["nature"] in _OBSERVED else "modelled"
            out.append(
                {
                    "year": year,
                    "value": r["value"],
                    "lower": r["lower"],
                    "upper": r["upper"],
                    "part": part,
                }
            )
        else:
            band = t.interval(year)
            out.append(
                {
                    "year": year,
                    "value": t.value(year),
                    "lower": band[0] if band else None,
                    "upper": band[1] if band else None,
                    "part": "projected",
                }
            )
    return pl.DataFrame(
        out,
        schema={
            "year": pl.Int32,
            "value": pl.Float64,
            "lower": pl.Float64,
            "upper": pl.Float64,
            "part": pl.String,
        },
    )


def year_reached(
    series: pl.DataFrame,
    target: Target,
    *,
    window: int = DEFAULT_WINDOW,
    scale: Scale = "linear",
) -> Reached:
    """The year the target is reached at the current pace, with its 95% interval.

    The year is where the fitted line crosses the target (a fraction of a year); if the series
    already meets it, the first year of its latest run of values that do. The interval is where
    the line's 95% band crosses it; its far end is ``None`` when the pace is not significantly
    different from zero.

    Parameters
    ----------
    series
        One indicator x area x sex (see :func:`trend`).
    target
        The target.
    window, scale
        As in :func:`trend`.

    Returns
    -------
    Reached
        ``year`` is ``None``, with the reason, when the pace is zero or goes the wrong way, or
        when a target of 0 or 100 is asked on the logit scale (never reached there).

    Examples
    --------
    >>> rows = _example_series({2016: 40.0, 2018: 44.0, 2020: 48.0})
    >>> year_reached(rows, Target("sdg131.at_least_one_benefit", "World", 60.0, 2030)).year
    2026.0
    """
    rows = _one_series(series)
    if rows.height and _met(float(rows["value"][-1]), target):
        return Reached(_first_met(rows, target), reason="reached in the series")
    t = trend(rows, window=window, scale=scale)
    if scale == "logit" and not 0 < target.value < 100:
        return Reached(
            None, reason=f"a target of {target.value:g} is never reached on the logit scale"
        )
    if t.slope == 0 or (t.slope > 0) != target.rising:
        return Reached(None, reason=f"the pace ({t.pace:+.3g} a year) does not lead to the target")
    gap = _to_scale(target.value, scale) - t.centre_value
    year = t.centre_year + gap / t.slope
    if t.slope_se is None or t.residual_sd is None:
        return Reached(year, reason=t.reason)
    tq = float(t_quantile(0.5 + LEVEL / 2, t.n - 2))
    k = t.slope**2 - (tq * t.slope_se) ** 2
    if k <= 0:
        return Reached(
            year, reason="the pace is not significantly different from zero: no interval"
        )
    c = gap**2 - (tq * t.residual_sd) ** 2 / t.n
    root = math.sqrt(max(0.0, (t.slope * gap) ** 2 - k * c))
    ends = sorted(t.centre_year + (t.slope * gap + s * root) / k for s in (-1, 1))
    return Reached(year, ends[0], ends[1])


def status(
    series: pl.DataFrame,
    target: Target,
    *,
    window: int = DEFAULT_WINDOW,
    scale: Scale = "linear",
) -> Status:
    """``reached``, ``on track``, ``off track`` or ``no data`` for one series and its target.

    ``reached``: the latest value meets the target. ``on track``: the line's value in the target
    year meets it. ``off track``: it does not (or the target year has passed). ``no data``: under
    2 values in the window, so no pace.

    Examples
    --------
    >>> rows = _example_series({2016: 40.0, 2018: 44.0, 2020: 48.0})
    >>> status(rows, Target("sdg131.at_least_one_benefit", "World", 100.0, 2030))
    'off track'
    """
    return _assess(_one_series(series), target, window, scale)["status"]  # type: ignore[no-any-return]


def progress(
    observations: pl.DataFrame,
    targets: Sequence[Target],
    *,
    window: int = DEFAULT_WINDOW,
    scale: Scale = "linear",
) -> pl.DataFrame:
    """A progress table: one row per indicator x area x sex of the observations (and per target
    without any observation).

    Parameters
    ----------
    observations
        An observation frame (:data:`OBSERVATION_SCHEMA`), one value per key and year.
    targets
        Targets by indicator and area; each applies to every sex of its series.
    window, scale
        As in :func:`trend`.

    Returns
    -------
    polars.DataFrame
        ``indicator, area, sex, latest_year, latest_value, fit_first_year, fit_last_year,
        pace_pp_year, pace_se, target_value, target_year, required_pace_pp_year,
        projected_value, projected_lower, projected_upper, year_reached, year_reached_lower,
        year_reached_upper, status, reason``. A value that cannot be computed is null and
        ``reason`` says why; a series without a target has a null status.

    Raises
    ------
    InputError
        ``monitor.duplicate-target`` (two targets for one indicator and area), and the errors
        of the observation frame (:func:`trend`).

    Examples
    --------
    >>> rows = _example_series({2016: 40.0, 2018: 44.0, 2020: 48.0})
    >>> table = progress(rows, [Target("sdg131.at_least_one_benefit", "World", 100.0, 2030)])
    >>> table.select("pace_pp_year", "projected_value", "year_reached", "status").row(0)
    (2.0, 68.0, 2046.0, 'off track')
    """
    by_key: dict[tuple[str, str], Target] = {}
    for t in targets:
        if (t.indicator, t.area) in by_key:
            raise InputError(
                f"Two targets for {t.indicator} in {t.area}.",
                code="monitor.duplicate-target",
                hint="Keep one target per indicator and area.",
            )
        by_key[(t.indicator, t.area)] = t
    frame = _checked(observations)
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for key, rows in frame.group_by(_KEY, maintain_order=True):
        indicator, area, sex = (str(k) for k in key)
        seen.add((indicator, area))
        target = by_key.get((indicator, area))
        out.append(_row(indicator, area, sex, rows.sort("year"), target, window, scale))
    for (indicator, area), target in by_key.items():
        if (indicator, area) not in seen:
            out.append(_row(indicator, area, "both", frame.clear(), target, window, scale))
    return pl.DataFrame(out, schema=_TABLE_SCHEMA, orient="row").sort(_KEY)


# -- internals ------------------------------------------------------------------------------

_TABLE_SCHEMA: dict[str, Any] = {
    "indicator": pl.String,
    "area": pl.String,
    "sex": pl.String,
    "latest_year": pl.Int32,
    "latest_value": pl.Float64,
    "fit_first_year": pl.Int32,
    "fit_last_year": pl.Int32,
    "pace_pp_year": pl.Float64,
    "pace_se": pl.Float64,
    "target_value": pl.Float64,
    "target_year": pl.Int32,
    "required_pace_pp_year": pl.Float64,
    "projected_value": pl.Float64,
    "projected_lower": pl.Float64,
    "projected_upper": pl.Float64,
    "year_reached": pl.Float64,
    "year_reached_lower": pl.Float64,
    "year_reached_upper": pl.Float64,
    "status": pl.String,
    "reason": pl.String,
}


def _row(
    indicator: str,
    area: str,
    sex: str,
    rows: pl.DataFrame,
    target: Target | None,
    window: int,
    scale: Scale,
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(_TABLE_SCHEMA)
    row.update(indicator=indicator, area=area, sex=sex)
    reasons: list[str] = []
    if rows.height:
        row["latest_year"] = int(rows["year"][-1])
        row["latest_value"] = float(rows["value"][-1])
    try:
        t = trend(rows, window=window, scale=scale)
    except InputError as error:
        if error.code not in ("monitor.too-few-points", "monitor.logit-bounds"):
            raise
        reasons.append(_why(error))
    else:
        row.update(
            fit_first_year=t.first_year,
            fit_last_year=t.last_year,
            pace_pp_year=t.pace,
            pace_se=t.pace_se,
        )
        if t.reason:
            reasons.append(t.reason)
    if target is None:
        reasons.append("no target for this indicator and area")
    else:
        assessed = _assess(rows, target, window, scale)
        row.update({k: v for k, v in assessed.items() if k != "reason"})
        row.update(target_value=target.value, target_year=target.year)
        reasons.extend(r for r in assessed["reason"] if r not in reasons)
    row["reason"] = "; ".join(reasons)
    return row


def _assess(rows: pl.DataFrame, target: Target, window: int, scale: Scale) -> dict[str, Any]:
    """Status, projection and year reached of one series, with the reasons for what is missing."""
    out: dict[str, Any] = {"reason": []}
    if rows.height == 0:
        return {**out, "status": "no data"}  # the reason is trend()'s, given by _row
    latest_year, latest = int(rows["year"][-1]), float(rows["value"][-1])
    if target.year > latest_year:
        out["required_pace_pp_year"] = (target.value - latest) / (target.year - latest_year)
    if _met(latest, target):
        return {**out, "status": "reached", "year_reached": _first_met(rows, target)}
    try:
        t = trend(rows, window=window, scale=scale)
    except InputError as error:
        if error.code not in ("monitor.too-few-points", "monitor.logit-bounds"):
            raise
        return {**out, "status": "no data", "reason": [_why(error)]}
    reached = year_reached(rows, target, window=window, scale=scale)
    band = t.interval(target.year)
    projected = t.value(target.year)
    out.update(
        projected_value=projected,
        projected_lower=band[0] if band else None,
        projected_upper=band[1] if band else None,
        year_reached=reached.year,
        year_reached_lower=reached.lower,
        year_reached_upper=reached.upper,
    )
    if reached.reason:
        out["reason"].append(reached.reason)
    if target.year <= latest_year:
        out["reason"].append(f"the target year {target.year} has passed")
        return {**out, "status": "off track"}
    return {**out, "status": "on track" if _met(projected, target) else "off track"}


def _why(error: InputError) -> str:
    """An error's message as a reason in a table cell."""
    return error.message[0].lower() + error.message[1:].rstrip(".")


def _met(value: float, target: Target) -> bool:
    return value >= target.value if target.rising else value <= target.value


def _first_met(rows: pl.DataFrame, target: Target) -> float:
    """The first year of the last run of values that meet the target."""
    year = float(rows["year"][-1])
    for row in reversed(rows.rows(named=True)):
        if not _met(row["value"], target):
            break
        year = float(row["year"])
    return year


def _checked(frame: pl.DataFrame) -> pl.DataFrame:
    missing = [
        c for c in ("indicator", "area", "year", "sex", "value", "nature") if c not in frame.columns
    ]
    if missing:
        raise InputError(
            f"The observations lack the column(s) {', '.join(missing)}.",
            code="monitor.bad-observations",
            hint="Pass an observation frame (socialcover.monitor.OBSERVATION_SCHEMA).",
            missing=missing,
        )
    out = frame.filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
    dup = out.group_by([*_KEY, "year"]).len().filter(pl.col("len") > 1)
    if dup.height:
        first = dup.row(0, named=True)
        raise InputError(
            f"{first['indicator']} in {first['area']} ({first['sex']}) has {first['len']} values "
            f"for {first['year']}.",
            code="monitor.duplicate-year",
            hint="Keep one value per year (one vintage and source) before computing progress.",
        )
    return out.sort([*_KEY, "year"])


def _one_series(series: pl.DataFrame) -> pl.DataFrame:
    rows = _checked(series)
    keys = rows.select(_KEY).unique()
    if keys.height > 1:
        raise InputError(
            f"The rows hold {keys.height} series; this function takes one.",
            code="monitor.not-one-series",
            hint="Filter to one indicator, area and sex, or use progress() for a table.",
        )
    return rows


def _to_scale(value: float, scale: Scale) -> float:
    return value if scale == "linear" else math.log(value / (100 - value))


def _from_scale(value: float, scale: Scale) -> float:
    return value if scale == "linear" else 100 * _expit(value)


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _example_series(values: dict[int, float], nature: str = "modelled") -> pl.DataFrame:
    """Observation rows of the world's headline coverage, for the examples."""
    return pl.DataFrame(
        [
            (
                "sdg131.at_least_one_benefit",
                "World",
                y,
                "both",
                v,
                None,
                None,
                None,
                nature,
                "example",
                "",
                "",
            )
            for y, v in values.items()
        ],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    )
