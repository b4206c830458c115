"""Answers of the costing routes: preset packages, a scenario's costs, saved scenarios.

They mirror :data:`socialcover.costing.presets.PACKAGES`, the costing result's ``to_rows``
(:data:`socialcover.costing.result.ROW_COLUMNS`, after ``iso3``) and
:meth:`socialcover.store.scenarios.SavedScenario.to_dict`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from socialcover.web.schemas import Out, Paged

__all__ = ["CostRunOut", "PackagesOut", "SavedScenarioOut", "SavedScenariosOut"]


class PackageOut(Out):
    """A preset benefit package: its name, title, source and benefits."""

    name: str
    title: str
    source: str
    benefits: list[dict[str, Any]]


class PackagesOut(Out):
    """The preset packages."""

    items: list[PackageOut]


class CostRow(Out):
    """The cost of one benefit (or the ``total``) in one country and year."""

    iso3: str
    year: int
    benefit: str
    eligible: float | None = None
    beneficiaries: float | None = None
    unit_benefit_lcu: float | None = None
    cost_lcu: float | None = None
    cost_usd: float | None = None
    cost_pct_gdp: float | None = None
    cost_pct_gov_expenditure: float | None = None


class CostRunOut(Paged):
    """A scenario's costs: totals, provenance and missing data whole; rows a page at a time."""

    totals: list[dict[str, Any]]
    rows: list[CostRow]
    provenance: list[dict[str, Any]]
    missing: dict[str, str] = Field(description="What was missing, and what was used instead.")


class SavedSummaryOut(Out):
    """One version of a saved scenario, without its document."""

    id: int
    name: str
    version: int
    latest_version: int
    reference: str | None = None
    description: str | None = None
    country_iso3: str | None = None
    countries: str | None = None
    package: str | None = None
    status: str
    updated_at: str


class SavedScenarioOut(SavedSummaryOut):
    """One version of a saved scenario and its document (the scenario as it was saved)."""

    document: dict[str, Any]


class SavedScenariosOut(Out):
    """The saved scenarios the caller may see."""

    items: list[SavedSummaryOut]
