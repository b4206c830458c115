"""Every Python block in docs/*.md runs, as a reader would run it.

Each page's ```python blocks run in order, in one namespace, from a temporary folder laid out
like the repository's root (its top-level entries linked in, the data pack reachable as
``../shared/data``) with an empty socialcover home; pages listed in ``NEEDS_PACK`` run with the
real pack installed instead. A traceback points at the page and line of the failing block.

A block that cannot run here says so, and why, in an HTML comment on the line just before
its fence (invisible once the page is rendered)::

    <!-- not run: needs a Spark cluster -->
    ```python

Blocks in other languages (``bash``, ``yaml``, ``text``) are never run. A page that takes
seconds is listed in ``SLOW``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
NOT_RUN = re.compile(r"^<!-- not run: (?P<why>.*\S) -->$")
FENCE = re.compile(r"^```python\b")

NEEDS_PACK = {"costing.md", "data-api.md", "data-pack.md", "getting-started.md"}
SLOW = {"costing.md", "data-pack.md", "microsim.md"}


@dataclass(frozen=True)
class Block:
    """One fenced Python block of a page: where it starts and, if it is not run, why."""

    line: int  # 1-based line of the first line of code
    code: str
    not_run: str | None


def python_blocks(text: str) -> list[Block]:
    """The ```python blocks of a Markdown page, in order."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        if FENCE.match(lines[i]):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            marker = NOT_RUN.match(lines[i - 1].strip()) if i else None
            code = "\n".join(lines[i + 1 : end]) + "\n"
            blocks.append(Block(i + 2, code, marker["why"] if marker else None))
            i = end
        i += 1
    return blocks


def _pages() -> list[object]:
    pages = []
    for path in sorted(DOCS.glob("*.md")):
        if not python_blocks(path.read_text(encoding="utf-8")):
            continue
        marks = [pytest.mark.slow] if path.name in SLOW else []
        if path.name in NEEDS_PACK:
            marks.append(pytest.mark.shared_data)
        pages.append(pytest.param(path.name, marks=marks, id=path.name))
    return pages


@pytest.fixture
def reader_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder shaped like the repository root, and an empty socialcover home."""
    root = tmp_path / "repo"
    root.mkdir()
    for entry in REPO.iterdir():
        if not entry.name.startswith("."):
            (root / entry.name).symlink_to(entry)
    if (REPO.parent / "shared").exists():
        (tmp_path / "shared").symlink_to(REPO.parent / "shared")
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOCIALCOVER_HOME", str(tmp_path / "home"))
    return root


def test_blocks_and_markers_are_read_as_documented() -> None:
    page = "Text\n\n```python\nx = 1\n```\n<!-- not run: needs Spark -->\n```python\ny\n```\n"
    assert python_blocks(page) == [Block(4, "x = 1\n", None), Block(8, "y\n", "needs Spark")]


@pytest.mark.parametrize("page", _pages())
def test_python_blocks_of_the_page_run(
    page: str, reader_folder: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if page in NEEDS_PACK:
        monkeypatch.setenv("SOCIALCOVER_HOME", str(request.getfixturevalue("installed_pack")))
    path = DOCS / page
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in python_blocks(path.read_text(encoding="utf-8")):
        if block.not_run is None:
            # Leading newlines keep the page's line numbers in tracebacks.
            exec(compile("\n" * (block.line - 1) + block.code, str(path), "exec"), namespace)
