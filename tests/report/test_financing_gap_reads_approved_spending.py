"""The report's financing gap subtracts current spending on each guarantee, read from the
store's approved spending observations (their year and source named in the report); a country
without any has its full cost as gap, flagged; an unapproved observation is not read."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.monitor import (
    OBSERVATION_SCHEMA,
    approve_data_set,
    observations_from_pack,
    record_observations,
    submit_data_set,
)
from socialcover.report import Edition, EditionData, build_edition, write_report
from socialcover.store import SystemActor, open_database, session_scope

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
LOADER = SystemActor("system:monitor")
SAMPLE = ["KEN", "SEN", "IND", "BRA", "DEU", "EGY", "CHN", "USA", "JOR", "IDN", "NGA", "FRA"]
KENYA_CHILDREN, KENYA_OLD_AGE = 0.15, 0.35  # % of GDP: below the cost, so the gap is positive


def _spending(rows: list[tuple[str, str, int, float, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (f"spending.{g}_pct_gdp", area, year, "both", value, None, None, None,
             "administrative", source, "2024-06", "")
            for area, g, year, value, source in rows
        ],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    )  # fmt: skip


def _approve(url: str, frame: pl.DataFrame, *, approve: bool) -> None:
    with session_scope(LOADER, engine=open_database(url)) as s:
        for data_set in record_observations(s, LOADER, frame).data_sets:
            if approve:
                submit_data_set(s, LOADER, data_set)
                approve_data_set(s, LOADER, data_set, "checked")


@pytest.fixture(scope="module")
def edition(installed_pack: Path, tmp_path_factory: pytest.TempPathFactory) -> EditionData:
    url = f"sqlite:///{tmp_path_factory.mktemp('gap') / 'store.db'}"
    coverage = observations_from_pack("sdg131.at_least_one_benefit").filter(
        pl.col("area").is_in(SAMPLE), pl.col("year").is_between(2015, 2023)
    )
    approved = _spending(
        [
            ("KEN", "children", 2020, 0.9, "older value: not the latest"),
            ("KEN", "children", 2022, KENYA_CHILDREN, "Kenya SSI 2022"),
            ("KEN", "old_age", 2021, KENYA_OLD_AGE, "Kenya SSI 2021"),
            ("NGA", "children", 2025, 0.2, "after the reference year: not read"),
        ]
    )
    # one data set per country and year holds all its indicators: coverage and spending
    _approve(url, pl.concat([coverage, approved]), approve=True)
    _approve(url, _spending([("SEN", "old_age", 2012, 0.4, "Senegal, entered")]), approve=False)
    with session_scope(engine=open_database(url), write=False) as s:
        return build_edition(Edition(2023, draws=5), session=s)


def _rows(data: EditionData, iso3: str) -> pl.DataFrame:
    return data.costing.result.rows.filter(pl.col("iso3") == iso3)


def test_the_gap_is_cost_minus_approved_spending(edition: EditionData) -> None:
    spent = {(r["iso3"], r["guarantee"]): r for r in edition.spending.to_dicts()}
    assert set(spent) == {("KEN", "children"), ("KEN", "old_age")}  # SEN unapproved, NGA later
    assert spent["KEN", "children"]["pct_gdp"] == KENYA_CHILDREN  # the latest up to 2023
    assert spent["KEN", "children"]["year"] == 2022
    assert spent["KEN", "children"]["source"] == "Kenya SSI 2022"
    kenya = _rows(edition, "KEN")
    assert kenya.height > 0
    expected = {"child_benefit": KENYA_CHILDREN, "old_age_pension": KENYA_OLD_AGE}
    for r in kenya.iter_rows(named=True):
        share = expected.get(r["benefit"], 0.0)
        gdp_lcu = r["cost_lcu"] / (r["cost_pct_gdp"] / 100)
        assert r["current_spending_lcu"] == pytest.approx(share / 100 * gdp_lcu, rel=1e-12)
        assert r["cost_lcu"] > r["current_spending_lcu"]
        assert r["financing_gap_lcu"] == pytest.approx(
            r["cost_lcu"] - share / 100 * gdp_lcu, rel=1e-12
        )
        assert r["financing_gap_pct_gdp"] == pytest.approx(
            r["cost_pct_gdp"] - share, rel=1e-12, abs=1e-12
        )
    # Senegal's spending is not approved, Nigeria's is after the year: their gap is their cost
    for iso3 in ("SEN", "NGA"):
        rows = _rows(edition, iso3)
        assert rows.height > 0
        assert (rows["financing_gap_lcu"] == rows["cost_lcu"]).all()
        assert (rows["current_spending_lcu"] == 0).all()
    flagged = edition.without_spending()["iso3"].to_list()
    assert "SEN" in flagged and "NGA" in flagged and "KEN" not in flagged


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_report_names_the_spending_and_flags_the_countries_without(
    edition: EditionData, tmp_path: Path, lang: str
) -> None:
    html = write_report(edition, lang, tmp_path / "report.html").report.read_text("utf-8")
    assert "Kenya SSI 2022" in html and "Kenya SSI 2021" in html
    assert "Senegal, entered" not in html
    flagged = html.split('id="no-spending"')[1].split("</p>")[0]
    assert "Senegal" in flagged and "Nigeria" in flagged and "Kenya" not in flagged


def test_an_edition_from_the_pack_subtracts_no_spending(installed_pack: Path) -> None:
    data = build_edition(Edition(2023, source="pack", draws=2))
    assert data.spending.is_empty()
    rows = data.costing.result.rows
    assert (rows["financing_gap_lcu"] == rows["cost_lcu"]).all()
    assert data.without_spending().height == rows["iso3"].n_unique()
