"""The world report from the store's approved observations: three languages, PDF and HTML, the
same figures as `socialcover monitor aggregate`, and the same chart files when built twice.

The independent check against the ILO's published figure (World Social Protection Report
2024-26: 52.4 per cent of the world covered by at least one benefit in 2023, "World Social
Protection Report 2024-26: In figures", a copy of the ILO page at
http://cultclub.net/world-social-protection-report-2024-26-figures.html) uses the sources and
tolerance of tests/monitor/test_aggregate_published_figures.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.monitor import load_pack_series
from socialcover.report import HEADLINES, Edition, EditionData, Formats, build_edition, write_report
from socialcover.store import SystemActor, open_database, session_scope

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
runner = CliRunner()
LOADER = SystemActor("system:monitor")
YEAR = 2023


@pytest.fixture(scope="module")
def store_url(installed_pack: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A platform database holding the data pack's series as approved observations."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report-store') / 'store.db'}"
    with session_scope(LOADER, engine=open_database(url)) as s:
        load_pack_series(s, LOADER, approve=True)
    return url


def _build(url: str) -> EditionData:
    with session_scope(engine=open_database(url), write=False) as s:
        return build_edition(Edition(YEAR, draws=40), session=s)


@pytest.fixture(scope="module")
def edition(store_url: str) -> EditionData:
    return _build(store_url)


def _plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _pdftotext(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True)
    return _plain(out.stdout)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_report_in_each_language_carries_its_headline_figures(
    edition: EditionData, tmp_path: Path, lang: str
) -> None:
    fmt = Formats(lang)
    world = edition.headline()
    share, people = _plain(fmt.percent(world["value"])), _plain(fmt.people(world["not_covered"]))
    cost = edition.costs.filter(pl.col("group") == "World", pl.col("year") == YEAR).row(
        0, named=True
    )
    pdf = write_report(edition, lang, tmp_path / "report.pdf").report
    html = write_report(edition, lang, tmp_path / "report.html").report.read_text("utf-8")
    for text in (_pdftotext(pdf), _plain(html)):
        assert share in text and people in text
        assert _plain(fmt.number(cost["cost_pct_gdp"], 2)) in text
        for code, _ in HEADLINES:  # every headline series, in the key messages
            assert _plain(fmt.percent(edition.headline(code)["value"])) in text
    # a tagged PDF with the language's title, a contents page and page numbers
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert "Tagged:          yes" in info.stdout
    assert str(YEAR) in re.search(r"Title:\s+(.*)", info.stdout).group(1)  # type: ignore[union-attr]
    assert f'<html lang="{lang}">' in html
    # every chart has alt text and a link to its data in the monitor explorer
    images = re.findall(r'<img src="([^"]+)" alt="([^"]*)"', html)
    assert len(images) == 6 and all(len(alt) > 40 for _, alt in images)
    assert all((tmp_path / src).read_bytes().startswith(b"<svg") for src, _ in images)
    assert html.count("/monitor/aggregates?indicator=sdg131.at_least_one_benefit") >= 2
    assert "/monitor/progress?indicator=" in html
    # the cut-off: the store's approved observations and the pack's version
    assert edition.cutoff.source == "store" and edition.cutoff.observations > 5000
    assert edition.cutoff.pack_version in html and edition.cutoff.observations_sha256[:16] in html


def test_world_and_regional_figures_equal_the_monitor_aggregate_command(
    edition: EditionData, store_url: str
) -> None:
    for code, _ in HEADLINES:
        res = runner.invoke(
            app,
            [
                *("monitor", "aggregate", code, "--year", str(YEAR), "--format", "json"),
                *("--source", "store", "--url", store_url),
            ],
        )
        assert res.exit_code == 0, res.output
        command = {r["group"]: r["value"] for r in json.loads(res.stdout)}
        ours = edition.aggregates.filter(pl.col("indicator") == code, pl.col("year") == YEAR)
        report = dict(zip(ours["group"], ours["value"], strict=True))
        assert set(command) == set(report)  # world, the five ILO regions, four income groups
        for group, value in command.items():
            assert report[group] == pytest.approx(value, abs=1e-12, nan_ok=True), (code, group)


def test_the_world_figure_is_near_the_ilo_published_figure(edition: EditionData) -> None:
    assert abs(edition.headline()["value"] - 52.4) <= 2.0


def test_building_twice_gives_identical_chart_files(
    edition: EditionData, store_url: str, tmp_path: Path
) -> None:
    again = _build(store_url)
    assert again.cutoff.observations_sha256 == edition.cutoff.observations_sha256
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_report(edition, "fr", tmp_path / "a" / "report.html")
    second = write_report(again, "fr", tmp_path / "b" / "report.html")
    assert first.manifest() == second.manifest()
    assert len(first.manifest()) == 12  # six figures: an SVG and its data each
    for name in first.manifest():
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    written = json.loads((tmp_path / "a" / "report-charts" / "manifest.json").read_text())
    assert written == first.manifest()
    # the manifest is printed in the report
    html = first.report.read_text("utf-8")
    assert all(sha in html for sha in first.manifest().values())


def test_an_unapproved_value_is_not_in_the_report(store_url: str, edition: EditionData) -> None:
    from socialcover.monitor import list_data_sets, unapprove_data_set

    with session_scope(LOADER, engine=open_database(store_url)) as s:
        sets = list_data_sets(s, LOADER, status="approved")
        india = next(d for d in sets.to_dicts() if d["area"] == "IND" and d["year"] == 2022)
        unapprove_data_set(s, LOADER, india["id"], "checked again")
    try:
        changed = _build(store_url)
        assert changed.cutoff.observations < edition.cutoff.observations
        assert changed.headline()["value"] != pytest.approx(edition.headline()["value"])
    finally:
        from socialcover.monitor import approve_data_set

        with session_scope(LOADER, engine=open_database(store_url)) as s:  # back to submitted
            approve_data_set(s, LOADER, india["id"], "approved again")


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_database(url)
    yield url


def test_the_command_writes_the_report_and_refuses_bad_input(
    store_url: str, empty_store: str, tmp_path: Path
) -> None:
    out = tmp_path / "rapport.html"
    res = runner.invoke(
        app,
        [
            *("report", "world", "--year", str(YEAR), "--lang", "fr", "--out", str(out)),
            *("--url", store_url, "--draws", "20"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "Rapport mondial sur la sécurité sociale 2023" in out.read_text("utf-8")
    assert "rapport-charts/coverage-trend.svg" in res.stdout
    bad = [
        (["world", "--year", "2023", "--lang", "de"], "report.bad-language"),
        (["world", "--year", "2023", "--out", str(tmp_path / "r.docx")], "report.bad-output"),
        (["world", "--year", "1990"], "report.bad-year"),
        (["region", "Afrika", "--year", "2023"], "report.unknown-region"),
        (["world", "--year", "2023", "--url", empty_store], "report.no-data"),
    ]
    for args, code in bad:
        target = [] if "--out" in args else ["--out", str(tmp_path / "bad.pdf")]
        res = runner.invoke(app, ["report", *args, *target])
        assert res.exit_code != 0, args
        assert isinstance(res.exception, Exception) and code in str(
            getattr(res.exception, "code", "")
        ), (
            args,
            res.output,
        )
    assert not (tmp_path / "bad.pdf").exists() and not (tmp_path / "r.docx").exists()
