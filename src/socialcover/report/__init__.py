"""The state-of-the-world report on social security, and its regional editions (docs/report.md).

Machinery shared by every document (:mod:`socialcover.report.render`,
:mod:`socialcover.report.figures`, :mod:`socialcover.report.i18n`): Jinja2 templates of the
report's own, a tagged PDF/UA through WeasyPrint, charts as vector SVG from the monitor's and the
costing engine's Vega-Lite definitions with a manifest of checksums, three languages (its own
gettext catalogue) and numbers in each language's conventions (Babel).
"""

from socialcover.report.figures import ChartFile, Figure, write_figures
from socialcover.report.i18n import LANGUAGES, Formats, check_language, translations
from socialcover.report.render import (
    OUTPUT_SUFFIXES,
    check_output,
    environment,
    render_html,
    write_document,
)

__all__ = [
    "LANGUAGES",
    "OUTPUT_SUFFIXES",
    "ChartFile",
    "Figure",
    "Formats",
    "check_language",
    "check_output",
    "environment",
    "render_html",
    "translations",
    "write_document",
    "write_figures",
]
