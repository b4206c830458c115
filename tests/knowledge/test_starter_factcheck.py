"""The fact-check covers every starter record, and no starter claim is verified against a source
that predates it (the bars of the practice library: nothing wrong presented as verified)."""

from __future__ import annotations

from sqlalchemy import select

from socialcover.knowledge import practice_view, seed_starter_content
from socialcover.knowledge.seed import load_starter, starter_claims
from socialcover.store import Practice, PracticeClaim, SystemActor, session_scope

SEED = SystemActor("system:seed")


def test_every_starter_record_has_a_fact_check_entry() -> None:
    check = load_starter("factcheck")
    practices = {p["key"] for p in load_starter("practices")}
    publications = {p["key"] for p in load_starter("publications")}
    actors = load_starter("actors")
    organisations = {o["acronym"] for o in actors["organisations"]}
    partnerships = {f"{r['a']}-{r['b']}" for r in actors["partnerships"]}
    assert set(check["practices"]) == practices
    assert set(check["publications"]) == publications
    assert set(check["organisations"]) == organisations
    assert set(check["partnerships"]) == partnerships
    for section in ("practices", "publications", "organisations", "partnerships"):
        for key, entry in check[section].items():
            assert entry["result"] in {"corrected", "confirmed", "partly-confirmed", "unconfirmed"}
            if entry["result"] != "unconfirmed":
                assert entry["against"], (section, key)
            if entry["result"] == "corrected":
                assert entry.get("corrections") or entry.get("note"), (section, key)


def test_every_verified_starter_claim_has_a_dated_source_no_older_than_its_event() -> None:
    claims = starter_claims()  # validates every claim, the date rule included
    verified = [c for cs in claims.values() for c in cs if c.status == "verified"]
    assert len(verified) >= 40
    for claim in verified:
        assert claim.source is not None and claim.source.year is not None, claim.key
        assert claim.verified_against.strip() and claim.verified_by and claim.verified_on
        if claim.event_year is not None:
            assert claim.source.year >= claim.event_year, claim.key
    for key, cs in claims.items():
        assert cs, f"starter practice {key} has no key claims"
        assert len({c.key for c in cs}) == len(cs)
        for claim in cs:
            if claim.status == "unverified":
                assert claim.note.strip(), (key, claim.key)  # says what was (not) found


def test_the_reported_errors_are_corrected() -> None:
    practices = {p["key"]: p for p in load_starter("practices")}
    chile = practices["chl-1981-privatisation"]
    assert "period_end" not in chile and "1 January 1983" in chile["what_was_done"]
    assert "closed the public schemes to new entrants from 1981" not in chile["what_was_done"]
    poland = practices["pol-ofe-reversal"]
    assert "period_end" not in poland and "chose to leave" not in poland["results"]
    assert "2016-2017" not in practices["mng-child-money"]["what_was_done"]
    assert "2019" in practices["mng-child-money"]["what_was_done"]
    kenya = practices["ken-inua-jamii-70"]["results"]
    assert "exclusion errors" not in kenya and "400,000" in kenya
    ethiopia = practices["eth-psnp"]["results"]
    assert "protected assets" not in ethiopia and "little average impact" in ethiopia
    # sources that postdate nothing they support: each reform now has a source from its year on
    later = {"chl-2008-solidarity-pillar": 2022, "mus-basic-retirement-pension": 2025}
    for key, year in later.items():
        assert any((s.get("year") or 0) >= year for s in practices[key]["sources"]), key
    rempe = next(c for c in starter_claims()["cpv-independent-workers"] if c.key == "rempe-2014")
    assert rempe.source is not None and rempe.source.year != 2013


def test_the_third_pass_corrections_stay_made() -> None:
    practices = {p["key"]: p for p in load_starter("practices")}
    claims = {k: {c.key: c for c in cs} for k, cs in starter_claims().items()}
    nepal = practices["npl-old-age-allowance"]["what_was_done"]
    assert "2022/23" in nepal and "not applied" in nepal
    assert "2023" not in claims["npl-old-age-allowance"]["age-changes"].text
    ghana = practices["gha-nhis"]["results"]
    assert "many informal workers did not renew" not in ghana and "53 per cent" in ghana
    assert "petroleum" not in practices["tls-sai"]["summary"]
    assert "food security" not in practices["lso-old-age-pension"]["results"]
    assert "most were assigned" not in practices["arg-1994-afjp"]["what_was_done"]
    assert "2,518,505" in practices["pol-ofe-reversal"]["results"]
    assert "1 to 1.5 million" not in practices["pol-ofe-reversal"]["results"]
    cabo_verde = claims["cpv-independent-workers"]["self-employed-2009"]
    assert practices["cpv-independent-workers"]["period_start"] == 2003
    assert cabo_verde.event_year == 2003 and "before 2009" in cabo_verde.text
    chile = claims["chl-1981-privatisation"]
    assert {"low-replacement-rates-2014", "women-lower-annuities"} <= set(chile)
    assert all(c.status == "verified" for c in chile.values())
    # each part of a split claim cites a source dated from its own event on
    for key in ("low-coverage-pensions", "low-replacement-rates-2014", "women-lower-annuities"):
        claim = chile[key]
        assert claim.source is not None and claim.source.year >= (claim.event_year or 0)


def test_seeded_starter_practices_show_their_state_and_unverified_claims(db_url: str) -> None:
    with session_scope(SEED) as s:
        report = seed_starter_content(s)
    with session_scope(SEED) as s:
        again = seed_starter_content(s)
    assert report.created["claim"] == sum(len(c) for c in starter_claims().values())
    assert "claim" not in again.created
    with session_scope(write=False) as s:
        bolivia = s.scalars(
            select(Practice).where(Practice.starter_key == "bol-renta-dignidad")
        ).one()
        view = practice_view(s, None, bolivia.id)
        total = len(s.scalars(select(PracticeClaim)).all())
    assert total == report.created["claim"]
    assert view["verification"]["state"] == "starter"
    assert view["verification"]["unverified"]  # said plainly, claim by claim
    with session_scope(write=False) as s:
        kenya = s.scalars(select(Practice).where(Practice.starter_key == "ken-inua-jamii-70")).one()
        kenya_view = practice_view(s, None, kenya.id)
    assert kenya_view["verification"]["as_of"] == "2026-12-05"
    done = [c for c in kenya_view["claims"] if c["status"] == "verified"]
    assert done and all(c["verified_by"] == "socialcover starter fact-check" for c in done)
    # every practice whose key claims are all verified shows as verified, the others as starter
    fully = {k for k, cs in starter_claims().items() if all(c.status == "verified" for c in cs)}
    assert {"jor-maternity-insurance", "ken-inua-jamii-70", "mex-progresa"} <= fully
    assert {"chl-1981-privatisation", "gha-nhis", "npl-old-age-allowance", "bra-mei"} <= fully
    assert {"hun-private-pillar-reversal", "rwa-mutuelles"} <= fully
    with session_scope(write=False) as s:
        for p in s.scalars(select(Practice).where(Practice.starter_key.is_not(None))).all():
            state = practice_view(s, None, p.id)["verification"]["state"]
            assert state == ("verified" if p.starter_key in fully else "starter"), p.starter_key


def test_every_starter_organisation_was_checked_against_a_source() -> None:
    check = load_starter("factcheck")
    for acronym, entry in check["organisations"].items():
        assert entry["result"] != "unconfirmed", acronym
        assert entry["against"] and all(len(a) > 20 for a in entry["against"]), acronym
