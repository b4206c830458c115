"""A regional edition: the same machinery for one ILO region, here from the data pack's series."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.data import countries
from socialcover.report import Edition, Formats, build_edition, write_report

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
runner = CliRunner()


def test_a_regional_edition_covers_its_region_and_its_countries(
    installed_pack: Path, tmp_path: Path
) -> None:
    data = build_edition(Edition(2023, region="Arab States", source="pack", draws=20))
    members = countries().filter(pl.col("ilo_region") == "Arab States")["iso3"].to_list()
    assert sorted(data.annex["iso3"].to_list()) == sorted(members)
    assert set(data.costing.result.iso3s) <= set(members)
    region = data.headline()
    res = runner.invoke(
        app,
        [
            "monitor",
            "aggregate",
            "sdg131.at_least_one_benefit",
            "--year",
            "2023",
            "--by",
            "ilo-region",
            "--format",
            "json",
        ],
    )
    command = {r["group"]: r["value"] for r in json.loads(res.stdout)}
    assert region["group"] == "Arab States" and region["value"] == command["Arab States"]
    html = write_report(data, "es", tmp_path / "arab.html").report.read_text("utf-8")
    assert "Informe sobre la seguridad social 2023: Estados Árabes" in html
    assert Formats("es").percent(region["value"]) in html
    assert "Jordan" in html  # the country annex and the country chart's alt text
    assert "/monitor/progress?indicator=sdg131.at_least_one_benefit&amp;area=Arab+States" in html
