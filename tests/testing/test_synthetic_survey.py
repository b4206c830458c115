"""The synthetic survey generator: seeded, exact size, a real design, plausible relations."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest

from socialcover.errors import InputError, SocialcoverWarning
from socialcover.testing import demo_age_structure, load_age_structure, synthetic_survey
from socialcover.testing.generator import BENEFITS, SCHEMA


@pytest.fixture(scope="module")
def survey() -> pl.DataFrame:
    return synthetic_survey(60_000, seed=7, chunk_persons=20_000)


def test_same_seed_same_survey_other_seed_other_survey() -> None:
    a = synthetic_survey(3_000, seed=1)
    assert a.equals(synthetic_survey(3_000, seed=1))
    assert not a.equals(synthetic_survey(3_000, seed=2))


def test_exact_size_and_schema(survey: pl.DataFrame) -> None:
    assert survey.height == 60_000
    assert survey.columns == SCHEMA.names
    assert survey["person_id"].n_unique() == 60_000


def test_design_psus_nest_in_strata_and_households_in_psus(survey: pl.DataFrame) -> None:
    per_psu = survey.group_by("psu").agg(pl.col("strata").n_unique().alias("k"))
    assert per_psu["k"].max() == 1
    per_hh = survey.group_by("hh_id").agg(
        pl.col("psu").n_unique().alias("p"), pl.col("weight").n_unique().alias("w")
    )
    assert per_hh["p"].max() == 1 and per_hh["w"].max() == 1
    assert survey["strata"].n_unique() == 16
    # square-root allocation: weights differ between strata by more than non-response alone
    by_stratum = survey.group_by("strata").agg(pl.col("weight").median())["weight"]
    assert by_stratum.max() / by_stratum.min() > 1.5


def test_weights_add_up_to_the_population(survey: pl.DataFrame) -> None:
    assert survey["weight"].sum() == pytest.approx(demo_age_structure().total, rel=0.03)


def test_ages_follow_the_population_structure(survey: pl.DataFrame) -> None:
    pop = demo_age_structure().both
    w = survey["weight"].to_numpy()
    ages = survey["age"].to_numpy()
    for lo, hi in ((0, 14), (15, 24), (25, 64), (65, 100)):
        want = pop[lo : hi + 1].sum() / pop.sum()
        got = w[(ages >= lo) & (ages <= hi)].sum() / w.sum()
        assert got == pytest.approx(want, abs=0.02), (lo, hi)
    heads = survey.group_by("hh_id").agg(pl.col("age").first())
    assert heads["age"].min() >= 18


def test_ilo_informality_rules_hold(survey: pl.DataFrame) -> None:
    employed = survey.filter(pl.col("labour_status") == "employed")
    assert employed["informal"].null_count() == 0
    family = employed.filter(pl.col("status_in_employment") == "contributing_family")
    assert family.height > 0 and (family["informal"] == 1).all()
    others = survey.filter(pl.col("labour_status") != "employed")
    assert others["informal"].null_count() == others.height
    assert (
        survey.filter(pl.col("age") < 15)["labour_status"].null_count()
        == (survey["age"] < 15).sum()
    )
    # formal employees contribute; informal employees mostly do not
    emp = employed.filter(pl.col("status_in_employment") == "employee")
    assert (emp.filter(pl.col("informal") == 0)["contributes"] == 1).all()
    assert emp.filter(pl.col("informal") == 1)["contributes"].mean() < 0.1  # type: ignore[operator]


def test_benefits_go_to_the_eligible(survey: pl.DataFrame) -> None:
    assert survey.filter(pl.col("receives_old_age") == 1)["age"].min() >= 65
    assert (
        survey.filter(pl.col("receives_unemployment") == 1)["labour_status"] == "unemployed"
    ).all()
    assert (survey.filter(pl.col("receives_disability") == 1)["disabled"] == 1).all()
    assert (survey.filter(pl.col("receives_maternity") == 1)["gave_birth"] == 1).all()
    for b in BENEFITS:
        got = survey.select(
            ((pl.col(f"amount_{b}") > 0) == (pl.col(f"receives_{b}") == 1)).all()
        ).item()
        assert got, b
    hh = survey.group_by("hh_id").agg(
        pl.col("receives_child").n_unique().alias("c"),
        pl.col("receives_social_assistance").n_unique().alias("s"),
        (pl.col("age") < 15).sum().alias("kids"),
        pl.col("receives_child").max().alias("child"),
    )
    assert hh["c"].max() == 1 and hh["s"].max() == 1
    assert hh.filter(pl.col("child") == 1)["kids"].min() >= 1


def test_poorer_households_get_more_social_assistance(survey: pl.DataFrame) -> None:
    poor = survey["welfare"] < survey["poverty_line"]
    rate_poor = survey.filter(poor)["receives_social_assistance"].mean()
    rate_rich = survey.filter(~poor)["receives_social_assistance"].mean()
    assert rate_poor > 2 * rate_rich  # type: ignore[operator]
    share_poor = float(np.average(poor.to_numpy(), weights=survey["weight"].to_numpy()))
    assert 0.08 < share_poor < 0.4


def test_streams_to_parquet_in_row_groups(tmp_path: Path) -> None:
    seen: list[int] = []
    path = synthetic_survey(
        25_000,
        seed=3,
        path=tmp_path / "s.parquet",
        chunk_persons=10_000,
        progress=lambda done, total: seen.append(done),
    )
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 25_000 and meta.num_row_groups >= 3
    assert seen[-1] == 25_000
    assert pl.read_parquet(path).equals(synthetic_survey(25_000, seed=3, chunk_persons=10_000))
    assert not (tmp_path / "s.parquet.partial").exists()


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(InputError) as info:
        synthetic_survey(0, seed=1)
    assert info.value.code == "testing.bad-size"
    with pytest.raises(InputError) as info:
        synthetic_survey(60_000_000, seed=1)
    assert info.value.code == "testing.too-large-for-memory"


def test_without_a_pack_another_country_warns_and_uses_the_demo(sc_home: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ages = load_age_structure("KEN")
    assert ages.source == "built-in demo structure"
    assert any(isinstance(w.message, SocialcoverWarning) for w in caught)
    assert load_age_structure("XDM").total == pytest.approx(20_000_000)


@pytest.mark.shared_data
def test_a_real_country_follows_its_wpp_ages(installed_pack: Path) -> None:
    ken = load_age_structure("KEN", 2025)
    jpn = load_age_structure("JPN", 2025)
    assert 45e6 < ken.total < 65e6
    old_share = {s.iso3: s.both[65:].sum() / s.total for s in (ken, jpn)}
    assert old_share["JPN"] > 0.25 > 0.05 > old_share["KEN"]
    df = synthetic_survey(20_000, seed=5, country="JPN")
    w = df["weight"].to_numpy()
    got = w[df["age"].to_numpy() >= 65].sum() / w.sum()
    assert got == pytest.approx(old_share["JPN"], abs=0.03)


@pytest.mark.shared_data
def test_informality_follows_the_income_group(installed_pack: Path) -> None:
    from socialcover.testing.synthetic import formality_of

    assert formality_of("NER") < formality_of("KEN") < formality_of("BRA") < formality_of("DEU")

    def informal_share(iso3: str) -> float:
        df = synthetic_survey(15_000, seed=8, country=iso3)
        emp = df.filter(pl.col("labour_status") == "employed")
        return float(np.average(emp["informal"].to_numpy(), weights=emp["weight"].to_numpy()))

    low, high = informal_share("NER"), informal_share("DEU")
    assert low > 0.75 and high < 0.35


def test_demoland_follows_the_installed_demo_pack(sc_home: Path) -> None:
    from socialcover import testing

    testing.demo.install_demo()
    ages = load_age_structure("XDM", 2025)
    assert ages.source != "built-in demo structure"
    df = synthetic_survey(10_000, seed=2)
    w = df["weight"].to_numpy()
    assert w.sum() == pytest.approx(ages.total, rel=0.03)
    kids = w[df["age"].to_numpy() <= 14].sum() / w.sum()
    assert kids == pytest.approx(ages.both[:15].sum() / ages.total, abs=0.02)
