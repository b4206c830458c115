"""The indicator table's workspace in memory: every person's variables in one Polars frame.

:func:`~socialcover.indicators.compute_indicators` uses it with ``engine="polars"`` and for
element designs (no ``psu``); :mod:`.bounded` gives the same answers from DuckDB in bounded
memory. Every ratio of a breakdown is estimated in one pass by the survey package
(:func:`socialcover.survey.unit_sums` and :func:`socialcover.survey.ratios`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from socialcover.indicators.definitions import Indicator
from socialcover.indicators.estimation import GiniReduction, estimate_gini_reduction
from socialcover.survey import Groups, Ratios, RowDesign, UnitSums, groups_of, ratios, unit_sums

__all__ = ["Workspace"]


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
class Workspace:
    """The frame with every column the ratios need, built once for all breakdowns."""

    bound: RowDesign
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

    def set_pairs(self, indicators: list[Indicator], breakdowns: list[str]) -> None:
        """Add the category and complete-case columns of the ratios, once for all breakdowns."""
        ratio_inds = [i for i in indicators if i.kind == "ratio"]
        frame = _category_columns(ratio_inds, self.frame)
        keys: list[tuple[str, str | None]] = []
        raw: list[tuple[str, str]] = []
        for ind in ratio_inds:
            for cat, y, x in _pairs(ind, frame):
                keys.append((ind.code, cat))
                raw.append((y, x))
        self.frame, pairs, self.notes = _complete_cases(frame, raw)
        self.pairs = dict(zip(keys, pairs, strict=True))

    def ratios(
        self, breakdown: str, pairs: list[tuple[str, str]], total_pairs: list[tuple[str, str]]
    ) -> Ratios:
        return _ratios(self.bound, self, breakdown, pairs, total_pairs)

    def reduction(self, breakdown: str) -> GiniReduction:
        by = None if breakdown == "total" else breakdown
        return estimate_gini_reduction(
            self.bound, self.frame, self.groups_of(by), "welfare_pre", "welfare", self.orders
        )

    def close(self) -> None:
        """Nothing to release (the DuckDB workspace has files to remove)."""


def _columns(pairs: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    xs = list(dict.fromkeys(x for _, x in pairs))
    return list(dict.fromkeys([*(y for y, _ in pairs), *xs])), xs


def _ratios(
    bound: RowDesign,
    work: Workspace,
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
