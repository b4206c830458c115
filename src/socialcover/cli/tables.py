"""Tables that fit the terminal: numbers and codes are never split, long text wraps on words.

When the columns cannot fit side by side (an 80-column terminal, or a pipe, which Rich treats as
80 columns), each row is printed as a block of "column: value" lines instead, as psql's expanded
display does. Machines should use ``--format csv`` or ``--format json``, which are never wrapped.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.console import Console
from rich.table import Table

__all__ = ["print_table"]

# Narrowest width a wrapping text column is given before switching to one block per row.
_MIN_TEXT_WIDTH = 12


def print_table(
    console: Console,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    caption: str | None = None,
    numeric: Collection[str] = (),
    wrap: Collection[str] = (),
) -> None:
    """Print ``rows`` (already formatted cells) under ``headers``, fitted to ``console``.

    ``numeric`` columns are right-aligned; ``wrap`` columns hold free text that may wrap on
    words; every other column (names, codes, years) keeps each cell on one line.
    """
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    needed = 1 + sum(
        3 + (min(w, _MIN_TEXT_WIDTH) if h in wrap else w)
        for h, w in zip(headers, widths, strict=True)
    )
    if needed <= console.width:
        table = Table(title=title, caption=caption)
        for header, width in zip(headers, widths, strict=True):
            if header in wrap:
                table.add_column(header, overflow="fold")
            else:
                table.add_column(
                    header,
                    justify="right" if header in numeric else "left",
                    no_wrap=True,
                    min_width=width,
                )
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    if title:
        console.print(f"[bold]{title}[/]")
    label_width = max(len(h) for h in headers)
    for n, row in enumerate(rows, 1):
        console.rule(f"row {n}", align="left")
        block = Table.grid(padding=(0, 1))
        block.add_column(no_wrap=True, min_width=label_width, style="bold")
        block.add_column(overflow="fold")
        for header, cell in zip(headers, row, strict=True):
            block.add_row(header, cell)
        console.print(block)
    if caption:
        console.print(caption, style="dim")
