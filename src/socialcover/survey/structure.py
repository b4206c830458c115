"""The sampling structure of a bound design: strata, units per stage, fpcs, checks.

Built once when a :class:`~socialcover.survey.Sample` is made, by one aggregate query over the
data (one row per finest sampling unit), then held as small NumPy arrays. It follows R's
``svydesign`` (Lumley 2010, ch. 3): later-stage ids are nested in earlier ones, later-stage
strata are nested in the earlier-stage unit, ``fpc`` values <= 1 are sampling fractions and
larger values are population counts, and sample sizes per stratum come from the whole design
(domains keep them, as ``subset.survey.design2`` does).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from socialcover.survey._errors import (
    ColumnCaseError,
    DesignError,
    LonelyPsuError,
    NestingError,
    UnknownColumnError,
    WeightError,
)
from socialcover.survey.arrays import dense, first_rows, has_nulls
from socialcover.survey.backend.base import Backend
from socialcover.survey.design import Design

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "StageGroups",
    "Structure",
    "build_structure",
    "case_clashes",
    "check_case",
    "check_columns",
    "implied_weights",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class StageGroups:
    """Variance groups of one stage: strata (stage 1) or strata within a parent unit."""

    group_of_unit: IntArray  # stage-k unit -> group index
    n: FloatArray  # units sampled in the group (whole design)
    f: FloatArray  # finite population factor (N - n) / N, 1 without fpc
    fraction: FloatArray  # n / N, 0 without fpc (multiplies the next stage)
    mult: FloatArray  # product of earlier stages' sampling fractions
    parent: IntArray  # stage-(k-1) unit holding the group (0 at stage 1)
    label: list[str]  # for messages


@dataclass(frozen=True)
class Structure:
    """Index arrays of a bound design."""

    element: bool  # each row is its own PSU (no psu= declared)
    key_sql: list[tuple[str, str]]  # (SQL expression, alias) identifying the finest unit
    unit_keys: dict[str, Any]  # key aliases + "_u" (finest unit index): one entry per row
    unit_maps: list[IntArray]  # per used stage: finest unit -> stage-k unit
    stages: list[StageGroups]
    n_strata: int
    n_rows: int
    n_psu: int

    @cached_property
    def units(self) -> pl.DataFrame:
        """The unit table as a Polars frame: key aliases and ``_u`` (built on first use)."""
        import polars as pl

        return pl.DataFrame({k: np.asarray(v) for k, v in self.unit_keys.items()})

    @property
    def stratum_of_psu(self) -> IntArray:
        """Stratum index of each first-stage unit (or each stratum, element designs)."""
        return self.stages[0].group_of_unit


def check_columns(names: Sequence[str], needed: Sequence[str], where: str) -> None:
    """Raise :class:`UnknownColumnError` for a column not in the data."""
    have = set(names)
    for col in needed:
        if col not in have:
            close = difflib.get_close_matches(col, names, n=3)
            hint = (
                "Did you mean " + ", ".join(repr(c) for c in close) + "?"
                if close
                else "Columns are: " + ", ".join(names[:20]) + ("..." if len(names) > 20 else "")
            )
            raise UnknownColumnError(
                f"Column {col!r} ({where}) is not in the data.", hint=hint, column=col
            )


def case_clashes(names: Sequence[str]) -> dict[str, list[str]]:
    """Columns that differ only by letter case, keyed by their lower-case name."""
    groups: dict[str, list[str]] = {}
    for c in names:
        groups.setdefault(c.lower(), []).append(c)
    return {low: cols for low, cols in groups.items() if len(cols) > 1}


_QUOTED = re.compile(r"'(?:[^']|'')*'")
_NAME = re.compile(r'"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|([A-Za-z_][A-Za-z0-9_]*)')


def check_case(clashes: dict[str, list[str]], used: Sequence[str], where: str) -> None:
    """Refuse a column (or an SQL expression naming one) whose name clashes by case.

    DuckDB and Spark fold the case of identifiers, so ``Nh`` beside ``nh`` would silently
    read ``nh``. Only the names a call uses are checked: a clashing column left unused is
    harmless.
    """
    if not clashes:
        return
    for text in used:
        names = {text}
        for m in _NAME.finditer(_QUOTED.sub(" ", text)):
            names.add(next(g for g in m.groups() if g is not None))
        for name in sorted(names):
            cols = clashes.get(name.lower())
            if cols is not None:
                shown = " and ".join(repr(c) for c in cols)
                raise ColumnCaseError(
                    f"Column {name!r} ({where}) is ambiguous: columns {shown} differ only by "
                    "letter case.",
                    hint="DuckDB (and Spark) fold the case of column names; rename one of "
                    "them before binding, e.g. df.rename({"
                    + repr(cols[-1])
                    + ": "
                    + repr(cols[-1] + "_2")
                    + "}).",
                    columns=cols,
                )


def _dense(df: dict[str, Any], cols: list[str], height: int) -> IntArray:
    """Dense 0-based ids of the distinct value combinations of ``cols`` (sorted order)."""
    if not cols:
        return np.zeros(height, dtype=np.int64)
    return dense([df[c] for c in cols])


def _take(df: dict[str, Any], rows: IntArray) -> dict[str, Any]:
    """The rows ``rows`` of a table of columns."""
    return {k: v[rows] for k, v in df.items()}


def build_structure(backend: Backend, design: Design, weight_sql: str) -> Structure:
    """Query the unit table of ``design`` over the back-end's table and check it."""
    q = backend.quote
    keys: list[tuple[str, str]] = []
    if design.strata is not None:
        keys.append((q(design.strata), "_s"))
    for k, col in enumerate(design.psu):
        keys.append((q(col), f"_p{k + 1}"))
    element = not design.psu
    selects = [f"{expr} AS {alias}" for expr, alias in keys]
    selects += [
        "COUNT(*) AS _n",
        f"COUNT({weight_sql}) AS _wn",
        f"MIN({weight_sql}) AS _wmin",
    ]
    for k, col in enumerate(design.fpc):
        selects += [
            f"MIN(CAST({q(col)} AS DOUBLE)) AS _fmin{k + 1}",
            f"MAX(CAST({q(col)} AS DOUBLE)) AS _fmax{k + 1}",
            f"COUNT({q(col)}) AS _fn{k + 1}",
        ]
    group = (" GROUP BY " + ", ".join(e for e, _ in keys)) if keys else ""
    units = backend.query_arrays(f"SELECT {', '.join(selects)} FROM {backend.table}{group}")
    height = len(units["_n"])
    if height == 0:
        raise DesignError("The data have no rows.", code="survey.no-rows", hint="Pass data.")
    real_keys = list(keys)
    n_rows = int(np.asarray(units["_n"]).sum())
    _check_weights(units, design)
    aliases = [a for _, a in keys]
    cols_named = ([design.strata] if design.strata else []) + list(design.psu)
    for alias, col in zip(aliases, cols_named, strict=True):
        if has_nulls(units[alias]):
            raise DesignError(
                f"Column {col!r} has missing values; every row needs its design ids.",
                code="survey.missing-design-id",
                hint="Drop or impute the rows with missing strata/cluster ids.",
                column=col,
            )
        units[alias] = np.asarray(units[alias])
    has_strata = design.strata is not None
    s_alias = ["_s"] if has_strata else []
    if not has_strata and "_s" not in units:
        units["_s"] = np.ones(height, dtype=np.int32)
    psu_unique = False
    if not element and has_strata:
        # strata per PSU: PSUs whose rows lie in more than one stratum
        p_id = dense([units["_p1"]])
        pairs = np.unique(p_id * np.int64(height) + dense([units["_s"]]))
        k_per = np.bincount(pairs // np.int64(height), minlength=int(p_id.max()) + 1)
        split = np.flatnonzero(k_per > 1)
        psu_unique = split.size == 0
    if not element and not design.nest and has_strata and not psu_unique:
        first = first_rows(p_id, k_per.size)[split[0]]
        psu = units["_p1"][first : first + 1].tolist()[0]
        raise NestingError(
            f"PSU {psu!r} of {design.psu[0]!r} appears in {int(k_per[split[0]])} strata of "
            f"{design.strata!r} ({split.size} PSUs are split across strata).",
            hint="If PSU ids are reused within each stratum, pass nest=True to Design.",
            psu=str(psu),
        )
    stage_cols: list[list[str]] = []
    if element:
        stage_cols.append(["_s"])
    else:
        for k in range(len(design.psu)):
            stage_cols.append([*s_alias, *[f"_p{j + 1}" for j in range(k + 1)]])
    # Stages beyond the first add variance only when every earlier stage has an fpc.
    used = 1
    while used < len(stage_cols) and used <= len(design.fpc):
        used += 1
    stage_cols = stage_cols[:used]
    units["_u"] = _dense(units, stage_cols[-1], height)
    unit_maps: list[IntArray] = []
    stages: list[StageGroups] = []
    parent_fraction: FloatArray | None = None
    parent_mult: FloatArray | None = None
    n_finest = int(units["_u"].max()) + 1
    finest = _take(units, first_rows(units["_u"], n_finest))
    for k, cols in enumerate(stage_cols):
        unit_of_finest = _dense(finest, cols, n_finest)
        unit_maps.append(unit_of_finest)
        per_unit = _take(finest, first_rows(unit_of_finest, int(unit_of_finest.max()) + 1))
        group_cols = ["_s"] if k == 0 else stage_cols[k - 1]
        gid = _dense(per_unit, group_cols, len(per_unit["_u"]))
        n_groups = int(gid.max()) + 1
        counts = np.asarray(per_unit["_n"]).astype(float) if element else None
        n = np.asarray(np.bincount(gid, weights=counts, minlength=n_groups), dtype=np.float64)
        # parent unit of each group (the stage-(k-1) unit), and its multiplier
        first_row = first_rows(gid, n_groups)
        if k == 0:
            parent = np.zeros(n_groups, dtype=np.int64)
            mult = np.ones(n_groups)
        else:
            prev_map = unit_maps[k - 1]
            finest_of_unit = np.asarray(per_unit["_u"])
            parent = prev_map[finest_of_unit[first_row]].astype(np.int64)
            assert parent_fraction is not None and parent_mult is not None
            mult = parent_fraction[parent] * parent_mult[parent]
        popsize = np.full(n_groups, np.inf)
        if k < len(design.fpc):
            popsize = _popsize(per_unit, gid, n, k, design)
        f = np.where(
            np.isinf(popsize), 1.0, (popsize - n) / np.where(np.isinf(popsize), 1, popsize)
        )
        fraction = np.where(np.isinf(popsize), 0.0, n / np.where(np.isinf(popsize), 1, popsize))
        label = _labels(per_unit, gid, first_row, group_cols, design, k)
        groups = StageGroups(gid, n, f, fraction, mult, parent, label)
        _check_lonely(groups, design, k)
        stages.append(groups)
        # per stage-k unit: fraction and multiplier of the group holding it, for stage k+1
        parent_fraction = fraction[gid]
        parent_mult = mult[gid]
    if psu_unique:
        # PSU ids never repeat across strata: grouping by them alone is enough (and faster)
        real_keys = [(e, a) for e, a in real_keys if a != "_s"]
        aliases = [a for a in aliases if a != "_s"]
    return Structure(
        element=element,
        key_sql=real_keys,
        unit_keys={c: units[c] for c in [*aliases, "_u"]},
        unit_maps=unit_maps,
        stages=stages,
        n_strata=int(stages[0].n.shape[0]),
        n_rows=n_rows,
        n_psu=n_rows if element else int(stages[0].group_of_unit.shape[0]),
    )


def implied_weights(structure: Structure, design: Design) -> pl.DataFrame:
    """Weights implied by the fpc of a design without weights, per finest sampling unit.

    As R's ``svydesign`` without ``weights=`` or ``probs=``: the inclusion probability is the
    product over stages of the sampling fraction of the group holding the unit (n / N, or the
    fraction given), and the weight is its inverse. Returns the unit-key columns of
    ``structure.units`` and ``_sc_fpc_w``.
    """
    stages_named = max(1, len(design.psu))
    if len(design.fpc) < stages_named or len(structure.stages) < stages_named:
        raise DesignError(
            f"The design has no weights and {len(design.fpc)} fpc column(s) for "
            f"{stages_named} sampling stages: the weights cannot be derived from the fpc.",
            code="survey.bad-fpc",
            hint="Pass weights= (sampling weights), or one fpc column per stage in psu= so "
            "the weights are the inverse of the product of the sampling fractions (as R's "
            "svydesign).",
        )
    import polars as pl

    units = structure.units
    u = units["_u"].to_numpy().astype(np.int64)
    prob = np.ones(u.shape[0])
    for k, stage in enumerate(structure.stages):
        prob = prob * stage.fraction[stage.group_of_unit[structure.unit_maps[k][u]]]
    return units.drop("_u").with_columns(pl.Series("_sc_fpc_w", 1.0 / prob))


def _check_weights(units: dict[str, Any], design: Design) -> None:
    name = design.weights or "(none)"
    missing = int((np.asarray(units["_n"]) - np.asarray(units["_wn"])).sum())
    if missing:
        raise WeightError(
            f"Weight column {name!r} has {missing} missing values.",
            hint="Every row needs a positive weight; drop the rows or impute weights.",
            column=name,
        )
    wmin = float(np.ma.min(units["_wmin"]))
    if not wmin > 0:
        raise WeightError(
            f"Weight column {name!r} has non-positive values (minimum {wmin:g}).",
            hint="Sampling weights must be > 0; drop rows outside the sample, or use where= "
            "to restrict estimates to a subpopulation.",
            column=name,
            minimum=wmin,
        )


def _popsize(
    per_unit: dict[str, Any], gid: IntArray, n: FloatArray, k: int, design: Design
) -> FloatArray:
    col = design.fpc[k]
    lo = np.asarray(per_unit[f"_fmin{k + 1}"]).astype(float)
    hi = np.asarray(per_unit[f"_fmax{k + 1}"]).astype(float)
    if has_nulls(per_unit[f"_fmin{k + 1}"]):
        raise DesignError(
            f"fpc column {col!r} has missing values.",
            code="survey.bad-fpc",
            hint="Give every row its stratum's population size or sampling fraction.",
        )
    n_groups = n.shape[0]
    glo = np.full(n_groups, np.inf)
    ghi = np.full(n_groups, -np.inf)
    np.minimum.at(glo, gid, lo)
    np.maximum.at(ghi, gid, hi)
    if np.any(np.abs(ghi - glo) > 1e-9 * np.maximum(1, np.abs(ghi))):
        raise DesignError(
            f"fpc column {col!r} varies within a stratum at stage {k + 1}.",
            code="survey.bad-fpc",
            hint="The fpc must be constant within each stratum (or within each PSU at later "
            "stages).",
        )
    if np.any(glo <= 0):
        raise DesignError(
            f"fpc column {col!r} has values <= 0.",
            code="survey.bad-fpc",
            hint="Give population counts (> 1) or sampling fractions in (0, 1].",
        )
    popsize = n / glo if np.all(glo <= 1) else glo
    if np.any(popsize < n * (1 - 1e-9)):
        raise DesignError(
            f"fpc column {col!r} implies more than 100% sampling in some stratum.",
            code="survey.bad-fpc",
            hint="Population counts must be at least the number of sampled units.",
        )
    return popsize


def _labels(
    per_unit: dict[str, Any],
    gid: IntArray,
    first_row: IntArray,
    cols: list[str],
    design: Design,
    k: int,
) -> list[str]:
    out = []
    for r in first_row:
        vals = [str(per_unit[c][int(r) : int(r) + 1].tolist()[0]) for c in cols if c in per_unit]
        out.append("/".join(vals))
    return out


def _check_lonely(groups: StageGroups, design: Design, k: int) -> None:
    if design.lonely_psu != "fail":
        return
    lonely = (groups.n == 1) & (groups.f >= 1e-7) & ((groups.mult > 0) if k > 0 else True)
    if np.any(lonely):
        idx = np.flatnonzero(lonely)
        first = groups.label[int(idx[0])]
        # the stratum's name as written (str.capitalize() would lower-case it)
        where = f"Stratum {first!r}" if k == 0 else f"Stage-{k + 1} unit group {first!r}"
        raise LonelyPsuError(
            f"{where} has only one PSU at stage {k + 1} ({idx.size} such "
            "strata); its variance cannot be estimated.",
            hint='Pass lonely_psu="adjust" (or "remove", "average", "certainty") to Design, '
            "or merge strata.",
            strata=[groups.label[int(i)] for i in idx[:20]],
        )
