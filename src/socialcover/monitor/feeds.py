"""Feeds into the store from the platform's own engines: survey indicator tables and costing runs.

A survey indicator table (:func:`socialcover.indicators.compute_indicators`) becomes
``survey_estimate`` observations with the table's standard errors and intervals; a costing
projection (:func:`socialcover.costing.run_costing`) becomes ``modelled`` observations of the
registry's costing indicators. Both are plain frames in
:data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA`: recording them
(:func:`~socialcover.monitor.observations.record_observations`) enters them in the data sets of
their area and year, where they wait for approval like any other value.

The observation key is indicator x area x year x sex, so of a survey table only the total and
the sex breakdown are kept; other breakdowns (age band, urban, quintile...) and the shares by
category stay in the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from socialcover.costing import CostingResult, CostingRun
from socialcover.data import pack_status
from socialcover.errors import InputError
from socialcover.indicators import IndicatorTable
from socialcover.indicators.table import COLUMNS, SMALL_CELL_CV, SMALL_CELL_N
from socialcover.monitor.frame import OBSERVATION_SCHEMA, SEXES
from socialcover.monitor.observations import RecordReport, record_observations
from socialcover.monitor.registry import get_indicator, list_indicators

__all__ = [
    "COSTING_INDICATORS",
    "observations_from_costing",
    "observations_from_indicator_table",
    "publish_survey_results",
]

COSTING_INDICATORS: tuple[str, ...] = tuple(d.code for d in list_indicators("costing."))
"""The registry's costing indicators, each read from the totals column its metadata names."""

_KEY_ASSUMPTIONS = (("real_growth_pct", "real GDP growth"), ("inflation_pct", "inflation"))
_SEX_OF_GROUP = {("total", "all"): "both", ("sex", "female"): "female", ("sex", "male"): "male"}


def _interval(row: dict[str, Any]) -> tuple[float | None, float | None, list[str]]:
    """The cell's interval inside the indicator's bounds (a t interval may cross 0), and a note
    for each end that had to be moved."""
    low, high = get_indicator(row["code"]).bounds
    lower, upper, moved = row["ci_low"], row["ci_high"], []
    if low is not None and lower is not None and lower < low:
        moved.append(f"lower end {lower:.4g} of the interval raised to {low:g}")
        lower = low
    if high is not None and upper is not None and upper > high:
        moved.append(f"upper end {upper:.4g} of the interval lowered to {high:g}")
        upper = high
    return lower, upper, moved


def _survey_notes(row: dict[str, Any], level: float | None, moved: list[str]) -> str:
    """The footnotes of one cell: sample size, fragility flags, the table's own note."""
    notes = [f"unweighted n = {row['n']}"]
    if row["df"] is not None and level is not None:
        scale = " on the logit scale" if "logit" in (row.get("method") or "") else ""
        notes.append(f"{level:.0%} interval{scale}, Student t with {row['df']:g} df")
    flags = (row["flag"] or "").split(",")
    if "small_cell" in flags:
        notes.append(f"small cell: fewer than {SMALL_CELL_N} persons in the sample")
    if "high_cv" in flags:
        cv = f"{row['cv']:.0%}" if row["cv"] is not None else "unknown"
        notes.append(f"CV {cv}, over {SMALL_CELL_CV:.0%}: read with caution")
    if row["note"]:
        notes.append(str(row["note"]))
    notes.extend(moved)
    counterpart = get_indicator(row["code"]).metadata.get("published_counterpart")
    if counterpart:
        notes.append(f"survey counterpart of {counterpart}")
    return " | ".join(notes)


