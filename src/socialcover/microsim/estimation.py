"""Many totals and ratio means at once through the survey engine, with their design-based SEs.

For a single-stage design the variance of a linear statistic depends on the data only through
each primary sampling unit's weighted totals (Wolter 2007, *Introduction to Variance
Estimation*, ch. 6), so the person-level frame is reduced exactly to PSU (x group) totals,
stacked long (one row per PSU, group and variable), and one engine call per kind estimates
every variable as a domain ``by=["variable", group]``. Other designs (several stages, replicate
weights) run one engine call per variable on the person-level frame. Tests check both paths
give the engine's own person-level numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import polars as pl

__all__ = ["Estimator"]

Progress = Callable[[str], None]


class Estimator:
    """Runs totals and ratio means through the survey engine.

    For a single-stage design, the frame is reduced to PSU (x group) totals of every
    variable, stacked long (one row per PSU, group and variable), and ONE engine call per
    grouping estimates all variables as domains ``by=["variable", group]``. A domain
    estimate with PSUs absent from the domain counted as zero is the usual domain estimator,
    so the results equal those of one call per variable on the person-level data.
    """

    def __init__(
        self, frame: pl.DataFrame, design: Any, variables: Mapping[str, pl.Expr], progress: Progress
    ) -> None:
        from socialcover.survey import Design, ReplicateDesign

        self.design = design
        self.keys = list(variables)
        self.frame = frame.with_columns(
            [e.cast(pl.Float64).alias(f"v::{k}") for k, e in variables.items()]
        )
        self.say = progress
        self.reduce = (
            isinstance(design, Design)
            and not isinstance(design, ReplicateDesign)
            and len(design.psu) == 1
            and len(design.fpc) <= 1
        )

    def estimate(
        self,
        keys: Sequence[str],
        by: str | None,
        denominator: str = "_w",
        totals: Collection[str] | None = None,
    ) -> dict[str, pl.DataFrame]:
        """``{"total": frame, "mean": frame}`` with columns variable, [by], estimate, se.

        Means are ratios of weighted totals to the weighted total of ``denominator`` (a 0/1
        column restricting the mean to a subpopulation; all persons by default). With
        ``totals``, those keys get only a total and the others only a mean (half the work).
        """
        from socialcover.survey import Design, Sample

        d = self.design
        if not self.reduce:
            return self._one_by_one(keys, by, denominator)
        group = [c for c in (d.strata, *d.psu) if c is not None] + ([by] if by else [])
        f = self.frame if by is None else self.frame.filter(pl.col(by).is_not_null())
        aggs = [(pl.col("_w") * pl.col(f"v::{k}")).sum().alias(k) for k in keys]
        den = pl.col("_w") if denominator == "_w" else pl.col("_w") * pl.col(denominator)
        aggs.append(den.sum().alias("_den"))
        if d.fpc:
            aggs.append(pl.col(d.fpc[0]).first())
        wide = f.group_by(group, maintain_order=True).agg(aggs)
        long = wide.unpivot(
            index=[*group, "_den", *d.fpc[:1]],
            on=list(keys),
            variable_name="variable",
            value_name="_num",
        )
        # Weight 1 as a DOUBLE column: the engine's literal 1.0 is a DECIMAL in DuckDB, whose
        # sums come back to Python as slow Decimal objects.
        long = long.with_columns(pl.lit(1.0).alias("_unit"))
        design = Design(
            weights="_unit",
            strata=d.strata,
            psu=d.psu,
            fpc=d.fpc or None,
            nest=d.nest,
            lonely_psu=d.lonely_psu,
        )
        doms = ["variable", *([by] if by else [])]
        if totals is None:
            sample = Sample(long, design)
            return {
                "total": sample.total("_num", by=doms).to_polars(),
                "mean": sample.ratio("_num", "_den", by=doms).to_polars(),
            }
        is_total = pl.col("variable").is_in(list(totals))
        out: dict[str, pl.DataFrame] = {}
        for kind, part in (("total", long.filter(is_total)), ("mean", long.filter(~is_total))):
            if part.height == 0:
                out[kind] = pl.DataFrame(
                    {"variable": [], "estimate": [], "se": []},
                    schema={"variable": pl.String, "estimate": pl.Float64, "se": pl.Float64},
                )
                continue
            sample = Sample(part, design)
            res = (
                sample.total("_num", by=doms)
                if kind == "total"
                else sample.ratio("_num", "_den", by=doms)
            )
            out[kind] = res.to_polars()
        return out

    def _one_by_one(
        self, keys: Sequence[str], by: str | None, denominator: str
    ) -> dict[str, pl.DataFrame]:
        from socialcover.survey import Sample

        sample = Sample(self.frame, self.design)
        out: dict[str, list[pl.DataFrame]] = {"total": [], "mean": []}
        for k in keys:
            col = f"v::{k}"
            tot = sample.total(col, by=by).to_polars()
            mean = (
                sample.mean(col, by=by)
                if denominator == "_w"
                else sample.ratio(col, denominator, by=by)
            ).to_polars()
            out["total"].append(tot.with_columns(pl.lit(k).alias("variable")))
            out["mean"].append(mean.with_columns(pl.lit(k).alias("variable")))
        return {kind: pl.concat(frames, how="diagonal_relaxed") for kind, frames in out.items()}
