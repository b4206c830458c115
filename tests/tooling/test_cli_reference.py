"""docs/cli.md is the CLI's own help, regenerated: it must match the commands."""

from __future__ import annotations

from pathlib import Path

from socialcover.cli.reference import render_reference

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_cli_reference_matches_the_commands() -> None:
    expected = render_reference() + "\n"
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/cli.md is out of date: run `python -m socialcover.cli.reference > docs/cli.md`."
    )
