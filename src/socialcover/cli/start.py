"""``socialcover start``: the main job on any machine.

Installs the reference data pack if needed (``ensure_pack``: the folder in
``$SOCIALCOVER_DATA_PACK``, ``../shared/data``, the official publishers, or the fictional demo
country), prints a country profile from it, then serves the platform.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from socialcover.errors import NotFoundError

console = Console()

DEMO_COUNTRY = "XDM"


def start(
    country: Annotated[
        str, typer.Option(help="Country whose profile is printed first (ISO3 or name).")
    ] = "KEN",
    host: Annotated[str, typer.Option(help="Address the platform listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port of the platform.")] = 8000,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Install data and print the profile only.")
    ] = False,
) -> None:
    """Install the data pack if needed, print a country profile, then serve the platform."""
    from socialcover.cli.query import country_command
    from socialcover.data import country as find_country
    from socialcover.data import ensure_pack
    from socialcover.web import Settings, serve

    console.print(ensure_pack())
    try:
        find_country(country)
    except NotFoundError:
        # The demo pack holds only the fictional Demoland: show it rather than fail.
        console.print(f"{country} is not in the installed pack; showing the demo country.")
        country = DEMO_COUNTRY
    country_command(country, year=None, fmt="table")
    if not no_serve:
        console.print(f"Serving the platform at [bold]http://{host}:{port}/[/] (Ctrl+C stops it).")
        serve(Settings(), host=host, port=port)


def register(root: typer.Typer) -> None:
    """Add ``start`` as a top-level command."""
    root.command("start")(start)
