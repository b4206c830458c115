"""The state-of-the-world report on social security, and its regional editions (docs/report.md).

An edition (:class:`Edition`: a year, the world or an ILO region, the data's source) is computed
once by :func:`build_edition` (:class:`EditionData`, with its :class:`CutOff`) and written in any
language by :func:`write_report` (:class:`ReportFiles`: the report and its chart files). Its
figures (:func:`edition_figures`) have stable ids (:data:`FIGURE_IDS`) and each a media kit
(:func:`figure_kit`: card, data, share link).

Machinery shared by every document (:mod:`socialcover.report.render`,
:mod:`socialcover.report.figures`, :mod:`socialcover.report.i18n`): Jinja2 templates of the
report's own, a tagged PDF/UA through WeasyPrint, charts as vector SVG from the monitor's and the
costing engine's Vega-Lite definitions with a manifest of checksums, three languages (its own
gettext catalogue) and numbers in each language's conventions (Babel).
"""

from socialcover.report.brief import brief_data, write_brief
from socialcover.report.charts import FIGURE_IDS, GROUP_NAMES, edition_figures
from socialcover.report.document import ReportFiles, write_report
from socialcover.report.edition import (
    HEADLINES,
    PACKAGE,
    SOURCES,
    CutOff,
    Edition,
    EditionData,
    build_edition,
)
from socialcover.report.figures import ChartFile, Figure, write_figures
from socialcover.report.i18n import LANGUAGES, Formats, check_language, translations
from socialcover.report.kits import figure_kit
from socialcover.report.render import (
    OUTPUT_SUFFIXES,
    check_output,
    environment,
    render_html,
    write_document,
)

__all__ = [
    "FIGURE_IDS",
    "GROUP_NAMES",
    "HEADLINES",
    "LANGUAGES",
    "OUTPUT_SUFFIXES",
    "PACKAGE",
    "SOURCES",
    "ChartFile",
    "CutOff",
    "Edition",
    "EditionData",
    "Figure",
    "Formats",
    "ReportFiles",
    "brief_data",
    "build_edition",
    "check_language",
    "check_output",
    "edition_figures",
    "environment",
    "figure_kit",
    "render_html",
    "translations",
    "write_brief",
    "write_document",
    "write_figures",
    "write_report",
]
