"""Saved costing scenarios: save and name a scenario, list them, read any version, compare two.

A saved scenario is a reviewed record (:class:`~socialcover.store.workflow.Workflow`): its
author's draft until a reviewer publishes it, every save a new audited version. Its document is
the scenario as :func:`socialcover.costing.load_scenario` validated it, with a preset package
expanded into its benefits, so that it costs the same later whatever happens to the presets.

A scenario is named on the command line and in the API by a *reference*: its id (``12``), its
name (``Kenya basic``), either with a version (``12@2``, ``Kenya basic@2``).

Examples
--------
>>> from socialcover.store import SystemActor, open_database, session_scope
>>> from socialcover.store.scenarios import get_scenario, save_scenario
>>> engine = open_database("sqlite:///scenarios-example.db")
>>> cli = SystemActor("cli")
>>> doc = {"country": "XDM", "horizon": 2030, "benefits": [{"name": "pension",
...        "eligibility": {"ages": [65, 100]}, "level": {"pct_of_gdp_per_capita": 20}}]}
>>> with session_scope(cli, engine=engine) as s:
...     first = save_scenario(s, cli, "Demo pension", doc)
...     doc["benefits"][0]["level"] = {"pct_of_gdp_per_capita": 25}
...     second = save_scenario(s, cli, "Demo pension", doc)
...     old = get_scenario(s, cli, "Demo pension@1")
>>> second.version, old.document["benefits"][0]["level"]
(2, {'pct_of_gdp_per_capita': 20.0})
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from socialcover.store._errors import RecordNotFoundError, ValidationError
from socialcover.store.audit import history
from socialcover.store.models import CostingScenario
from socialcover.store.workflow import REVIEW_STEPS, Workflow

if TYPE_CHECKING:
    import polars as pl

    from socialcover.costing import Scenario, ScenarioLike

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "SCENARIOS",
    "SavedScenario",
    "ScenarioRecordInput",
    "compare_saved",
    "get_scenario",
    "list_scenarios",
    "parse_reference",
    "save_scenario",
]

MAX_DOCUMENT_BYTES = 200_000
"""The largest scenario document kept (as JSON); a package of a few benefits is about 3 kB."""


class ScenarioRecordInput(BaseModel):
    """The editable fields of a saved scenario."""

    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=5000)
    document: dict[str, Any]

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v or "@" in v or v.isdigit():
            raise ValueError(
                "a scenario name needs a letter and no '@' (it names the scenario in "
                "'NAME@VERSION'), e.g. 'Kenya basic package'"
            )
        return v

    @field_validator("document")
    @classmethod
    def _bounded(cls, v: dict[str, Any]) -> dict[str, Any]:
        size = len(json.dumps(v, default=str))
        if size > MAX_DOCUMENT_BYTES:
            raise ValueError(
                f"the scenario document is {size:,} bytes; at most {MAX_DOCUMENT_BYTES:,} are kept"
            )
        return v


def _where(scenario: Scenario) -> tuple[str | None, str]:
    """The country's ISO3 code, or the label of the group or list the scenario names."""
    from socialcover.data import check_iso3

    if scenario.country is not None:
        given = scenario.country.strip()
        if re.fullmatch(r"[A-Za-z]{3}", given):
            try:
                return check_iso3(given.upper()), ""
            except ValueError as exc:
                raise ValidationError(
                    f"The costing scenario is not valid: country: {exc}",
                    hint="Give an ISO3 code of the installed data pack, e.g. KEN.",
                    fields=["document.country"],
                ) from None
        from socialcover.costing.inputs import resolve_country

        return resolve_country(given), ""
    countries = scenario.countries
    return None, ("all" if countries == "all" else ", ".join(countries or []))[:300]


def stored_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as it is kept: validated, presets expanded (no ``package`` key)."""
    doc = scenario.model_dump(mode="json", exclude_none=True)
    doc.pop("package", None)
    return doc


def _prepare(session: Session, values: dict[str, Any], record: Any) -> None:
    from socialcover.costing import load_scenario

    document = dict(values["document"])
    document["name"] = values["name"]
    scenario = load_scenario(document)
    values["package"] = str(document.get("package") or "")[:60]
    values["country_iso3"], values["countries"] = _where(scenario)
    values["document"] = stored_document(scenario)


SCENARIOS: Workflow[CostingScenario] = Workflow(
    CostingScenario,
    "costing scenario",
    ScenarioRecordInput,
    read="scenario.read_published",
    draft="scenario.draft",
    edit_any="scenario.edit_any",
    review="scenario.publish",
    delete="scenario.delete",
    read_drafts="scenario.read_drafts",
    steps=REVIEW_STEPS,
    actions="scenario",
    prepare=_prepare,
)
"""The saved scenarios' workflow (audit actions ``scenario.create``, ``scenario.publish``...)."""


