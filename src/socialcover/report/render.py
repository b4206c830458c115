"""Rendering: Jinja2 templates to HTML, and HTML to a tagged PDF through WeasyPrint.

The report's templates (``report/templates``) share one layout (``base.html``: a cover, a table
of contents whose page numbers WeasyPrint fills in with ``target-counter``, page numbers in the
footer, typeset tables) and one set of macros (``_macros.html``: a figure with its alt text,
caption, source and data link; a table of numbers). Other documents (a regional edition, a
country brief) extend the same layout, optionally from templates of their own
(``extra_templates``).

Text goes through the report's catalogue (:mod:`socialcover.report.i18n`, the Jinja2 i18n
extension: ``{{ _("...") }}`` and ``{% trans %}``); numbers through the filters ``number``,
``percent``, ``people`` and ``money`` in the reader's conventions.

The PDF is PDF/UA-1 (WeasyPrint's ``pdf_variant="pdf/ua-1"``): tagged, with the document's
language and title, and every chart's alt text in its ``Figure`` tag. Charts stay vector: they
are SVG files that WeasyPrint draws as paths and text.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from socialcover.errors import InputError
from socialcover.report.i18n import LANGUAGES, Formats, check_language, translations

__all__ = ["OUTPUT_SUFFIXES", "check_output", "environment", "render_html", "write_document"]

OUTPUT_SUFFIXES = (".pdf", ".html")
TEMPLATES = Path(__file__).parent / "templates"
PDF_VARIANT = "pdf/ua-1"


def check_output(out: Path) -> Path:
    """``out`` when it names a ``.pdf`` or ``.html`` file in an existing folder; else an error."""
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(
            f"Cannot write a report to {out.name!r}.",
            code="report.bad-output",
            hint="Use a name ending in .pdf or .html, e.g. --out report.pdf.",
            value=str(out),
        )
    if not out.parent.is_dir():
        raise InputError(
            f"The folder {str(out.parent)!r} does not exist.",
            code="report.bad-output",
            hint="Create the folder first, or write the report elsewhere.",
            value=str(out),
        )
    return out


def environment(lang: str, *, extra_templates: Sequence[Path] = ()) -> jinja2.Environment:
    """A Jinja2 environment for documents in ``lang``: the report's templates, its catalogue
    and its number filters.

    Parameters
    ----------
    lang
        ``en``, ``fr`` or ``es``.
    extra_templates
        Folders searched before the report's own (for documents that extend its layout).
    """
    formats = Formats(check_language(lang))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*map(str, extra_templates), str(TEMPLATES)]),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        number=formats.number,
        percent=formats.percent,
        people=formats.people,
        money=formats.money,
    )
    env.globals.update(lang=lang, languages=LANGUAGES)
    return env


def render_html(
    template: str,
    context: Mapping[str, Any],
    lang: str,
    *,
    extra_templates: Sequence[Path] = (),
) -> str:
    """Render ``template`` with ``context`` in ``lang`` to an HTML string."""
    env = environment(lang, extra_templates=extra_templates)
    return env.get_template(template).render(**context)


def write_document(html: str, out: Path) -> Path:
    """Write ``html`` to ``out``: as it is for ``.html``, typeset by WeasyPrint for ``.pdf``.

    Relative links (the chart files) are resolved from ``out``'s folder. The file is written
    atomically: a failure leaves no partial file.

    Returns
    -------
    Path
        ``out``.
    """
    check_output(out)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        if out.suffix.lower() == ".html":
            tmp.write_text(html, encoding="utf-8")
        else:
            from weasyprint import HTML

            HTML(string=html, base_url=str(out.parent.resolve()) + os.sep).write_pdf(
                tmp, pdf_variant=PDF_VARIANT
            )
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
