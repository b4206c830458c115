"""`socialcover data ...` commands: install, inspect and fetch the reference data pack."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from socialcover.cli.tables import print_table
from socialcover.data.pack import ImportReport, ProgressCallback, install_pack, pack_status

app = typer.Typer(help="Install, inspect and query the reference data pack.", no_args_is_help=True)
console = Console()

FormatOption = Annotated[str, typer.Option("--format", help="table or json.")]


@contextmanager
def _progress_bar(label: str, quiet: bool) -> Iterator[ProgressCallback | None]:
    """A Rich progress bar fed by a ``(description, done, total)`` callback."""
    if quiet:
        yield None
        return
    with Progress(
        TextColumn(f"[bold]{label}[/]"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total)

        yield update


def _render_report(report: ImportReport, fmt: str) -> None:
    if fmt == "json":
        out = {"changed": report.changed, "message": report.message}
        out.update(report.manifest.to_dict())
        print(json.dumps(out, indent=2))
        return
    console.print(("[green]" if report.changed else "[yellow]") + report.message + "[/]")


@app.command("import")
def import_(
    path: Annotated[
        Path | None, typer.Argument(help="A pack folder laid out like ../shared/data.")
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Install the fictional demo country instead.")
    ] = False,
    fmt: FormatOption = "table",
) -> None:
    """Validate a pack folder and install it (atomically; a no-op if already installed)."""
    if demo:
        report = _install_demo(fmt, replace=False)
    else:
        if path is None:
            raise typer.BadParameter("give a pack folder (PATH) or --demo")
        with _progress_bar("Importing", fmt == "json") as progress:
            report = install_pack(path, progress=progress)
    _render_report(report, fmt)


@app.command("demo")
def demo_(
    fmt: FormatOption = "table",
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace an installed real data pack.")
    ] = False,
) -> None:
    """Install the fictional demo country Demoland (XDM) as the data pack."""
    _render_report(_install_demo(fmt, replace=replace), fmt)


def _install_demo(fmt: str, *, replace: bool) -> ImportReport:
    """Install Demoland, refusing to replace a real pack unless asked (a home holds one pack)."""
    from socialcover.data.demo import install_demo
    from socialcover.errors import InputError

    installed = pack_status()
    if installed is not None and installed.origin != "demo" and not replace:
        raise InputError(
            f"A real data pack ({installed.version}, from {installed.source_path}) is installed "
            "here; the demo would replace it, since a data home holds one pack.",
            code="data.demo-would-replace",
            hint="Keep the demo apart: SOCIALCOVER_HOME=~/socialcover-demo socialcover data "
            "demo. Or pass --replace to swap the real pack for Demoland (import it again later "
            "with `socialcover data import PATH`).",
        )
    with _progress_bar("Demo pack", fmt == "json") as progress:
        return install_demo(progress=progress)


@app.command("status")
def status(fmt: FormatOption = "table") -> None:
    """List the installed datasets: vintage, licence, rows, attribution (checksums in JSON)."""
    manifest = pack_status()
    if manifest is None:
        message = (
            "No data pack is installed. Install one with `socialcover data import PATH` "
            "(a folder laid out like ../shared/data), `socialcover data fetch` (downloads from "
            "the publishers) or `socialcover data demo` (a fictional demo country)."
        )
        if fmt == "json":
            print(json.dumps({"installed": False, "message": message}))
        else:
            console.print(message)
        return
    if fmt == "json":
        out = {"installed": True}
        out.update(manifest.to_dict())
        print(json.dumps(out, indent=2))
        return
    installed = sorted({d.installed_at[:16].replace("T", " ") for d in manifest.datasets})
    print_table(
        console,
        ("dataset", "vintage", "licence", "rows"),
        [(d.dataset_id, d.edition, d.licence, f"{d.rows:,}") for d in manifest.datasets],
        title=f"Data pack {manifest.version} ({manifest.origin} from {manifest.source_path})",
        caption=f"Installed {', '.join(installed)} UTC; checksums: --format json",
        numeric=("rows",),
        wrap=("vintage", "licence"),
    )
    # Attributions are long and shared by several datasets: once each, below the table.
    attributions: dict[str, list[str]] = {}
    for d in manifest.datasets:
        attributions.setdefault(d.attribution, []).append(d.dataset_id)
    console.print("[bold]Attribution[/]")
    for text, datasets in attributions.items():
        console.print(f"- {text} [dim]({', '.join(datasets)})[/]")
    if manifest.origin == "demo":
        from socialcover.data.ensure import REAL_DATA_HINT

        console.print(f"[yellow]This is the fictional demo country Demoland.[/] {REAL_DATA_HINT}")


@app.command("fetch")
def fetch(
    out: Annotated[
        Path | None, typer.Option("--out", help="Keep the built pack folder here.")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 60.0,
    retries: Annotated[int, typer.Option(help="Retries after a network error or 5xx.")] = 3,
    wpp_url: Annotated[str | None, typer.Option(help="Base URL of the WPP CSV files.")] = None,
    wb_url: Annotated[str | None, typer.Option(help="Base URL of the World Bank API.")] = None,
    wb_bulk_url: Annotated[
        str | None,
        typer.Option(help="WDI bulk CSV zip (e.g. WDI_CSV.zip) to use instead of the API."),
    ] = None,
    ilostat_url: Annotated[str | None, typer.Option(help="ILOSTAT bulk data URL.")] = None,
    weo_url: Annotated[str | None, typer.Option(help="URL of the IMF WEO file.")] = None,
    sdg_url: Annotated[str | None, typer.Option(help="UN SDG API series data URL.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Build the pack from the official publishers (UN WPP, World Bank, ILOSTAT, IMF, UN SDG)
    and install it."""
    from socialcover.data.fetch import FetchSources, fetch_pack

    defaults = FetchSources()
    sources = FetchSources(
        wpp=wpp_url or defaults.wpp,
        worldbank=wb_url or defaults.worldbank,
        ilostat=ilostat_url or defaults.ilostat,
        weo=weo_url or defaults.weo,
        sdg=sdg_url or defaults.sdg,
        wb_bulk=wb_bulk_url,
    )
    with _progress_bar("Fetching", fmt == "json") as progress:
        report = fetch_pack(
            out, sources=sources, timeout=timeout, retries=retries, progress=progress
        )
    if fmt == "json":
        print(
            json.dumps(
                {
                    "message": report.message,
                    "downloads": [d.to_dict() for d in report.downloads],
                    "warnings": list(report.warnings),
                },
                indent=2,
            )
        )
        return
    console.print("[green]" + report.message + "[/]")
    for warning in report.warnings:
        console.print(f"[yellow]Note:[/] {warning}")


def register(root: typer.Typer) -> None:
    """Add the ``data`` command group, with ``data population`` from ``cli/query.py``."""
    from socialcover.cli.query import population_command

    if "population" not in {c.name for c in app.registered_commands}:
        app.command("population")(population_command)
    root.add_typer(app, name="data")
