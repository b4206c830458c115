"""CLI: ``socialcover data population`` and ``socialcover country``."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.data import population

pytestmark = pytest.mark.shared_data
runner = CliRunner()


def test_population_json_rows(installed_pack: Path) -> None:
    result = runner.invoke(
        app,
        [
            "data",
            "population",
            "--country",
            "KEN",
            "--year",
            "2030",
            "--age-band",
            "0-14",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    expected = population("KEN", 2030, age_band="0-14")["population"][0]
    assert rows == [
        {
            "iso3": "KEN",
            "year": 2030,
            "sex": "both",
            "age_from": 0,
            "age_to": 14,
            "population": expected,
        }
    ]


def test_population_csv_by_sex_and_single_ages(installed_pack: Path) -> None:
    result = runner.invoke(
        app,
        [
            "data",
            "population",
            "-c",
            "KEN",
            "-y",
            "2025-2026",
            "-a",
            "0-4",
            "--sex",
            "all",
            "--single-ages",
            "--variant",
            "low",
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2 * 3 * 5
    assert set(rows[0]) == {"iso3", "year", "sex", "age_from", "age_to", "population"}


def test_population_table_for_a_group(installed_pack: Path) -> None:
    result = runner.invoke(
        app, ["data", "population", "-c", "Arab States", "-y", "2030", "-a", "65+"]
    )
    assert result.exit_code == 0, result.output
    assert "Arab States" in result.stdout
    assert "WPP 2024" in result.stdout


def test_country_profile_json(installed_pack: Path) -> None:
    result = runner.invoke(app, ["country", "KEN", "--year", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    profile = json.loads(result.stdout)
    assert profile["country"]["name"] == "Kenya"
    assert profile["population"]["year"] == 2025
    assert profile["coverage"]


def test_country_profile_table(installed_pack: Path) -> None:
    result = runner.invoke(app, ["country", "Kenya", "--year", "2025"])
    assert result.exit_code == 0, result.output
    for words in ("Kenya (KEN", "Dependency ratios", "SDG 1.3.1", "ILOSTAT", "WEO"):
        assert words in result.stdout


def test_unknown_country_exits_2_with_suggestion(installed_pack: Path) -> None:
    env = dict(os.environ, COLUMNS="200")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "socialcover"), "country", "Kenia"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert "Did you mean KEN (Kenya)?" in done.stderr


def test_population_several_countries_and_a_group(installed_pack: Path) -> None:
    result = runner.invoke(
        app,
        [
            "data",
            "population",
            "-c",
            "KEN",
            "-c",
            "UGA",
            "-c",
            "Arab States",
            "-y",
            "2030",
            "-a",
            "0-14",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["iso3"], r["area"]) for r in rows] == [
        ("KEN", "Kenya"),
        ("UGA", "Uganda"),
        (None, "Arab States"),
    ]
