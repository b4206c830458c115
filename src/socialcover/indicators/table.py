"""The indicator table: every indicator, by every breakdown, with design-based SEs.

:func:`compute_indicators` takes persons in the standard concepts (a mapped survey, or a
synthetic one; a frame or a Parquet file), derives the analysis variables, binds the survey
design through the survey engine, and estimates each registered indicator overall and by each
of its breakdowns. Where the per-person work is done is a workspace: in DuckDB or on the
user's Spark cluster, in memory bounded by sampling units (:mod:`.bounded`), or in one Polars
frame (:mod:`.inmemory`); this module plans the breakdowns and turns their estimates into the
table.

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
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl

from socialcover.errors import InputError, SocialcoverWarning
from socialcover.indicators.definitions import DISAGGREGATIONS, Indicator
from socialcover.indicators.estimation import bind_design
from socialcover.indicators.inmemory import Workspace
from socialcover.indicators.registry import get_indicator, list_indicators
from socialcover.indicators.variables import Prepared, prepare_variables
from socialcover.survey import (
    LonelyPsuRule,
    is_spark_frame,
    proportion_interval,
    t_quantile,
)
from socialcover.survey.io import CONTRIBUTORY_BY_DEFAULT, Mapping, SurveyParameters

if TYPE_CHECKING:
    from socialcover.indicators.bounded import SqlWorkspace

__all__ = ["SMALL_CELL_CV", "SMALL_CELL_N", "IndicatorTable", "compute_indicators"]

Engine = Literal["auto", "duckdb", "polars", "spark"]
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
    data: Any,
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
    engine: Engine = "auto",
    spark: Any = None,
) -> IndicatorTable:
    """Compute the indicator table from persons in the standard concepts.

    Parameters
    ----------
    data
        One row per person with ``weight`` (and ``strata``, ``psu``, ``fpc`` when the design
        has them) and the standard concepts: a Polars frame, or the path of a Parquet file
        (or a glob of files), read by DuckDB without loading the persons into memory; or a
        Spark DataFrame, or a path Spark reads (``engine="spark"``: local, folder, glob,
        ``hdfs://``, ``s3a://``), computed on the Spark cluster (a Polars frame with
        ``engine="spark"`` is sent to Spark through Arrow).
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
    engine
        ``"duckdb"``: the analysis variables are computed and summed per sampling unit in
        DuckDB (memory bounded by PSUs x groups x indicators, not by persons); ``"polars"``:
        in memory, person by person (about 2 GB per million persons). ``"auto"`` (default):
        DuckDB when the design has a ``psu`` column, else Polars (every person of an element
        design is a sampling unit), Spark for a Spark DataFrame or when ``spark`` is given.
        ``"spark"``: as DuckDB, on Spark SQL (the persons stay on the executors; only sums
        per group and sampling unit come to the driver). All give the same table.
    spark
        The SparkSession that reads a path (default: the active one, else Spark's default);
        a Spark DataFrame brings its own. Nothing is set on the session.

    Returns
    -------
    IndicatorTable

    Raises
    ------
    InputError
        No weight column, or an unknown breakdown.
    socialcover.survey.BackendError
        Spark failed (out of memory, lost driver...): the hint names the setting to raise.

    Examples
    --------
    >>> from socialcover.testing import synthetic_survey
    >>> survey = synthetic_survey(5_000, seed=1)
    >>> t = compute_indicators(survey, codes=["coverage.older_persons"], disaggregations=["sex"])
    >>> 0 < t.value("coverage.older_persons") < 100
    True
    """
    if engine not in ("auto", "duckdb", "polars", "spark"):
        raise InputError(
            f"Unknown engine {engine!r}.",
            code="indicators.unknown-engine",
            hint="engine='auto', 'duckdb', 'polars' or 'spark'.",
        )
    on_spark = engine == "spark" or (
        engine == "auto" and (is_spark_frame(data) or spark is not None)
    )
    if is_spark_frame(data) and not on_spark:
        raise InputError(
            f"A Spark DataFrame is computed on Spark, not with engine={engine!r}.",
            code="indicators.engine-mismatch",
            hint="Pass engine='spark' (or 'auto'), or write the persons to Parquet "
            "(df.write.parquet(path)) and pass the path.",
        )
    if on_spark:  # a path read by Spark itself; a Polars frame sent through Arrow
        from socialcover.survey import read_spark

        data = read_spark(data, spark)
    columns = list(data.columns) if on_spark else _columns_of(data)
    if "weight" not in columns:
        raise InputError(
            "The data have no 'weight' column.",
            code="indicators.no-weight",
            hint="Map the survey first (socialcover.survey.io.load_survey) so that the design "
            "columns have their standard names.",
        )
    for b in by:
        if b not in columns:
            raise InputError(
                f"Breakdown {b!r} is not a column of the data.",
                code="indicators.unknown-breakdown",
                hint="Columns: " + ", ".join(columns[:30]),
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
    if on_spark:
        chosen = "spark"
    elif engine == "duckdb" or (engine == "auto" and "psu" in columns):
        chosen = "duckdb"
    else:
        chosen = "polars"
    if chosen != "polars" and "psu" not in columns:
        raise InputError(
            f"The {'Spark' if on_spark else 'DuckDB'} engine needs sampling units (a 'psu' "
            "column): an element design has a sampling unit per person.",
            code=f"indicators.{chosen}-needs-psu",
            hint="Spark: compute the table of an element design from a sample of it on one "
            "machine (engine='polars')."
            if on_spark
            else "Use engine='polars' for an element design (no clusters).",
        )
    with _memory_errors(chosen == "duckdb"):
        cells, prepared = _cells(
            data, columns, indicators, params, contributory, quintiles_of, rule, chosen,
            list(by), disaggregations, progress,
        )  # fmt: skip
    cells += _unavailable_cells(indicators, prepared)
    table = _frame(cells, level, [i.code for i in indicators])
    _warn_fragile(table)
    design = f"weights=weight, strata={'strata' if 'strata' in columns else 'none'}, " + (
        f"psu={'psu' if 'psu' in columns else 'rows'}, lonely_psu={rule}"
    )
    return IndicatorTable(table, level, design)


def _columns_of(data: pl.DataFrame | str | Path) -> list[str]:
    """Column names of a frame, or of a Parquet file (its schema only)."""
    if isinstance(data, pl.DataFrame):
        return list(data.columns)
    if not isinstance(data, str | Path):
        raise InputError(
            f"The indicator table takes a Polars frame or a Parquet path, not "
            f"{type(data).__name__}.",
            code="indicators.bad-data",
            hint="Pass pl.DataFrame persons, or the path of a Parquet file.",
        )
    path = Path(data)
    if not any(c in str(path) for c in "*?[") and not path.is_file():
        raise InputError(
            f"No file {str(path)!r}.",
            code="indicators.no-file",
            hint="Give the path of a Parquet file of persons in the standard concepts.",
        )
    try:
        return list(pl.scan_parquet(path).collect_schema().names())
    except Exception as exc:  # polars raises several types for unreadable files
        raise InputError(
            f"Cannot read {str(path)!r} as Parquet: {exc}",
            code="indicators.unreadable",
            hint="Write the persons to Parquet, or read the file and pass a Polars frame.",
        ) from exc


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


def _breakdown_cells(
    prepared: Prepared,
    work: Workspace | SqlWorkspace,
    breakdown: str,
    members: list[Indicator],
    plan: dict[str, list[Indicator]],
) -> list[_Cell]:
    cells: list[_Cell] = []
    spec = work.ratio_pairs(members)
    pairs = [work.pairs[(ind.code, cat)] for ind, cat in spec]
    total_pairs = [work.pairs[(i.code, c)] for i, c in work.ratio_pairs(plan.get("total", []))]
    if pairs:
        res = work.ratios(breakdown, pairs, total_pairs)
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
        gres = work.reduction(breakdown)
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


def _memory_errors(duck: bool) -> AbstractContextManager[None]:
    """DuckDB running out of memory as Python's ``MemoryError`` (as the survey engine's DuckDB
    back-end raises it), so that a caller under a memory limit can name the limit."""
    if not duck:
        return nullcontext()
    from socialcover.indicators.stores import memory_errors

    return memory_errors()


def _cells(
    data: Any,
    columns: Sequence[str],
    indicators: list[Indicator],
    params: SurveyParameters | None,
    contributory: Any,
    quintiles_of: str,
    rule: LonelyPsuRule,
    engine: str,
    by: list[str],
    disaggregations: Any,
    progress: Any,
) -> tuple[list[_Cell], Prepared]:
    """Every cell of the table, on DuckDB or Spark (bounded memory) or in one Polars frame."""
    work: Workspace | SqlWorkspace
    if engine != "polars":
        from socialcover.indicators.bounded import open_workspace

        work = open_workspace(
            data,
            columns,
            parameters=params,
            contributory=contributory,
            quintiles_of=quintiles_of,
            lonely_psu=rule,
            engine=engine,
        )
        prepared = work.prepared
    else:
        frame = data if isinstance(data, pl.DataFrame) else pl.read_parquet(data)
        prepared = prepare_variables(
            frame, params, contributory=contributory, quintiles_of=quintiles_of
        )
        work = Workspace(bind_design(prepared.frame, lonely_psu=rule), prepared.frame, {}, {}, {})
    try:
        plan = _plan(indicators, prepared, by, disaggregations)
        work.set_pairs(plan.get("total", []), list(plan))
        cells: list[_Cell] = []
        # The total comes last: it is summed from the bins of a breakdown covering everyone.
        order = [b for b in plan if b != "total"] + (["total"] if "total" in plan else [])
        for step, breakdown in enumerate(order, start=1):
            cells += _breakdown_cells(prepared, work, breakdown, plan[breakdown], plan)
            if progress is not None:
                progress(step, len(plan), breakdown)
    finally:
        work.close()
    return cells, prepared
