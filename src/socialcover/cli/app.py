"""The ``socialcover`` command: one Typer app with a sub-app per domain.

Each domain's commands live in their own module (``cli/data.py``, ``cli/survey.py``...) and are
registered here; this module only wires them and turns socialcover errors into a clear message
and exit code 2.
"""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console

from socialcover.errors import SocialcoverError

app = typer.Typer(
    name="socialcover",
    help="Open software for extending social security to everyone.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

err_console = Console(stderr=True)


def _register() -> None:
    # Command modules are imported here, after `app` exists, so that `reference` and tests can
    # import this module without a cycle.
    from socialcover.cli import (
        admin,
        cost,
        data,
        db,
        engagement,
        monitor,
        query,
        report,
        serve,
        simulate,
        start,
        survey,
    )

    app.add_typer(data.app, name="data")
    app.add_typer(survey.app, name="survey")
    app.add_typer(monitor.app, name="monitor")
    app.add_typer(report.app, name="report")
    query.register(app, data.app)
    for module in (start, serve, cost, simulate, db, admin, engagement):
        module.register(app)


_register()


def main() -> None:
    """Entry point: run the app; socialcover errors print what, why and how to fix, exit 2.

    Usage errors (unknown option, missing argument) are reported by Typer itself, also with
    exit code 2.
    """
    try:
        app()
    except SocialcoverError as exc:
        if "--format" in sys.argv and "json" in sys.argv:
            print(json.dumps({"error": exc.to_dict()}), file=sys.stderr)
        else:
            err_console.print(f"[bold red]Error[/] [dim]({exc.code})[/]: {exc.message}")
            if exc.hint:
                err_console.print(f"[bold]How to fix:[/] {exc.hint}")
        raise SystemExit(2) from None
