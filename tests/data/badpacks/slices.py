"""Small slices of the real pack (the head of each file) and ways to break one thing in them.

Bad-pack tests copy a slice into a tmp folder, break one thing, and check the error names the
file, line or column and the fix. Nothing here is a copy kept in the repository: the slices are
cut from ../shared/data at test time.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Callable
from pathlib import Path

from socialcover.data.catalog import DATASETS

#: Lines kept from each file (header included). Population by age: 4 whole location-years
#: (2 sexes x 21 age groups), so the sums still match the annual totals.
HEAD_LINES = 120
AGE5_LINES = 1 + 42 * 4
WHOLE = {"wpp2024/wpp2024_locations.csv"}


def read_lines(path: Path) -> list[str]:
    """The text lines of a pack file (gzip or not)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return fh.read().splitlines(keepends=True)


def write_lines(path: Path, lines: list[str]) -> None:
    """Write text lines to a pack file, gzip-compressed when its name ends in .gz."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(lines).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)


def make_slice(shared: Path, out: Path, head: int = HEAD_LINES) -> Path:
    """A small but valid pack: the head of every file of ``shared`` (whole locations file)."""
    for spec in DATASETS:
        src = shared / spec.path
        if spec.path in WHOLE:
            (out / spec.path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, out / spec.path)
            continue
        n = AGE5_LINES if spec.id == "wpp_population_age5" else head
        write_lines(out / spec.path, read_lines(src)[:n])
    return out


def edit_cell(pack: Path, rel: str, line: int, column: str, value: str) -> str:
    """Set one cell (line 1 = header) of a pack file; return the old value."""
    lines = read_lines(pack / rel)
    header = lines[0].rstrip("\r\n").split(",")
    cells = lines[line - 1].rstrip("\r\n").split(",")
    i = header.index(column)
    old = cells[i]
    cells[i] = value
    lines[line - 1] = ",".join(cells) + "\n"
    write_lines(pack / rel, lines)
    return old


def edit_lines(pack: Path, rel: str, change: Callable[[list[str]], list[str]]) -> None:
    """Rewrite a pack file's lines through ``change``."""
    write_lines(pack / rel, change(read_lines(pack / rel)))
