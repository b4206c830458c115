"""Analysis variables derived from the standard concepts, person by person.

Each indicator is a ratio of two weighted totals, sum(w y) / sum(w x), of variables built here
(or the Gini reduction, :mod:`.gini`). Conventions, with their sources:

- Household benefits and ASPIRE coverage: a person is a (direct or indirect) beneficiary of a
  programme when any member of the household receives it (ASPIRE documentation).
- Transfers are each person's share of the household's benefits (``amount_<b>`` columns sum
  to household totals). In welfare units they are the household total over
  ``welfare_scale`` (household size, or the equivalence scale).
- Pre-transfer welfare = post-transfer welfare - transfers in welfare units, floored at zero,
  assuming no behavioural response (ASPIRE; ADePT SP).
- Poverty gap of a person: max(0, (z - y) / z) (Foster, Greer and Thorbecke 1984, alpha = 1).
  In money, for the benefit-cost ratio, the household's gap (z - y) x welfare_scale is shared
  equally among members, so that its sum over persons is the total gap in currency.
- Welfare quintiles are weighted quintiles of persons by post-transfer welfare (ASPIRE's
  default; ``quintiles_of="pre"`` uses pre-transfer welfare). Cut-offs and the poverty line are
  treated as fixed in the variance (their own sampling error is ignored; for a relative line
  see Osier 2009, who shows this understates the SE of at-risk-of-poverty rates a little).
- SDG 1.3.1 "vulnerable": children, plus adults neither contributing nor receiving
  contributory benefits, plus persons above pensionable age not receiving contributory
  benefits (WSPDB dashboard note, METHODS.md B1.1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from socialcover.survey.io import BENEFIT_TYPES, CONTRIBUTORY_BY_DEFAULT, SurveyParameters

__all__ = ["AGE_BANDS", "Prepared", "prepare_variables"]

AGE_BANDS = ((0, 14, "0-14"), (15, 24, "15-24"), (25, 54, "25-54"), (55, 64, "55-64"))


@dataclass(frozen=True)
class Prepared:
    """The person frame with analysis variables, and what could be built."""

    frame: pl.DataFrame
    available: frozenset[str]
    benefits: tuple[str, ...]
    notes: dict[str, str] = field(default_factory=dict)


def _flag(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Float64)


def _weighted_cutoffs(
    values: np.ndarray, weights: np.ndarray, probs: Iterable[float]
) -> list[float]:
    order = np.argsort(values, kind="stable")
    v = values[order]
    cw = np.cumsum(weights[order])
    total = cw[-1] if cw.size else 0.0
    out = []
    for p in probs:
        idx = int(np.searchsorted(cw, p * total, side="left"))
        out.append(float(v[min(idx, v.size - 1)]))
    return out


def prepare_variables(
    data: pl.DataFrame,
    parameters: SurveyParameters | None = None,
    *,
    contributory: Iterable[str] = CONTRIBUTORY_BY_DEFAULT,
    quintiles_of: str = "post",
) -> Prepared:
    """Add the analysis variables the registered indicators need.

    Parameters
    ----------
    data
        Persons in the standard concepts (:func:`socialcover.survey.io.apply_mapping` or
        :func:`socialcover.testing.synthetic_survey`).
    parameters
        Pensionable age, child age limit and working ages.
    contributory
        Benefit types counted as contributory (for the vulnerable population).
    quintiles_of
        ``"post"`` (default) or ``"pre"``-transfer welfare for the quintiles.
    """
    p = parameters or SurveyParameters()
    cols = set(data.columns)
    benefits = tuple(b for b in BENEFIT_TYPES if f"receives_{b}" in cols)
    with_amounts = tuple(
        b
        for b in benefits
        if f"amount_{b}" in cols and data[f"amount_{b}"].null_count() < data.height
    )
    available = set(cols)
    if benefits:
        available.add("benefits")
    if with_amounts:
        available.add("amounts")
    notes: dict[str, str] = {}
    missing_amounts = [b for b in benefits if b not in with_amounts]
    if with_amounts and missing_amounts:
        notes["amounts"] = "No amounts for " + ", ".join(missing_amounts) + ": not in transfers."

    ex: list[pl.Expr] = [pl.lit(1.0).alias("one")]
    age = pl.col("age")
    if "age" in cols:
        lo, hi = p.working_age
        ex += [
            _flag((age >= lo) & (age <= hi)).alias("working_age"),
            _flag(age <= p.child_age_max).alias("child"),
            _flag(age >= p.pensionable_age).alias("old"),
            _flag((age > p.child_age_max) & (age < p.pensionable_age)).alias("adult"),
            _age_band(age),
        ]
    if "labour_status" in cols:
        ex += [
            _flag(pl.col("labour_status") == "employed").fill_null(0).alias("employed"),
            _flag(pl.col("labour_status") == "unemployed").fill_null(0).alias("unemployed"),
        ]
        if "informal" in cols:
            ex.append(
                pl.when(pl.col("labour_status") == "employed")
                .then(
                    pl.when(pl.col("informal") == 1)
                    .then(pl.lit("informal"))
                    .otherwise(pl.when(pl.col("informal") == 0).then(pl.lit("formal")))
                )
                .alias("formality")
            )
    for b in benefits:
        ex.append(_flag(pl.col(f"receives_{b}")).alias(f"rec_{b}"))
    if benefits:
        ex.append(
            pl.max_horizontal([pl.col(f"receives_{b}") for b in benefits])
            .cast(pl.Float64)
            .alias("rec_any")
        )
        contrib = [b for b in benefits if b in set(contributory)]
        ex.append(
            (
                pl.max_horizontal([pl.col(f"receives_{b}") for b in contrib]).cast(pl.Float64)
                if contrib
                else pl.lit(0.0)
            ).alias("rec_contributory")
        )
    if with_amounts:
        ex.append(
            pl.sum_horizontal([pl.col(f"amount_{b}").fill_null(0.0) for b in with_amounts]).alias(
                "transfer_person"
            )
        )
    # One lazy pipeline, collected once, so Polars can share work between the columns.
    lazy = data.lazy().with_columns(ex)
    lazy = _household_variables(lazy, benefits, with_amounts, cols)
    lazy = _coverage_variables(lazy, benefits, cols, notes)
    if "welfare" in cols and "weight" in cols:
        lazy = _welfare_variables(lazy, data, cols, quintiles_of)
    return Prepared(lazy.collect(), frozenset(available), benefits, notes)


def _age_band(age: pl.Expr) -> pl.Expr:
    expr: Any = pl.when(age.is_null()).then(None)
    for lo, hi, label in AGE_BANDS:
        expr = expr.when((age >= lo) & (age <= hi)).then(pl.lit(label))
    out: pl.Expr = expr.when(age >= 65).then(pl.lit("65+")).otherwise(None).alias("age_band")
    return out


def _household_variables(
    frame: pl.LazyFrame, benefits: tuple[str, ...], with_amounts: tuple[str, ...], cols: set[str]
) -> pl.LazyFrame:
    if "hh_id" not in cols:
        return frame
    ex: list[pl.Expr] = [pl.len().over("hh_id").cast(pl.Float64).alias("hh_size")]
    for b in (*benefits, "any") if benefits else ():
        ex.append(pl.col(f"rec_{b}").max().over("hh_id").fill_null(0.0).alias(f"hh_receives_{b}"))
    if with_amounts and "welfare_scale" in cols:
        ex.append(
            (pl.col("transfer_person").sum().over("hh_id") / pl.col("welfare_scale")).alias(
                "transfer_wu"
            )
        )
    return frame.with_columns(ex)


def _coverage_variables(
    frame: pl.LazyFrame, benefits: tuple[str, ...], cols: set[str], notes: dict[str, str]
) -> pl.LazyFrame:
    ex: list[pl.Expr] = []
    has = set(frame.collect_schema().names())
    contributes = pl.col("contributes").cast(pl.Float64) if "contributes" in cols else None
    if "rec_any" in has:
        covered = pl.col("rec_any")
        if contributes is not None:
            covered = pl.max_horizontal(covered, contributes.fill_null(0.0))
        else:
            notes["coverage.at_least_one"] = "Contributions not mapped: benefit receipt only."
        ex += [
            covered.alias("y_coverage_at_least_one"),
            pl.col("one").alias("x_coverage_at_least_one"),
        ]

    def pair(code: str, pop: pl.Expr, receives: str) -> None:
        if f"rec_{receives}" in has:
            ex.append((pop * pl.col(f"rec_{receives}")).alias(f"y_coverage_{code}"))
            ex.append(pop.alias(f"x_coverage_{code}"))

    if "child" in has and "hh_receives_child" in has:
        # children in a household receiving a child or family benefit (SDG 1.3.1 series 2)
        ex.append((pl.col("child") * pl.col("hh_receives_child")).alias("y_coverage_children"))
        ex.append(pl.col("child").alias("x_coverage_children"))
    elif "child" in has:
        pair("children", pl.col("child"), "child")
    if "child" in has:
        pair("older_persons", pl.col("old"), "old_age")
    if "gave_birth" in cols:
        pair("maternity", pl.col("gave_birth").cast(pl.Float64), "maternity")
    if "disabled" in cols:
        pair("disability", pl.col("disabled").cast(pl.Float64), "disability")
    if "unemployed" in has:
        pair("unemployed", pl.col("unemployed"), "unemployment")
    if "welfare" in cols and "poverty_line" in cols:
        poor = _flag(pl.col("welfare") < pl.col("poverty_line"))
        pair("poor", poor, "social_assistance")
    if "child" in has and "rec_contributory" in has:
        not_contrib = 1.0 - pl.col("rec_contributory").fill_null(0.0)
        adult_out = pl.col("adult") * not_contrib
        if contributes is not None:
            adult_out = adult_out * (1.0 - contributes.fill_null(0.0))
        else:
            notes["coverage.vulnerable"] = (
                "Contributions not mapped: adults count as vulnerable unless they receive a "
                "contributory benefit."
            )
        vulnerable = pl.max_horizontal(pl.col("child"), adult_out, pl.col("old") * not_contrib)
        pair("vulnerable", vulnerable, "social_assistance")
    if "employed" in has and contributes is not None:
        emp = pl.col("employed")
        protected = contributes.fill_null(0.0)
        if "rec_employment_injury" in has:
            protected = pl.max_horizontal(protected, pl.col("rec_employment_injury"))
        ex += [
            (emp * protected).alias("y_coverage_employment_injury"),
            emp.alias("x_coverage_employment_injury"),
        ]
        ex += [
            (emp * contributes).alias("y_coverage_contributors_employed"),
            emp.alias("x_coverage_contributors_employed"),
        ]
        if "working_age" in has:
            wa = pl.col("working_age")
            ex += [
                (wa * contributes.fill_null(0.0)).alias("y_coverage_contributors_working_age"),
                wa.alias("x_coverage_contributors_working_age"),
            ]
        if "informal" in cols:
            inf = emp * pl.col("informal").cast(pl.Float64).fill_null(0.0)
            ex += [
                (inf * contributes).alias("y_coverage_contributors_informal"),
                inf.alias("x_coverage_contributors_informal"),
            ]
    return frame.with_columns(ex) if ex else frame


def _welfare_variables(
    frame: pl.LazyFrame, data: pl.DataFrame, cols: set[str], quintiles_of: str
) -> pl.LazyFrame:
    w = pl.col("welfare")
    ex: list[pl.Expr] = []
    has = set(frame.collect_schema().names())
    if "transfer_wu" in has:
        frame = frame.with_columns(
            pl.max_horizontal(w - pl.col("transfer_wu"), pl.lit(0.0)).alias("welfare_pre")
        )
        has.add("welfare_pre")
    basis = "welfare_pre" if quintiles_of == "pre" and "welfare_pre" in has else "welfare"
    source = data if basis == "welfare" else frame.select(basis, "weight").collect()
    valid = source.select(basis, "weight").filter(pl.col(basis).is_not_null())
    cuts = _weighted_cutoffs(
        valid[basis].to_numpy().astype(np.float64),
        valid["weight"].to_numpy().astype(np.float64),
        (0.2, 0.4, 0.6, 0.8),
    )
    q = pl.col(basis)
    ex.append(
        pl.when(q.is_null())
        .then(None)
        .when(q <= cuts[0])
        .then(pl.lit("Q1"))
        .when(q <= cuts[1])
        .then(pl.lit("Q2"))
        .when(q <= cuts[2])
        .then(pl.lit("Q3"))
        .when(q <= cuts[3])
        .then(pl.lit("Q4"))
        .otherwise(pl.lit("Q5"))
        .alias("quintile")
    )
    if "hh_receives_any" in has and "transfer_wu" in has:
        ben = pl.col("hh_receives_any")
        ex += [(ben * pl.col("transfer_wu")).alias("y_adequacy"), (ben * w).alias("x_adequacy")]
    if "poverty_line" in cols and "welfare_pre" in has:
        z = pl.col("poverty_line")
        pre = pl.col("welfare_pre")
        poor_pre = _flag(pre < z)
        poor_post = _flag(w < z)
        gap_pre = pl.max_horizontal((z - pre) / z, pl.lit(0.0))
        gap_post = pl.max_horizontal((z - w) / z, pl.lit(0.0))
        share = pl.col("welfare_scale") / pl.col("hh_size")
        ex += [
            poor_pre.alias("poor_pre"),
            (poor_pre - poor_post).alias("y_headcount_reduction"),
            gap_pre.alias("gap_pre"),
            (gap_pre - gap_post).alias("y_gap_reduction"),
            ((gap_pre - gap_post) * z * share).alias("y_bcr"),
        ]
        if "hh_receives_social_assistance" in has:
            sa = pl.col("hh_receives_social_assistance")
            ex += [
                (poor_pre * (1.0 - sa)).alias("y_exclusion"),
                (sa * (1.0 - poor_pre)).alias("y_inclusion"),
            ]
    return frame.with_columns(ex)
