"""The costing page's form: a country, a preset package and a few adjustable assumptions.

The form's fields (query parameters, so that a result can be bookmarked and shared) become a
complete costing scenario, which ``socialcover.costing.run_costing`` validates and runs; this
module only turns its results into what the page, the API and the downloads show.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Query

from socialcover.web.errors import WebError
from socialcover.web.exports import jsonable

if TYPE_CHECKING:
    from socialcover.costing import CostingRun


@dataclass(frozen=True)
class CostingForm:
    """What a reader can set on the costing page."""

    country: str = "KEN"
    package: str = "spf-four-guarantees"
    base_year: int = 2025
    end_year: int = 2035
    takeup_pct: float = 100.0
    admin_pct: float = 0.0
    real_growth_pct: float | None = None
    inflation_pct: float | None = None

    def scenario(self) -> dict[str, Any]:
        """The scenario dict of the form's choices."""
        from socialcover.costing.presets import package_benefits

        benefits = package_benefits(self.package)
        for b in benefits:
            if self.takeup_pct != 100.0:
                b["takeup"] = {"start_pct": self.takeup_pct, "target_pct": self.takeup_pct}
            if self.admin_pct > 0:
                b["admin"] = {"rate_pct": self.admin_pct, "convention": "share_of_benefits"}
        macro: dict[str, Any] = {}
        if self.real_growth_pct is not None:
            macro["real_growth_pct"] = self.real_growth_pct
        if self.inflation_pct is not None:
            macro["inflation_pct"] = self.inflation_pct
        return {
            "name": self.package,
            "country": self.country,
            "base_year": self.base_year,
            "horizon": f"{self.base_year}-{self.end_year}",
            "benefits": benefits,
            "macro": macro,
        }


def _optional_pct(name: str, raw: str, low: float, high: float) -> float | None:
    """An optional percentage from a form field (empty = use the data pack's default)."""
    if not raw.strip():
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = float("nan")
    if not low < value < high:
        raise WebError(
            422,
            f"{name} must be a number between {low:g} and {high:g}, got {raw!r}.",
            code="input.invalid",
            hint="Leave it empty to use the IMF WEO projection.",
        )
    return value


def costing_form(
    country: str = Query("KEN", min_length=2, max_length=60),
    package: str = Query("spf-four-guarantees", max_length=60),
    base_year: int = Query(2025, ge=2023, le=2030),
    end_year: int = Query(2035, ge=2024, le=2060),
    takeup_pct: float = Query(100.0, ge=0, le=100),
    admin_pct: float = Query(0.0, ge=0, lt=50),
    real_growth_pct: str = Query("", max_length=12, description="% a year; empty: IMF WEO."),
    inflation_pct: str = Query("", max_length=12, description="% a year; empty: IMF WEO."),
) -> CostingForm:
    """The costing form's fields, checked (a route dependency)."""
    return CostingForm(
        country=country,
        package=package,
        base_year=base_year,
        end_year=end_year,
        takeup_pct=takeup_pct,
        admin_pct=admin_pct,
        real_growth_pct=_optional_pct("real_growth_pct", real_growth_pct, -20, 30),
        inflation_pct=_optional_pct("inflation_pct", inflation_pct, -20, 200),
    )


def run(scenario: dict[str, Any]) -> CostingRun:
    """Cost a scenario (the form's, or one posted to the API): the projection alone."""
    from socialcover.costing import CostingRequest, run_costing

    return run_costing(CostingRequest(scenario))


def workbook_bytes(scenario: dict[str, Any]) -> bytes:
    """The RAP-style Excel workbook of a scenario's costs."""
    from socialcover.costing import CostingRequest, run_costing

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "costing.xlsx"
        run_costing(CostingRequest(scenario, out=path))
        return path.read_bytes()


def summary(run: CostingRun) -> dict[str, Any]:
    """Totals by year, rows by benefit and provenance, JSON-ready."""
    result = run.result
    return {
        "totals": [jsonable(r) for r in result.totals.sort("year").to_dicts()],
        "rows": jsonable(result.to_rows()),
        "provenance": [jsonable(r) for r in result.provenance.to_dicts()],
        "missing": result.missing,
    }


def chart(
    run: CostingRun,
    title: str,
    y_title: str,
    x_title: str,
    color_title: str,
    label: Callable[[str], str] = str,
) -> dict[str, Any]:
    """The run's chart (cost as % of GDP by year, stacked by benefit), localised for the page:
    benefits by their names in the page's language (``label``), not their codes."""
    spec = run.chart()
    spec["title"] = title
    spec["width"] = "container"
    spec["description"] = title
    for row in spec["data"]["values"]:
        row["benefit"] = label(str(row["benefit"]))
    enc = spec["encoding"]
    enc["y"]["title"] = y_title
    enc["x"]["title"] = x_title
    enc["color"]["title"] = color_title
    enc["color"]["legend"] = {"orient": "bottom", "labelLimit": 300}
    enc["tooltip"] = [
        {"field": "year", "title": x_title},
        {"field": "benefit", "title": color_title},
        {"field": "cost_pct_gdp", "title": y_title, "format": ".3f"},
    ]
    return spec
