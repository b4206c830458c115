"""The indicator table: every indicator, by every breakdown, with design-based SEs.

:func:`compute_indicators` takes persons in the standard concepts (a mapped survey, or a
synthetic one), derives the analysis variables, binds the survey design through the survey
engine, and estimates each registered indicator overall and by each of its breakdowns.

Arithmetic (DHIS2, METHODS.md B5): value = numerator / denominator x factor (100 for
percentages). A zero denominator, or a concept the indicator needs but the data lack, gives no
value and says why in ``reason`` -- never 0 or infinity. A numerator that is missing for some
persons of the denominator leaves those persons out of both (complete cases) and says so in
``note``. Fragile cells (unweighted n < 30, or CV > 30%) are flagged in ``flag`` and raise one
:class:`~socialcover.errors.SocialcoverWarning` (code ``indicators.small-cell``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from socialcover.errors import InputError, SocialcoverWarning
from socialcover.indicators.definitions import DISAGGREGATIONS, Indicator
from socialcover.indicators.estimation import bind_design, estimate_gini_reduction
from socialcover.indicators.registry import get_indicator, list_indicators
from socialcover.indicators.variables import Prepared, prepare_variables
from socialcover.survey import (
    Groups,
    LonelyPsuRule,
    Ratios,
    RowDesign,
    UnitSums,
    groups_of,
    proportion_interval,
    ratios,
    t_quantile,
    unit_sums,
)
from socialcover.survey.io import CONTRIBUTORY_BY_DEFAULT, Mapping, SurveyParameters

__all__ = ["SMALL_CELL_CV", "SMALL_CELL_N", "IndicatorTable", "compute_indicators"]

SMALL_CELL_N = 30
SMALL_CELL_CV = 0.30
TAYLOR_RATIO = "Taylor linearisation, ratio of totals (survey engine)"
TAYLOR_GINI = "Taylor linearisation, Gini influence function (Langel-Tille 2013; survey engine)"
CI_LOGIT = "interval on the logit scale (R svyciprop, method logit)"
CI_WALD = "interval: estimate +/- Student's t x SE"

COLUMNS = {
    "code": pl.Utf8,
    "disaggregation": pl.Utf8,
    "group": pl.Utf8,
    "category": pl.Utf8,
    "value": pl.Float64,
    "se": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "cv": pl.Float64,
    "df": pl.Float64,
    "n": pl.Int64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "unit": pl.Utf8,
    "flag": pl.Utf8,
    "reason": pl.Utf8,
    "note": pl.Utf8,
    "method": pl.Utf8,
}


@dataclass(frozen=True)
class IndicatorTable:
    """The computed indicator table (one row per indicator x breakdown x group x category)."""

    frame: pl.DataFrame
    level: float
    design: str

    def to_polars(self) -> pl.DataFrame:
        """The table as a Polars frame (a copy)."""
        return self.frame.clone()

    def to_dicts(self) -> list[dict[str, Any]]:
        """Rows as JSON-ready dicts (missing values are ``None``)."""
        rows = self.frame.to_dicts()
        for row in rows:
            for key, value in row.items():
                if isinstance(value, float) and not np.isfinite(value):
                    row[key] = None
        return rows

    def value(self, code: str, disaggregation: str = "total", group: str = "all") -> float | None:
        """One value of the table (``None`` when the cell has no value)."""
        cell = self.frame.filter(
            (pl.col("code") == code)
            & (pl.col("disaggregation") == disaggregation)
            & (pl.col("group") == group)
        )
        if cell.height != 1:
            raise KeyError(f"{cell.height} cells for {code} / {disaggregation} / {group}")
        v = cell["value"][0]
        return None if v is None else float(v)

    def __len__(self) -> int:
        return self.frame.height


@dataclass
class _Cell:
    code: str
    disaggregation: str
    group: str
    category: str | None
    value: float | None
    se: float | None
    df: float | None
    n: int
    numerator: float | None
    denominator: float | None
    unit: str
    reason: str | None
    note: str | None
    method: str


def _selected(codes: Iterable[str] | None) -> list[Indicator]:
    if codes is None:
        return list_indicators()
    out: list[Indicator] = []
    for c in codes:
        if c.endswith(".") or c.endswith("*"):
            found = list_indicators(c.rstrip("*"))
            if not found:
                get_indicator(c.rstrip("*."))  # raises with suggestions
            out.extend(found)
        else:
            out.append(get_indicator(c))
    return list(dict.fromkeys(out))


def compute_indicators(
    data: pl.DataFrame,
    *,
    codes: Iterable[str] | None = None,
    by: Sequence[str] = (),
    disaggregations: Sequence[str] | None = None,
    mapping: Mapping | None = None,
    parameters: SurveyParameters | None = None,
    lonely_psu: LonelyPsuRule | None = None,
    quintiles_of: str = "post",
    level: float = 0.95,
    progress: Callable[[int, int, str], None] | None = None,
) -> IndicatorTable:
    """Compute the indicator table from persons in the standard concepts.

    Parameters
    ----------
    data
        One row per person with ``weight`` (and ``strata``, ``psu``, ``fpc`` when the design
        has them) and the standard concepts.
    codes
        Indicator codes (a code ending in ``.`` or ``*`` selects a family); all by default.
    by
        Extra breakdowns (columns of ``data``, e.g. ``region``) applied to every indicator.
    disaggregations
        The standard breakdowns to compute (default: each indicator's own list).
    mapping
        The mapping the data came from: supplies parameters, the lonely-PSU rule and which
        benefits are contributory.
    parameters
        Pensionable age, child age limit, working ages (overrides the mapping's).
    lonely_psu
        Lonely-PSU rule for the design (default: the mapping's, else ``"fail"``).
    quintiles_of
        ``"post"`` or ``"pre"``-transfer welfare for quintiles.
    level
        Confidence level of the intervals.
    progress
        Called with (step, steps, label) as each breakdown is done.

    Returns
    -------
    IndicatorTable

    Raises
    ------
    InputError
        No weight column, or an unknown breakdown.

    Examples
    --------
    >>> from socialcover.testing import synthetic_survey
    >>> survey = synthetic_survey(5_000, seed=1)
    >>> t = compute_indicators(survey, codes=["coverage.older_persons"], disaggregations=["sex"])
    >>> 0 < t.value("coverage.older_persons") < 100
    True
    """
    if type(data).__module__.startswith("pyspark.sql"):
        raise InputError(
            "The indicator table cannot be computed on a Spark DataFrame yet.",
            code="indicators.spark-not-supported",
            hint="Write the persons to Parquet (df.write.parquet(path)) and pass "
            "pl.read_parquet(path), or estimate single indicators with "
            "socialcover.survey.Sample on the Spark frame. See docs/spark.md.",
        )
    if "weight" not in data.columns:
        raise InputError(
            "The data have no 'weight' column.",
            code="indicators.no-weight",
            hint="Map the survey first (socialcover.survey.io.load_survey) so that the design "
            "columns have their standard names.",
        )
    for b in by:
        if b not in data.columns:
            raise InputError(
                f"Breakdown {b!r} is not a column of the data.",
                code="indicators.unknown-breakdown",
                hint="Columns: " + ", ".join(data.columns[:30]),
            )
    unknown = set(disaggregations or ()) - set(DISAGGREGATIONS)
    if unknown:
        raise InputError(
            f"Unknown breakdown(s): {', '.join(sorted(unknown))}.",
            code="indicators.unknown-breakdown",
            hint="Standard breakdowns: " + ", ".join(DISAGGREGATIONS),
        )
    params = parameters or (mapping.parameters if mapping else None)
    contributory = (
        {b for b, spec in mapping.benefits.items() if spec.contributory}
        if mapping
        else set(CONTRIBUTORY_BY_DEFAULT)
    )
    rule: LonelyPsuRule = lonely_psu or (mapping.lonely_psu if mapping else "fail")  # type: ignore[assignment]
    indicators = _selected(codes)
    prepared = prepare_variables(data, params, contributory=contributory, quintiles_of=quintiles_of)
    bound = bind_design(prepared.frame, lonely_psu=rule)
    plan = _plan(indicators, prepared, list(by), disaggregations)
    work = _workspace(prepared, plan.get("total", []))
    cells: list[_Cell] = []
    # The total comes last: it is summed from the bins of a breakdown that covers everyone.
    order = [b for b in plan if b != "total"] + (["total"] if "total" in plan else [])
    for step, breakdown in enumerate(order, start=1):
        cells += _breakdown_cells(bound, prepared, work, breakdown, plan[breakdown], plan)
        if progress is not None:
            progress(step, len(plan), breakdown)
    cells += _unavailable_cells(indicators, prepared)
    frame = _frame(cells, level, [i.code for i in indicators])
    _warn_fragile(frame)
    design = f"weights=weight, strata={'strata' if 'strata' in data.columns else 'none'}, " + (
        f"psu={'psu' if 'psu' in data.columns else 'rows'}, lonely_psu={rule}"
    )
    return IndicatorTable(frame, level, design)


def _missing(ind: Indicator, prepared: Prepared) -> list[str]:
    return [r for r in ind.requires if r not in prepared.available]


def _plan(
    indicators: list[Indicator],
    prepared: Prepared,
    by: list[str],
    disaggregations: Sequence[str] | None,
) -> dict[str, list[Indicator]]:
    plan: dict[str, list[Indicator]] = {"total": []}
    usable = [i for i in indicators if not _missing(i, prepared)]
    for ind in usable:
        plan["total"].append(ind)
        wanted = [d for d in ind.disaggregations if disaggregations is None or d in disaggregations]
        for d in [*wanted, *by]:
            if d in prepared.frame.columns:
                plan.setdefault(d, []).append(ind)
    return {k: v for k, v in plan.items() if v}


def _pairs(ind: Indicator, frame: pl.DataFrame) -> list[tuple[str | None, str, str]]:
    """(category, numerator column, denominator column) of a ratio indicator."""
    if not ind.categories:
        return [(None, ind.numerator_var, ind.denominator_var)]
    out: list[tuple[str | None, str, str]] = []
    for cat in ind.categories:
        out.append((cat, f"{ind.numerator_var}__{cat}", ind.denominator_var))
    return out


def _category_columns(indicators: list[Indicator], frame: pl.DataFrame) -> pl.DataFrame:
    ex = []
    for ind in indicators:
        for cat in ind.categories:
            name = f"{ind.numerator_var}__{cat}"
            if name not in frame.columns:
                ex.append(
                    (pl.col(ind.numerator_var) * (pl.col("quintile") == cat).cast(pl.Float64))
                    .fill_null(0.0)
                    .alias(name)
                )
    return frame.with_columns(ex) if ex else frame


def _complete_cases(
    frame: pl.DataFrame, pairs: list[tuple[str, str]]
) -> tuple[pl.DataFrame, list[tuple[str, str]], dict[tuple[str, str], str]]:
    """Persons with a missing numerator leave the denominator too (complete cases)."""
    out: list[tuple[str, str]] = []
    notes: dict[tuple[str, str], str] = {}
    extra: list[pl.Expr] = []
    nulls = {c: frame[c].null_count() for c in {p for pair in pairs for p in pair}}
    for y, x in pairs:
        if nulls[y] == 0 and nulls[x] == 0:
            out.append((y, x))
            continue
        ok = pl.col(y).is_not_null() & pl.col(x).is_not_null()
        gone = frame.select((~ok & (pl.col(x).fill_null(0) != 0)).sum()).item()
        xn, yn = f"{x}__cc_{y}", f"{y}__cc"
        extra += [
            pl.when(ok).then(pl.col(x)).otherwise(0.0).alias(xn),
            pl.col(y).fill_null(0.0).alias(yn),
        ]
        out.append((yn, xn))
        if gone:
            notes[(yn, xn)] = f"{gone:,} persons without a numerator value were left out."
    frame = frame.with_columns(extra) if extra else frame
    return frame, out, notes


@dataclass
class _Workspace:
    """The frame with every column the ratios need, built once for all breakdowns."""

    frame: pl.DataFrame
    pairs: dict[tuple[str, str | None], tuple[str, str]]
    notes: dict[tuple[str, str], str]
    orders: dict[str, Any]
    groups: dict[str, Groups] = field(default_factory=dict)
    donor: UnitSums | None = None

    def groups_of(self, by: str | None) -> Groups:
        key = by or ""
        if key not in self.groups:
            self.groups[key] = groups_of(self.frame, by)
        return self.groups[key]

    def ratio_pairs(self, members: list[Indicator]) -> list[tuple[Indicator, str | None]]:
        return [
            (ind, cat)
            for ind in members
            if ind.kind == "ratio"
            for cat in (ind.categories or (None,))
        ]


def _columns(pairs: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    xs = list(dict.fromkeys(x for _, x in pairs))
    return list(dict.fromkeys([*(y for y, _ in pairs), *xs])), xs


def _ratios(
    bound: RowDesign,
    work: _Workspace,
    breakdown: str,
    pairs: list[tuple[str, str]],
    total_pairs: list[tuple[str, str]],
) -> Ratios:
    if breakdown == "total" and work.donor is not None:
        return ratios(bound, work.donor.collapse(bound.n_units), pairs)
    groups = work.groups_of(None if breakdown == "total" else breakdown)
    wanted = pairs
    donor = breakdown != "total" and work.donor is None and bool((groups.code >= 0).all())
    if donor:
        wanted = list(dict.fromkeys([*pairs, *total_pairs]))
    cols, xs = _columns(wanted)
    sums = unit_sums(bound, work.frame, groups, cols, xs)
    if donor:
        work.donor = sums
    return ratios(bound, sums, list(dict.fromkeys(pairs)))


def _workspace(prepared: Prepared, indicators: list[Indicator]) -> _Workspace:
    ratio_inds = [i for i in indicators if i.kind == "ratio"]
    frame = _category_columns(ratio_inds, prepared.frame)
    keys: list[tuple[str, str | None]] = []
    raw: list[tuple[str, str]] = []
    for ind in ratio_inds:
        for cat, y, x in _pairs(ind, frame):
            keys.append((ind.code, cat))
            raw.append((y, x))
    frame, pairs, notes = _complete_cases(frame, raw)
    return _Workspace(frame, dict(zip(keys, pairs, strict=True)), notes, {})


def _breakdown_cells(
    bound: RowDesign,
    prepared: Prepared,
    work: _Workspace,
    breakdown: str,
    members: list[Indicator],
    plan: dict[str, list[Indicator]],
) -> list[_Cell]:
    by = None if breakdown == "total" else breakdown
    frame = work.frame
    cells: list[_Cell] = []
    spec = work.ratio_pairs(members)
    pairs = [work.pairs[(ind.code, cat)] for ind, cat in spec]
    total_pairs = [work.pairs[(i.code, c)] for i, c in work.ratio_pairs(plan.get("total", []))]
    if pairs:
        res = _ratios(bound, work, breakdown, pairs, total_pairs)
        index = {p: j for j, p in enumerate(dict.fromkeys(pairs))}
        for (ind, cat), pair in zip(spec, pairs, strict=True):
            j = index[pair]
            note = _note(ind, prepared, work.notes.get(pair))
            for g, level in enumerate(res.levels):
                den = float(res.denominator[j, g])
                num = float(res.numerator[j, g])
                ok = den != 0
                cells.append(
                    _Cell(
                        ind.code,
                        breakdown,
                        str(level),
                        cat,
                        num / den * ind.factor if ok else None,
                        float(np.sqrt(res.variance[j, g])) * ind.factor if ok else None,
                        float(res.df[g]),
                        int(res.n[j, g]),
                        num,
                        den,
                        ind.unit,
                        None
                        if ok
                        else f"zero denominator: no {ind.denominator.lower()} in this group",
                        note,
                        TAYLOR_RATIO,
                    )
                )
    for ind in (i for i in members if i.kind == "gini_reduction"):
        gres = estimate_gini_reduction(
            bound, frame, work.groups_of(by), "welfare_pre", "welfare", work.orders
        )
        for g, level in enumerate(gres.groups):
            pre, post = float(gres.gini_pre[g]), float(gres.gini_post[g])
            ok = np.isfinite(pre) and pre != 0
            cells.append(
                _Cell(
                    ind.code,
                    breakdown,
                    str(level),
                    None,
                    (pre - post) / pre * ind.factor if ok else None,
                    float(np.sqrt(gres.variance[g])) * ind.factor if ok else None,
                    float(gres.df[g]),
                    int(gres.n[g]),
                    pre - post,
                    pre,
                    ind.unit,
                    None if ok else "zero denominator: the pre-transfer Gini is 0",
                    _note(ind, prepared, None),
                    TAYLOR_GINI,
                )
            )
    return cells


def _note(ind: Indicator, prepared: Prepared, extra: str | None) -> str | None:
    parts = [ind.note] if ind.note else []
    if ind.code in prepared.notes:
        parts.append(prepared.notes[ind.code])
    if "amounts" in ind.requires and "amounts" in prepared.notes:
        parts.append(prepared.notes["amounts"])
    if extra:
        parts.append(extra)
    return " ".join(parts) or None


def _unavailable_cells(indicators: list[Indicator], prepared: Prepared) -> list[_Cell]:
    cells = []
    for ind in indicators:
        missing = _missing(ind, prepared)
        if missing:
            reason = (
                "needs " + ", ".join(missing) + ", not in the data (map it in the mapping file)"
            )
            cells.append(
                _Cell(
                    ind.code,
                    "total",
                    "all",
                    None,
                    None,
                    None,
                    None,
                    0,
                    None,
                    None,
                    ind.unit,
                    reason,
                    ind.note or None,
                    "",
                )
            )
    return cells


def _frame(cells: list[_Cell], level: float, order: list[str]) -> pl.DataFrame:
    if not cells:
        return pl.DataFrame(schema=COLUMNS)
    rows = [c.__dict__ for c in cells]
    frame = pl.DataFrame(rows, schema={k: v for k, v in COLUMNS.items() if k in rows[0]})
    df = frame["df"].fill_null(np.nan).to_numpy()
    tq = t_quantile(0.5 + level / 2, np.maximum(df, 1.0))
    value = frame["value"].fill_null(np.nan).to_numpy()
    se = frame["se"].fill_null(np.nan).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(value != 0, se / np.abs(value), np.nan)
    small = frame["n"].to_numpy() < SMALL_CELL_N
    high = np.nan_to_num(cv, nan=0.0) > SMALL_CELL_CV
    has_value = ~np.isnan(value)
    flag = np.where(
        ~has_value,
        "no_value",
        np.where(
            small & high,
            "small_cell,high_cv",
            np.where(small, "small_cell", np.where(high, "high_cv", "ok")),
        ),
    )
    rank = {c: i for i, c in enumerate(order)}
    dis_rank = {d: i for i, d in enumerate(["total", *DISAGGREGATIONS])}
    low, high = value - tq * se, value + tq * se
    # A proportion's interval stays inside [0, 100] %: the logit interval of the survey engine
    # (Lumley 2010, sec. 2.4.1), as R's svyciprop gives for a ratio of totals.
    prop = np.array([get_indicator(c).proportion for c in frame["code"]], dtype=np.bool_)
    if prop.any():
        p, sp = value[prop] / 100.0, se[prop] / 100.0
        p_lo, p_hi = proportion_interval(
            p, sp, np.maximum(df[prop], 1.0), frame["n"].to_numpy()[prop], level, "logit"
        )
        # 0 % or 100 %, or no variance: the logit is undefined; the clipped interval is exact
        flat = ~((p > 0) & (p < 1) & (sp > 0))
        p_lo = np.where(flat, np.clip(p - tq[prop] * sp, 0.0, 1.0), p_lo)
        p_hi = np.where(flat, np.clip(p + tq[prop] * sp, 0.0, 1.0), p_hi)
        low[prop], high[prop] = p_lo * 100.0, p_hi * 100.0
    method = frame["method"].to_numpy().astype(object)
    method = np.where(prop, method + "; " + CI_LOGIT, method + "; " + CI_WALD)
    frame = frame.with_columns(
        pl.Series("ci_low", low),
        pl.Series("ci_high", high),
        pl.Series("cv", cv),
        pl.Series("flag", flag),
        pl.Series("method", method.tolist(), dtype=pl.Utf8),
    ).with_columns(pl.col(c).fill_nan(None) for c in ("value", "se", "ci_low", "ci_high", "cv"))
    frame = frame.with_columns(
        pl.col("code").replace_strict(rank, return_dtype=pl.Int64).alias("_r1"),
        pl.col("disaggregation")
        .replace_strict(dis_rank, default=99, return_dtype=pl.Int64)
        .alias("_r2"),
    ).sort("_r1", "_r2", "disaggregation", "group", "category", nulls_last=True)
    return frame.drop("_r1", "_r2").select(list(COLUMNS))


def _warn_fragile(frame: pl.DataFrame) -> None:
    fragile = frame.filter(pl.col("flag").is_in(["small_cell", "high_cv", "small_cell,high_cv"]))
    if fragile.height:
        warnings.warn(
            SocialcoverWarning(
                f"{fragile.height:,} of {frame.height:,} indicator values are fragile "
                f"(unweighted n < {SMALL_CELL_N} or CV > {SMALL_CELL_CV:.0%}); they are flagged "
                "in the 'flag' column.",
                code="indicators.small-cell",
                hint="Read flagged values with caution; pool groups or survey rounds for a "
                "larger sample.",
            ),
            stacklevel=3,
        )