def observations_from_indicator_table(
    table: IndicatorTable | pl.DataFrame,
    *,
    area: str,
    year: int,
    source: str,
    vintage: str,
    sexes: Iterable[str] = SEXES,
) -> pl.DataFrame:
    """The cells of a survey indicator table as ``survey_estimate`` observations.

    Each indicator's total becomes its ``both`` observation, and its sex breakdown its
    ``female`` and ``male`` ones, with the table's value, SE and confidence interval (clipped
    to the indicator's bounds, with a footnote, where a t interval crosses them). Footnotes
    give the unweighted n, the interval's degrees of freedom, the fragility flags (small cell,
    CV over 30 %), the table's note, and the SDG 1.3.1 series the indicator is the survey
    counterpart of, as the registry says. Indicator codes are the registry's (the survey
    engine's codes, unchanged). Cells without a value, other breakdowns and per-category
    shares are left out.

    Parameters
    ----------
    table
        The table, or its frame (``table.to_polars()``, as a survey job stores it).
    area
        The ISO3 code of the country the survey covers.
    year
        The survey's reference year.
    source, vintage
        Who published the survey (its name), and its edition or round.
    sexes
        The sexes to keep (``both`` is the total).

    Returns
    -------
    polars.DataFrame
        Observations in :data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA`.

    Raises
    ------
    InputError
        A frame without the table's columns (``monitor.not-an-indicator-table``).
    NotFoundError
        An indicator code the registry does not have (``monitor.unknown-indicator``).

    Examples
    --------
    >>> import warnings
    >>> from socialcover.indicators import compute_indicators
    >>> from socialcover.testing import synthetic_survey
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")  # small cells are flagged in the footnotes anyway
    ...     table = compute_indicators(synthetic_survey(2_000, seed=1), lonely_psu="adjust",
    ...                                codes=["coverage.children"], disaggregations=["sex"])
    >>> frame = observations_from_indicator_table(table, area="XDM", year=2024,
    ...                                           source="Demoland survey", vintage="2024")
    >>> frame.select("indicator", "sex", "nature").rows()[0]
    ('coverage.children', 'both', 'survey_estimate')
    >>> frame["footnotes"][0].endswith("survey counterpart of sdg131.children")
    True
    """
    cells = table.frame if isinstance(table, IndicatorTable) else table
    missing = [c for c in COLUMNS if c not in cells.columns]
    if missing:
        raise InputError(
            f"This is not a survey indicator table: no column {', '.join(missing)}.",
            code="monitor.not-an-indicator-table",
            hint="Give the table of socialcover.indicators.compute_indicators (or its frame, "
            "as a survey job stores it in result.parquet).",
        )
    level = table.level if isinstance(table, IndicatorTable) else None
    keep = {k: s for k, s in _SEX_OF_GROUP.items() if s in set(sexes)}
    cells = cells.filter(pl.col("category").is_null() & pl.col("value").is_not_null())
    rows = []
    for row in cells.iter_rows(named=True):
        sex = keep.get((row["disaggregation"], row["group"]))
        if sex is None:
            continue
        lower, upper, moved = _interval(row)
        rows.append(
            {
                "indicator": row["code"],
                "area": area,
                "year": year,
                "sex": sex,
                "value": row["value"],
                "se": row["se"],
                "lower": lower,
                "upper": upper,
                "nature": "survey_estimate",
                "source": source,
                "vintage": vintage,
                "footnotes": _survey_notes(row, level, moved),
            }
        )
    return pl.DataFrame(
        rows,
        schema=OBSERVATION_SCHEMA,
    )


def publish_survey_results(
    session: Session,
    actor: Any,
    table: IndicatorTable | pl.DataFrame,
    *,
    area: str,
    year: int,
    source: str,
    vintage: str,
) -> RecordReport:
    """Record a finished survey table as observations, entered and waiting for approval.

    The table is what a survey job produced: an :class:`~socialcover.indicators.IndicatorTable`
    or its stored frame (the web app keeps it as the job's ``result.parquet``; the app, which
    owns the jobs, reads it and passes it here).

    Parameters
    ----------
    session, actor
        The transaction and who publishes (needs ``monitor.enter``).
    table, area, year, source, vintage
        As for :func:`observations_from_indicator_table`.

    Returns
    -------
    RecordReport
        What was written, and the data set of the area and year it waits in.
    """
    frame = observations_from_indicator_table(
        table, area=area, year=year, source=source, vintage=vintage
    )
    return record_observations(session, actor, frame)


