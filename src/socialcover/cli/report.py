"""`socialcover report ...`: the world report and its regional editions (thin adapter over
:mod:`socialcover.report`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(
    help="The state of social security in the world, generated from the data (PDF or HTML).",
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True)
URL_HELP = "Database URL (default: $SOCIALCOVER_DATABASE_URL, else socialcover.db in the home)."

Year = Annotated[int, typer.Option("--year", help="Reference year of the figures.")]
Lang = Annotated[str, typer.Option("--lang", help="en, fr or es.")]
Out = Annotated[
    Path, typer.Option("--out", help="report.pdf or report.html (charts go beside it).")
]
Source = Annotated[
    str,
    typer.Option(
        "--source",
        help="store: the platform database's approved observations; pack: the data pack's "
        "series (as `socialcover monitor aggregate` reads them by default).",
    ),
]
Draws = Annotated[int, typer.Option("--draws", help="Monte Carlo draws of the cost band.")]
Site = Annotated[
    str, typer.Option("--site", help="The platform's address, for the links to each figure's data.")
]
Url = Annotated[str | None, typer.Option("--url", help=URL_HELP)]


@app.command("world")
def world(
    year: Year,
    out: Out,
    lang: Lang = "en",
    source: Source = "store",
    draws: Draws = 200,
    site: Site = "http://127.0.0.1:8000",
    url: Url = None,
) -> None:
    """Write the world report: key messages, coverage, cost of the floor, progress, annexes.

    Every figure is computed now from the approved observations (or the pack's series) and the
    data pack; the report prints its data cut-off and a manifest of its chart files' checksums.
    """
    _build(None, year, lang, out, source, draws, site, url)


@app.command("region")
def region(
    name: Annotated[str, typer.Argument(help="An ILO region, e.g. Africa or 'Arab States'.")],
    year: Year,
    out: Out,
    lang: Lang = "en",
    source: Source = "store",
    draws: Draws = 200,
    site: Site = "http://127.0.0.1:8000",
    url: Url = None,
) -> None:
    """Write the regional edition for one ILO region: the same contents, for its countries."""
    _build(name, year, lang, out, source, draws, site, url)


def _build(
    region_name: str | None,
    year: int,
    lang: str,
    out: Path,
    source: str,
    draws: int,
    site: str,
    url: str | None,
) -> None:
    from socialcover.report import (
        Edition,
        build_edition,
        check_language,
        check_output,
        write_report,
    )

    check_language(lang)
    check_output(out)
    edition = Edition(year, region_name, source, draws=draws, site=site)  # type: ignore[arg-type]
    with _progress() as tell:
        if source == "store":
            from socialcover.store import open_database, session_scope

            with session_scope(engine=open_database(url), write=False) as s:
                data = build_edition(edition, session=s, progress_to=tell)
        else:
            data = build_edition(edition, progress_to=tell)
        tell(f"Writing {out.name}", 5, 5)
        files = write_report(data, lang, out)
    console.print(f"Wrote {files.report} and {len(files.charts)} chart files:")
    for chart in files.charts:
        console.print(f"  {chart.sha256}  {chart.path}")


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    task = bar.add_task("Reading", total=5)

    def tell(step: str, done: int, total: int) -> None:
        bar.update(task, description=step, completed=done, total=total)

    with bar:
        yield tell


def register(root: typer.Typer) -> None:
    """Add the ``report`` command group to the root app."""
    root.add_typer(app, name="report")
