"""Saved costing scenarios: saved whole or not at all, versioned, read back, compared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from socialcover.costing import ScenarioError, project_costs
from socialcover.store import (
    ConflictError,
    CostingScenario,
    RecordNotFoundError,
    SystemActor,
    ValidationError,
    create_user,
    history,
    session_scope,
)
from socialcover.store.scenarios import (
    compare_saved,
    get_scenario,
    list_scenarios,
    parse_reference,
    save_scenario,
)

CLI = SystemActor("cli")


@pytest.fixture
def db(installed_pack: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty database of each kind, with the real data pack (for countries and costs)."""
    monkeypatch.setenv("SOCIALCOVER_HOME", str(installed_pack))
    return db_url


def _kenya(level: float = 20.0) -> dict[str, Any]:
    return {
        "country": "KEN",
        "horizon": 2030,
        "benefits": [
            {
                "name": "pension",
                "guarantee": "old_age",
                "eligibility": {"ages": [65, 100]},
                "level": {"pct_of_gdp_per_capita": level},
            }
        ],
    }


def test_saving_again_makes_a_version_and_every_version_reads_back(db: str) -> None:
    with session_scope(CLI) as s:
        first = save_scenario(s, CLI, "  Kenya   pension ", _kenya(20))
        second = save_scenario(s, CLI, "kenya pension", _kenya(25), description="richer")
    assert (first.id, first.version, second.id, second.version) == (first.id, 1, first.id, 2)
    assert second.name == "kenya pension" and second.country_iso3 == "KEN"
    with session_scope(write=False) as s:
        old = get_scenario(s, CLI, f"{first.id}@1")
        new = get_scenario(s, CLI, "Kenya pension")
        assert [r.action for r in history(s, "costing_scenarios", first.id)] == [
            "scenario.create",
            "scenario.update",
        ]
    assert old.version == 1 and old.latest_version == 2 and old.description == ""
    assert old.document["benefits"][0]["level"] == {"pct_of_gdp_per_capita": 20.0}
    assert new.document["benefits"][0]["level"] == {"pct_of_gdp_per_capita": 25.0}
    assert new.document["name"] == "kenya pension"
    # the document stored is the validated scenario: it costs the same as the input
    ours = project_costs(new.scenario()).totals["cost_lcu"].to_list()
    theirs = project_costs({**_kenya(25), "name": "x"}).totals["cost_lcu"].to_list()
    assert ours == theirs


def test_a_preset_is_written_out_so_the_saved_scenario_keeps_its_benefits(db: str) -> None:
    with session_scope(CLI) as s:
        saved = save_scenario(
            s, CLI, "Kenya basic", {"country": "KEN", "package": "campaign-basic"}
        )
    assert saved.package == "campaign-basic" and "package" not in saved.document
    assert [b["name"] for b in saved.document["benefits"]] == [
        "universal_pension",
        "child_benefit",
    ]


def test_a_bad_scenario_saves_nothing(db: str) -> None:
    bad = _kenya()
    bad["benefits"][0]["takeup"] = {"start_pct": 150}
    with session_scope(CLI) as s, pytest.raises(ScenarioError, match="150"):
        save_scenario(s, CLI, "Broken", bad)
    with session_scope(CLI) as s, pytest.raises(ValidationError, match="ZZZ"):
        save_scenario(s, CLI, "Nowhere", {**_kenya(), "country": "ZZZ"})
    with session_scope(CLI) as s, pytest.raises(ValidationError, match="name"):
        save_scenario(s, CLI, "v@2", _kenya())
    with session_scope(write=False) as s:
        assert s.query(CostingScenario).count() == 0


def test_a_group_scenario_records_its_group(db: str) -> None:
    with session_scope(CLI) as s:
        saved = save_scenario(
            s, CLI, "East", {**_kenya(), "country": None, "countries": ["KEN", "UGA"]}
        )
        assert [x.where for x in list_scenarios(s, CLI)] == ["KEN, UGA"]
    assert saved.country_iso3 is None and saved.countries == "KEN, UGA"


