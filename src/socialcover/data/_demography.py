"""The population model behind the fictional demo country (Demoland, XDM).

A small, internally consistent demographic model, so that every identity the real pack obeys
also holds in the demo pack:

- **Mortality**: a Siler-type hazard ``m(a) = a1 exp(-b1 a) + c + a3 exp(b3 a)`` (Siler 1979),
  whose level falls over time; central death rates per 5-year period and an abridged life table
  for life expectancy (Preston, Heuveline & Guillot 2001, *Demography*, ch. 3).
- **Age structure**: a stable-population shape ``c(a) = b exp(-r a) L(a)`` with a slowly falling
  structural growth rate ``r`` (Preston et al. 2001, ch. 7), split by sex with a sex ratio at
  birth of 1.05.
- **Fertility**: a TFR path and an age pattern (% of TFR by mother's age group) per period;
  ``asfr = tfr * pct / 100 / 5`` as in WPP's ``percentASFR5dt``.
- **Balancing equation**: births = sum of ASFR x women by age, deaths = sum of mx x persons by
  age and sex, end-of-year population E(t) = E(t-1) + births - deaths + net migration;
  ``pop_jul1`` = the mean of E(t-1) and E(t), and the 5-year age groups sum exactly to it.

Rates are constant within each 5-year period (1 Jan t to 31 Dec t+4), as in WPP's 5-year files,
so annual births and deaths equal the period rates times the annual population by age.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

FIRST_YEAR = 1950
LAST_YEAR = 2100
YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)
#: Mortality age groups: 0, 1-4, 5-9, ..., 95-99, 100+ (starts and widths).
MX_STARTS = np.array([0, 1, *range(5, 101, 5)], dtype=np.int64)
MX_WIDTHS = np.diff(np.append(MX_STARTS, 105)).astype(np.float64)
#: Population age groups: 0-4, ..., 95-99, 100+.
POP_STARTS = np.arange(0, 101, 5, dtype=np.int64)
MOTHER_STARTS = np.arange(15, 50, 5, dtype=np.int64)
SRB = 1.05  # male births per female birth
SEXES = ("male", "female")
START_POPULATION = 4_200_000  # 1 Jan 1950


def period_start(year: int) -> int:
    """First year of the 5-year period holding ``year`` (1950, 1955, ...)."""
    return FIRST_YEAR + 5 * ((year - FIRST_YEAR) // 5)


def tfr(period: int) -> float:
    """Total fertility of the period starting ``period``: 6.4 in 1950 falling to about 1.8."""
    mid = period + 2.5
    return float(1.75 + 4.65 / (1 + np.exp((mid - 2012.0) / 16.0)))


def fertility_pattern(period: int) -> NDArray[np.float64]:
    """% of TFR by mother's age group 15-19 ... 45-49 (sums to 100); births come later in time."""
    shift = (period + 2.5 - 1950) / 150 * 3.5  # mean age of childbearing rises by ~3.5 years
    ages = MOTHER_STARTS + 2.5
    weights = np.exp(-0.5 * ((ages - (27.0 + shift)) / 6.5) ** 2)
    out: NDArray[np.float64] = weights / weights.sum() * 100
    return out


def mx(period: int, sex: str) -> NDArray[np.float64]:
    """Central death rates for the mortality age groups (per person-year)."""
    t = (period + 2.5 - 1950) / 150
    level = float(np.exp(-2.3 * t))  # mortality falls about tenfold at young ages
    male = sex == "male"
    mid = MX_STARTS + MX_WIDTHS / 2
    mid[-1] = 102.0
    infant = (0.16 if male else 0.14) * level
    young = (0.020 if male else 0.017) * level * np.exp(-0.9 * mid)
    background = (0.0042 if male else 0.0036) * level**0.8
    senescent = (0.00009 if male else 0.00006) * level**0.35 * np.exp(0.092 * mid)
    rates: NDArray[np.float64] = young + background + senescent
    rates[0] = infant + background
    return np.minimum(rates, 0.95)