@dataclass(frozen=True)
class SavedScenario:
    """One version of a saved scenario, detached from the session."""

    id: int
    name: str
    version: int
    latest_version: int
    description: str
    country_iso3: str | None
    countries: str
    package: str
    status: str
    created_by_id: int | None
    updated_at: dt.datetime
    document: dict[str, Any]

    @property
    def reference(self) -> str:
        """``id@version``: names exactly this version."""
        return f"{self.id}@{self.version}"

    @property
    def where(self) -> str:
        """The country, or the group the scenario covers."""
        return self.country_iso3 or self.countries

    def scenario(self) -> Scenario:
        """The document as a :class:`~socialcover.costing.Scenario`, ready to cost."""
        from socialcover.costing import load_scenario

        return load_scenario(self.document)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (``updated_at`` in ISO 8601)."""
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "latest_version": self.latest_version,
            "reference": self.reference,
            "description": self.description,
            "country_iso3": self.country_iso3,
            "countries": self.countries,
            "package": self.package,
            "status": self.status,
            "updated_at": self.updated_at.isoformat(),
            "document": self.document,
        }

    @classmethod
    def of(cls, record: CostingScenario) -> SavedScenario:
        return cls(
            id=record.id,
            name=record.name,
            version=record.version,
            latest_version=record.version,
            description=record.description,
            country_iso3=record.country_iso3,
            countries=record.countries,
            package=record.package,
            status=record.status,
            created_by_id=record.created_by_id,
            updated_at=record.updated_at,
            document=dict(record.document),
        )


def parse_reference(ref: str | int) -> tuple[int | str, int | None]:
    """Split a reference into (id or name, version or None).

    Examples
    --------
    >>> parse_reference("12@3"), parse_reference("Kenya basic"), parse_reference(7)
    ((12, 3), ('Kenya basic', None), (7, None))
    """
    if isinstance(ref, int):
        return ref, None
    text = ref.strip()
    version: int | None = None
    head, at, tail = text.rpartition("@")
    if at:
        if not tail.strip().isdigit() or int(tail) < 1:
            raise ValidationError(
                f"Scenario reference {ref!r}: the version after '@' must be a number from 1.",
                code="store.bad-reference",
                hint="Write NAME@VERSION or ID@VERSION, e.g. 'Kenya basic@2' or 12@2.",
            )
        text, version = head.strip(), int(tail)
    if not text:
        raise ValidationError(
            f"Scenario reference {ref!r} names no scenario.",
            code="store.bad-reference",
            hint="Give a scenario's id or name; `socialcover cost scenarios` lists them.",
        )
    return (int(text) if text.isdigit() else text), version


def _find(session: Session, actor: Any, key: int | str) -> CostingScenario:
    if isinstance(key, int):
        return SCENARIOS.get(session, actor, key)
    q = select(CostingScenario).where(func.lower(CostingScenario.name) == key.lower())
    clause = SCENARIOS.visible_clause(actor)
    if clause is not None:
        q = q.where(clause)
    found = list(session.scalars(q.order_by(CostingScenario.id)).all())
    if not found:
        names = session.scalars(
            select(CostingScenario.name).where(clause if clause is not None else true())
        ).all()
        import difflib

        near = difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
        raise RecordNotFoundError(
            f"No costing scenario named {key!r}."
            + (f" Did you mean {', '.join(repr(n) for n in near)}?" if near else ""),
            hint="List the saved scenarios with `socialcover cost scenarios` "
            "(GET /api/v1/costing/scenarios).",
        )
    if len(found) > 1:
        raise ValidationError(
            f"{len(found)} costing scenarios are named {key!r} "
            f"(ids {', '.join(str(r.id) for r in found)}).",
            code="store.ambiguous",
            hint="Name one by its id, e.g. " + f"{found[0].id} or {found[0].id}@1.",
        )
    return found[0]


def get_scenario(
    session: Session, actor: Any, ref: str | int, version: int | None = None
) -> SavedScenario:
    """A saved scenario, at its latest version or at ``version`` (from its audit history).

    Parameters
    ----------
    ref
        Its id or name, optionally with ``@version`` (see :func:`parse_reference`).
    version
        A version number (overrides one given in ``ref``).

    Raises
    ------
    RecordNotFoundError
        No such scenario that ``actor`` may see (drafts are their author's and editors').
    ValidationError
        A name shared by several visible scenarios (``store.ambiguous``), or no such version
        (``store.no-such-version``).
    """
    key, at = parse_reference(ref)
    version = version if version is not None else at
    record = _find(session, actor, key)
    current = SavedScenario.of(record)
    if version is None or version == record.version:
        return current
    rows = [
        r
        for r in history(session, CostingScenario.__tablename__, record.id)
        if r.version == version and r.after is not None
    ]
    if not rows or version > record.version:
        raise ValidationError(
            f"Costing scenario {record.id} ({record.name!r}) has no version {version}.",
            code="store.no-such-version",
            hint=f"Its versions run from 1 to {record.version}.",
        )
    after = rows[-1].after or {}
    return SavedScenario(
        id=record.id,
        name=str(after["name"]),
        version=version,
        latest_version=record.version,
        description=str(after.get("description", "")),
        country_iso3=after.get("country_iso3"),
        countries=str(after.get("countries", "")),
        package=str(after.get("package", "")),
        status=str(after.get("status", "")),
        created_by_id=after.get("created_by_id"),
        updated_at=dt.datetime.fromisoformat(after["updated_at"]),
        document=dict(after["document"]),
    )


def save_scenario(
    session: Session,
    actor: Any,
    name: str,
    scenario: ScenarioLike,
    *,
    description: str | None = None,
    expected_version: int | None = None,
) -> SavedScenario:
    """Save ``scenario`` under ``name``: a new record, or a new version of the one so named.

    The scenario is validated completely first (:func:`socialcover.costing.load_scenario`);
    a bad one raises and saves nothing. An existing scenario of that name is updated only if
    ``actor`` may edit it (its author while a draft, or an editor), and only from
    ``expected_version`` when given (``store.stale`` otherwise).

    Returns
    -------
    SavedScenario
        The version just saved.
    """
    from socialcover.costing import Scenario, load_scenario

    if isinstance(scenario, Scenario):
        document: dict[str, Any] = scenario.model_dump(mode="json", exclude_none=True)
    elif isinstance(scenario, dict):
        document = dict(scenario)
    else:
        document = stored_document(load_scenario(scenario))
    clean = " ".join(name.split())
    q = select(CostingScenario).where(func.lower(CostingScenario.name) == clean.lower())
    clause = SCENARIOS.visible_clause(actor)
    if clause is not None:
        q = q.where(clause)
    mine = [
        r for r in session.scalars(q.order_by(CostingScenario.id)) if SCENARIOS.may_edit(actor, r)
    ]
    if not mine:
        values = {"name": clean, "document": document, "description": description or ""}
        record = SCENARIOS.create(session, actor, values)
    else:
        changes: dict[str, Any] = {"name": clean, "document": document}
        if description is not None:
            changes["description"] = description
        record = SCENARIOS.update(
            session, actor, mine[-1].id, changes, expected_version=expected_version
        )
    return SavedScenario.of(record)


def list_scenarios(
    session: Session, actor: Any, *, country: str | None = None, limit: int = 500
) -> list[SavedScenario]:
    """The saved scenarios ``actor`` may see, last changed first (``country``: one ISO3)."""
    q = select(CostingScenario).order_by(CostingScenario.updated_at.desc(), CostingScenario.id)
    clause = SCENARIOS.visible_clause(actor)
    if clause is not None:
        q = q.where(clause)
    if country:
        q = q.where(CostingScenario.country_iso3 == country.strip().upper())
    return [SavedScenario.of(r) for r in session.scalars(q.limit(limit)).all()]


def compare_saved(
    session: Session, actor: Any, first: str | int, second: str | int
) -> tuple[list[SavedScenario], pl.DataFrame]:
    """Two saved scenarios, or two versions of one, costed and set side by side year by year.

    Returns
    -------
    (scenarios, table)
        The two versions compared, and the table of
        :func:`socialcover.costing.compare_scenarios`: per scenario, country and year the
        cost in LCU, US$, % of GDP and % of government expenditure, with the differences from
        the first (``diff_*``). Scenarios are labelled ``name@version``.
    """
    from socialcover.costing import compare_scenarios

    a = get_scenario(session, actor, first)
    b = get_scenario(session, actor, second)
    labels = [f"{a.name}@{a.version}", f"{b.name}@{b.version}"]
    if labels[0] == labels[1]:
        labels = [f"{a.reference} {a.name}", f"{b.reference} {b.name}"]
    table = compare_scenarios([a.scenario(), b.scenario()], names=labels)
    return [a, b], table
