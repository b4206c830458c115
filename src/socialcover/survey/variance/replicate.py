"""Replicate variances: factors made from the design's PSUs, or replicate-weight columns.

Replicate factors made from a Taylor design (R's ``as.svrepdesign``) are kept per first-stage
unit, so a replicate's domain totals are sums of PSU totals times that PSU's factor and no
replicate weight is ever written per row:

- ``JK1`` (unstratified): drop one PSU, multiply the others by n / (n - 1);
  scale = (1 - f) (n - 1) / n (``jk1weights``).
- ``JKn``: drop one PSU of stratum h, multiply the other PSUs of h by n_h / (n_h - 1);
  rscale = (1 - f_h) (n_h - 1) / n_h; strata taken whole (f_h = 0) give no replicate; lonely
  strata follow the design's rule as ``jknweights`` does.
- ``BRR``/``Fay``: two PSUs per stratum; replicate r takes the half given by row h + 1 of a
  Sylvester Hadamard matrix of order 2^k > number of strata (R's ``hadamard`` gives the same
  matrix for orders 4, 8 and 16; for other orders R may use a Paley or stored matrix with
  another number of replicates -- the variance of linear statistics is the same for any
  fully balanced set); factors 2 - rho and rho; scale = 1 / (R (1 - rho)^2) (Judkins 1990).
- ``bootstrap`` (R's ``bootweights``, Canty and Davison 1999): n_h PSUs drawn per stratum,
  with replacement, or without replacement from the stratum's N_h population units (each
  sampled PSU standing for N_h / n_h of them) when the first stage has an fpc; factor = times
  drawn; scale = n~ / ((n~ - 1)(R - 1)) with n~ the harmonic mean of PSUs per stratum.
- ``subbootstrap`` (R's ``subbootweights``, Rao and Wu 1988): n_h - 1 PSUs drawn with
  replacement per stratum, factor n_h / (n_h - 1) x times drawn; scale = 1 / (R - 1).
  Both draw with NumPy's generator and ``seed`` (R's draws cannot be reproduced: parity with
  R is tested with R's replicate weights as columns).

Columns of replicate weights shipped with the data are summed in the one aggregate query.
The variance is scale x sum_r rscale_r (theta_r - centre)^2 (R's ``svrVar``); degrees of
freedom are the rank of the domain's replicate weights minus 1 (R's ``degf``) unless the
design declares them.

Sources: Wolter (2007) ch. 3-5; Lumley (2010) sec. 2.5; Rao and Wu (1988) JASA 83:231-241.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt

from socialcover.survey._errors import DesignError, LonelyPsuError
from socialcover.survey.aggregate import Aggregate
from socialcover.survey.backend.base import Backend
from socialcover.survey.calibration import Calibration
from socialcover.survey.replicate import ReplicateDesign
from socialcover.survey.statistic import Statistic
from socialcover.survey.structure import Structure

if TYPE_CHECKING:
    import polars as pl

__all__ = ["Replicates", "bind_replicates", "sylvester"]

FloatArray = npt.NDArray[np.float64]

#: distinct factor rows read back to find a rank; beyond it the Gram matrix is summed in SQL
DISTINCT_CAP = 20_000
#: sums per statement when summing the Gram matrix of many replicates
GRAM_CHUNK = 500


def sylvester(order: int) -> npt.NDArray[np.int64]:
    """Sylvester Hadamard matrix of ``order`` (a power of 2) with entries 1 and 0 (for -1)."""
    h = np.ones((1, 1), dtype=np.int64)
    while h.shape[0] < order:
        h = np.block([[h, h], [h, 1 - h]])
    return h


@dataclass(frozen=True)
class Replicates:
    """Replicates bound to data: factors per PSU, or replicate-weight columns.

    The estimators pass the bound design's structure and calibration to the methods that
    need them, so replicates stay one layer below the bound design that holds them.
    """

    type_name: str
    scale: float
    rscales: FloatArray
    mse: bool
    factors: FloatArray | None  # (n_psu, R) for generated replicates
    columns: tuple[str, ...]  # replicate-weight columns otherwise
    combined: bool
    declared_df: float | None
    quote: Any
    weight_sql: str
    backend: Any = None  # for the rank of replicate-weight columns (df), when asked
    memo: dict[str, float] = field(default_factory=dict)
    #: per-domain ranks by (by, where, rows kept): several estimates by the same domains
    #: (a mean, then proportions) read the replicate columns for their df once
    rank_memo: dict[tuple[Any, ...], tuple[pl.DataFrame, FloatArray]] = field(default_factory=dict)

    @property
    def n_rep(self) -> int:
        return int(self.rscales.shape[0])

    # ------------------------------------------------------------ SQL (columns)
    def inner_sql(self, ok: str | None = None) -> list[str]:
        out = []
        for r, col in enumerate(self.columns):
            e = f"CAST({self.quote(col)} AS DOUBLE)"
            if not self.combined:
                e = f"{e} * {self.weight_sql}"
            if ok is not None:
                e = f"CASE WHEN {ok} THEN {e} ELSE 0.0 END"
            out.append(f"{e} AS _r{r}")
        return out

    def outer_sql(self, k: int) -> list[str]:
        # R x k sums: the rank of the replicate weights (for df) is found apart, only when
        # an interval needs it (:meth:`domain_df`), so many replicates stay one small query
        out = []
        for r in range(len(self.columns)):
            out.append(f"SUM(_r{r}) AS _rs{r}_0")
            out += [f"SUM(_r{r} * _v{j}) AS _rs{r}_{j}" for j in range(1, k)]
        return out

    # ------------------------------------------------------------ rank of the columns
    def _factor_sql(self, ok: str | None, *, as_key: bool = False) -> list[str]:
        """Each replicate's factor (its weight over the full-sample weight), as SQL.

        Rows of one PSU share their factors up to rounding: they are rounded to 1e-9. With
        ``as_key``, the factor in units of 1e-9 as an integer, to find distinct rows: the
        same rounding at about 60 % of ``ROUND``'s cost, and integers hash faster (a zero
        full-sample weight or an absurd factor gives NULL, a zero row).
        """
        out = []
        for r, col in enumerate(self.columns):
            e = f"CAST({self.quote(col)} AS DOUBLE)"
            if self.combined:
                e = f"{e} / NULLIF({self.weight_sql}, 0)" if as_key else f"{e} / {self.weight_sql}"
            e = f"TRY_CAST({e} * 1e9 AS BIGINT)" if as_key else f"ROUND({e}, 9)"
            if ok is not None:
                e = f"CASE WHEN {ok} THEN {e} ELSE 0 END"
            out.append(f"{e} AS _f{r}")
        return out

    def factor_ranks(
        self, keys: list[str], where: str | None, ok: str | None
    ) -> tuple[pl.DataFrame, list[FloatArray]]:
        """Per group of ``keys`` (SQL ``expr AS alias``), the replicate factors' row space.

        Returns the groups (their key aliases) and, per group, a matrix with the row space
        of the group's replicate factors: its distinct factor rows when there are few (the
        usual case: factors are constant within a PSU), else its Gram matrix F'F summed in
        chunks of at most ``GRAM_CHUNK`` sums per statement (one statement with R^2 / 2
        sums crashes DuckDB for a few hundred replicates). Either has the rank of the
        group's replicate weights (weights are positive; a row without a finite factor,
        e.g. of full-sample weight 0, is a zero row, as its replicate weights in R).
        """
        import polars as pl

        back = self.backend
        aliases = [k.rsplit(" AS ", 1)[1] for k in keys]
        cond = f" WHERE ({where})" if where else ""
        sel = ", ".join([*keys, *self._factor_sql(ok, as_key=True)])
        rows = back.query(f"SELECT DISTINCT {sel} FROM {back.table}{cond} LIMIT {DISTINCT_CAP + 1}")
        fcols = [f"_f{r}" for r in range(self.n_rep)]
        if rows.height <= DISTINCT_CAP:

            def factors(frame: pl.DataFrame) -> FloatArray:
                m = frame.select(fcols).to_numpy().astype(float) / 1e9
                m[~np.all(np.isfinite(m), axis=1)] = 0.0
                return m

            if not aliases:
                return pl.DataFrame({"_g": [0]}), [factors(rows)]
            parts = rows.partition_by(aliases, as_dict=True, maintain_order=True)
            groups = pl.DataFrame([list(k) for k in parts], schema=aliases, orient="row").cast(
                rows.select(aliases).schema
            )  # type: ignore[arg-type]
            return groups, [factors(g) for g in parts.values()]
        sel = ", ".join([*keys, *self._factor_sql(ok)])
        inner = f"SELECT {sel} FROM {back.table}{cond}"
        pairs = [(a, b) for a in range(self.n_rep) for b in range(a, self.n_rep)]
        grams: dict[tuple[object, ...], FloatArray] = {}
        for start in range(0, len(pairs), GRAM_CHUNK):
            chunk = pairs[start : start + GRAM_CHUNK]
            sums = ", ".join(f"SUM(_f{a} * _f{b}) AS _g{i}" for i, (a, b) in enumerate(chunk))
            group = (" GROUP BY " + ", ".join(aliases)) if aliases else ""
            part = back.query(
                f"SELECT {', '.join([*aliases, sums])} FROM ({inner}) AS _sc_f{group}"
            )
            for row in part.iter_rows():
                key = tuple(row[: len(aliases)])
                g = grams.setdefault(key, np.zeros((self.n_rep, self.n_rep)))
                for i, (a, b) in enumerate(chunk):
                    g[a, b] = g[b, a] = float(row[len(aliases) + i] or 0.0)
        keys_l = list(grams)
        groups = (
            pl.DataFrame([list(k) for k in keys_l], schema=aliases, orient="row")
            if aliases
            else pl.DataFrame({"_g": [0]})
        )
        # the Gram matrix G = F'F has F's rank; its symmetric square root has G's row space
        mats = []
        for k in keys_l:
            ev, vec = np.linalg.eigh(grams[k])
            mats.append((vec * np.sqrt(np.clip(ev, 0, None))).T)
        return groups, mats

    @property
    def df_full(self) -> float:
        """Degrees of freedom of the whole design (R's ``degf``), found once when asked."""
        if self.declared_df is not None:
            return float(self.declared_df)
        if "df_full" not in self.memo:
            if self.factors is not None:
                self.memo["df_full"] = float(_ranks([self.factors])[0] - 1)
            else:
                _, mats = self.factor_ranks([], None, None)
                self.memo["df_full"] = float(_ranks(mats)[0] - 1)
        return float(self.memo["df_full"])

    # ------------------------------------------------------------ replicate totals
    def _rep_totals(
        self, a: Aggregate, structure: Structure, cal: Calibration | None
    ) -> FloatArray:
        """Replicate totals per domain, shape (D, R, k)."""
        k = a.s.shape[1]
        out = np.zeros((a.n_dom, self.n_rep, k))
        gfac = self.calibration_factors(structure, cal)  # (cells, R) or None
        if self.factors is not None:
            psu = structure.unit_maps[0][a.unit]
            f = self.factors[psu]  # (rows, R)
            base = a.s
            if gfac is not None and cal is not None and a.cell is not None:
                f = f * gfac[a.cell]
                base = a.s_old if a.s_old is not None else a.s
            contrib = f[:, :, None] * base[:, None, :]
            np.add.at(out, a.dom, contrib)
            return out
        ex = a.extra
        for r in range(self.n_rep):
            scale = 1.0
            if gfac is not None and a.cell is not None:
                scale = gfac[a.cell, r]
            for j in range(k):
                col = ex[f"_rs{r}_{j}"].to_numpy().astype(float) * scale
                out[:, r, j] = np.bincount(a.dom, weights=col, minlength=a.n_dom)
        return out

    def calibration_factors(
        self, structure: Structure, cal: Calibration | None
    ) -> FloatArray | None:
        """Per (cell, replicate) factors calibrating each replicate as the full sample."""
        if cal is None:
            return None
        if self.factors is not None:
            psu = structure.unit_maps[0][cal.pair_unit]
            w_rep = np.zeros((cal.g.shape[0], self.n_rep))
            np.add.at(w_rep, cal.pair_cell, cal.pair_w_old[:, None] * self.factors[psu])
        elif cal.rep_cell_totals is not None:
            w_rep = cal.rep_cell_totals
        else:  # pragma: no cover - calibrate() sets the totals for replicate samples
            return None
        return cal.replicate_factors(w_rep)

    def svrvar(self, thetas: FloatArray, theta: FloatArray) -> FloatArray:
        """scale * sum_r rscale_r (theta_r - centre)^2 per domain; thetas (D, R)."""
        if self.n_rep == 0:
            return np.zeros(thetas.shape[0])
        pos = self.rscales > 0
        centre = theta if self.mse else np.mean(thetas[:, pos], axis=1)
        dev = thetas - centre[:, None]
        return np.asarray(self.scale * np.sum(dev * dev * self.rscales[None, :], axis=1))

    def variance(
        self,
        a: Aggregate,
        stat: Statistic,
        theta: FloatArray,
        structure: Structure,
        cal: Calibration | None,
        transform: Callable[[FloatArray], FloatArray] | None = None,
    ) -> FloatArray:
        """Replicate variance per domain, of the statistic or of ``transform`` of it."""
        s_r = self._rep_totals(a, structure, cal)
        d, r, k = s_r.shape
        thetas = stat.value(s_r.reshape(d * r, k)).reshape(d, r)
        if transform is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                return self.svrvar(transform(thetas), transform(theta))
        return self.svrvar(thetas, theta)

    def contrast_variance(
        self,
        a: Aggregate,
        stat: Statistic,
        theta: FloatArray,
        idx: list[int],
        structure: Structure,
        cal: Calibration | None,
    ) -> float:
        """Replicate variance of theta[idx[0]] - theta[idx[1]]."""
        s_r = self._rep_totals(a, structure, cal)
        d, r, k = s_r.shape
        thetas = stat.value(s_r.reshape(d * r, k)).reshape(d, r)
        diff = thetas[idx[0]] - thetas[idx[1]]
        est = np.array([theta[idx[0]] - theta[idx[1]]])
        return float(self.svrvar(diff[None, :], est)[0])

    def domain_df(self, a: Aggregate, structure: Structure, cal: Calibration | None) -> FloatArray:
        """Rank of each domain's replicate weights minus 1 (or the declared df)."""
        if self.declared_df is not None:
            return np.full(a.n_dom, float(self.declared_df))
        present = a.nall > 0
        gfac = self.calibration_factors(structure, cal)
        if self.factors is not None:
            psu = structure.unit_maps[0][a.unit]
            mats: list[FloatArray] = []
            for dd in range(a.n_dom):
                sel = (a.dom == dd) & present
                if gfac is not None and a.cell is not None:
                    pairs = np.unique(np.column_stack([psu[sel], a.cell[sel]]), axis=0)
                    mats.append(self.factors[pairs[:, 0]] * gfac[pairs[:, 1]])
                    continue
                mats.append(self.factors[np.unique(psu[sel])])
            ranks = np.asarray(_ranks(mats), dtype=float)
            return np.where([m.shape[0] > 0 for m in mats], ranks - 1, np.nan)
        return self.columns_domain_df(a, cal, gfac)

    def columns_domain_df(
        self, a: Aggregate, cal: Calibration | None, gfac: FloatArray | None
    ) -> FloatArray:
        """Rank of each domain's replicate-weight columns minus 1 (R's ``degf``)."""
        out = np.full(a.n_dom, np.nan)
        if a.call is None:  # pragma: no cover - every aggregate carries its call
            return out
        variables, by, where, na_rm = a.call
        q = self.quote
        keys = [f"{q(b)} AS _b{i}" for i, b in enumerate(by)]
        kcols: list[str] = []
        if cal is not None and gfac is not None:
            kcols = [f"_k{i}" for i in range(len(cal.columns))]
            keys += [f"{q(c)} AS {k}" for c, k in zip(cal.columns, kcols, strict=True)]
        ok = None
        if na_rm and variables:
            ok = " AND ".join(
                f"CAST({_expr(v, q, self.backend)} AS DOUBLE) IS NOT NULL" for v in variables
            )
        bcols = [f"_b{i}" for i in range(len(by))]
        memo_key = (tuple(by), where, ok)
        got = self.rank_memo.get(memo_key) if not kcols else None
        if got is None:
            got = self._group_ranks(keys, where, ok, bcols, kcols, cal, gfac)
            if not kcols:  # a calibrated sample's ranks depend on its calibration: not kept
                self.rank_memo[memo_key] = got
        doms_found, ranks = got
        if not bcols:
            if ranks.size:
                out[0] = ranks[0] - 1
            return out
        dom_of = (
            doms_found.join(
                cast("pl.DataFrame", a.domains).select(bcols).with_row_index("_dom"),
                on=bcols,
                how="left",
                nulls_equal=True,
                maintain_order="left",
            )["_dom"]
            .to_numpy()
            .astype(float)
        )
        keep = np.isfinite(dom_of)
        out[dom_of[keep].astype(np.int64)] = ranks[keep] - 1
        return out

    def _group_ranks(
        self,
        keys: list[str],
        where: str | None,
        ok: str | None,
        bcols: list[str],
        kcols: list[str],
        cal: Calibration | None,
        gfac: FloatArray | None,
    ) -> tuple[pl.DataFrame, FloatArray]:
        """The domains with rows (their ``by`` columns) and the rank of each one's weights."""
        import polars as pl

        groups, mats = self.factor_ranks(keys, where, ok)
        cells = None
        if kcols and cal is not None and gfac is not None:
            cells = (
                groups.select(kcols)
                .join(cal.cells, on=kcols, how="left", nulls_equal=True, maintain_order="left")[
                    "_cell"
                ]
                .to_numpy()
            )
        if bcols:
            # calibration cells split a domain into several groups: stack them per domain
            codes = groups.select(bcols).with_row_index("_g")
            per = codes.group_by(bcols, maintain_order=True).agg(pl.col("_g"))
            doms_found, members = per.select(bcols), per["_g"].to_list()
        else:
            doms_found, members = pl.DataFrame(), [list(range(len(mats)))]
        stacks = []
        for idx in members:
            parts = []
            for g in idx:
                m = mats[g]
                if cells is not None and gfac is not None:
                    m = m * gfac[int(cells[g])][None, :]
                parts.append(m)
            stacks.append(np.vstack(parts) if parts else np.zeros((0, self.n_rep)))
        return doms_found, np.asarray(_ranks(stacks), dtype=float)


def _ranks(mats: list[FloatArray]) -> list[int]:
    """Numerical rank of each matrix (singular values above 1e-7 of the largest).

    On one BLAS thread: the matrices are small (distinct rows x replicates), threaded BLAS
    gains nothing on them and, on a loaded machine, its threads waiting for cores took
    0.1 s per domain (1.2 s of a proportion's 4.1 s over 10 domains with 200 replicates)
    against a few milliseconds on one thread.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        return [_rank(m) for m in mats]


def _rank(m: FloatArray) -> int:
    if m.size == 0:
        return 0
    sv = np.linalg.svd(m, compute_uv=False)
    return int(np.sum(sv > sv[0] * 1e-7)) if sv.size and sv[0] > 0 else 0


def _expr(variable: str, quote: Any, backend: Any) -> str:
    """A variable as SQL: a quoted column, or the expression in parentheses."""
    if backend is not None and variable in backend.columns():
        return str(quote(variable))
    return f"({variable})"


def bind_replicates(
    backend: Backend, structure: Structure, weight_sql: str, design: ReplicateDesign
) -> Replicates:
    """Make or read the replicates of ``design`` for data with this structure."""
    q = backend.quote
    if not design.generated:
        n = len(design.replicate_weights)
        scale, rscales = _default_scales(design, n)
        rep = Replicates(
            type_name=design.type,
            scale=scale,
            rscales=rscales,
            mse=design.mse,
            factors=None,
            columns=design.replicate_weights,
            combined=design.combined_weights,
            declared_df=design.df,
            quote=q,
            weight_sql=weight_sql,
            backend=backend,
        )
        return rep
    st = structure
    if st.element:
        raise DesignError(
            "Replicates are made per PSU, and the design has none.",
            code="survey.replicates-need-psu",
            hint='Declare psu= (a row id such as psu="person_id" for element sampling).',
        )
    stage = st.stages[0]
    strata = stage.group_of_unit  # per PSU
    n_psu = strata.shape[0]
    n_h = stage.n
    f_h = stage.f  # (N - n) / N, 1 without fpc
    rule = design.base.lonely_psu
    cols: list[FloatArray] = []
    rsc: list[float] = []
    scale = 1.0
    t = design.type
    if t == "JK1":
        if st.n_strata > 1:
            raise DesignError(
                "JK1 replicates need an unstratified design.",
                code="survey.replicate-type",
                hint='Use type="JKn" for stratified designs (or "bootstrap").',
            )
        n_f = float(n_psu)
        for j in range(n_psu):
            c = np.full(n_psu, n_f / (n_f - 1))
            c[j] = 0.0
            cols.append(c)
            rsc.append(1.0)
        scale = float(f_h[0]) * (n_f - 1) / n_f
    elif t == "JKn":
        n_strat = float(st.n_strata)
        for h in range(st.n_strata):
            members = np.flatnonzero(strata == h)
            nh = float(n_h[h])
            if f_h[h] < 1e-12:
                continue  # a stratum taken whole adds no variance (survey.drop.replicates)
            if nh == 1:
                if rule == "fail":
                    raise LonelyPsuError(
                        f"Stratum {stage.label[h]!r} has only one PSU; JKn cannot drop it.",
                        hint='Pass lonely_psu="remove", "adjust", "average" or "certainty".',
                    )
                if rule == "adjust":
                    c = np.where(strata == h, 0.0, n_strat / (n_strat - 1))
                    cols.append(c)
                    rsc.append((n_strat - 1) / n_strat)
                continue
            for jj in members:
                c = np.ones(n_psu)
                c[members] = nh / (nh - 1)
                c[jj] = 0.0
                cols.append(c)
                rsc.append(float(f_h[h]) * (nh - 1) / nh)
        if rule == "average" and len(cols) < n_psu:
            scale = n_psu / max(len(cols), 1)
    elif t in ("BRR", "Fay"):
        if np.any(n_h != 2):
            bad = stage.label[int(np.flatnonzero(n_h != 2)[0])]
            raise DesignError(
                f"BRR needs exactly two PSUs per stratum; stratum {bad!r} has "
                f"{int(n_h[np.flatnonzero(n_h != 2)[0]])}.",
                code="survey.replicate-type",
                hint='Merge or split strata into pairs first, or use type="JKn"/"bootstrap".',
            )
        rho = float(design.rho or 0.0)
        n_strat = st.n_strata
        order = 1
        while order < n_strat + 1:
            order *= 2
        order = max(order, 4)
        hm = sylvester(order)
        # R orders strata by their labels as text, and PSUs by first appearance
        rank_of = np.argsort(np.argsort(np.array(stage.label, dtype=object).astype(str)))
        first = np.zeros(n_psu, dtype=bool)
        seen: set[int] = set()
        for p in range(n_psu):  # units are in sorted order of (stratum, psu) values
            if strata[p] not in seen:
                first[p] = True
                seen.add(int(strata[p]))
        for r in range(order):
            hrow = hm[1 + rank_of[strata], r]  # 0 or 1 per PSU
            col = hrow + 1  # R: 1 or 2
            wa = np.where(first, np.where(col == 1, 0.0, 1.0), np.where(col == 1, 1.0, 0.0))
            cols.append(wa * (2 - rho) + (1 - wa) * rho)
            rsc.append(1.0)
        scale = 1.0 / (order * (1 - rho) ** 2)
    elif t in ("bootstrap", "subbootstrap"):
        rng = np.random.default_rng(design.seed)
        reps = int(design.replicates or 50)
        members_of = [np.flatnonzero(strata == h) for h in range(st.n_strata)]
        for _ in range(reps):
            c = np.zeros(n_psu)
            for h, members in enumerate(members_of):
                nh = int(members.size)
                if t == "subbootstrap":
                    if nh == 1:
                        c[members] = 1.0
                        continue
                    draws = rng.choice(members, size=nh - 1, replace=True)
                    c[members] = np.bincount(draws, minlength=n_psu)[members] * nh / (nh - 1)
                    continue
                frac = float(stage.fraction[h])
                if frac > 0:
                    # without replacement from N_h units, each PSU repeated in turn (R's
                    # sample(rep(upsu, length = popsize), n_h))
                    pop = np.resize(rng.permutation(members), round(nh / frac))
                    draws = rng.choice(pop, size=nh, replace=False)
                else:
                    draws = rng.choice(members, size=nh, replace=True)
                c[members] = np.bincount(draws, minlength=n_psu)[members]
            cols.append(c)
            rsc.append(1.0)
        if t == "subbootstrap":
            scale = 1.0 / (reps - 1)
        else:
            harmonic = 1.0 / float(np.mean(1.0 / n_h))
            scale = harmonic / ((harmonic - 1) * (reps - 1))
    factors = np.column_stack(cols) if cols else np.zeros((n_psu, 0))
    return Replicates(
        type_name=t,
        scale=scale,
        rscales=np.asarray(rsc, dtype=float),
        mse=design.mse,
        factors=factors,
        columns=(),
        combined=False,
        declared_df=design.df,
        quote=q,
        weight_sql=weight_sql,
        backend=backend,
    )


def _default_scales(design: ReplicateDesign, n: int) -> tuple[float, FloatArray]:
    """``svrepdesign`` defaults for scale and rscales."""
    rscales = np.asarray(design.rscales, dtype=float) if design.rscales is not None else np.ones(n)
    t = design.type
    if t == "BRR":
        return 1.0 / n, rscales
    if t == "Fay":
        return 1.0 / (n * (1 - float(design.rho or 0.0)) ** 2), rscales
    if design.scale is not None:
        return float(design.scale), rscales
    if t in ("bootstrap", "subbootstrap"):
        return 1.0 / (n - 1), rscales
    if t == "JK1":
        return (n - 1) / n, rscales
    if t == "JKn" and design.rscales is None:
        raise DesignError(
            "JKn replicate weights need their rscales ((n_h - 1) / n_h per replicate).",
            code="survey.replicate-scales",
            hint="Pass rscales=[...] with one value per replicate-weight column.",
        )
    return 1.0, rscales
