"""Media kits: for an indicator and an area (a country, a region, the world), a chart card in
SVG and PNG with its title, subtitle, source line, date and licence, and the data behind it
in CSV and JSON.

The chart is the monitoring domain's (:func:`socialcover.monitor.series_chart`, dressed by
:func:`socialcover.monitor.card`): one definition for the page, the report's PDF and the
media kit. The values are the store's approved observations of that indicator and area, as
the public reads them; for a region or income group the store does not hold, its aggregate
of the countries' approved values (:func:`socialcover.monitor.aggregate_store`, which needs
the data pack's populations).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from socialcover.errors import NotFoundError
from socialcover.store.models import utcnow

__all__ = ["DEFAULT_LICENCE", "MediaKit", "media_kit"]

DEFAULT_LICENCE = "CC BY 4.0"
"""The licence printed on the platform's chart cards unless another is given."""


@dataclass(frozen=True)
class MediaKit:
    """One chart card and its data."""

    indicator: str
    area: str
    title: str
    subtitle: str
    source: str
    date: str
    licence: str
    spec: dict[str, Any]
    data: pl.DataFrame

    def svg(self) -> str:
        """The card as SVG (vector: for print and the web)."""
        import vl_convert as vlc

        return str(vlc.vegalite_to_svg(self.spec))

    def png(self, scale: float = 2.0) -> bytes:
        """The card as PNG, ``scale`` times its size in pixels (2: sharp on screens)."""
        import vl_convert as vlc

        return bytes(vlc.vegalite_to_png(self.spec, scale=scale))

    def csv(self) -> str:
        """The data behind the card, as CSV (one row per area, year and sex)."""
        buffer = io.StringIO()
        self.data.write_csv(buffer)
        return buffer.getvalue()

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
        pl.lit("aggregate of the store's approved observations").alias("source"),
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
    sources = sorted(set(data["source"].to_list()) - {""})
    title = f"{definition.name}: {area}"
    unit = "%" if definition.unit == "percent" else definition.unit.replace("_", " ")
    subtitle = f"{first}-{last}" + (f", {sex}" if sex != "both" else "") + f" ({unit})"
    source = "Source: " + ("; ".join(sources) if sources else "not given")
    date = (today or utcnow().date()).isoformat()
    spec = monitor.card(
        monitor.series_chart(data, title=title, y_title=unit),
        title=title,
        subtitle=subtitle,
        source=source,
        date=date,
        licence=licence,
    )
    return MediaKit(
        indicator=definition.code,
        area=area,
        title=title,
        subtitle=subtitle,
        source=source,
        date=date,
        licence=licence,
        spec=spec,
        data=data,
    )
