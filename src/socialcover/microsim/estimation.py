"""Many weighted totals and means of per-person arrays, with SEs from the survey package.

Microsimulation asks for dozens of statistics of one population at once (costs,
beneficiaries, poverty indices of two scenarios and their change, the Gini), overall and by
group. For a Taylor design they go through the survey package's estimators over rows
(:func:`socialcover.survey.bind_rows`, :func:`~socialcover.survey.unit_sums`,
:func:`~socialcover.survey.ratios`): the design is bound once, every variable is summed to
(group, sampling unit) in one pass, and the variance algebra is R's ``svyrecvar`` (Wolter
2007, ch. 6). A mean is the ratio of two weighted totals (a domain mean when its denominator
is a 0/1 flag); a smooth statistic such as the Gini is estimated as the total of its
linearised variable (Binder 1983). Replicate designs go through
:class:`~socialcover.survey.Sample`, one statistic at a time.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from socialcover.survey import (
    Design,
    RowDesign,
    Sample,
    UnitSums,
    bind_rows,
    groups_of,
    ratios,
    unit_sums,
)

__all__ = ["PopulationEstimates"]

F64 = npt.NDArray[np.float64]
Changes = Mapping[str, tuple[str, str]] | None
_SCHEMA = {"variable": pl.String, "group": pl.String, "estimate": pl.Float64, "se": pl.Float64}


class PopulationEstimates:
    """Totals and means of per-person arrays over one population and its design.

    Parameters
    ----------
    frame
        One row per person with the design's columns and the group columns asked for.
    design
        A :class:`socialcover.survey.Design` (estimated over rows) or a
        :class:`socialcover.survey.ReplicateDesign` (estimated with ``Sample``).

    Each estimate comes as a frame with columns variable, group (the level as text; ``None``
    overall), estimate and se.
    """

    def __init__(self, frame: pl.DataFrame, design: Any) -> None:
        self.frame = frame
        self.design = design
        self.rows = bind_rows(frame, design) if isinstance(design, Design) else None

    def over(self, frame: pl.DataFrame) -> PopulationEstimates:
        """The same bound design over ``frame``: the same rows, with more columns to group by."""
        out = copy.copy(self)
        out.frame = frame
        return out

    def totals(
        self, values: Mapping[str, F64], by: str | None = None, changes: Changes = None
    ) -> pl.DataFrame:
        """Weighted totals of ``values`` (name -> one value per person), by ``by``.

        ``changes`` names differences of two of the ``values`` (name -> (after, before)),
        estimated as paired differences on the same persons.
        """
        if self.rows is None:
            return self._sample("total", _differences(values, changes), by, None)
        sums = _sums(self.rows, self.frame, values, by, (), changes)
        n_dom = len(sums.levels)
        out = []
        for name in [*values, *(changes or {})]:
            t = sums.sums[name]
            est = np.bincount(sums.dom, weights=t, minlength=n_dom)
            var = self.rows.variance(sums.dom, sums.unit, t, n_dom)
            out.append(_table(name, sums.levels, by, est, np.sqrt(var)))
        return pl.concat(out) if out else pl.DataFrame(schema=_SCHEMA)

    def means(
        self,
        values: Mapping[str, F64],
        by: str | None = None,
        changes: Changes = None,
        denominator: F64 | None = None,
    ) -> pl.DataFrame:
        """Weighted means of ``values`` (and ``changes``, as for :meth:`totals`) by ``by``:
        ratios to the weighted total of ``denominator`` (a 0/1 flag restricting the mean to
        a subpopulation; all persons by default)."""
        den = np.ones(self.frame.height) if denominator is None else denominator
        if self.rows is None:
            return self._sample("mean", _differences(values, changes), by, den)
        key = "\x00den"
        sums = _sums(self.rows, self.frame, {**values, key: den}, by, (key,), changes)
        names = [*values, *(changes or {})]
        r = ratios(self.rows, sums, [(name, key) for name in names])
        out = []
        for j, name in enumerate(names):
            with np.errstate(divide="ignore", invalid="ignore"):
                est = np.where(r.denominator[j] != 0, r.numerator[j] / r.denominator[j], np.nan)
            out.append(_table(name, r.levels, by, est, np.sqrt(r.variance[j])))
        return pl.concat(out) if out else pl.DataFrame(schema=_SCHEMA)

    def _sample(
        self, kind: str, values: Mapping[str, F64], by: str | None, den: F64 | None
    ) -> pl.DataFrame:
        cols = [c for c in self.design.columns() if c in self.frame.columns]
        base = self.frame.select(list(dict.fromkeys([*cols, *([by] if by else [])])))
        extra = {f"_v{i}": v for i, v in enumerate(values.values())}
        if den is not None:
            extra["_den"] = den
        sample = Sample(base.hstack(pl.DataFrame(extra)), self.design)
        out = []
        for i, name in enumerate(values):
            est = (
                sample.total(f"_v{i}", by=by)
                if kind == "total"
                else sample.ratio(f"_v{i}", "_den", by=by)
            ).to_polars()
            if by is not None:
                est = est.filter(pl.col(by).is_not_null())
            levels = [str(v) for v in est[by].to_list()] if by else ["all"]
            out.append(_table(name, levels, by, est["estimate"], est["se"]))
        return pl.concat(out) if out else pl.DataFrame(schema=_SCHEMA)


def _differences(values: Mapping[str, F64], changes: Changes) -> dict[str, F64]:
    return {**values, **{k: values[a] - values[b] for k, (a, b) in (changes or {}).items()}}


def _sums(
    rows: RowDesign,
    frame: pl.DataFrame,
    values: Mapping[str, F64],
    by: str | None,
    counts: tuple[str, ...],
    changes: Changes,
) -> UnitSums:
    """Weighted sums per (group, unit), one pass per distinct array; a change's sums are the
    difference of two sums (sums are linear)."""
    first: dict[int, str] = {}
    for name, v in values.items():
        first.setdefault(id(v), name)
    distinct = {name: values[name] for name in first.values()}
    columns = pl.DataFrame({k: np.asarray(v, np.float64) for k, v in distinct.items()})
    s = unit_sums(rows, columns, groups_of(frame, by), list(distinct), counts)
    sums = {name: s.sums[first[id(v)]] for name, v in values.items()}
    sums |= {k: sums[a] - sums[b] for k, (a, b) in (changes or {}).items()}
    return UnitSums(s.levels, s.dom, s.unit, sums, s.counts)


def _table(name: str, levels: list[str], by: str | None, est: Any, se: Any) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "variable": [name] * len(levels),
            "group": levels if by is not None else [None] * len(levels),
            "estimate": np.asarray(est, np.float64),
            "se": np.asarray(se, np.float64),
        },
        schema=_SCHEMA,
    )
