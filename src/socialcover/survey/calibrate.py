"""Calibration of weights to known population totals: post-stratification.

``sample.poststratify(by, totals)`` returns a new :class:`~socialcover.survey.Sample` whose
weights are w_i N_c / N_hat_c in each cell c of ``by`` (R's ``postStratify``). Its variance
uses the residuals of the linearised scores from their cell means, as R's ``svyrecvar`` does
for post-strata: x_i <- x_i - psw_i m_c with m_c the old-weight mean of x / psw in the cell
(Lumley 2010, sec. 7.2; Sarndal, Swensson and Wretman 1992, sec. 7.6). Every row keeps its
place in the design, so domains of a calibrated sample carry the calibration's gain too.

Only sums by (domain, unit, cell) are needed: the calibrated weights are the old ones times a
factor per cell, applied in NumPy after the one aggregate query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from socialcover.survey._errors import DesignError

if TYPE_CHECKING:
    from socialcover.survey.sample import Sample

__all__ = ["Calibration", "poststratify"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Calibration:
    """Post-strata of a calibrated sample."""

    columns: tuple[str, ...]
    cells: pl.DataFrame  # _k0.. (cell values), _cell (index)
    g: FloatArray  # N_c / N_hat_c per cell
    w_old: FloatArray  # old weight total per cell (all rows)
    pair_unit: IntArray  # (finest unit, cell) pairs holding rows
    pair_cell: IntArray
    pair_w_old: FloatArray  # old weight total per pair


def _as_totals(by: list[str], totals: Any) -> pl.DataFrame:
    if isinstance(totals, dict):
        if len(by) != 1:
            raise DesignError(
                "A dict of totals needs one post-stratification column.",
                code="survey.bad-totals",
                hint='Pass a frame with the by= columns and a "total" column.',
            )
        return pl.DataFrame({by[0]: list(totals), "total": [float(v) for v in totals.values()]})
    if isinstance(totals, pl.DataFrame):
        return totals
    try:
        out: pl.DataFrame = pl.from_pandas(totals)
        return out
    except (TypeError, ValueError) as exc:
        raise DesignError(
            f"Cannot read population totals of type {type(totals).__name__}.",
            code="survey.bad-totals",
            hint='Pass a Polars/pandas frame with the by= columns and a "total" column.',
        ) from exc


def poststratify(sample: Sample, by: str | list[str], totals: Any) -> Sample:
    """A post-stratified copy of ``sample`` (see the module docstring)."""
    cols = [by] if isinstance(by, str) else list(by)
    if sample._replicate is not None or sample._calibration is not None:
        raise DesignError(
            "Post-stratify a Taylor design once (replicate designs and repeated calibration "
            "are not supported yet).",
            code="survey.calibration-unsupported",
            hint="Calibrate the Design before making replicates.",
        )
    from socialcover.survey.structure import check_columns

    check_columns(sample.columns, cols, "in poststratify(by=)")
    tot = _as_totals(cols, totals)
    if "total" not in tot.columns:
        raise DesignError(
            'Population totals need a "total" column.',
            code="survey.bad-totals",
            hint=f"Columns given: {tot.columns}.",
        )
    check_columns(tot.columns, cols, "in the totals")
    new = sample._with_row_ids() if sample._structure.element else sample
    eng = new._engine
    q = eng.quote
    st = new._structure
    keys = [a for _, a in st.key_sql]
    sel = [f"{e} AS {a}" for e, a in st.key_sql] + [f"{q(c)} AS _k{i}" for i, c in enumerate(cols)]
    grp = [e for e, _ in st.key_sql] + [q(c) for c in cols]
    pairs = eng.query(
        f"SELECT {', '.join(sel)}, SUM({new._weight_sql}) AS _w FROM {eng.table} "
        f"GROUP BY {', '.join(grp)}"
    )
    kcols = [f"_k{i}" for i in range(len(cols))]
    cells = pairs.group_by(kcols).agg(pl.col("_w").sum()).sort(kcols, nulls_last=True)
    pop = tot.select([*(pl.col(c).alias(f"_k{i}") for i, c in enumerate(cols)), "total"])
    try:
        pop = pop.cast({k: cells.schema[k] for k in kcols})
    except pl.exceptions.InvalidOperationError as exc:
        raise DesignError(
            "The totals' cell values do not have the data's types.",
            code="survey.bad-totals",
            hint=f"Data types: {[str(cells.schema[k]) for k in kcols]}.",
        ) from exc
    both = cells.join(pop, on=kcols, how="full", coalesce=True, nulls_equal=True)
    missing_pop = both.filter(pl.col("total").is_null())
    if missing_pop.height:
        raise DesignError(
            f"{missing_pop.height} post-strata of the sample have no population total, e.g. "
            f"{missing_pop.select(kcols).row(0)}.",
            code="survey.bad-totals",
            hint="Give a total for every cell of " + ", ".join(cols) + " found in the data.",
        )
    missing_sample = both.filter(pl.col("_w").is_null() & (pl.col("total") > 0))
    if missing_sample.height:
        raise DesignError(
            f"{missing_sample.height} post-strata have a population total but no sample rows, "
            f"e.g. {missing_sample.select(kcols).row(0)}.",
            code="survey.empty-poststratum",
            hint="Merge those cells with neighbours (R: postStratify(partial=TRUE) drops them).",
        )
    cells = cells.join(pop, on=kcols, how="left", nulls_equal=True).with_row_index("_cell")
    g = (cells["total"] / cells["_w"]).to_numpy().astype(float)
    pairs = pairs.join(cells.select([*kcols, "_cell"]), on=kcols, nulls_equal=True)
    if keys:
        pairs = pairs.join(st.units, on=keys, how="left")
    else:
        pairs = pairs.with_columns(pl.lit(0, dtype=pl.Int64).alias("_u"))
    cal = Calibration(
        columns=tuple(cols),
        cells=cells.select([*kcols, "_cell"]),
        g=g,
        w_old=cells["_w"].to_numpy().astype(float),
        pair_unit=pairs["_u"].to_numpy().astype(np.int64),
        pair_cell=pairs["_cell"].to_numpy().astype(np.int64),
        pair_w_old=pairs["_w"].to_numpy().astype(float),
    )
    return new._derive(calibration=cal)
