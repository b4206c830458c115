"""The ``socialcover`` command: one Typer app with a sub-app per domain.

Each domain's commands live in their own module (``cli/data.py``, ``cli/survey.py``...) with a
``register(root)`` function. ``COMMANDS`` below names every top-level command, the module that
registers it and its one-line help, so that ``socialcover --help`` and ``--version`` import no
command module (and no NumPy, Polars or SciPy), and running a command imports only its own
module. ``tests/tooling/test_cli_starts_fast.py`` keeps the table equal to the commands.
Socialcover errors become a clear message and exit code 2.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import typer
import typer.main
from rich.console import Console
from typer.core import TyperGroup

from socialcover import __version__
from socialcover.errors import SocialcoverError

# name -> (module with register(root), one-line help shown by `socialcover --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "start": (
        "socialcover.cli.start",
        "Install the data pack if needed, print a country profile, then serve the platform.",
    ),
    "country": (
        "socialcover.cli.query",
        "A country profile: population by broad age, dependency, GDP, poverty, coverage.",
    ),
    "data": ("socialcover.cli.data", "Install, inspect and query the reference data pack."),
    "survey": (
        "socialcover.cli.survey",
        "Survey estimates with design-based standard errors, and coverage-gap indicators.",
    ),
    "cost": (
        "socialcover.cli.cost",
        "Cost a benefit package (cost run, the default), and save, list and compare scenarios.",
    ),
    "simulate": (
        "socialcover.cli.simulate",
        "Simulate benefit RULES (and a --reform) on survey DATA: cost, beneficiaries, "
        "poverty, Gini and winners/losers, each with its design-based standard error.",
    ),
    "scheme": (
        "socialcover.cli.scheme",
        "Informal-economy schemes: who joins, what it costs, whom it covers (take-up "
        "calibrated to an enrolment).",
    ),
    "test": (
        "socialcover.cli.simulate",
        "Run situation tests written in YAML; exit 1 if any fails.",
    ),
    "monitor": (
        "socialcover.cli.monitor",
        "Monitor indicators: the registry, and aggregates by ILO region, income group and world.",
    ),
    "serve": (
        "socialcover.cli.serve",
        "Run the web app: pages at http://HOST:PORT/, the REST API at /api/v1 (docs at "
        "/api/v1/docs).",
    ),
    "db": (
        "socialcover.cli.db",
        "The platform database: migrations, backup and restore, starter content, history.",
    ),
    "library": (
        "socialcover.cli.library",
        "The practice library: key claims and their verification, citations.",
    ),
    "advocacy": (
        "socialcover.cli.advocacy",
        "Advocacy: the events calendar, media kits, press releases and one person's data.",
    ),
    "engagement": (
        "socialcover.cli.engagement",
        "Country engagements: diagnosis, dialogue and endorsement.",
    ),
    "report": (
        "socialcover.cli.report",
        "The state of social security in the world, generated from the data (PDF or HTML).",
    ),
    "admin": ("socialcover.cli.admin", "Manage user accounts (runs with administrator rights)."),
}


def _group() -> None:
    """A callback, so that Typer builds a group even for a module with one command."""


def load_command(name: str) -> Any:
    """The command ``name``, importing only the module that registers it."""
    root = typer.Typer(add_completion=False, callback=_group)
    importlib.import_module(COMMANDS[name][0]).register(root)
    return typer.main.get_command(root).commands[name]  # type: ignore[attr-defined]


class _Commands(Mapping[str, Any]):
    """The root's commands, each loaded on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in COMMANDS:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = load_command(name)
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class _LazyGroup(TyperGroup):
    """The root group: names its commands from ``COMMANDS``, loads one only when it runs."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()  # type: ignore[assignment]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The one-line help from the table: asking each command would import them all.
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in COMMANDS.items()])


def _print_version(value: bool) -> None:
    if value:
        print(f"socialcover {__version__}")
        raise typer.Exit()


app = typer.Typer(
    name="socialcover",
    cls=_LazyGroup,
    help="Open software for extending social security to everyone.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Open software for extending social security to everyone."""


def full_command() -> Any:
    """The root command; its commands load on access (the CLI reference walks them all)."""
    return typer.main.get_command(app)


err_console = Console(stderr=True)


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
