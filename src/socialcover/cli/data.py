"""`socialcover data ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Install, inspect and query the reference data pack.", no_args_is_help=True)


def register_top_level(root: typer.Typer) -> None:
    """Commands that live at the top level but belong to the data domain (``country``)."""
