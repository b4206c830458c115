"""Random populations for microsim tests (in memory, seeded)."""

from __future__ import annotations

import numpy as np
import polars as pl

LABOUR = np.array(["employed", "unemployed", "inactive", None], dtype=object)
STATUS = np.array(
    ["employee", "employer", "own_account", "contributing_family", None], dtype=object
)


def random_population(n_households: int, seed: int, *, max_size: int = 7) -> pl.DataFrame:
    """Households of 1..max_size persons with ages, sex, welfare, labour status and design."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, max_size + 1, n_households)
    hh = np.repeat(np.arange(n_households), sizes)
    n = len(hh)
    # welfare is per capita and constant within the household, as survey welfare aggregates are
    hh_welfare = np.round(rng.lognormal(7.5, 0.9, n_households), 2)
    strata = rng.integers(0, 4, n_households)
    return pl.DataFrame(
        {
            "hh_id": (hh * 7 + 3).astype(np.int64),  # ids that are not 0..n-1
            "person_id": np.arange(n, dtype=np.int64),
            "age": rng.integers(0, 95, n).astype(np.float64),
            "sex": np.where(rng.random(n) < 0.5, "female", "male"),
            "urban": np.where(rng.random(n_households) < 0.4, "urban", "rural")[hh],
            "informal": pl.Series(np.where(rng.random(n) < 0.6, 1, 0), dtype=pl.Int8).set(
                pl.Series(rng.random(n) < 0.2), None
            ),
            "labour_status": pl.Series(
                LABOUR[rng.integers(0, len(LABOUR), n)].tolist(), dtype=pl.String
            ),
            "status_in_employment": pl.Series(
                STATUS[rng.integers(0, len(STATUS), n)].tolist(), dtype=pl.String
            ),
            "welfare": hh_welfare[hh],
            "poverty_line": np.full(n, 1500.0),
            "earnings": np.round(rng.exponential(1200, n) * (rng.random(n) < 0.5), 2),
            "amount_old_age": np.round(rng.exponential(3000, n) * (rng.random(n) < 0.2), 2),
            "weight": rng.uniform(50, 400, n_households)[hh],
            "strata": strata[hh],
            "psu": (strata * 1000 + rng.integers(0, 6, n_households))[hh],
        }
    )
