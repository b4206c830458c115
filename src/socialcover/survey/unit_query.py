"""Weighted sums per (group, sampling unit) of many SQL expressions, where the data lie.

:func:`~socialcover.survey.unit_sums` sums in-memory columns per (group, sampling unit);
engines whose rows stay in DuckDB or on a Spark cluster (a reform's impact on Spark, the
indicator table) ask the bound design's back-end for the same sums instead:
:func:`sum_units` runs one aggregate statement over the bound table and returns a
:class:`~socialcover.survey.UnitSums`, which :func:`~socialcover.survey.ratios`,
:func:`~socialcover.survey.totals` and the variance of :func:`unit_design` take as they take
the in-memory ones. Several breakdowns share one statement (SQL ``GROUPING SETS``), so a
Spark job's fixed cost is paid once for all of them.

Only the sums come back (at most groups x sampling units rows). Designs with cluster ids
only: an element design has one unit per row, and a replicate design's variance comes from
replicate weights (estimate those with :class:`~socialcover.survey.Sample`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from socialcover.survey._errors import DesignError
from socialcover.survey.bound import BoundDesign
from socialcover.survey.design import Design
from socialcover.survey.ratios import UnitSums
from socialcover.survey.rows import RowDesign

__all__ = ["sum_units", "sum_units_by", "unit_design"]


def unit_design(bound: BoundDesign) -> RowDesign:
    """The design of ``bound`` for sums computed by its back-end (no rows in memory).

    Its :meth:`~socialcover.survey.RowDesign.variance` and
    :meth:`~socialcover.survey.RowDesign.df` take the (group, unit) bins of
    :func:`sum_units`; ``unit`` and ``weights`` are empty.

    Raises
    ------
    socialcover.survey.DesignError
        An element or a replicate design (code ``survey.design-invalid``).
    """
    _check(bound)
    assert isinstance(bound.design, Design)
    return RowDesign(bound.design, np.zeros(0, np.int64), np.zeros(0), bound)


def sum_units(
    bound: BoundDesign,
    sums: Mapping[str, str],
    *,
    by: str | None = None,
    counts: Sequence[str] = (),
    where: str | None = None,
) -> UnitSums:
    """Sum ``weight * expression`` per (group of ``by``, finest sampling unit), in SQL.

    Parameters
    ----------
    bound
        A Taylor design with cluster ids, bound to the data (:func:`~socialcover.survey.bind`).
    sums
        Name -> SQL expression over the bound table's columns (cast to DOUBLE).
    by
        A column whose values are the groups (rows where it is missing are in no group);
        one group ``"all"`` when ``None``.
    counts
        Names of ``sums`` whose rows with a non-zero value are counted per bin (for the
        ``n`` of :func:`~socialcover.survey.ratios`).
    where
        An SQL condition keeping rows, or ``None``.

    Returns
    -------
    UnitSums
        Levels sorted by value (as text), and per bin its group, unit, sums and counts.

    Raises
    ------
    socialcover.survey.DesignError
        An element or a replicate design (code ``survey.design-invalid``).

    Examples
    --------
    >>> import polars as pl
    >>> from socialcover.survey import Design, bind, ratios, unit_design
    >>> df = pl.DataFrame({"w": [1.0, 2.0, 1.0, 2.0], "h": [1, 1, 2, 2], "ea": [1, 2, 3, 4],
    ...                    "y": [1.0, 0.0, 1.0, 1.0]})
    >>> bound = bind(df, Design(weights="w", strata="h", psu="ea"))
    >>> s = sum_units(bound, {"y": "y", "one": "1"}, counts=["one"])
    >>> r = ratios(unit_design(bound), s, [("y", "one")])
    >>> round(float(r.numerator[0, 0] / r.denominator[0, 0]), 4), r.df.tolist()
    (0.6667, [2.0])
    """
    return sum_units_by(bound, sums, [by], counts=counts, where=where)[by]


def sum_units_by(
    bound: BoundDesign,
    sums: Mapping[str, str],
    breakdowns: Sequence[str | None],
    *,
    counts: Sequence[str] = (),
    where: str | None = None,
) -> dict[str | None, UnitSums]:
    """:func:`sum_units` for several breakdowns at once, in one SQL statement.

    ``None`` among ``breakdowns`` is the whole data (group ``"all"``). Returns the sums of
    each breakdown, keyed as given.
    """
    _check(bound)
    eng = bound.backend
    q = eng.quote
    st = bound.structure
    names = list(sums)
    keys = [a for _, a in st.key_sql]
    inner = [f"{e} AS {a}" for e, a in st.key_sql]
    inner.append(f"{bound.weight_sql} AS _w")
    wanted = list(dict.fromkeys(breakdowns))
    cols = [b for b in wanted if b is not None]
    inner += [f"{q(b)} AS _g{i}" for i, b in enumerate(cols)]
    inner += [f"CAST(({sums[n]}) AS DOUBLE) AS _v{i}" for i, n in enumerate(names)]
    outer = [*keys, *(f"_g{i}" for i in range(len(cols)))]
    several = len(wanted) > 1
    if several:
        outer += [f"GROUPING(_g{i}) AS _x{i}" for i in range(len(cols))]
    outer += [f"SUM(_w * _v{i}) AS _s{i}" for i in range(len(names))]
    outer += [
        f"SUM(CASE WHEN _v{names.index(c)} <> 0 THEN 1.0 ELSE 0.0 END) AS _n{j}"
        for j, c in enumerate(counts)
    ]
    sets = [[*keys, *([f"_g{cols.index(b)}"] if b is not None else [])] for b in wanted]
    body = f"SELECT {', '.join(inner)} FROM {eng.table}" + (f" WHERE ({where})" if where else "")
    sql = f"SELECT {', '.join(outer)} FROM ({body}) AS _sc_in"
    if several:
        sql += " GROUP BY GROUPING SETS (" + ", ".join(f"({', '.join(s)})" for s in sets) + ")"
    elif sets[0]:
        sql += " GROUP BY " + ", ".join(sets[0])
    agg = eng.query(sql)
    if keys:
        agg = agg.join(st.units.cast({k: agg.schema[k] for k in keys}), on=keys, how="left")
    else:
        agg = agg.with_columns(_u=pl.lit(0, pl.Int64))
    out: dict[str | None, UnitSums] = {}
    for b in wanted:
        part = agg
        if several:  # the rows of this grouping set: its column grouped, the others not
            cond = [pl.col(f"_x{i}") == (0 if c == b else 1) for i, c in enumerate(cols)] or [
                pl.lit(True)
            ]
            part = agg.filter(pl.all_horizontal(cond))
        out[b] = _unit_sums(part, names, counts, None if b is None else f"_g{cols.index(b)}")
    return out


def _unit_sums(
    agg: pl.DataFrame, names: Sequence[str], counts: Sequence[str], group: str | None
) -> UnitSums:
    if group is None:
        levels: list[str] = ["all"]
        dom = np.zeros(agg.height, dtype=np.int64)
    else:
        agg = agg.filter(pl.col(group).is_not_null())
        found = agg[group].unique().sort()
        levels = [str(v) for v in found.to_list()]
        dom = (
            agg[group]
            .replace_strict(found, list(range(found.len())), return_dtype=pl.Int64)
            .to_numpy()
            .astype(np.int64)
        )
    return UnitSums(
        levels,
        dom,
        agg["_u"].to_numpy().astype(np.int64),
        {
            n: agg[f"_s{i}"].fill_null(0.0).to_numpy().astype(np.float64)
            for i, n in enumerate(names)
        },
        {
            c: agg[f"_n{j}"].fill_null(0.0).to_numpy().astype(np.float64)
            for j, c in enumerate(counts)
        },
    )


def _check(bound: BoundDesign) -> None:
    if bound.replicates is not None or not isinstance(bound.design, Design):
        raise DesignError(
            "Sums per sampling unit need a Taylor design; this one has replicate weights.",
            code="survey.design-invalid",
            hint="Estimate replicate designs with Sample (each estimate from its replicates).",
        )
    if bound.structure.element:
        raise DesignError(
            "Sums per sampling unit need cluster ids; an element design (no psu=) has one "
            "unit per row.",
            code="survey.design-invalid",
            hint="Estimate element designs with Sample, or bind_rows() an in-memory frame.",
        )
