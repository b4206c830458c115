"""`socialcover engagement strategy ...`: the Demoland strategy shown, financed and reported on,
and a strategy written from the command line for a new engagement."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.data import install_demo


def test_the_demo_strategy_from_the_command_line(db_url: str) -> None:
    install_demo()
    runner = CliRunner()
    assert runner.invoke(app, ["engagement", "demo", "--url", db_url]).exit_code == 0
    shown = runner.invoke(app, ["engagement", "strategy", "show", "1", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    plan = json.loads(shown.output)
    assert plan["title"] == "Demoland National Social Protection Strategy 2026-2030"
    money = json.loads(
        runner.invoke(app, ["engagement", "strategy", "financing", "1", "--format", "json"]).output
    )
    assert money["scenarios"] == ["Demoland child benefit@2", "Demoland universal pension@2"]
    report = json.loads(
        runner.invoke(app, ["engagement", "strategy", "progress", "1", "--format", "json"]).output
    )
    assert [r["status"] for r in report] == ["off track"] * 3
    table = runner.invoke(app, ["engagement", "strategy", "progress", "1"])
    assert "sdg131.at_least_one_benefit" in table.output and "off track" in table.output
    for command in ("show", "financing"):
        assert runner.invoke(app, ["engagement", "strategy", command, "1"]).exit_code == 0


def test_a_strategy_written_from_the_command_line(db_url: str) -> None:
    install_demo()
    runner = CliRunner()
    runner.invoke(app, ["engagement", "demo", "--url", db_url])
    made = runner.invoke(
        app,
        [
            "engagement",
            "strategy",
            "set",
            "1",
            "--title",
            "Revised",
            "--start",
            "2026",
            "--end",
            "2031",
        ],
    )
    assert made.exit_code == 0, made.output
    added = runner.invoke(
        app,
        [
            "engagement",
            "strategy",
            "measure",
            "1",
            "--text",
            "Maternity benefit pilot",
            "--start",
            "2027",
            "--end",
            "2029",
            "--responsible",
            "Ministry of Health",
        ],
    )
    assert added.exit_code == 0, added.output
    out = json.loads(added.output)["strategy"]
    assert out["title"] == "Revised" and out["measures"][-1]["scenarios"] == []
    late = runner.invoke(
        app,
        [
            "engagement",
            "strategy",
            "measure",
            "1",
            "--text",
            "Too late",
            "--start",
            "2031",
            "--end",
            "2035",
        ],
    )
    assert late.exit_code != 0  # main() prints the error's code, message and hint
    assert getattr(late.exception, "code", None) == "engagement.strategy-years"
    withdrawn = runner.invoke(app, ["engagement", "strategy", "publish", "1", "--withdraw"])
    assert json.loads(withdrawn.output)["strategy"]["status"] == "draft"
