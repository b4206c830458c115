"""Media kits: for an indicator and an area (a country, a region, the world), a chart card in
SVG and PNG with its title, subtitle, source line, date and licence, and the data behind it
in CSV and JSON.

The chart is the monitoring domain's (:func:`socialcover.monitor.series_chart`, dressed by
:func:`socialcover.monitor.card`): one definition for the page, the report's PDF and the
media kit. The values are the store's approved observations of that indicator and area, as
the public reads them; for a region or income group the store does not hold, its aggregate
of the countries' approved values (:func:`socialcover.monitor.aggregate_store`, which needs
the data pack's populations).

:func:`dress` makes a kit of any chart spec and its rows: the report's figures have kits of
their own through it (:func:`socialcover.report.figure_kit`, page
``/media/report/{edition}/{figure}``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from socialcover.errors import NotFoundError
from socialcover.store.models import utcnow

__all__ = ["DEFAULT_LICENCE", "MediaKit", "dress", "media_kit"]

DEFAULT_LICENCE = "CC BY 4.0"
"""The licence printed on the platform's chart cards unless another is given."""


@dataclass(frozen=True)
class MediaKit:
    """One chart card and its data.

    ``figure`` is empty for the kit of an indicator in an area; for a report figure, its
    stable id (``world-2023/coverage-trend``: the edition and the figure). ``locale`` is the
    d3-format locale the card's numbers are drawn in (``fr-FR``...); ``data_url`` where the
    data can be explored (a report figure's page in the monitor explorer).
    """

    indicator: str
    area: str
    title: str
    subtitle: str
    source: str
    date: str
    licence: str
    spec: dict[str, Any]
    data: pl.DataFrame
    figure: str = ""
    locale: str = "en-US"
    data_url: str = ""

    def svg(self) -> str:
        """The card as SVG (vector: for print and the web)."""
        import vl_convert as vlc

        return str(vlc.vegalite_to_svg(self.spec, format_locale=self.locale))  # type: ignore[arg-type]

    def png(self, scale: float = 2.0) -> bytes:
        """The card as PNG, ``scale`` times its size in pixels (2: sharp on screens)."""
        import vl_convert as vlc

        return bytes(vlc.vegalite_to_png(self.spec, scale=scale, format_locale=self.locale))  # type: ignore[arg-type]

    def csv(self) -> str:
        """The data behind the card, as CSV (one row per area, year and sex; for a report
        figure, its rows); a text cell a spreadsheet would read as a formula is written as text.
        """
        from socialcover.monitor.csvfile import write_table

        return str(write_table(self.data.columns, self.data.iter_rows()))

    def filename(self, fmt: str) -> str:
        """The download's file name: ``<indicator>-<area>.<fmt>``, or for a report figure
        ``<edition>-<figure>.<fmt>``."""
        stem = self.figure or f"{self.indicator}-{self.area}"
        return f"{stem}.{fmt}".replace("/", "-")

    def json(self) -> str:
        """The data behind the card, as JSON: the card's metadata and its rows."""
        return json.dumps(
            {
                "indicator": self.indicator,
                "area": self.area,
                "title": self.title,
                "subtitle": self.subtitle,
                "source": self.source,
                "date": self.date,
                "licence": self.licence,
                **({"figure": self.figure} if self.figure else {}),
                **({"data_url": self.data_url} if self.data_url else {}),
                "rows": self.data.to_dicts(),
            },
            ensure_ascii=False,
            indent=1,
        )


def _series(session: Session, indicator: str, area: str, sex: str) -> pl.DataFrame:
    from socialcover import monitor

    stored = monitor.observations(session, None, indicator=indicator, area=area)
    stored = stored.filter(pl.col("sex") == sex)
    if stored.height or (len(area) == 3 and area.isalpha() and area.isupper()):  # a country
        return stored.select("indicator", "area", "year", "sex", "value", "nature", "source")
    years = monitor.observations(session, None, indicator=indicator)["year"].unique().to_list()
    if not years:
        return stored.select("indicator", "area", "year", "sex", "value", "nature", "source")
    table = monitor.aggregate_store(session, None, indicator, sorted(years), sex=sex)
    table = table.filter((pl.col("group") == area) & pl.col("value").is_not_null())
    return table.select(
        pl.lit(indicator).alias("indicator"),
        pl.col("group").alias("area"),
        pl.col("year").cast(pl.Int32),
        pl.lit(sex).alias("sex"),
        pl.col("value"),
        pl.lit("aggregate").alias("nature"),
        pl.lit(monitor.AGGREGATE_SOURCE).alias("source"),
    )


