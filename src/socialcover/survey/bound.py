"""A design bound to data: the one object every SQL estimator takes.

:func:`bind` registers the data with a back-end (DuckDB by default, Spark for Spark frames),
checks the design once (columns, weights, nesting, lonely PSUs) and keeps the sampling
structure as small arrays, with the weight expression, the replicates of a replicate design
and, once calibrated, the calibration. Estimators (:mod:`.linear`, :mod:`.quantile`,
:mod:`.contrast`) and calibration (:mod:`.calibrate`) take a :class:`BoundDesign` and return
values or a new bound design; :class:`~socialcover.survey.Sample` is the front that names
them.

Degrees of freedom of the whole design (R's ``degf``): first-stage units minus strata for
Taylor designs (rows minus strata for element designs); the rank of the replicate weights
minus 1 for replicate designs (or the value the design declares).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from socialcover.survey.backend import Backend, open_backend
from socialcover.survey.calibration import Calibration
from socialcover.survey.design import Design
from socialcover.survey.replicate import ReplicateDesign
from socialcover.survey.structure import (
    Structure,
    build_structure,
    case_clashes,
    check_case,
    check_columns,
    implied_weights,
)
from socialcover.survey.variance.replicate import Replicates, bind_replicates

__all__ = ["BoundDesign", "bind"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class BoundDesign:
    """A design bound to data.

    Attributes
    ----------
    design
        The design as declared.
    backend
        The back-end holding the data (shared by copies: calibration adds no data).
    columns
        Column names of the data.
    weight_sql
        The weight as an SQL expression.
    structure
        Strata, units per stage, fpcs (:mod:`.structure`).
    replicates
        The replicates of a replicate design, else ``None``.
    calibration
        Post-strata or raking margins once calibrated, else ``None``.
    clashes
        Columns whose names differ only by case (refused when a call names them).
    """

    design: Design | ReplicateDesign
    backend: Backend
    columns: tuple[str, ...]
    weight_sql: str
    structure: Structure
    replicates: Replicates | None = None
    calibration: Calibration | None = None
    clashes: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def lonely_psu(self) -> str:
        """The design's lonely-PSU rule."""
        return self.design.lonely_psu

    @property
    def variance_name(self) -> str:
        """``"taylor"``, or the replicate type."""
        return "taylor" if self.replicates is None else self.replicates.type_name

    @property
    def df(self) -> float:
        """Design degrees of freedom of the whole data (R's ``degf``)."""
        if self.replicates is not None:
            return float(self.replicates.df_full)
        return float(self.structure.n_psu - self.structure.n_strata)

    def check_names(self, used: Sequence[str | None], where: str) -> None:
        """Refuse SQL expressions that name a column clashing with another by case.

        A plain column name is quoted exactly (on DuckDB) and so always allowed; an
        expression's identifiers are resolved by the engine, which folds case.
        """
        exact = self.backend.exact_names
        check_case(
            dict(self.clashes), [u for u in used if u and not (exact and u in self.columns)], where
        )

    def expr(self, variable: str) -> str:
        """``variable`` as SQL: a quoted column, or a parenthesised expression."""
        self.check_names([variable], "the variable")
        if variable in self.columns:
            return self.backend.quote(variable)
        if _IDENT.fullmatch(variable):
            check_columns(self.columns, [variable], "the variable")
        return f"({variable})"

    def with_calibration(self, calibration: Calibration) -> BoundDesign:
        """A copy sharing the back-end, with a calibration."""
        return replace(self, calibration=calibration)

    def with_row_ids(self) -> BoundDesign:
        """A copy whose element design has one PSU per row (a row-number column)."""
        base = self.design.base if isinstance(self.design, ReplicateDesign) else self.design
        row = self.backend.add_row_id("_sc_row")  # the back-end is shared: same rows
        d = replace(base, psu=(row,), nest=False)
        return replace(
            self,
            columns=(*self.columns, row),
            structure=build_structure(self.backend, d, self.weight_sql),
        )


def bind(
    data: Any,
    design: Design | ReplicateDesign,
    *,
    backend: str | None = None,
    spark: Any = None,
) -> BoundDesign:
    """Register ``data`` with a back-end and check ``design`` on it.

    Parameters
    ----------
    data
        A Polars/pandas frame, an Arrow table, a DuckDB relation, a Parquet path (or list, or
        glob: read out of core), or a Spark DataFrame.
    design
        A :class:`~socialcover.survey.Design` or a replicate design.
    backend
        ``"duckdb"`` or ``"spark"``; chosen from the data by default.
    spark
        A SparkSession: run on Spark with it (paths are read by Spark itself).

    Raises
    ------
    socialcover.survey.DesignError
        The design does not fit the data (see :mod:`.structure`).
    """
    back = open_backend(data, backend, spark=spark)
    cols = back.columns()
    clashes = case_clashes(cols)
    if not back.exact_names:
        check_case(clashes, list(design.columns()), "named by the design")
    check_columns(cols, list(design.columns()), "named by the design")
    base = design.base if isinstance(design, ReplicateDesign) else design
    if isinstance(design, ReplicateDesign) and design.generated and not base.psu:
        # replicates drop or resample PSUs: with element sampling every row is one
        base = replace(base, psu=(back.add_row_id("_sc_row"),), nest=False)
    q = back.quote
    weight_sql = (
        f"CAST({q(design.weights)} AS DOUBLE)"
        if design.weights is not None
        else "CAST(1 AS DOUBLE)"
    )
    structure = build_structure(back, base, weight_sql)
    if design.weights is None and base.fpc:
        # no weights but an fpc: the weights are those the fpc implies (R's svydesign)
        table = implied_weights(structure, base)
        name = back.add_lookup_column("_sc_fpc_w", table, structure.key_sql)
        weight_sql = f"CAST({q(name)} AS DOUBLE)"
    replicates = (
        bind_replicates(back, structure, weight_sql, design)
        if isinstance(design, ReplicateDesign)
        else None
    )
    return BoundDesign(
        design, back, tuple(cols), weight_sql, structure, replicates, clashes=clashes
    )
