"""The age and sex structure a synthetic survey draws its people from.

Three sources, tried in order:

1. ``socialcover.data.single_age_population`` (single ages 0..100 interpolated from UN WPP 2024),
   when the query API provides it and the pack is installed;
2. the installed UN WPP 2024 five-year age groups (dataset ``wpp_population_age5``), spread
   evenly over the five single ages of each group (the 100+ group is put at age 100);
3. a built-in demo structure: a stable population (Lotka; Preston, Heuveline and Guillot 2001,
   ch. 7) with 2.5% annual growth and a Gompertz-Makeham survival curve, scaled to 20 million
   people. It is fictional and only stands in when no pack is installed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from socialcover.errors import DataNotInstalledError, NotFoundError, SocialcoverWarning

__all__ = ["AgeStructure", "demo_age_structure", "load_age_structure"]

MAX_AGE = 100
DEMO_ISO3 = "XDM"
DEMO_POPULATION = 20_000_000

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class AgeStructure:
    """Persons by single age (0..100, 100 = 100+) and sex for one country and year."""

    iso3: str
    year: int
    male: FloatArray
    female: FloatArray
    source: str

    @property
    def total(self) -> float:
        """Total population (persons)."""
        return float(self.male.sum() + self.female.sum())

    @property
    def both(self) -> FloatArray:
        """Persons by single age, both sexes."""
        return self.male + self.female

    def share_male(self) -> FloatArray:
        """Share of males at each single age."""
        both = self.both
        return np.divide(self.male, both, out=np.full_like(both, 0.5), where=both > 0)


def demo_age_structure(year: int = 2025) -> AgeStructure:
    """The built-in fictional structure used when no data pack is installed.

    Examples
    --------
    >>> s = demo_age_structure()
    >>> round(s.total)
    20000000
    >>> bool(s.both[:15].sum() / s.total > 0.3)
    True
    """
    ages = np.arange(MAX_AGE + 1, dtype=np.float64)
    growth = 0.025

    def survival(makeham: float, gompertz_a: float, gompertz_b: float) -> FloatArray:
        # Gompertz-Makeham hazard mu(x) = c + a exp(bx), plus a child-mortality term.
        hazard = makeham + gompertz_a * np.exp(gompertz_b * ages) + 0.03 * np.exp(-ages / 1.5)
        return _as_floats(np.exp(-np.concatenate([[0.0], np.cumsum(hazard)[:-1]])))

    male = np.exp(-growth * ages) * survival(0.002, 0.00012, 0.092) * 1.05
    female = np.exp(-growth * ages) * survival(0.0015, 0.00008, 0.092)
    scale = DEMO_POPULATION / (male.sum() + female.sum())
    return AgeStructure(DEMO_ISO3, year, male * scale, female * scale, "built-in demo structure")


def load_age_structure(iso3: str, year: int = 2025) -> AgeStructure:
    """The population by single age and sex of ``iso3`` in ``year`` from the installed pack.

    Falls back to :func:`demo_age_structure` when no pack is installed: silently for the demo
    country ``XDM``, with a :class:`~socialcover.errors.SocialcoverWarning` for any other code.

    Raises
    ------
    NotFoundError
        The pack is installed but has no population for ``iso3``.
    """
    iso3 = iso3.upper()
    try:
        frame = _from_single_ages(iso3, year)
        if frame is None:
            frame = _from_five_year_groups(iso3, year)
    except DataNotInstalledError:
        if iso3 != DEMO_ISO3:
            warnings.warn(
                SocialcoverWarning(
                    f"No data pack is installed, so the ages of {iso3} are not known; "
                    "the synthetic survey uses the built-in demo age structure instead.",
                    code="testing.demo-ages",
                    hint="Install the pack with `socialcover data import ../shared/data`.",
                ),
                stacklevel=2,
            )
        return demo_age_structure(year)
    if frame.is_empty():
        if iso3 == DEMO_ISO3:
            return demo_age_structure(year)
        raise NotFoundError(
            f"The installed pack has no population by age for {iso3!r} around {year}.",
            code="testing.unknown-country",
            hint="Pass an ISO3 code of a country in UN WPP 2024 (for example KEN), or XDM.",
        )
    return _structure(iso3, year, frame)


def _structure(iso3: str, year: int, frame: pl.DataFrame) -> AgeStructure:
    out: dict[str, FloatArray] = {}
    for sex in ("male", "female"):
        arr = np.zeros(MAX_AGE + 1)
        part = frame.filter(pl.col("sex") == sex)
        np.add.at(arr, part["age"].to_numpy(), part["population"].to_numpy().astype(np.float64))
        out[sex] = arr
    return AgeStructure(iso3, year, out["male"], out["female"], str(frame["source"][0]))


def _as_floats(values: object) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _from_single_ages(iso3: str, year: int) -> pl.DataFrame | None:
    try:
        from socialcover import data as data_api
    except ImportError:  # pragma: no cover - the data package is always present
        return None
    fn: Any = getattr(data_api, "single_age_population", None)
    if fn is None:
        return None
    try:
        frame: pl.DataFrame = fn([iso3], [year])
    except NotFoundError:
        return pl.DataFrame(schema={"sex": pl.Utf8, "age": pl.Int64, "population": pl.Float64})
    return frame.filter(pl.col("sex").is_in(["male", "female"])).select(
        "sex",
        pl.col("age").cast(pl.Int64),
        pl.col("population").cast(pl.Float64),
        pl.lit("UN WPP 2024, single ages (socialcover.data)").alias("source"),
    )


def _from_five_year_groups(iso3: str, year: int) -> pl.DataFrame:
    from socialcover.data._store import scan

    lazy = scan("wpp_population_age5").filter(pl.col("iso3") == iso3)
    years = lazy.select(pl.col("year").unique()).collect()["year"].to_list()
    if not years:
        return pl.DataFrame(schema={"sex": pl.Utf8, "age": pl.Int64, "population": pl.Float64})
    nearest = min(years, key=lambda y: (abs(y - year), y))
    groups = lazy.filter(pl.col("year") == nearest).collect()
    if groups["variant"].n_unique() > 1:
        groups = groups.filter(pl.col("variant").is_in(["estimate", "medium"]))
    rows: list[tuple[str, int, float]] = []
    for sex, start, pop in groups.select("sex", "age_start", "population").iter_rows():
        width = 1 if start >= MAX_AGE else 5
        for age in range(start, min(start + width, MAX_AGE + 1)):
            rows.append((sex, age, float(pop) / width))
    return pl.DataFrame(
        rows, schema={"sex": pl.Utf8, "age": pl.Int64, "population": pl.Float64}, orient="row"
    ).with_columns(
        pl.lit(f"UN WPP 2024, five-year groups of {nearest}, spread evenly").alias("source")
    )