def _assumptions(result: CostingResult, iso3: str) -> str:
    """The key assumptions of a country's projection, as one footnote."""
    scenario = result.scenario
    notes = [
        f"package {scenario.package or 'of the scenario'}: "
        + ", ".join(b.name for b in scenario.benefits),
        f"base year {scenario.base_year}",
    ]
    provenance = result.provenance.filter(pl.col("iso3") == iso3)
    for assumption, label in _KEY_ASSUMPTIONS:
        found = provenance.filter(pl.col("assumption") == assumption)
        if found.height:
            row = found.row(0, named=True)
            origin = row["source"] if row["is_default"] else "set by the scenario"
            notes.append(f"{label} {row['value']:.2f} % a year ({origin})")
    return " | ".join(notes)


def observations_from_costing(
    result: CostingResult | CostingRun, *, indicators: Iterable[str] = COSTING_INDICATORS
) -> pl.DataFrame:
    """A costing projection as ``modelled`` observations, per country and year.

    Each indicator is read from the column of the result's totals its registry definition names
    (``metadata["result_column"]``): the cost of the package and the financing gap, as % of GDP.
    The source names the scenario and the data pack version the projection ran on (also the
    vintage); footnotes name the package, its benefits, the base year and the growth and
    inflation assumptions with where they come from. Countries the run could not cost, and
    years without a value, are left out.

    Parameters
    ----------
    result
        The projection (:func:`socialcover.costing.project_costs`), or a run
        (:func:`socialcover.costing.run_costing`), whose ``result`` is used.
    indicators
        The costing indicators to publish (default: every one in the registry).

    Returns
    -------
    polars.DataFrame
        Observations in :data:`~socialcover.monitor.frame.OBSERVATION_SCHEMA`, ``sex``
        ``both``.

    Raises
    ------
    NotFoundError
        An unknown indicator code (``monitor.unknown-indicator``).
    InputError
        An indicator that is not a costing result (``monitor.not-a-costing-indicator``).
    """
    projection = result.result if isinstance(result, CostingRun) else result
    manifest = pack_status()
    pack = manifest.version if manifest else "unknown"
    source = f"socialcover costing, scenario {projection.scenario.name!r}, data pack {pack}"
    notes = {iso3: _assumptions(projection, iso3) for iso3 in projection.iso3s}
    frames = []
    for code in indicators:
        column = get_indicator(code).metadata.get("result_column", "")
        if not column.startswith("totals."):
            raise InputError(
                f"{code} is not a costing result.",
                code="monitor.not-a-costing-indicator",
                hint="Costing indicators: " + ", ".join(COSTING_INDICATORS) + ".",
                value=code,
            )
        frames.append(
            projection.totals.filter(pl.col(column.removeprefix("totals.")).is_finite()).select(
                pl.lit(code).alias("indicator"),
                pl.col("iso3").alias("area"),
                pl.col("year").cast(pl.Int32),
                pl.lit("both").alias("sex"),
                pl.col(column.removeprefix("totals.")).alias("value"),
                pl.lit(None, pl.Float64).alias("se"),
                pl.lit(None, pl.Float64).alias("lower"),
                pl.lit(None, pl.Float64).alias("upper"),
                pl.lit("modelled").alias("nature"),
                pl.lit(source).alias("source"),
                pl.lit(pack).alias("vintage"),
                pl.col("iso3").replace_strict(notes, return_dtype=pl.String).alias("footnotes"),
            )
        )
    return pl.concat(frames) if frames else pl.DataFrame(schema=OBSERVATION_SCHEMA)
