"""Turn pydantic validation failures into one ``ValidationError`` naming every field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic

from socialcover.store import ValidationError

M = TypeVar("M", bound=pydantic.BaseModel)


def parse(model: type[M], data: M | Mapping[str, Any], what: str) -> M:
    """Validate ``data`` completely as ``model`` before anything is written."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(dict(data))
    except pydantic.ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(record)"
            problems.append(f"{field}: {err['msg']} (got {err.get('input')!r:.60})")
        raise ValidationError(
            f"The {what} is not valid: " + "; ".join(problems) + ".",
            code="store.invalid",
            hint="Correct the fields named above; nothing was saved.",
            fields=[".".join(str(p) for p in e["loc"]) for e in exc.errors()],
        ) from None


def region_of(iso3: str) -> str | None:
    """The ILO region of a country from the installed data pack, or ``None`` when unknown."""
    try:
        from socialcover.data import country

        return country(iso3).ilo_region
    except Exception:  # no pack installed, or a code the pack does not know
        return None
