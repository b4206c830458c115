"""The report's machinery: a document in each language, a tagged PDF with vector charts, page
numbers and a table of contents, and chart files that are the same every time."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest

from socialcover.errors import InputError
from socialcover.monitor.charts import aggregate_chart
from socialcover.report import Figure, Formats, render_html, write_document, write_figures

TEMPLATE = """{% extends "base.html" %}
{% import "_macros.html" as m %}
{% block content %}
<section class="chapter" id="one"><h2>{{ _("Key messages") }}</h2>
<p>{{ share | percent }}</p>{{ m.figure(fig, file) }}</section>
<section class="chapter" id="two"><h2>Two</h2>
{{ m.table("Numbers", ["Group", "Value"], [["World", share | percent]], numeric=(1,)) }}
</section>
{% endblock %}
"""


def _figure() -> Figure:
    table = pl.DataFrame({"group": ["World", "Africa"], "value": [52.4, 19.1]})
    spec = aggregate_chart(table, title="Coverage", description="Bars", source="ILO")
    return Figure("bars", spec, alt="Bars: the world at 52.4 per cent, Africa at 19.1.")


def _plain(text: str) -> str:
    """No-break spaces (French and Spanish number formats) as plain spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_document_is_a_tagged_pdf_with_its_numbers_and_vector_charts(
    tmp_path: Path, lang: str
) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "doc.html").write_text(TEMPLATE, encoding="utf-8")
    files = write_figures([_figure()], tmp_path / "charts", lang)
    html = render_html(
        "doc.html",
        {
            "title": "Title",
            "subtitle": "Sub",
            "author": "socialcover",
            "sections": [("one", "One"), ("two", "Two")],
            "share": 52.44,
            "fig": _figure(),
            "file": files[0].path,
        },
        lang,
        extra_templates=[tmp_path / "t"],
    )
    assert f'<html lang="{lang}">' in html
    pdf = write_document(html, tmp_path / "doc.pdf")
    text = _pdftotext(pdf)
    assert _plain(Formats(lang).percent(52.44)) in _plain(text)
    assert "Africa" in text  # the chart's text is in the PDF: drawn as vector, not an image
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert "Tagged:          yes" in info.stdout
    assert "Title:           Title" in info.stdout
    # page numbers "n / N" in the footer, and the contents list the pages of the chapters
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert re.search(rf"^2\s*/\s*{pages}$", text, re.MULTILINE)
    assert re.search(r"^One[ .]+3$", text, re.MULTILINE)  # the contents give the chapter's page
    html_out = write_document(html, tmp_path / "doc.html")
    assert html_out.read_text(encoding="utf-8") == html


def test_chart_files_are_the_same_every_time(tmp_path: Path) -> None:
    first = write_figures([_figure()], tmp_path / "a", "fr")
    second = write_figures([_figure()], tmp_path / "b", "fr")
    assert [f.sha256 for f in first] == [f.sha256 for f in second]
    assert (tmp_path / "a" / "bars.svg").read_bytes() == (tmp_path / "b" / "bars.svg").read_bytes()
    # the alt text is the chart's description, and the French axis reads 20,0 not 20.0
    svg = (tmp_path / "a" / "bars.svg").read_text(encoding="utf-8")
    assert "52,4" in svg


def test_bad_output_name_and_language_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"report\.docx") as caught:
        write_document("<html></html>", tmp_path / "report.docx")
    assert caught.value.code == "report.bad-output"
    assert not list(tmp_path.iterdir())
    with pytest.raises(InputError) as bad:
        Formats("de").percent(1.0)
    assert bad.value.code == "report.bad-language"


def test_pdftotext_is_installed() -> None:
    assert shutil.which("pdftotext"), "scripts/setup --test installs poppler-utils"
