"""Reads of the knowledge base for the pages (practices, publications) via socialcover.knowledge."""

from __future__ import annotations

from typing import Any


def related_to_country(iso3: str) -> dict[str, list[dict[str, Any]]]:
    """Published practices and publications that name the country."""
    return {"practices": [], "publications": []}
