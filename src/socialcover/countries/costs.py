"""Costs of the recommendations, from the saved costing scenarios they link to."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from socialcover.store import ValidationError


def check_scenario(session: Session, scenario_id: int) -> None:
    raise ValidationError(
        f"Costing scenario {scenario_id} cannot be linked: this installation has no saved "
        "costing scenarios.",
        code="engagement.unknown-scenario",
        hint="Save the scenario first (`socialcover cost save`). Nothing was saved.",
        fields=["scenario_id"],
    )


def scenario_cost(session: Session, scenario_id: int) -> dict[str, Any] | None:
    return None