def media_kit(
    session: Session,
    indicator: str,
    area: str,
    *,
    sex: str = "both",
    licence: str = DEFAULT_LICENCE,
    today: dt.date | None = None,
) -> MediaKit:
    """The media kit of ``indicator`` in ``area`` (an ISO3 code, ``World``, an ILO region or
    an income group as the store and the aggregates name them).

    Raises
    ------
    socialcover.errors.NotFoundError
        An unknown indicator (``monitor.unknown-indicator``, with the nearest codes), or no
        approved value for that area (``media.no-data``).
    """
    from socialcover import monitor

    definition = monitor.get_indicator(indicator)
    data = _series(session, definition.code, area, sex)
    if data.height == 0:
        raise NotFoundError(
            f"The store has no approved value of {definition.code} for {area!r} ({sex}).",
            code="media.no-data",
            hint="Use an area with approved values (the indicator's page in the explorer "
            "lists them: an ISO3 code, World, or a region).",
        )
    first, last = int(data["year"].min()), int(data["year"].max())  # type: ignore[arg-type]
    title = f"{definition.name}: {area}"
    unit = "%" if definition.unit == "percent" else definition.unit.replace("_", " ")
    subtitle = f"{first}-{last}" + (f", {sex}" if sex != "both" else "") + f" ({unit})"
    # the explorer's source line: the same words under the same chart on the page and the card
    source = monitor.source_line(data["source"].to_list())
    return dress(
        monitor.series_chart(data, title=title, y_title=unit, source=source),
        data,
        indicator=definition.code,
        area=area,
        title=title,
        subtitle=subtitle,
        source=source,
        licence=licence,
        today=today,
    )


def dress(
    spec: dict[str, Any],
    data: pl.DataFrame,
    *,
    indicator: str,
    area: str,
    title: str,
    subtitle: str,
    source: str,
    licence: str = DEFAULT_LICENCE,
    today: dt.date | None = None,
    figure: str = "",
    locale: str = "en-US",
    data_url: str = "",
) -> MediaKit:
    """A media kit of any chart: ``spec`` dressed as a card (:func:`socialcover.monitor.card`:
    title, subtitle, and under the chart the source line, the date and the licence), with
    ``data``, the rows behind it.

    ``today`` is the card's date (default: today, UTC); ``figure`` a report figure's id;
    ``locale`` the d3-format locale of its numbers; ``data_url`` where to explore its data.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> from socialcover.monitor import series_chart
    >>> rows = pl.DataFrame({"area": ["KEN"], "year": [2023], "value": [12.5]})
    >>> kit = dress(series_chart(rows, title="T"), rows, indicator="sdg131.children",
    ...             area="KEN", title="T", subtitle="2023", source="Source: ILO.",
    ...             today=dt.date(2026, 1, 31))
    >>> kit.spec["vconcat"][1]["layer"][0]["encoding"]["text"]["value"]
    'Source: ILO. · 2026-01-31 · CC BY 4.0'
    >>> kit.filename("svg"), kit.csv().splitlines()[1]
    ('sdg131.children-KEN.svg', 'KEN,2023,12.5')
    """
    from socialcover import monitor

    date = (today or utcnow().date()).isoformat()
    card = monitor.card(
        spec, title=title, subtitle=subtitle, source=source, date=date, licence=licence
    )
    return MediaKit(
        indicator=indicator,
        area=area,
        title=title,
        subtitle=subtitle,
        source=source,
        date=date,
        licence=licence,
        spec=card,
        data=data,
        figure=figure,
        locale=locale,
        data_url=data_url,
    )
