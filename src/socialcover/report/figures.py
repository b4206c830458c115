"""The report's figures: one Vega-Lite spec each, rendered to SVG files with their checksums.

A :class:`Figure` holds a chart spec made by the monitor's or the costing engine's chart
functions (:mod:`socialcover.monitor.charts`, :mod:`socialcover.costing.charts`: the same
definitions the platform's pages and media kits draw), its alt text, its source and the link
to its data in the monitor explorer. :func:`write_figures` renders each to an SVG file with
vl-convert (offline, no browser), numbers in the reader's conventions, and returns a manifest of
SHA-256 checksums: the same figure data give the same files, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialcover.report.i18n import CHART_LOCALES, check_language

__all__ = ["ChartFile", "Figure", "write_figures"]

FONT = "DejaVu Sans"
"""The charts' font: the report's (Debian fonts-dejavu-core), in the SVG and in the PDF."""


@dataclass(frozen=True)
class Figure:
    """One figure of a report.

    Attributes
    ----------
    key
        A stable name (``coverage-by-region``); the file is ``<key>.svg``.
    spec
        The Vega-Lite spec.
    alt
        What the figure shows, in words (the image's alternative text in HTML and PDF).
    caption
        The caption printed under it.
    data_url
        Where its data can be seen and downloaded (a monitor explorer page).
    rows
        The figure's numbers (for the table beside it and the data file).
    source
        The source line (also printed under the chart's title, or in its caption).
    indicator
        The registry code of what it shows (``sdg131.at_least_one_benefit``), if one.
    kit_url
        The page of its media kit (``/media/report/<edition>/<key>``).
    """

    key: str
    spec: dict[str, Any]
    alt: str
    caption: str = ""
    data_url: str = ""
    rows: tuple[dict[str, Any], ...] = field(default=())
    source: str = ""
    indicator: str = ""
    kit_url: str = ""


@dataclass(frozen=True)
class ChartFile:
    """A rendered figure: its file name (relative to the report) and SHA-256 checksum."""

    key: str
    path: str
    sha256: str
    bytes: int


def write_figures(figures: Sequence[Figure], folder: Path, lang: str) -> list[ChartFile]:
    """Render each figure to ``folder/<key>.svg`` (and its data to ``<key>.json``).

    Parameters
    ----------
    figures
        The report's figures.
    folder
        Where to write (created if absent).
    lang
        The report's language: the numbers of the axes follow its conventions.

    Returns
    -------
    list of ChartFile
        Every file written, with its checksum (the report prints them as its manifest).
    """
    import vl_convert as vlc

    locale = CHART_LOCALES[check_language(lang)]
    folder.mkdir(parents=True, exist_ok=True)
    out: list[ChartFile] = []
    for figure in figures:
        # The report's own font, so that vl-convert measures labels as the PDF draws them.
        config = {**figure.spec.get("config", {}), "font": FONT}
        spec = {**figure.spec, "description": figure.alt, "config": config}
        svg = vlc.vegalite_to_svg(spec, format_locale=locale).encode("utf-8")
        data = json.dumps(
            {"key": figure.key, "data_url": figure.data_url, "rows": list(figure.rows)},
            ensure_ascii=False,
            sort_keys=True,
            indent=1,
            default=str,
        ).encode("utf-8")
        for suffix, content in ((".svg", svg), (".json", data)):
            path = folder / f"{figure.key}{suffix}"
            _write_atomic(path, content)
            out.append(
                ChartFile(
                    key=figure.key,
                    path=f"{folder.name}/{path.name}",
                    sha256=hashlib.sha256(content).hexdigest(),
                    bytes=len(content),
                )
            )
    return out


def _write_atomic(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)
