"""Errors of the costing engine.

::

    SocialcoverError
    +-- InputError (ValueError)
    |   +-- ScenarioError            a scenario fails validation (names the key and the fix)
    +-- NotFoundError (KeyError)
        +-- UnknownPresetError       an unknown package or benefit preset
"""

from __future__ import annotations

from socialcover.errors import InputError, NotFoundError


class ScenarioError(InputError):
    """A scenario fails validation; nothing was computed or written."""

    default_code = "costing.scenario-invalid"


class UnknownPresetError(NotFoundError):
    """A package or benefit preset name that does not exist."""

    default_code = "costing.unknown-preset"


class CostingDataError(InputError):
    """The data pack lacks something a scenario needs for a country (GDP, population...)."""

    default_code = "costing.missing-data"
