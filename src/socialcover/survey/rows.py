"""A Taylor design bound to an in-memory frame row by row, for estimators written in NumPy.

:class:`~socialcover.survey.Sample` answers one statistic per call with one SQL aggregate.
Callers that need many statistics of one frame at once (the indicator table: fifty ratios by a
handful of breakdowns; a microsimulation: Ginis of several scenarios and their changes) form
their linearised scores in NumPy instead, sum them to (group, sampling unit) and hand the totals
to the same variance algebra (:func:`socialcover.survey.variance.taylor.linear_variance`, R's
``svyrecvar``) on the same bound design (:func:`socialcover.survey.bound.bind`: the checked
sampling structure). :func:`bind_rows` binds it and keeps, for every row, its finest sampling
unit and its weight.

Domains keep the whole design: a group's score is zero outside the group, so strata keep all
their PSUs (Lumley 2010, sec. 2.3). Degrees of freedom of a group are its first-stage units
minus its strata (R's ``degf`` of the domain design).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from socialcover.survey._errors import DesignError
from socialcover.survey.bound import BoundDesign, bind
from socialcover.survey.design import Design
from socialcover.survey.structure import check_columns
from socialcover.survey.variance.taylor import linear_variance

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Groups", "RowDesign", "bind_rows", "groups_of"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
_ROW = "_sc_row"


@dataclass(frozen=True)
class Groups:
    """The groups of one breakdown: sorted levels, and each row's level index.

    Attributes
    ----------
    levels
        The levels as text, in sorted order of the values.
    code
        Per row, the index of its level in ``levels``; -1 for a row outside every group.
    """

    levels: list[str]
    code: I64

    @property
    def n(self) -> int:
        """Number of groups."""
        return len(self.levels)


def groups_of(frame: pl.DataFrame, by: str | None) -> Groups:
    """The groups of column ``by`` of ``frame`` (one group ``"all"`` when ``by`` is None).

    Rows with a missing value of ``by`` are in no group (code -1).

    Examples
    --------
    >>> import polars as pl
    >>> g = groups_of(pl.DataFrame({"sex": ["m", "f", None, "f"]}), "sex")
    >>> g.levels, g.code.tolist()
    (['f', 'm'], [1, 0, -1, 0])
    """
    import polars as pl

    if by is None:
        return Groups(["all"], np.zeros(frame.height, dtype=np.int64))
    col = frame[by]
    levels = col.drop_nulls().unique().sort().to_list()
    codes = col.replace_strict(levels, list(range(len(levels))), default=-1, return_dtype=pl.Int64)
    return Groups([str(v) for v in levels], codes.to_numpy().astype(np.int64))


@dataclass(frozen=True)
class RowDesign:
    """A Taylor design bound to a frame: each row's finest sampling unit and weight.

    Build it with :func:`bind_rows`. Scores summed to (domain, unit) go to :meth:`variance`;
    :meth:`df` gives the domains' degrees of freedom.

    Attributes
    ----------
    design
        The design as bound (element designs get one PSU per row).
    unit
        Per row, the index of its finest sampling unit.
    weights
        Per row, its sampling weight.
    """

    design: Design
    unit: I64
    weights: F64
    _bound: BoundDesign

    @property
    def n_units(self) -> int:
        """Number of finest sampling units (at least 1)."""
        return max(int(self.unit.max()) + 1, 1) if self.unit.size else 1

    def variance(self, dom: I64, unit: I64, t: F64, n_dom: int, t2: F64 | None = None) -> F64:
        """Variance per domain of score totals per (domain, finest unit), as R's ``svyrecvar``.

        Parameters
        ----------
        dom, unit, t
            Per entry: domain index, finest-unit index and the domain's score total over that
            unit. Entries may repeat a (domain, unit) pair; they add.
        n_dom
            Number of domains.
        t2
            An element design bound where the data lie (:func:`~socialcover.survey.unit_design`:
            its units are the strata): per entry, the sum of the squared row scores.

        Returns
        -------
        numpy.ndarray
            One variance per domain.
        """
        structure = self._bound.structure
        return linear_variance(structure, dom, unit, t, n_dom, self.design.lonely_psu, t2)

    def df(self, dom: I64, unit: I64, n_dom: int) -> F64:
        """Degrees of freedom per domain: first-stage units minus strata present in it.

        ``dom`` and ``unit`` list the (domain, finest unit) pairs holding rows of the domain.
        """
        psu_of_unit = self._bound.structure.unit_maps[0]
        stratum_of_psu = self._bound.structure.stages[0].group_of_unit
        psu = psu_of_unit[unit]
        stratum = stratum_of_psu[psu]
        n_psu = max(int(psu_of_unit.max()) + 1, 1)
        n_str = max(int(stratum_of_psu.max()) + 1, 1)
        psus = np.bincount(np.unique(dom * n_psu + psu) // n_psu, minlength=n_dom)
        strata = np.bincount(np.unique(dom * n_str + stratum) // n_str, minlength=n_dom)
        out: F64 = (psus - strata).astype(np.float64)
        return out


def bind_rows(frame: pl.DataFrame, design: Design) -> RowDesign:
    """Check ``design`` on ``frame`` and keep each row's sampling unit and weight.

    The checks are those of :class:`~socialcover.survey.Sample` (weights, missing ids,
    nesting, lonely PSUs). An element design (no ``psu``) gets one PSU per row, which gives
    the same variance as R's ``ids=~1``.

    Parameters
    ----------
    frame
        One row per person, with the columns the design names.
    design
        A Taylor :class:`~socialcover.survey.Design` (replicate designs are not supported).

    Returns
    -------
    RowDesign

    Raises
    ------
    socialcover.survey.DesignError
        As :class:`~socialcover.survey.Sample` does.

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.survey import Design
    >>> df = pl.DataFrame({"w": [1.0, 2.0, 1.0, 2.0], "h": [1, 1, 2, 2], "ea": [1, 2, 3, 4]})
    >>> rows = bind_rows(df, Design(weights="w", strata="h", psu="ea"))
    >>> rows.unit.tolist(), rows.n_units
    ([0, 1, 2, 3], 4)
    """
    import polars as pl

    if not isinstance(design, Design):
        raise DesignError(
            f"bind_rows takes a Taylor design; got {type(design).__name__}.",
            code="survey.design-invalid",
            hint="Pass a socialcover.survey.Design; estimate replicate designs with Sample.",
        )
    check_columns(frame.columns, design.columns(), "named by the design")
    sub = frame.select(list(design.columns()))
    if not design.psu:  # element sampling: each row is its own PSU (same variance as ids=~1)
        sub = sub.with_row_index(_ROW).with_columns(pl.col(_ROW).cast(pl.Int64))
        design = replace(design, psu=(_ROW,))
    bound = bind(sub, design)
    structure = bound.structure
    # The structure identifies units by the key columns it kept (strata may be dropped when
    # PSU ids are unique across strata).
    named = {"_s": design.strata} | {f"_p{k + 1}": c for k, c in enumerate(design.psu)}
    keys = {a: c for a, c in named.items() if c is not None and a in structure.units.columns}
    units = structure.units.select([*keys, "_u"])
    units = units.cast({alias: sub.schema[col] for alias, col in keys.items()}).rename(keys)
    joined = sub.select(list(keys.values())).join(
        units, on=list(keys.values()), how="left", maintain_order="left"
    )
    weights = (
        sub[design.weights].cast(pl.Float64).to_numpy()
        if design.weights is not None
        else np.ones(sub.height)
    )
    return RowDesign(design, joined["_u"].to_numpy().astype(np.int64), weights, bound)
