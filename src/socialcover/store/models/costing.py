"""Saved costing scenarios: a named scenario document, versioned, that a country's options cite.

The document is the scenario as :class:`socialcover.costing.Scenario` validated it, with any
preset package expanded into its benefits, so that a saved scenario costs the same however the
presets change later. Each save is a new version; the audit log keeps every earlier document
(:mod:`socialcover.store.scenarios` reads them back by version).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from socialcover.store.models.base import Audited, Base, Reviewed

__all__ = ["CostingScenario"]


class CostingScenario(Reviewed, Audited, Base):
    """One saved costing scenario: its name, where it applies, and the scenario document."""

    __tablename__ = "costing_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # one country (its ISO3 code), or else the group or list the scenario names ("all",
    # "Low income", "KEN, UGA")
    country_iso3: Mapped[str | None] = mapped_column(String(3), index=True)
    countries: Mapped[str] = mapped_column(String(300), default="")
    # the preset the document was built from, for display only (the document holds its benefits)
    package: Mapped[str] = mapped_column(String(60), default="")
    document: Mapped[dict[str, Any]] = mapped_column()