def test_drafts_are_their_authors_and_stale_saves_are_refused(db: str) -> None:
    with session_scope(CLI) as s:
        ana = create_user(s, CLI, "ana@example.org", "a long passphrase", "contributor")
        ben = create_user(s, CLI, "ben@example.org", "a long passphrase", "contributor")
    with session_scope(ana) as s:
        mine = save_scenario(s, ana, "Ana's pension", _kenya())
    with session_scope(ben) as s:
        assert list_scenarios(s, ben) == []
        with pytest.raises(RecordNotFoundError, match="Ana's pension"):
            get_scenario(s, ben, "Ana's pension")
        # Ben's save under the same name is his own scenario, not a version of Ana's
        assert save_scenario(s, ben, "Ana's pension", _kenya(30)).id != mine.id
    with session_scope(ana) as s:
        save_scenario(s, ana, "Ana's pension", _kenya(22), expected_version=1)
    with session_scope(ana) as s, pytest.raises(ConflictError, match="version 2"):
        save_scenario(s, ana, "Ana's pension", _kenya(24), expected_version=1)
    with session_scope(CLI) as s, pytest.raises(ValidationError, match="ids") as info:
        get_scenario(s, CLI, "Ana's pension")  # an editor sees both: ambiguous
    assert info.value.code == "store.ambiguous"


def test_references_and_missing_versions(db: str) -> None:
    assert parse_reference("Kenya basic @ 3") == ("Kenya basic", 3)
    for bad in ("x@", "x@0", "@2", "  "):
        with pytest.raises(ValidationError) as info:
            parse_reference(bad)
        assert info.value.code == "store.bad-reference"
    with session_scope(CLI) as s:
        save_scenario(s, CLI, "Kenya pension", _kenya())
    with session_scope(write=False) as s:
        with pytest.raises(ValidationError) as info:
            get_scenario(s, CLI, "Kenya pension@4")
        assert info.value.code == "store.no-such-version"
        with pytest.raises(RecordNotFoundError, match="Did you mean 'Kenya pension'"):
            get_scenario(s, CLI, "Kenya pensoin")


def test_two_versions_compared_year_by_year_obey_the_identities(db: str) -> None:
    with session_scope(CLI) as s:
        save_scenario(s, CLI, "Kenya pension", _kenya(20))
        save_scenario(s, CLI, "Kenya pension", _kenya(30))
        (a, b), table = compare_saved(s, CLI, "Kenya pension@1", "Kenya pension@2")
    assert (a.version, b.version) == (1, 2)
    assert set(table["scenario"]) == {"Kenya pension@1", "Kenya pension@2"}
    first = table.filter(pl.col("scenario") == "Kenya pension@1").sort("year")
    second = table.filter(pl.col("scenario") == "Kenya pension@2").sort("year")
    assert first["year"].to_list() == list(range(2025, 2031))
    # no cap, full take-up: cost is linear in the level, so version 2 costs 1.5 times version 1
    for col in ("cost_lcu", "cost_usd", "cost_pct_gdp", "cost_pct_gov_expenditure"):
        ratio = (second[col] / first[col]).to_numpy()
        assert ratio == pytest.approx([1.5] * 6, rel=1e-12)
        diff = (second[col] - first[col]).to_numpy()
        assert second[f"diff_{col}"].to_numpy() == pytest.approx(diff, rel=1e-12)
        assert first[f"diff_{col}"].to_list() == [0.0] * 6
    # US$ = LCU / exchange rate; % of GDP = LCU / GDP: the engine's own macro paths
    macro = project_costs(b.scenario()).macro.sort("year")
    usd = (second["cost_lcu"] / macro["exchange_rate_lcu_per_usd"]).to_numpy()
    assert second["cost_usd"].to_numpy() == pytest.approx(usd, rel=1e-12)
    pct = (second["cost_lcu"] / macro["gdp_lcu"] * 100).to_numpy()
    assert second["cost_pct_gdp"].to_numpy() == pytest.approx(pct, rel=1e-12)


def test_a_saved_preset_keeps_the_presets_provenance(db: str) -> None:
    from socialcover.costing import load_scenario

    scenario = load_scenario({"country": "KEN", "package": "ess58", "horizon": 2026})
    with session_scope(CLI) as s:
        saved = save_scenario(s, CLI, "Kenya ESS 58", scenario)
    again = project_costs(saved.scenario())
    prov = {r["assumption"]: r["source"] for r in again.provenance.iter_rows(named=True)}
    assert "ESS" in prov["child_benefit.level"]  # the preset's source, not "user"
    first = project_costs(scenario).provenance
    assert again.provenance.equals(first)
