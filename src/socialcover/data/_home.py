"""Where socialcover keeps its files: the user data directory, or ``$SOCIALCOVER_HOME``."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def home() -> Path:
    """The socialcover home directory (created on first use).

    ``$SOCIALCOVER_HOME`` overrides the platform's user data directory, so tests and
    institutions can keep several homes side by side.
    """
    env = os.environ.get("SOCIALCOVER_HOME")
    path = Path(env) if env else Path(platformdirs.user_data_dir("socialcover", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def pack_root() -> Path:
    """Folder holding installed pack versions and the ``current`` link to the live one."""
    return home() / "pack"


def current_pack() -> Path:
    """The live pack folder (``pack/current``); it may not exist yet."""
    return pack_root() / "current"
