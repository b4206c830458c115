"""`socialcover library`: list a practice's claims, verify and dispute one, cite a record."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
from typer.testing import CliRunner

from socialcover.cli.app import app

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_claims_verify_dispute_and_cite_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lib.db'}"
    _run("db", "seed", "--url", url)
    from sqlalchemy import select

    from socialcover.store import Practice, session_scope

    with session_scope(url=url, write=False) as s:
        pid = s.scalars(
            select(Practice.id).where(Practice.starter_key == "bol-renta-dignidad")
        ).one()
    listed = json.loads(_run("library", "claims", str(pid), "--url", url, "--format", "json"))
    assert listed["verification"]["state"] == "starter"
    todo = next(c for c in listed["claims"] if c["key"] == "coverage-near-universal")
    _run(
        "library", "verify", str(todo["id"]), "--against", "Article, paragraph 2",
        "--by", "Ana Reviewer", "--on", "2026-12-06", "--url", url,
    )  # fmt: skip
    after = json.loads(_run("library", "claims", str(pid), "--url", url, "--format", "json"))
    done = next(c for c in after["claims"] if c["id"] == todo["id"])
    assert done["status"] == "verified" and done["verified_by"] == "Ana Reviewer"
    assert after["verification"]["as_of"] == "2026-12-06"

    other = next(c for c in after["claims"] if c["key"] == "financing-idh")
    _run(
        "library", "dispute", str(other["id"]), "--note", "Says only the IDH, p. 3.",
        "--source-title", "Budget law 2025", "--source-year", "2025", "--url", url,
    )  # fmt: skip
    table = _run("library", "claims", str(pid), "--url", url)
    assert "disputed" in table

    bib = _run("library", "cite", "practice", str(pid), "--format", "bibtex", "--url", url)
    assert not bibtexparser.parse_string(bib).failed_blocks
    csl = json.loads(
        _run("library", "cite", "practice", str(pid), "--format", "csl-json", "--url", url)
    )
    assert csl[0]["issued"] == {"date-parts": [[2026, 12, 6]]}
    assert "Renta Dignidad" in _run("library", "cite", "practice", str(pid), "--url", url)


def test_bad_input_is_refused_with_its_code(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lib.db'}"
    _run("db", "seed", "--url", url)
    bad = runner.invoke(app, ["library", "cite", "practice", "1", "--format", "ris", "--url", url])
    assert getattr(bad.exception, "code", None) == "citation.format"
    wrong = runner.invoke(
        app,
        [
            "library",
            "verify",
            "1",
            "--against",
            "x y z",
            "--by",
            "A",
            "--on",
            "6/12/2026",
            "--url",
            url,
        ],
    )
    assert getattr(wrong.exception, "code", None) == "claim.invalid"
    unknown = runner.invoke(app, ["library", "cite", "report", "1", "--url", url])
    assert getattr(unknown.exception, "code", None) == "citation.kind"
