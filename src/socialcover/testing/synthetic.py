"""``synthetic_survey``: a realistic household survey of any size, in memory or on disk.

Small surveys come back as a Polars frame; large ones are streamed to Parquet one chunk of
PSUs at a time through :class:`pyarrow.parquet.ParquetWriter`, so memory stays bounded by the
chunk (about 250,000 persons) whatever the size, up to 100 million persons and beyond.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import overload

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from socialcover.errors import InputError, SocialcoverError
from socialcover.testing.age_structure import load_age_structure
from socialcover.testing.generator import FORMALITY_BY_INCOME_GROUP, SCHEMA, SurveyPlan

__all__ = ["formality_of", "synthetic_survey"]

MAX_PERSONS = 1_000_000_000
IN_MEMORY_LIMIT = 50_000_000


@overload
def synthetic_survey(
    n_persons: int,
    *,
    seed: int,
    country: str = ...,
    year: int = ...,
    pensionable_age: int = ...,
    path: None = ...,
    chunk_persons: int = ...,
    progress: Callable[[int, int], None] | None = ...,
) -> pl.DataFrame: ...


@overload
def synthetic_survey(
    n_persons: int,
    *,
    seed: int,
    country: str = ...,
    year: int = ...,
    pensionable_age: int = ...,
    path: str | Path,
    chunk_persons: int = ...,
    progress: Callable[[int, int], None] | None = ...,
) -> Path: ...


def synthetic_survey(
    n_persons: int,
    *,
    seed: int,
    country: str = "XDM",
    year: int = 2025,
    pensionable_age: int = 65,
    path: str | Path | None = None,
    chunk_persons: int = 250_000,
    progress: Callable[[int, int], None] | None = None,
) -> pl.DataFrame | Path:
    """Generate a seeded synthetic household survey in the standard concepts.

    Parameters
    ----------
    n_persons
        Number of persons (rows); households are whole except possibly the last one.
    seed
        Seed of the random streams: the same seed, size, country and chunk size give the
        same survey.
    country
        ISO3 code whose UN WPP 2024 age and sex structure the persons follow (needs the pack;
        ``"XDM"``, the fictional Demoland, works without one).
    year
        Year of the population structure (the nearest year in the pack is used).
    pensionable_age
        Age from which old-age pensions are paid.
    path
        When given, the survey is streamed to this Parquet file and the path is returned.
    chunk_persons
        Persons per chunk (per Parquet row group); bounds the memory used.
    progress
        Called with (persons done, persons in all) after each chunk.

    Returns
    -------
    polars.DataFrame or pathlib.Path
        Columns: ``hh_id, person_id, psu, strata, region, urban, weight, age, sex,
        labour_status, status_in_employment, informal, contributes, disabled, gave_birth,
        welfare, welfare_scale, poverty_line`` and ``receives_<b>``, ``amount_<b>`` for
        b in child, maternity, disability, unemployment, old_age, social_assistance,
        employment_injury. Amounts and welfare are per year in local currency; welfare is
        per capita and includes the transfers. Weights sum to the country's population (so
        they fall below 1 when ``n_persons`` exceeds it).

    Raises
    ------
    InputError
        ``n_persons`` is not positive or too large to hold in memory without ``path``.

    Examples
    --------
    >>> df = synthetic_survey(2_000, seed=1)
    >>> df.height
    2000
    >>> sorted(df["sex"].unique().to_list())
    ['female', 'male']
    """
    if not 0 < n_persons <= MAX_PERSONS:
        raise InputError(
            f"n_persons must be between 1 and {MAX_PERSONS:,}; got {n_persons:,}.",
            code="testing.bad-size",
            hint="Pass a positive number of persons, for example 100_000.",
        )
    if path is None and n_persons > IN_MEMORY_LIMIT:
        raise InputError(
            f"A survey of {n_persons:,} persons is too large to return in memory.",
            code="testing.too-large-for-memory",
            hint="Pass path='survey.parquet' to stream it to disk.",
        )
    plan = SurveyPlan.build(
        n_persons,
        seed=seed,
        ages=load_age_structure(country, year),
        pensionable_age=pensionable_age,
        formality=formality_of(country),
    )
    if path is None:
        tables = []
        for table in plan.chunks(chunk_persons):
            tables.append(table)
            if progress is not None:
                progress(sum(t.num_rows for t in tables), n_persons)
        frame = pl.from_arrow(pa.concat_tables(tables))
        assert isinstance(frame, pl.DataFrame)  # from_arrow of a Table is always a frame
        return frame
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    done = 0
    with pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:
        for table in plan.chunks(chunk_persons):
            writer.write_table(table)
            done += table.num_rows
            if progress is not None:
                progress(done, n_persons)
    tmp.replace(out)  # a crash leaves no half-written file under the final name
    return out


def formality_of(iso3: str) -> float:
    """Formality shift of a country from its World Bank income group (0 when unknown).

    Demoland (XDM) and countries without an installed pack are treated as lower-middle income.
    """
    if iso3.upper() == "XDM":
        return 0.0
    try:
        from socialcover.data import country

        group = country(iso3).income_group
    except (SocialcoverError, ImportError):
        return 0.0
    return FORMALITY_BY_INCOME_GROUP.get(group or "", 0.0)
