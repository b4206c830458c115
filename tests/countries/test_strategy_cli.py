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


def test_progress_reports_issued_listed_and_exported_from_the_command_line(db_url: str) -> None:
    import csv
    import io

    install_demo()
    runner = CliRunner()
    runner.invoke(app, ["engagement", "demo", "--url", db_url])
    issued = runner.invoke(
        app,
        ["engagement", "strategy", "issue-report", "1", "--period", "2026-H1", "--note", "=1+1"],
    )
    assert issued.exit_code == 0, issued.output
    report = json.loads(issued.output)
    assert report["period"] == "2026-H1" and report["issued_by"] == "cli"
    again = runner.invoke(
        app, ["engagement", "strategy", "issue-report", "1", "--period", "2026-H1"]
    )
    assert again.exit_code != 0
    assert getattr(again.exception, "code", None) == "engagement.progress-duplicate"
    listed = json.loads(
        runner.invoke(app, ["engagement", "strategy", "reports", "1", "--format", "json"]).output
    )
    assert [r["period"] for r in listed] == ["2026-H1", "2025"]
    table = runner.invoke(app, ["engagement", "strategy", "reports", "1"]).output
    assert "2026-H1" in table and "off track: 3" in table
    text = runner.invoke(
        app, ["engagement", "strategy", "report", "1", str(report["id"]), "--format", "csv"]
    ).output
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["indicator"] for r in rows] == [r["indicator"] for r in report["rows"]]
    assert rows[0]["latest_observation_id"] == str(report["rows"][0]["latest"]["id"])
    assert rows[0]["status"] == "off track"
    kept = json.loads(
        runner.invoke(app, ["engagement", "strategy", "report", "1", str(report["id"])]).output
    )
    assert kept["rows"] == report["rows"]
