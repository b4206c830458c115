"""The costing page's scenario: a country, a preset package and a few adjustable assumptions.

The form's values become a complete costing scenario (validated by ``socialcover.costing``
before anything runs); results come from ``costing.project_costs`` and the Excel workbook
from ``costing.workbook.write_workbook`` (ILO Rapid Assessment Protocol layout).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcover.web.exports import jsonable


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
        """The scenario dict handed to ``costing.project_costs``."""
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


def run(form: CostingForm) -> Any:
    """Project the costs of the form's scenario."""
    from socialcover import costing

    return costing.project_costs(form.scenario())


def summary(result: Any) -> dict[str, Any]:
    """Totals by year, rows by benefit and provenance, JSON-ready."""
    return {
        "totals": [jsonable(r) for r in result.totals.sort("year").to_dicts()],
        "rows": jsonable(result.to_rows()),
        "provenance": [jsonable(r) for r in result.provenance.to_dicts()],
        "missing": result.missing,
    }


def workbook_bytes(result: Any) -> bytes:
    """The RAP-style Excel workbook of a result."""
    from socialcover.costing.workbook import write_workbook

    with tempfile.TemporaryDirectory() as tmp:
        path = write_workbook(result, Path(tmp) / "costing.xlsx")
        return Path(path).read_bytes()


def chart(result: Any, title: str, y_title: str, x_title: str, color_title: str) -> dict[str, Any]:
    """Cost as % of GDP by year, stacked by benefit (the costing package's spec, localised)."""
    from socialcover.costing.charts import cost_by_benefit_chart

    spec: dict[str, Any] = cost_by_benefit_chart(result)
    spec["title"] = title
    spec["width"] = "container"
    spec["description"] = title
    enc = spec["encoding"]
    enc["y"]["title"] = y_title
    enc["x"]["title"] = x_title
    enc["color"]["title"] = color_title
    enc["color"]["legend"] = {"orient": "bottom"}
    return spec