def life_table(rates: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """Person-years lived ``nLx`` per group (radix 1) and life expectancy at birth."""
    n = MX_WIDTHS
    ax = n / 2
    ax[0], ax[1] = 0.3, 1.5
    # Constant hazard within a group (never reaches 1 at old ages, unlike n m / (1 + (n - a) m)).
    qx = 1 - np.exp(-n * rates)
    qx[-1] = 1.0
    lx = np.concatenate([[1.0], np.cumprod(1 - qx)[:-1]])
    dx = lx * qx
    lx_next = lx - dx
    big_l = n * lx_next + ax * dx
    big_l[-1] = lx[-1] / rates[-1]
    return big_l, float(big_l.sum())


@dataclass(frozen=True)
class Year:
    """One calendar year of the model."""

    year: int
    shares: NDArray[np.float64]  # (2, 21): share of the population by sex and 5-year group
    fine_shares: NDArray[np.float64]  # (2, 22): by sex and mortality group
    cbr: float  # births per person-year
    cdr: float
    mig: float


def structural_growth(year: float) -> float:
    """Growth rate that shapes the stable age structure (3.2% in 1950 to -0.3% in 2100)."""
    return float(-0.003 + 0.035 / (1 + np.exp((year - 2030.0) / 22.0)))


@cache
def model_year(year: int) -> Year:
    """Age structure and crude rates of ``year``."""
    per = period_start(year)
    r = structural_growth(year + 0.5)
    fine = np.zeros((2, len(MX_STARTS)))
    for s, sex in enumerate(SEXES):
        big_l, _ = life_table(mx(per, sex))
        mid = MX_STARTS + MX_WIDTHS / 2
        birth_share = SRB / (1 + SRB) if sex == "male" else 1 / (1 + SRB)
        fine[s] = birth_share * np.exp(-r * mid) * big_l
    fine /= fine.sum()
    shares = np.concatenate([fine[:, :2].sum(axis=1, keepdims=True), fine[:, 2:]], axis=1)
    asfr = tfr(per) * fertility_pattern(per) / 100 / 5
    women = shares[1, 3:10]  # 15-19 ... 45-49
    cbr = float((asfr * women).sum())
    cdr = float(sum((mx(per, sex) * fine[s]).sum() for s, sex in enumerate(SEXES)))
    mig = -0.0012 if year < 2030 else -0.0006
    return Year(year, shares, fine, cbr, cdr, mig)


@dataclass(frozen=True)
class Totals:
    """Annual totals of the model, 1950-2100 (integers, persons)."""

    years: NDArray[np.int64]
    pop_jan1: NDArray[np.int64]
    pop_jul1: NDArray[np.int64]
    births: NDArray[np.int64]
    deaths: NDArray[np.int64]
    net_migration: NDArray[np.int64]


@cache
def totals() -> Totals:
    """Run the balancing equation year by year from 1 Jan 1950."""
    end = START_POPULATION
    jan, jul, bir, dea, mig = [], [], [], [], []
    for year in YEARS:
        y = model_year(int(year))
        g = y.cbr - y.cdr + y.mig
        mid = end / (1 - g / 2)  # mid-year population consistent with the year's change
        b, d, m = round(y.cbr * mid), round(y.cdr * mid), round(y.mig * mid)
        new_end = end + b - d + m
        jan.append(end)
        jul.append(round((end + new_end) / 2))
        bir.append(b)
        dea.append(d)
        mig.append(m)
        end = new_end
    arr = np.array
    return Totals(YEARS, arr(jan), arr(jul), arr(bir), arr(dea), arr(mig))


def split_exact(total: int, shares: NDArray[np.float64]) -> NDArray[np.int64]:
    """Whole persons per cell that sum exactly to ``total`` (largest remainder)."""
    raw = shares.ravel() / shares.sum() * total
    base = np.floor(raw).astype(np.int64)
    short = total - int(base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:short]] += 1
    out: NDArray[np.int64] = base.reshape(shares.shape)
    return out


def population_by_age(year: int) -> NDArray[np.int64]:
    """Persons by sex and 5-year group at mid-year (2, 21), summing to ``pop_jul1``."""
    tot = totals()
    return split_exact(int(tot.pop_jul1[year - FIRST_YEAR]), model_year(year).shares)


def life_expectancy(year: int) -> dict[str, float]:
    """e0 by sex, and for both sexes (life table of the sex-weighted rates)."""
    per = period_start(year)
    out = {sex: life_table(mx(per, sex))[1] for sex in SEXES}
    out["both"] = life_table(both_sexes_mx(per))[1]
    return out


def both_sexes_mx(period: int) -> NDArray[np.float64]:
    """Death rates for both sexes: deaths over persons at the period's first mid-year."""
    fine = model_year(period).fine_shares
    male, female = mx(period, "male"), mx(period, "female")
    persons = fine.sum(axis=0)
    safe = np.where(persons > 0, persons, 1.0)
    weighted = (male * fine[0] + female * fine[1]) / safe
    out: NDArray[np.float64] = np.where(persons > 0, weighted, (male + female) / 2)
    return out
