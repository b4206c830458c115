"""SDG 1.3.1 "at least one benefit", 2023: our aggregates against the ILO's published ones.

Published figures (ILO, World Social Protection Report 2024-26), each with the page it was
read on:

- World 52.4 per cent: ILO, "World Social Protection Report 2024-26: In figures"
  (http://cultclub.net/world-social-protection-report-2024-26-figures.html, a copy of the ILO
  page), and the ILO's own modelled series in the data pack (52.373 for 2023).
- Low-income countries 9.7 per cent: the report's executive summary, Figure ES.1, as quoted in
  https://raw.githubusercontent.com/belorin/belorin.github.io/main/wiki/world-report-evidence.md
  (linking https://webapps.ilo.org/static/english/reports/flagship/world_social_protection_report_2024-26/Executive%20Summary.html).
- Asia and the Pacific 53.6 per cent, and its subregions Eastern Asia 78.5, South-Eastern Asia
  45.9 and Southern Asia 35.4: the ILO's press release on the regional companion report, as
  reproduced in https://karenaudit.com/en/social-protection-in-asia-pacific-a-double-edged-sword-amidst-climate-change
  and https://devdiscourse.com/article/law-order/3104701-asia-pacific-achieves-social-protection-milestone-faces-climate-challenges.

Not found, so not tested: Africa, the Americas, the Arab States, Europe and Central Asia, and
the lower-middle, upper-middle and high-income groups in 2023.

Asia and the Pacific is 3.2 points above the published figure and Southern Asia 8.6 points;
docs/monitor-aggregate.md shows why (India's revised series: 48.8 per cent for 2022 in the 2025
ILOSTAT vintage, which weighs 70 per cent of Southern Asia), and the tests hold them to the
measured gaps.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socialcover.monitor.aggregate import aggregate, observations_from_pack

pytestmark = pytest.mark.shared_data

CODE = "sdg131.at_least_one_benefit"

# group -> (published per cent, largest distance we accept, in points)
PUBLISHED = {
    "World": (52.4, 2.0),
    "Low income": (9.7, 2.0),
    # India's revised series; see the module docstring and docs/monitor-aggregate.md.
    "Asia and the Pacific": (53.6, 3.5),
    # China's latest value is for 2021 (75.6), carried to 2023 unchanged by the nearest-year
    # step, where the ILO's model moves it on: 2.4 points below.
    "Eastern Asia": (78.5, 2.5),
    "South-Eastern Asia": (45.9, 2.0),
    "Southern Asia": (35.4, 9.0),
}


@pytest.fixture(scope="module")
def aggregates_2023(installed_pack: Path) -> dict[str, float]:
    out = aggregate(
        observations_from_pack(CODE), CODE, 2023, by="ilo-region,income-group,world,subregion"
    )
    return dict(zip(out["group"], out["value"], strict=True))


@pytest.mark.parametrize("group", list(PUBLISHED))
def test_2023_aggregate_is_near_the_published_figure(
    aggregates_2023: dict[str, float], group: str
) -> None:
    published, tolerance = PUBLISHED[group]
    assert abs(aggregates_2023[group] - published) <= tolerance


def test_india_explains_the_asia_pacific_gap(installed_pack: Path) -> None:
    # With India at the value that makes Southern Asia match the ILO's 35.4 per cent, Asia and
    # the Pacific and the world also come within 2 points of the published figures.
    obs = observations_from_pack(CODE)
    india_at = obs.with_columns(
        pl.when(pl.col("area") == "IND").then(36.5).otherwise(pl.col("value")).alias("value")
    )
    out = aggregate(india_at, CODE, 2023, by="ilo-region,world,subregion")
    got = dict(zip(out["group"], out["value"], strict=True))
    assert abs(got["Southern Asia"] - 35.4) < 0.5
    assert abs(got["Asia and the Pacific"] - 53.6) <= 2.0
    assert abs(got["World"] - 52.4) <= 2.0


def test_the_world_figure_agrees_with_the_ilo_series_in_the_pack(installed_pack: Path) -> None:
    from socialcover.data import coverage_global

    ilo = coverage_global("at_least_one_benefit").filter(
        pl.col("area") == "World", pl.col("year") == 2023, pl.col("sex") == "both"
    )
    assert ilo["coverage_pct"][0] == pytest.approx(52.4, abs=0.05)
