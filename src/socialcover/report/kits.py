"""Media kits of the report's figures: each figure of an edition as a chart card (SVG, PNG) with
its title, subtitle, source line, date and licence, the data behind it (CSV, JSON) and a share
link, the page ``/media/report/<edition>/<figure>`` (docs/advocacy.md, "Media kits").

The card is the figure's own spec (:func:`socialcover.report.charts.edition_figures`, the one
the report's PDF and HTML draw) dressed by :func:`socialcover.advocacy.dress`, the same dressing
as an indicator's kit; its date is the edition's data cut-off.
"""

from __future__ import annotations

import datetime as dt
import difflib

import polars as pl

from socialcover.advocacy import DEFAULT_LICENCE, MediaKit, dress
from socialcover.errors import NotFoundError
from socialcover.report.charts import FIGURE_IDS, edition_figures
from socialcover.report.edition import EditionData
from socialcover.report.i18n import CHART_LOCALES, check_language

__all__ = ["figure_kit"]


def figure_kit(
    data: EditionData, figure: str, lang: str = "en", *, licence: str = DEFAULT_LICENCE
) -> MediaKit:
    """The media kit of one figure of an edition, in ``lang``.

    Parameters
    ----------
    data
        The edition's numbers (:func:`socialcover.report.build_edition`).
    figure
        The figure's stable id (:data:`socialcover.report.FIGURE_IDS`).
    lang
        ``en``, ``fr`` or ``es``: the card's words and its numbers' conventions.
    licence
        Printed on the card.

    Returns
    -------
    socialcover.advocacy.MediaKit
        ``figure`` is ``<edition slug>/<figure id>``; ``data`` the figure's rows.

    Raises
    ------
    socialcover.errors.NotFoundError
        ``report.unknown-figure``: no such figure in this edition (the hint lists them).
    """
    figures = edition_figures(data, check_language(lang))
    found = figures.get(figure)
    if found is None:
        near = difflib.get_close_matches(figure, FIGURE_IDS, n=1, cutoff=0.5)
        raise NotFoundError(
            f"The edition {data.edition.slug} has no figure {figure!r}.",
            code="report.unknown-figure",
            hint=(f"Did you mean {near[0]!r}? " if near else "")
            + "Its figures: "
            + ", ".join(figures)
            + ".",
            value=figure,
        )
    title = found.spec.get("title", {})
    rows = pl.DataFrame(list(found.rows), infer_schema_length=None)
    kit = dress(
        found.spec,
        rows,
        indicator=found.indicator,
        area=data.edition.area,
        title=str(title.get("text", found.key)) if isinstance(title, dict) else str(title),
        subtitle=found.caption,
        source=found.source,
        licence=licence,
        today=_cutoff_date(data),
        figure=f"{data.edition.slug}/{found.key}",
        locale=CHART_LOCALES[lang],
        data_url=found.data_url,
    )
    return kit


def _cutoff_date(data: EditionData) -> dt.date:
    return dt.date.fromisoformat(data.cutoff.taken_at[:10])
