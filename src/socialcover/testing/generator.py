"""A seeded generator of synthetic household surveys, streamed in chunks of clusters.

The survey has the shape of a national household survey (an LSMS or a labour-force survey with
a social-protection module): a two-stage design with regions x urban/rural strata, enumeration
areas (PSUs) drawn with square-root allocation (so small strata are over-sampled and weights
vary), a fixed take of households per PSU and every member of each household interviewed.

Realism, and where each choice comes from:

- Ages and sexes follow the country's UN WPP 2024 population (:mod:`.population`): the household
  head is an adult drawn from the adult ages, the other members from the age distribution that
  makes the marginal of all members equal the population's
  (g = (f - h f_adult) / (1 - h), with h the share of heads among persons).
- Welfare is log-normal with cluster and household effects (so PSUs are internally correlated
  and design effects exceed one), urban and regional premia and economies of household size.
- Labour status by age and sex; status in employment and informality follow the ILO
  operational rules (17th ICLS, 2003; 21st ICLS, 2023, simplified): an employee is informal
  when the employer does not contribute to social security, own-account workers and employers
  when their unit is not registered, contributing family workers always.
- Seven benefit types with receipt that depends on eligibility (age, disability, unemployment,
  births) and on formality or poverty, so coverage gaps, targeting errors and incidence look
  like those of a lower-middle-income country. Amounts are in local currency per year.
- ``formality`` shifts the log-odds of formal jobs, registration and contributory benefits by
  the country's World Bank income group (:data:`FORMALITY_BY_INCOME_GROUP`, our own rough
  calibration [I]): informality is highest in low-income countries (ILO, *Women and Men in the
  Informal Economy*, 3rd ed., 2018, reports about 90% in low-income and under 20% in
  high-income countries [R]).

Nothing here is calibrated to a real survey: it is test and tutorial data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from socialcover.testing.age_structure import MAX_AGE, AgeStructure

__all__ = ["BENEFITS", "FORMALITY_BY_INCOME_GROUP", "SCHEMA", "SurveyPlan"]

BENEFITS = (
    "child",
    "maternity",
    "disability",
    "unemployment",
    "old_age",
    "social_assistance",
    "employment_injury",
)
"""The benefits a synthetic person may receive (``receives_*`` and ``amount_*`` columns)."""

FORMALITY_BY_INCOME_GROUP = {
    "Low income": -1.2,
    "Lower-middle income": 0.0,
    "Upper-middle income": 0.9,
    "High income": 2.2,
}

HOUSEHOLDS_PER_PSU = 15
N_REGIONS = 8
MEDIAN_WELFARE_LCU_YEAR = 12_000.0
POVERTY_LINE_SHARE_OF_MEDIAN = 0.6

SEXES = np.array(["male", "female"])
URBAN = np.array(["urban", "rural"])
LABOUR = np.array(["employed", "unemployed", "inactive"])
STATUS = np.array(["employee", "employer", "own_account", "contributing_family"])

SCHEMA = pa.schema(
    [
        ("hh_id", pa.int64()),
        ("person_id", pa.int64()),
        ("psu", pa.int64()),
        ("strata", pa.string()),
        ("region", pa.string()),
        ("urban", pa.string()),
        ("weight", pa.float64()),
        ("age", pa.int16()),
        ("sex", pa.string()),
        ("labour_status", pa.string()),
        ("status_in_employment", pa.string()),
        ("informal", pa.int8()),
        ("contributes", pa.int8()),
        ("disabled", pa.int8()),
        ("gave_birth", pa.int8()),
        ("welfare", pa.float64()),
        ("welfare_scale", pa.float64()),
        ("poverty_line", pa.float64()),
        *[(f"receives_{b}", pa.int8()) for b in BENEFITS],
        *[(f"amount_{b}", pa.float64()) for b in BENEFITS],
    ]
)

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


def _logistic(x: F64) -> F64:
    out: F64 = 1.0 / (1.0 + np.exp(-x))
    return out


@dataclass(frozen=True)
class SurveyPlan:
    """The fixed parts of one synthetic survey: strata, allocation, weights, ages.

    Built once from the seed; chunks of PSUs are then drawn from it independently, each with
    its own seeded stream, so a chunk never depends on another chunk.
    """

    seed: int
    n_persons: int
    ages: AgeStructure
    pensionable_age: int = 65
    urban_share: float = 0.5
    formality: float = 0.0
    strata: list[str] = field(default_factory=list)
    stratum_region: list[str] = field(default_factory=list)
    stratum_urban: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    population_share: F64 = field(default_factory=lambda: np.zeros(0))
    allocation: F64 = field(default_factory=lambda: np.zeros(0))
    stratum_effect: F64 = field(default_factory=lambda: np.zeros(0))

    @classmethod
    def build(
        cls,
        n_persons: int,
        *,
        seed: int,
        ages: AgeStructure,
        pensionable_age: int = 65,
        urban_share: float = 0.5,
        formality: float = 0.0,
    ) -> SurveyPlan:
        """Draw the strata, their population shares, sample allocation and welfare premia."""
        rng = np.random.default_rng([seed, 0xC0FFEE])
        region_share = rng.dirichlet(np.full(N_REGIONS, 4.0))
        urban_in_region = np.clip(rng.normal(urban_share, 0.15, N_REGIONS), 0.1, 0.9)
        region_effect = rng.normal(0.0, 0.2, N_REGIONS)
        strata: list[str] = []
        regions: list[str] = []
        urban_flag: list[int] = []
        share: list[float] = []
        effect: list[float] = []
        for r in range(N_REGIONS):
            for u, u_share in ((0, urban_in_region[r]), (1, 1.0 - urban_in_region[r])):
                strata.append(f"R{r + 1}-{'U' if u == 0 else 'R'}")
                regions.append(f"R{r + 1}")
                urban_flag.append(u)
                share.append(float(region_share[r] * u_share))
                effect.append(float(region_effect[r] + (0.35 if u == 0 else 0.0)))
        pop = np.asarray(share)
        # Square-root allocation over-samples small strata.
        alloc = np.sqrt(pop) / np.sqrt(pop).sum()
        return cls(
            seed=seed,
            n_persons=n_persons,
            ages=ages,
            pensionable_age=pensionable_age,
            urban_share=urban_share,
            formality=formality,
            strata=strata,
            stratum_region=regions,
            stratum_urban=np.asarray(urban_flag, dtype=np.int64),
            population_share=pop,
            allocation=alloc,
            stratum_effect=np.asarray(effect),
        )

    # -- derived constants -------------------------------------------------------------------

    def _age_distributions(self) -> tuple[F64, F64, float]:
        both = self.ages.both
        f = both / both.sum()
        adult = f * (np.arange(MAX_AGE + 1) >= 18)
        p_adult = float(adult.sum())
        return f, adult / p_adult, p_adult

    def mean_household_size(self) -> tuple[float, float]:
        """Mean household size in urban and rural areas, feasible for the age structure."""
        _, _, p_adult = self._age_distributions()
        floor = 1.15 / p_adult  # heads are adults, so persons per head must exceed 1 / p_adult
        return max(3.6, floor), max(4.6, floor + 0.8)

    def persons_per_psu(self) -> float:
        """Expected persons in one PSU."""
        urban, rural = self.mean_household_size()
        mix = float((self.allocation * (self.stratum_urban == 0)).sum())
        return HOUSEHOLDS_PER_PSU * (mix * urban + (1 - mix) * rural)

    def base_weights(self) -> F64:
        """Persons represented by one sampled person, by stratum (before non-response)."""
        urban, rural = self.mean_household_size()
        psu_persons = HOUSEHOLDS_PER_PSU * np.where(self.stratum_urban == 0, urban, rural)
        sampled = self.n_persons * self.allocation * psu_persons / self.persons_per_psu()
        out: F64 = self.ages.total * self.population_share / sampled
        return out

    # -- drawing -----------------------------------------------------------------------------

    def chunks(self, persons_per_chunk: int = 250_000) -> Iterator[pa.Table]:
        """Yield the survey as Arrow tables of whole PSUs, exactly ``n_persons`` rows in all."""
        psus_per_chunk = max(1, int(persons_per_chunk / self.persons_per_psu()))
        done = 0
        index = 0
        next_ids = [0, 0, 0]  # psu, household, person
        while done < self.n_persons:
            table = self._draw_chunk(index, psus_per_chunk, next_ids)
            take = min(table.num_rows, self.n_persons - done)
            if take < table.num_rows:
                table = table.slice(0, take)
            done += take
            index += 1
            yield table

    def _draw_chunk(self, index: int, n_psu: int, next_ids: list[int]) -> pa.Table:
        rng = np.random.default_rng([self.seed, index])
        f, f_adult, _ = self._age_distributions()
        mean_urban, mean_rural = self.mean_household_size()

        # Stage 1: PSUs and their strata; stage 2: households.
        psu_stratum = rng.choice(len(self.strata), size=n_psu, p=self.allocation)
        psu_effect = rng.normal(0.0, 0.3, n_psu)
        n_hh = n_psu * HOUSEHOLDS_PER_PSU
        hh_psu = np.repeat(np.arange(n_psu), HOUSEHOLDS_PER_PSU)
        hh_stratum = psu_stratum[hh_psu]
        hh_rural = self.stratum_urban[hh_stratum]
        mean_size = np.where(hh_rural == 1, mean_rural, mean_urban)
        hh_size = np.minimum(1 + rng.poisson(mean_size - 1.0), 20).astype(np.int64)
        hh_wealth = psu_effect[hh_psu] + self.stratum_effect[hh_stratum] + rng.normal(0, 0.6, n_hh)
        nonresponse = np.exp(rng.normal(0.0, 0.2, n_hh))
        hh_weight = self.base_weights()[hh_stratum] * nonresponse / np.exp(0.02)

        # Persons: the head is an adult; the others come from the complementary distribution.
        n = int(hh_size.sum())
        p_hh = np.repeat(np.arange(n_hh), hh_size)
        starts = np.concatenate([[0], np.cumsum(hh_size)[:-1]])
        member = np.arange(n) - starts[p_hh]
        heads = n_hh / n
        others = np.clip(f - heads * f_adult, 0.0, None)
        others = others / others.sum()
        age = np.where(
            member == 0,
            rng.choice(MAX_AGE + 1, size=n, p=f_adult),
            rng.choice(MAX_AGE + 1, size=n, p=others),
        ).astype(np.int64)
        male = rng.random(n) < self.ages.share_male()[age]
        rural = hh_rural[p_hh] == 1
        wealth = hh_wealth[p_hh]

        labour, status, informal, contributes = _labour(
            rng, age, male, rural, wealth, self.formality
        )
        disabled = rng.random(n) < 0.008 + 0.0016 * np.clip(age - 15, 0, None)
        disabled &= age >= 2
        asfr = 0.16 * np.exp(-0.5 * ((age - 27.0) / 6.5) ** 2) * np.exp(-0.25 * wealth)
        gave_birth = (~male) & (age >= 15) & (age <= 49) & (rng.random(n) < asfr)

        employed = labour == 0
        formal = employed & (informal == 0)
        hh_formal = np.bincount(p_hh, weights=formal, minlength=n_hh) > 0
        log_pc = (
            np.log(MEDIAN_WELFARE_LCU_YEAR)
            + hh_wealth
            + 0.25 * hh_formal
            - 0.2 * np.log(hh_size)
            + 0.15
        )
        market_pc = np.exp(log_pc)
        receipt, amount = _benefits(
            rng,
            self.pensionable_age,
            self.formality,
            age=age,
            rural=rural,
            wealth=wealth,
            labour=labour,
            status=status,
            contributes=contributes,
            disabled=disabled,
            gave_birth=gave_birth,
            p_hh=p_hh,
            n_hh=n_hh,
            hh_size=hh_size,
            hh_formal=hh_formal,
        )
        hh_transfers = np.bincount(p_hh, weights=sum(amount.values()), minlength=n_hh)
        welfare = market_pc[p_hh] + hh_transfers[p_hh] / hh_size[p_hh]
        line = MEDIAN_WELFARE_LCU_YEAR * POVERTY_LINE_SHARE_OF_MEDIAN

        psu_id = next_ids[0] + np.arange(n_psu) + 1
        hh_id = next_ids[1] + np.arange(n_hh) + 1
        person_id = next_ids[2] + np.arange(n) + 1
        next_ids[0] += n_psu
        next_ids[1] += n_hh
        next_ids[2] += n

        strata = np.asarray(self.strata)
        regions = np.asarray(self.stratum_region)
        p_stratum = hh_stratum[p_hh]
        columns: dict[str, pa.Array] = {
            "hh_id": pa.array(hh_id[p_hh]),
            "person_id": pa.array(person_id),
            "psu": pa.array(psu_id[hh_psu][p_hh]),
            "strata": _labels(strata, p_stratum),
            "region": _labels(regions, p_stratum),
            "urban": _labels(URBAN, rural.astype(np.int64)),
            "weight": pa.array(hh_weight[p_hh]),
            "age": pa.array(age.astype(np.int16)),
            "sex": _labels(SEXES, (~male).astype(np.int64)),
            "labour_status": _labels(LABOUR, labour, mask=labour < 0),
            "status_in_employment": _labels(STATUS, status, mask=status < 0),
            "informal": pa.array(informal.astype(np.int8), mask=informal < 0),
            "contributes": pa.array(contributes.astype(np.int8)),
            "disabled": pa.array(disabled.astype(np.int8)),
            "gave_birth": pa.array(gave_birth.astype(np.int8)),
            "welfare": pa.array(welfare),
            "welfare_scale": pa.array(hh_size[p_hh].astype(np.float64)),
            "poverty_line": pa.array(np.full(n, line)),
        }
        for b in BENEFITS:
            columns[f"receives_{b}"] = pa.array(receipt[b].astype(np.int8))
        for b in BENEFITS:
            columns[f"amount_{b}"] = pa.array(amount[b])
        return pa.Table.from_pydict(columns, schema=SCHEMA)


def _labels(dictionary: npt.NDArray[np.str_], codes: I64, mask: Bool | None = None) -> pa.Array:
    indices = pa.array(np.where(codes < 0, 0, codes).astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, pa.array(dictionary)).dictionary_decode()


def _labour(
    rng: np.random.Generator, age: I64, male: Bool, rural: Bool, wealth: F64, shift: float
) -> tuple[I64, I64, I64, I64]:
    """Labour status (0 employed, 1 unemployed, 2 inactive, -1 under 15), status, informality."""
    n = age.size
    prime = (age >= 25) & (age <= 54)
    participation = np.select(
        [age < 15, age < 25, prime, age < 65],
        [0.0, 0.45, np.where(male, 0.88, 0.62), np.where(male, 0.7, 0.45)],
        default=np.where(male, 0.28, 0.16),
    )
    in_force = rng.random(n) < participation
    unemployment_rate = np.where(rural, 0.05, 0.11) * np.where(age < 25, 2.0, 1.0)
    unemployed = in_force & (rng.random(n) < unemployment_rate)
    employed = in_force & ~unemployed
    labour = np.where(employed, 0, np.where(unemployed, 1, 2))
    labour = np.where(age < 15, -1, labour)

    # Status in employment: employee, employer, own-account, contributing family worker.
    p_employee = np.where(rural, 0.30, 0.60) * np.exp(0.3 * wealth + 0.4 * shift)
    p_employer = np.where(rural, 0.02, 0.03) * np.exp(0.5 * wealth)
    p_family = np.where(rural, 0.18, 0.07) * np.exp(-0.3 * wealth)
    p_own = np.clip(1.0 - p_employee - p_employer - p_family, 0.05, None)
    probs = np.stack([p_employee, p_employer, p_own, p_family], axis=1)
    probs /= probs.sum(axis=1, keepdims=True)
    draw = rng.random(n)[:, None] > np.cumsum(probs, axis=1)
    status = np.minimum(draw.sum(axis=1), 3)
    status = np.where(employed, status, -1)

    # ILO rules: employees informal when the employer does not contribute to social security;
    # employers and own-account workers when the unit is not registered; family workers always.
    employer_contributes = rng.random(n) < _logistic(0.3 + 1.2 * wealth - 0.9 * rural + shift)
    unit_registered = rng.random(n) < _logistic(-1.2 + 1.2 * wealth - 0.8 * rural + shift)
    informal = np.select(
        [status == 0, (status == 1) | (status == 2), status == 3],
        [~employer_contributes, ~unit_registered, np.ones(n, dtype=bool)],
        default=False,
    ).astype(np.int64)
    informal = np.where(employed, informal, -1)
    voluntary = rng.random(n) < 0.04
    contributes = (
        (employed & (status == 0) & (informal == 0))
        | (employed & (status >= 1) & (status <= 2) & (informal == 0) & (rng.random(n) < 0.6))
        | (employed & (informal == 1) & voluntary)
    ).astype(np.int64)
    return labour, status, informal, contributes


def _benefits(
    rng: np.random.Generator,
    pensionable_age: int,
    shift: float,
    *,
    age: I64,
    rural: Bool,
    wealth: F64,
    labour: I64,
    status: I64,
    contributes: I64,
    disabled: Bool,
    gave_birth: Bool,
    p_hh: I64,
    n_hh: int,
    hh_size: I64,
    hh_formal: npt.NDArray[np.bool_],
) -> tuple[dict[str, Bool], dict[str, F64]]:
    """Receipt and yearly amounts (LCU) of the seven benefit types, person by person."""
    n = age.size
    med = MEDIAN_WELFARE_LCU_YEAR
    u = rng.random((7, n))
    noise = np.exp(rng.normal(0.0, 0.25, n))
    receipt: dict[str, Bool] = {}
    amount: dict[str, F64] = {}

    # Old age: contributory pensions for former formal workers, a social pension for some others.
    old = age >= pensionable_age
    contributory = old & (u[0] < _logistic(-0.6 + 1.3 * wealth - 0.8 * rural + shift))
    social = old & ~contributory & (u[1] < 0.22)
    receipt["old_age"] = contributory | social
    amount["old_age"] = np.where(
        contributory, 0.7 * med * np.exp(0.4 * wealth) * noise, np.where(social, 0.15 * med, 0.0)
    )

    formal_worker = (labour == 0) & (contributes == 1)
    receipt["disability"] = disabled & (u[2] < np.where(formal_worker, 0.7, 0.3))
    amount["disability"] = np.where(receipt["disability"], 0.3 * med * noise, 0.0)

    receipt["unemployment"] = (labour == 1) & (
        u[3] < _logistic(-2.2 + 0.8 * wealth - 1.0 * rural + shift)
    )
    amount["unemployment"] = np.where(receipt["unemployment"], 0.4 * med * noise, 0.0)

    employee_contributing = formal_worker & (status == 0)
    receipt["maternity"] = gave_birth & (u[4] < np.where(employee_contributing, 0.75, 0.03))
    amount["maternity"] = np.where(receipt["maternity"], 0.25 * med * noise, 0.0)

    receipt["employment_injury"] = formal_worker & (u[5] < 0.012)
    amount["employment_injury"] = np.where(receipt["employment_injury"], 0.3 * med * noise, 0.0)

    # Household benefits: a child benefit and means-tested social assistance, received by the
    # household and shared equally among its members.
    hh_u = rng.random((2, n_hh))
    hh_wealth = np.bincount(p_hh, weights=wealth, minlength=n_hh) / hh_size
    hh_rural = np.bincount(p_hh, weights=rural, minlength=n_hh) > 0
    children = np.bincount(p_hh, weights=age < 15, minlength=n_hh)
    child_hh = (children > 0) & (
        hh_u[0] < _logistic(-1.4 - 0.6 * hh_wealth + 1.0 * hh_formal - 0.3 * hh_rural + 0.5 * shift)
    )
    child_amount = np.where(child_hh, 0.06 * med * children, 0.0)
    proxy = hh_wealth + rng.normal(0.0, 0.5, n_hh)  # proxy-means test with error
    assisted = hh_u[1] < _logistic(-2.6 - 2.0 * proxy)
    assist_amount = np.where(assisted, 0.12 * med * np.sqrt(hh_size), 0.0)
    receipt["child"] = child_hh[p_hh]
    amount["child"] = child_amount[p_hh] / hh_size[p_hh]
    receipt["social_assistance"] = assisted[p_hh]
    amount["social_assistance"] = assist_amount[p_hh] / hh_size[p_hh]
    return receipt, amount
