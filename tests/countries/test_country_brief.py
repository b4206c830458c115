"""The country brief renders to PDF in English, French and Spanish; pdftotext finds its
headline figures, which are the store's observation and the saved scenarios' costs, written in
each language's conventions, and the national strategy's: its financing against fiscal space
and its logframe as the issued progress report kept it, each value naming its observation."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from socialcover import countries
from socialcover.data import install_demo
from socialcover.report import write_brief
from socialcover.report.i18n import Formats
from socialcover.store import SystemActor, session_scope

STRATEGY = {
    "en": ("The national strategy", "off track", "issued on"),
    "fr": ("La stratégie nationale", "en retard", "publié le"),
    "es": ("La estrategia nacional", "con retraso", "emitido el"),
}
HEADINGS = {
    "en": "The costed options",
    "fr": "Les options chiffrées",
    "es": "Las opciones costeadas",
}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_brief_in_pdf_carries_the_stores_and_the_scenarios_numbers(
    db_url: str, tmp_path: Path, lang: str
) -> None:
    install_demo()
    with session_scope(SystemActor("test")) as s:
        eid = countries.install_demo_engagement(s).id
    with session_scope(None, write=False) as s:
        matrix = countries.assessment_matrix(s, None, eid)
        total = countries.set_cost(s, None, eid)["years"][0]
        money = countries.strategy_financing(s, None, eid)
        (issued,) = countries.progress_reports(s, None, eid)
        report = countries.get_progress_report(s, None, eid, issued["id"])
        headline, children, _ = report["rows"]
        out = write_brief(s, None, eid, tmp_path / f"brief-{lang}.pdf", lang)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    fmt = Formats(lang)
    coverage = matrix[0]["observation"]["value"]  # the store's 2023 child coverage (9.8)
    child = matrix[0]["recommendations"][0]["cost"]
    pension = matrix[1]["recommendations"][0]["cost"]
    for figure in (
        fmt.percent(coverage, 1),
        fmt.percent(child["first"]["cost_pct_gdp"], 2),
        fmt.percent(pension["first"]["cost_pct_gov_expenditure"], 2),
        fmt.percent(total["cost_pct_gdp"], 2),
    ):
        assert " ".join(figure.split()) in text, (lang, figure)
    assert HEADINGS[lang] in text
    assert child["scenario"] in text  # every cost names its scenario's version
    assert "A. Demo-Official" not in text  # participants are never in a brief
    heading, status, issued = STRATEGY[lang]
    assert heading in text and status in text and issued in text, lang
    year = money["years"][0]
    for figure in (
        fmt.percent(year["cost_pct_gdp"], 2),
        fmt.percent(year["cost_pct_gov_revenue"], 2),
        fmt.percent(year["gov_revenue_pct_gdp"], 1),
        fmt.percent(headline["latest"]["value"], 1),
        fmt.percent(headline["target_value"], 1),
        fmt.percent(children["baseline"]["value"], 1),
    ):
        assert " ".join(figure.split()) in text, (lang, figure)
    # each logframe value names its observation and revision, as the issued report kept them
    assert f"{headline['latest']['id']}, " in text and report["period"] in text
    assert year["macro_source"] in text


def test_a_brief_to_a_bad_file_or_of_a_draft_is_refused(db_url: str, tmp_path: Path) -> None:
    from socialcover.errors import InputError
    from socialcover.store import RecordNotFoundError

    install_demo()
    with session_scope(SystemActor("test")) as s:
        eid = countries.install_demo_engagement(s).id
        countries.withdraw_engagement(s, SystemActor("test"), eid)
    with session_scope(None, write=False) as s, pytest.raises(InputError) as info:
        write_brief(s, None, eid, tmp_path / "brief.docx")
    assert info.value.code == "report.bad-output"
    with session_scope(None, write=False) as s, pytest.raises(RecordNotFoundError):
        write_brief(s, None, eid, tmp_path / "brief.pdf")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("brief", ".brief"))]
