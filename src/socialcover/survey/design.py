"""Survey designs, declared once and immutable.

A :class:`Design` names the columns that carry the sampling design (weights, strata, cluster
ids for one or more stages, finite population corrections) and the choices that change the
variance (``nest``, the lonely-PSU rule). It holds no data: a :class:`~socialcover.survey.Sample`
binds a design to a table. Every choice sits on the design, never in a global option (R's
``options(survey.lonely.psu=)`` makes one call give two answers in two sessions).

Conventions follow R's ``svydesign`` (Lumley 2010, *Complex Surveys*, ch. 2-3; Lumley 2004,
*J. Stat. Software* 9(8)):

- ``psu`` is the first-stage cluster id; a tuple ``("district", "school")`` declares two stages.
  ``psu=None`` means each row is its own PSU (element sampling).
- ``fpc`` gives, per stage, a column with either the population count of units in the stratum
  (values > 1) or the sampling fraction (all values <= 1), as ``svydesign`` reads them. Later
  stages contribute to the variance only when the earlier stages carry an fpc (``svyrecvar``).
- ``nest=True`` makes PSU ids unique within strata (ids repeat across strata); with
  ``nest=False`` a PSU id found in two strata is an error.
- ``lonely_psu``: what a stratum with a single PSU contributes (R's ``survey.lonely.psu``):
  ``"fail"`` raises; ``"remove"`` and ``"certainty"`` contribute zero; ``"adjust"`` centres the
  lonely PSU at zero (the overall mean of the scores) instead of its stratum mean; ``"average"``
  replaces it by the average variance of the other strata.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from socialcover.survey._errors import DesignError

__all__ = ["LONELY_PSU_RULES", "Design", "LonelyPsuRule"]

#: What to do with a stratum that has one PSU (R's ``options(survey.lonely.psu=)``, on the design).
LonelyPsuRule = Literal["fail", "remove", "adjust", "average", "certainty"]
LONELY_PSU_RULES: tuple[str, ...] = ("fail", "remove", "adjust", "average", "certainty")


def _as_tuple(value: str | Sequence[str] | None, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    out = tuple(value)
    for v in out:
        if not isinstance(v, str):
            raise DesignError(
                f"{what} must name columns; got {v!r}.",
                code="survey.design-invalid",
                hint=f'Pass a column name or a tuple of names, e.g. {what}=("district", "school").',
            )
    return out


@dataclass(frozen=True)
class Design:
    """A design-based (Taylor linearisation) survey design.

    Parameters
    ----------
    weights
        Column of sampling weights (inverse inclusion probabilities). ``None`` with an ``fpc``
        takes the weights the fpc implies, 1 / prod over stages of n / N (as R's
        ``svydesign``; every stage then needs an fpc); ``None`` without an fpc gives every
        row weight 1.
    strata
        Column of first-stage strata, or ``None``.
    psu
        Column of first-stage cluster ids, or a tuple of columns, one per stage; ``None`` when
        each row is its own PSU.
    fpc
        Column (or one per stage) with population counts or sampling fractions; ``None`` for
        sampling with replacement.
    nest
        PSU ids are unique only within strata.
    lonely_psu
        ``"fail"`` (default), ``"remove"``, ``"adjust"``, ``"average"`` or ``"certainty"``.

    Examples
    --------
    >>> Design(weights="pw", strata="stype", fpc="fpc")
    Design(weights='pw', strata='stype', psu=(), fpc=('fpc',), nest=False, lonely_psu='fail')
    """

    weights: str | None = None
    strata: str | None = None
    psu: tuple[str, ...] = field(default=())
    fpc: tuple[str, ...] = field(default=())
    nest: bool = False
    lonely_psu: LonelyPsuRule = "fail"

    def __init__(
        self,
        weights: str | None = None,
        strata: str | None = None,
        psu: str | Sequence[str] | None = None,
        fpc: str | Sequence[str] | None = None,
        nest: bool = False,
        lonely_psu: LonelyPsuRule = "fail",
    ) -> None:
        psu_t = _as_tuple(psu, "psu")
        fpc_t = _as_tuple(fpc, "fpc")
        if lonely_psu not in LONELY_PSU_RULES:
            raise DesignError(
                f"lonely_psu={lonely_psu!r} is not a known rule.",
                code="survey.design-invalid",
                hint="Use one of " + ", ".join(repr(r) for r in LONELY_PSU_RULES) + ".",
            )
        if len(fpc_t) > max(1, len(psu_t)):
            raise DesignError(
                f"{len(fpc_t)} fpc columns for {max(1, len(psu_t))} sampling stage(s).",
                code="survey.design-invalid",
                hint="Give at most one fpc column per stage, in the order of psu=.",
            )
        if weights is not None and not isinstance(weights, str):
            raise DesignError(
                f"weights must name a column; got {weights!r}.",
                hint='Pass the column name, e.g. Design(weights="wt").',
            )
        if strata is not None and not isinstance(strata, str):
            raise DesignError(
                f"strata must name one column; got {strata!r}.",
                hint="Combine several stratification variables into one column first.",
            )
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "strata", strata)
        object.__setattr__(self, "psu", psu_t)
        object.__setattr__(self, "fpc", fpc_t)
        object.__setattr__(self, "nest", bool(nest))
        object.__setattr__(self, "lonely_psu", lonely_psu)

    @property
    def stages(self) -> int:
        """Number of declared sampling stages (at least 1)."""
        return max(1, len(self.psu))

    def columns(self) -> tuple[str, ...]:
        """Every data column the design names."""
        cols = [c for c in (self.weights, self.strata) if c is not None]
        return tuple(dict.fromkeys([*cols, *self.psu, *self.fpc]))
