"""The report's PDF is PDF/UA-shaped (marked, with a structure tree, the document's language and
title shown, alt text on every figure), and its methodology annex is in the reader's language:
the costed package's title, sources and caveats included.

No PDF/UA validator is installed (veraPDF is a Java program outside PyPI; pikepdf and pypdf are
not in the environment), so the structure is read here with a small reader of the PDF's objects
(object streams included): the checks below are the machine-checkable core of ISO 14289-1
(7.1 marked content and structure, 7.2 natural language, 7.3 figures' alternative text, 7.18.x
not covered).
"""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import pytest

from socialcover.costing import describe_package
from socialcover.report import Edition, EditionData, build_edition, edition_figures, write_report
from socialcover.report.i18n import translations
from socialcover.report.methods import PACKAGE_TEXTS, translate_package

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


@pytest.fixture(scope="module")
def edition(installed_pack: Path) -> EditionData:
    return build_edition(Edition(2023, source="pack", draws=5))


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Every object's dictionary by number, those packed in object streams included."""
    out: dict[int, bytes] = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)\s*endobj", pdf, re.S):
        body = m.group(2)
        stream = re.search(rb"stream\r?\n(.*)\r?\nendstream", body, re.S)
        head = body[: stream.start()] if stream else body
        out[int(m.group(1))] = head
        if stream and b"/ObjStm" in head and b"/FlateDecode" in head:
            data = zlib.decompress(stream.group(1))
            first = int(re.search(rb"/First (\d+)", head).group(1))  # type: ignore[union-attr]
            pairs = list(map(int, data[:first].split()))
            numbers, offsets = pairs[0::2], pairs[1::2]
            for i, number in enumerate(numbers):
                end = first + offsets[i + 1] if i + 1 < len(offsets) else len(data)
                out[number] = data[first + offsets[i] : end].strip()
    return out


def _resolve(objects: dict[int, bytes], value: bytes) -> bytes:
    ref = re.fullmatch(rb"\s*(\d+) 0 R\s*", value)
    return objects[int(ref.group(1))] if ref else value


def _entry(objects: dict[int, bytes], obj: bytes, key: bytes) -> bytes:
    """The value of ``key`` in a dictionary: a reference resolved, a nested dictionary whole."""
    value = rb"(<<(?:[^<>]|<<[^<>]*>>)*>>|\d+ 0 R|\([^)]*\)|<[^<>]*>|/\w+|\w+)"
    m = re.search(rb"/" + key + rb"\s*" + value, obj)
    assert m, f"no /{key.decode()}"
    return _resolve(objects, m.group(1))


def _text(value: bytes) -> str:
    """A PDF string, literal ``(...)`` or hexadecimal UTF-16 ``<FEFF...>``."""
    if value.startswith(b"<"):
        raw = bytes.fromhex(value[1:-1].decode("ascii"))
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    return value[1:-1].decode("latin-1")


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_pdf_is_tagged_for_pdf_ua(edition: EditionData, tmp_path: Path, lang: str) -> None:
    pdf = write_report(edition, lang, tmp_path / "report.pdf").report
    objects = _objects(pdf.read_bytes())
    catalog = next(o for o in objects.values() if b"/Type /Catalog" in o)
    assert re.search(rb"/Marked\s+true", _entry(objects, catalog, b"MarkInfo"))
    assert b"/StructTreeRoot" in _entry(objects, catalog, b"StructTreeRoot")
    assert _text(_entry(objects, catalog, b"Lang")) == lang
    prefs = _entry(objects, catalog, b"ViewerPreferences")
    assert re.search(rb"/DisplayDocTitle\s+true", prefs)
    # every Figure structure element has its alt text: the figure's description
    figures = [o for o in objects.values() if re.search(rb"/S\s*/Figure\b", o)]
    alts = {_text(_entry(objects, f, b"Alt")) for f in figures}
    expected = {f.alt for f in edition_figures(edition, lang).values()}
    assert len(figures) == len(expected) == 6
    assert alts == expected and all(len(a) > 40 for a in alts)
    # the title shown is the document's, in its language
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    title = translations(lang).gettext("World Social Security Report %(year)s") % {"year": 2023}
    assert f"Title:           {title}" in info.stdout


def _words(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["niveaux tirés de", "admissibilité :", "Recommandation n° 202 de l'OIT"]),
        ("es", ["niveles tomados de", "elegibilidad:", "Recomendación núm. 202 de la OIT"]),
    ],
)
def test_the_methodology_sources_are_in_the_readers_language(
    edition: EditionData, tmp_path: Path, lang: str, words: list[str]
) -> None:
    html = _words(write_report(edition, lang, tmp_path / "r.html").report.read_text("utf-8"))
    pdf = write_report(edition, lang, tmp_path / "r.pdf").report
    text = _words(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                 text=True).stdout)  # fmt: skip
    package = translate_package(describe_package("spf-four-guarantees"), translations(lang).gettext)
    for shown in (html, text):
        assert "levels from" not in shown and "eligibility:" not in shown
        for w in words:
            assert w in shown or w.replace("'", "&#39;") in shown, (lang, w)
    assert _words(package["title"]) in html.replace("&#39;", "'")
    assert "100 %" in html  # the per cent sign survives the catalogue
    # the charts' source lines too (drawn in the PDF)
    source = {"fr": "Source : ILOSTAT (ODD 1.3.1)", "es": "Fuente: ILOSTAT (ODS 1.3.1)"}[lang]
    assert source in text


def test_every_package_text_has_a_french_and_spanish_translation() -> None:
    package = describe_package("spf-four-guarantees")
    texts = [package["title"], package["source"]] + [
        t for b in package["benefits"] for t in [b["source"], *b.get("unverified", [])]
    ]
    assert {t.replace("%", "%%") for t in texts} <= set(PACKAGE_TEXTS)  # none missing
    for lang in ("fr", "es"):
        out = translate_package(package, translations(lang).gettext)
        shown = [out["title"], out["source"]] + [
            t for b in out["benefits"] for t in [b["source"], *b["unverified"]]
        ]
        untranslated = [t for t, s in zip(texts, shown, strict=True) if t == s]
        # the titles of works cited stay as published: only a bare citation may read the same
        assert all(t.startswith("Ortiz, ") and ";" not in t for t in untranslated), untranslated
