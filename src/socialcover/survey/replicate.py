"""Replicate-weight designs: JK1, JKn, BRR, Fay, bootstrap, subbootstrap, user replicates.

A :class:`ReplicateDesign` either names replicate-weight columns that ship with the data
(with their ``scale`` and ``rscales``, as R's ``svrepdesign``), or is built from a Taylor
:class:`~socialcover.survey.Design` with :meth:`ReplicateDesign.from_design` (R's
``as.svrepdesign``), in which case the replicate factors are made per PSU and never
materialised per row. The variance is scale * sum_r rscales_r (theta_r - centre)^2, centred at
the mean of the replicates (``mse=False``, R's default) or at the full-sample estimate.

Sources: Wolter (2007), ch. 3-5; Lumley (2010), sec. 2.5; Rao and Wu (1988) for the
bootstrap; Judkins (1990) for Fay's method; R ``survey`` (``jk1weights``, ``jknweights``,
``brrweights``, ``bootweights``, ``svrVar``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from socialcover.survey._errors import DesignError
from socialcover.survey.design import Design

__all__ = ["REPLICATE_TYPES", "ReplicateDesign"]

ReplicateType = Literal["JK1", "JKn", "BRR", "Fay", "bootstrap", "subbootstrap", "other"]
REPLICATE_TYPES: tuple[str, ...] = (
    "JK1",
    "JKn",
    "BRR",
    "Fay",
    "bootstrap",
    "subbootstrap",
    "other",
)


@dataclass(frozen=True)
class ReplicateDesign:
    """A replicate-weight design.

    Parameters
    ----------
    weights
        Full-sample weight column.
    replicate_weights
        Replicate-weight columns (user-supplied replicates); empty when generated.
    type
        ``"JK1"``, ``"JKn"``, ``"BRR"``, ``"Fay"``, ``"bootstrap"`` (Canty and Davison, R's
        ``bootweights``), ``"subbootstrap"`` (Rao and Wu's n_h - 1 bootstrap, R's
        ``subbootweights``) or ``"other"``.
    scale, rscales
        Overall and per-replicate multipliers of the squared deviations; defaults follow
        ``svrepdesign`` for each type.
    rho
        Fay's coefficient (``type="Fay"``).
    mse
        Centre the deviations at the full-sample estimate instead of the replicates' mean.
    combined_weights
        Replicate columns already include the sampling weights (R's default); otherwise they
        are factors multiplied by ``weights``.
    df
        Degrees of freedom for intervals; by default the rank of the replicate weights - 1.
    """

    weights: str | None
    replicate_weights: tuple[str, ...] = ()
    type: ReplicateType = "other"
    scale: float | None = None
    rscales: tuple[float, ...] | None = None
    rho: float | None = None
    mse: bool = False
    combined_weights: bool = True
    df: float | None = None
    base: Design = field(default_factory=Design)
    replicates: int | None = None
    seed: int | None = None
    generated: bool = False

    def __post_init__(self) -> None:
        if self.type not in REPLICATE_TYPES:
            raise DesignError(
                f"Unknown replicate type {self.type!r}.",
                hint="Use one of " + ", ".join(repr(t) for t in REPLICATE_TYPES) + ".",
            )
        if not self.generated and not self.replicate_weights:
            raise DesignError(
                "A replicate design needs replicate-weight columns.",
                hint="Pass replicate_weights=[...] or build one with "
                "ReplicateDesign.from_design(design, type=...).",
            )
        if self.type == "Fay" and (self.rho is None or not 0 <= self.rho < 1):
            raise DesignError(
                f"Fay's method needs rho in [0, 1); got {self.rho!r}.",
                hint="Pass rho=0.5 (for example) with type='Fay'.",
            )
        if (
            self.rscales is not None
            and not self.generated
            and len(self.rscales) != len(self.replicate_weights)
        ):
            raise DesignError(
                f"{len(self.rscales)} rscales for {len(self.replicate_weights)} replicates.",
                hint="Give one rscale per replicate-weight column.",
            )
        if not self.generated and self.base == Design():
            object.__setattr__(self, "base", Design(weights=self.weights, lonely_psu="remove"))

    @classmethod
    def from_columns(
        cls,
        weights: str | None,
        replicate_weights: Sequence[str],
        *,
        type: ReplicateType = "other",
        scale: float | None = None,
        rscales: Sequence[float] | None = None,
        rho: float | None = None,
        mse: bool = False,
        combined_weights: bool = True,
        df: float | None = None,
    ) -> ReplicateDesign:
        """A design from replicate-weight columns in the data (R's ``svrepdesign``)."""
        return cls(
            weights=weights,
            replicate_weights=tuple(replicate_weights),
            type=type,
            scale=scale,
            rscales=None if rscales is None else tuple(float(r) for r in rscales),
            rho=rho,
            mse=mse,
            combined_weights=combined_weights,
            df=df,
        )

    @classmethod
    def from_design(
        cls,
        design: Design,
        type: ReplicateType = "JK1",
        *,
        rho: float | None = None,
        replicates: int = 50,
        seed: int = 0,
        mse: bool = False,
    ) -> ReplicateDesign:
        """Replicates made from a Taylor design's PSUs (R's ``as.svrepdesign``).

        ``JK1`` drops one PSU at a time (unstratified designs); ``JKn`` one PSU per stratum;
        ``BRR``/``Fay`` use a Hadamard matrix over strata with two PSUs each; ``bootstrap``
        draws ``replicates`` resamples of n_h PSUs per stratum (with replacement, or without
        replacement from the population when the first stage has an fpc; Canty and Davison
        1999, R's ``bootweights``); ``subbootstrap`` draws n_h - 1 PSUs with replacement and
        multiplies by n_h / (n_h - 1) (Rao and Wu 1988, R's ``subbootweights``); both with
        ``seed``.
        """
        if type == "other":
            raise DesignError(
                'type="other" needs replicate-weight columns.',
                hint="Use from_columns() for replicate weights shipped with the data.",
            )
        return cls(
            weights=design.weights,
            type=type,
            rho=0.5 if type == "Fay" and rho is None else rho,
            mse=mse,
            base=design,
            replicates=replicates,
            seed=seed,
            generated=True,
        )

    @property
    def lonely_psu(self) -> str:
        """Lonely-PSU rule of the underlying design (unused by replicate variances)."""
        return self.base.lonely_psu

    def columns(self) -> tuple[str, ...]:
        """Every data column the design names."""
        return tuple(dict.fromkeys([*self.base.columns(), *self.replicate_weights]))
