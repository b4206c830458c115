"""`socialcover engagement ...`: the Demoland engagement written, listed, shown, costed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from socialcover.cli.app import app
from socialcover.data import install_demo


def test_the_demo_engagement_from_the_command_line(db_url: str) -> None:
    install_demo()
    runner = CliRunner()
    made = runner.invoke(app, ["engagement", "demo", "--url", db_url])
    assert made.exit_code == 0, made.output
    listed = json.loads(runner.invoke(app, ["engagement", "list", "--format", "json"]).output)
    assert [(r["country_iso3"], r["current_stage"]) for r in listed] == [("XDM", "strategy")]
    shown = json.loads(
        runner.invoke(app, ["engagement", "show", str(listed[0]["id"]), "--format", "json"]).output
    )
    assert shown["matrix"][0]["observation"]["value"] == 9.8
    costs = json.loads(
        runner.invoke(app, ["engagement", "costs", str(listed[0]["id"]), "--format", "json"]).output
    )
    assert costs["recommendation_ids"] == [1, 2] and costs["years"][0]["year"] == 2025
    people = json.loads(runner.invoke(app, ["engagement", "participants", "1"]).output)
    assert len(people) == 6 and {p["sex"] for p in people} == {"female", "male"}
    stage = runner.invoke(app, ["engagement", "list", "--stage", "costed"])
    assert stage.exit_code != 0
