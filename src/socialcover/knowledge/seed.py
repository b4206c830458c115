"""Load the starter content shipped in ``knowledge/starter/*.yaml`` (idempotent).

Practices and publications are matched by their ``key`` (stored as ``starter_key``),
organisations by name, partnerships and links by their ends: what exists is left as it is
(never overwritten, since reviewers may have edited it), what is missing is created. Starter
practices are published with ``is_starter`` set and a review note asking reviewers to verify
them against their sources. Every record is validated before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcover.actors import OrganisationInput, find_organisation
from socialcover.knowledge.claims import ClaimInput, new_claim_row
from socialcover.knowledge.practices import PracticeInput
from socialcover.knowledge.publications import PublicationInput
from socialcover.store import (
    Organisation,
    Partnership,
    Practice,
    PracticeClaim,
    PracticeOrganisation,
    Publication,
    PublicationOrganisation,
    ValidationError,
    flush_audited,
    validate_input,
)
from socialcover.store.models import utcnow

__all__ = [
    "STARTER_NOTE",
    "SeedReport",
    "load_starter",
    "seed_starter_content",
    "starter_claims",
]

STARTER_NOTE = (
    "Starter content shipped with socialcover: a reviewer should verify it against the cited "
    "sources (figures, dates, names) before relying on it."
)
"""The review comment every starter record carries."""


@dataclass
class SeedReport:
    """What a seed run created, and what it found already there."""

    created: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, created: bool) -> None:
        target = self.created if created else self.kept
        target[kind] = target.get(kind, 0) + 1


def load_starter(name: str) -> Any:
    """The parsed content of ``starter/<name>.yaml``."""
    text = (
        resources.files("socialcover.knowledge")
        .joinpath(f"starter/{name}.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


def _validated() -> tuple[list[tuple[str, PracticeInput]], list[tuple[str, PublicationInput]]]:
    practices = []
    translations = load_starter("translations") or {}
    keys = {item["key"] for item in load_starter("practices")}
    if unknown := sorted(set(translations) - keys):
        raise ValidationError(
            f"starter/translations.yaml has keys of no starter practice: {unknown}.",
            hint="Use the `key` of an entry of starter/practices.yaml.",
        )
    for item in load_starter("practices"):
        data = dict(item)
        key = data.pop("key")
        data.setdefault("translations", translations.get(key, {}))
        practices.append((key, validate_input(PracticeInput, data, f"starter practice {key!r}")))
    publications = []
    for item in load_starter("publications"):
        data = dict(item)
        key = data.pop("key")
        publications.append(
            (key, validate_input(PublicationInput, data, f"starter publication {key!r}"))
        )
    return practices, publications


def starter_claims() -> dict[str, list[ClaimInput]]:
    """The claims of each starter practice, from ``starter/factcheck.yaml``, validated.

    A verified claim without its own reviewer and day takes the fact-check's (``checked_by``,
    ``checked_on``). Every claim passes the date rule (no source older than its event).
    """
    from socialcover.knowledge.claims import check_source_dates

    check = load_starter("factcheck")
    out: dict[str, list[ClaimInput]] = {}
    for key, record in (check.get("practices") or {}).items():
        claims = []
        for raw in record.get("claims") or []:
            data = dict(raw)
            if data.get("status") == "verified":
                data.setdefault("verified_by", check["checked_by"])
                data.setdefault("verified_on", check["checked_on"])
            claim = validate_input(ClaimInput, data, f"claim of starter practice {key!r}")
            check_source_dates(claim, f"starter practice {key!r}, claim")
            claims.append(claim)
        out[key] = claims
    return out


def seed_starter_content(session: Session) -> SeedReport:
    """Create the missing starter organisations, practices, publications, claims and links."""
    practices, publications = _validated()
    claims = starter_claims()
    actors = load_starter("actors")
    orgs = [
        validate_input(OrganisationInput, o, "starter organisation")
        for o in actors["organisations"]
    ]
    report = SeedReport()
    now = utcnow()
    for org_in in orgs:
        found = find_organisation(session, org_in.name)
        if found is None:
            _add(session, Organisation(**org_in.model_dump(), is_starter=True))
        report.add("organisation", found is None)
    for key, p_in in practices:
        found_p = session.scalars(select(Practice).where(Practice.starter_key == key)).first()
        if found_p is None:
            values = p_in.model_dump()
            _add(
                session,
                Practice(
                    **values,
                    status="published",
                    published_at=now,
                    review_comment=STARTER_NOTE,
                    is_starter=True,
                    starter_key=key,
                ),
            )
        report.add("practice", found_p is None)
        if found_p is not None and not found_p.translations and p_in.translations:
            # seeded before the translations existed: add them (an audited change)
            found_p.translations = p_in.model_dump()["translations"]
            flush_audited(session, "seed", "starter content: translations")
            report.add("translation", True)
        practice = session.scalars(select(Practice).where(Practice.starter_key == key)).one()
        have = set(
            session.scalars(
                select(PracticeClaim.claim_key).where(PracticeClaim.practice_id == practice.id)
            ).all()
        )
        for claim in claims.get(key, []):
            if claim.key not in have:
                _add(session, new_claim_row(practice.id, claim))
            report.add("claim", claim.key not in have)
    for key, pub_in in publications:
        found_pub = session.scalars(
            select(Publication).where(Publication.starter_key == key)
        ).first()
        if found_pub is None:
            _add(
                session,
                Publication(
                    **pub_in.model_dump(),
                    status="published",
                    is_starter=True,
                    starter_key=key,
                ),
            )
        report.add("publication", found_pub is None)
    for rel in actors.get("partnerships", []):
        a, b = _org(session, rel["a"]), _org(session, rel["b"])
        exists = session.scalars(
            select(Partnership).where(
                Partnership.organisation_a_id == a.id,
                Partnership.organisation_b_id == b.id,
                Partnership.kind == rel["kind"],
            )
        ).first()
        if exists is None:
            _add(
                session,
                Partnership(
                    organisation_a_id=a.id,
                    organisation_b_id=b.id,
                    kind=rel["kind"],
                    description=rel.get("description", ""),
                    start_year=rel.get("start_year"),
                ),
            )
        report.add("partnership", exists is None)
    for link in actors.get("links", []):
        org = _org(session, link["organisation"])
        report.add("link", _link(session, link, org))
    return report


def _add(session: Session, record: Any) -> None:
    """Add one starter record and write it now, its audit row naming the seed."""
    session.add(record)
    flush_audited(session, "seed", "starter content")


def _org(session: Session, name: str) -> Organisation:
    org = find_organisation(session, name)
    if org is None:
        raise ValidationError(
            f"Starter content names an unknown organisation {name!r}.",
            hint="Add it to starter/actors.yaml under organisations.",
        )
    return org


def _link(session: Session, link: dict[str, Any], org: Organisation) -> bool:
    role = link.get("role", "implementer")
    if "practice" in link:
        p = session.scalars(select(Practice).where(Practice.starter_key == link["practice"])).one()
        exists = session.scalars(
            select(PracticeOrganisation).where(
                PracticeOrganisation.practice_id == p.id,
                PracticeOrganisation.organisation_id == org.id,
                PracticeOrganisation.role == role,
            )
        ).first()
        if exists is None:
            _add(session, PracticeOrganisation(practice_id=p.id, organisation_id=org.id, role=role))
        return exists is None
    pub = session.scalars(
        select(Publication).where(Publication.starter_key == link["publication"])
    ).one()
    exists_pub = session.scalars(
        select(PublicationOrganisation).where(
            PublicationOrganisation.publication_id == pub.id,
            PublicationOrganisation.organisation_id == org.id,
            PublicationOrganisation.role == role,
        )
    ).first()
    if exists_pub is None:
        _add(
            session,
            PublicationOrganisation(publication_id=pub.id, organisation_id=org.id, role=role),
        )
    return exists_pub is None
