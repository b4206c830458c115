"""Press releases whose figures come from the indicator store, never typed, under embargo.

A press release is a reviewed record (:data:`PRESS_RELEASES`): texts in English, French and/or
Spanish where ``{{ name }}`` stands for a figure, and the figures themselves, each a value of
the indicator store (:mod:`socialcover.monitor`): an approved observation of an indicator for a
country, a group or the world, or a regional or world aggregate. A number typed in the text
("45.2%", "1.4 billion") is refused: figures are placeholders.

**The embargo.** Before ``embargo_until`` nothing of a release is visible to anyone but its
author and the editors: not its text, not its title, not that it exists (the page and the API
answer 404, exactly as for a record that does not exist). From that moment a published release
is public, with the figures of the store at that moment: the first read after the embargo
reads them and freezes them on the release, with the store's data version, so that the release
keeps saying what it said when it came out, whatever is revised later
(:func:`release_due` freezes every release whose embargo has passed, for a scheduled job).
Every function takes ``now`` (an injectable clock; the current time by default).

Examples
--------
>>> t = PressReleaseInput(texts={"en": {"title": "Coverage", "body": "{{ world }} covered."}},
...     figures=[{"name": "world", "indicator": "sdg131.at_least_one_benefit", "area": "World",
...               "year": 2023, "source": "aggregate", "format": "percent"}],
...     embargo_until="2030-01-01T08:00:00Z")
>>> sorted(placeholders(t.texts["en"].body))
['world']
>>> format_figure(52.35, "percent", 1, "fr")
'52,4\\xa0%'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, Field, field_validator, model_validator
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from socialcover.errors import NotFoundError
from socialcover.store import (
    LANGUAGES,
    REVIEW_STEPS,
    RecordNotFoundError,
    Workflow,
    can,
    flush_audited,
)
from socialcover.store.fields import IsoDateTime
from socialcover.store.models import Observation, PressRelease, utcnow
from socialcover.store.workflow import PUBLISHED

__all__ = [
    "FIGURE_FORMATS",
    "PRESS_RELEASES",
    "FigureSpec",
    "PressReleaseInput",
    "PressReleaseView",
    "create_press_release",
    "data_version",
    "format_figure",
    "get_press_release",
    "list_press_releases",
    "placeholders",
    "preview_press_release",
    "publish_press_release",
    "read_figures",
    "release_due",
    "submit_press_release",
    "update_press_release",
]

FigureFormat = Literal["percent", "number", "millions", "billions"]
FIGURE_FORMATS: tuple[str, ...] = ("percent", "number", "millions", "billions")
"""How a figure is written: a percentage, a number, or in millions or billions (of persons)."""

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
# A typed figure: a number followed by a percent sign or a unit word, in the three languages.
_TYPED = re.compile(
    r"\d[\d.,\s\u00a0]*\s*(%|per\s*cent|percent|pour\s*cent|por\s*ciento|"
    r"millions?|milliards?|billions?|millones|mil\s+millones|millón)",
    re.IGNORECASE,
)
_UNIT_WORDS = {
    "millions": {"en": "million", "fr": "millions", "es": "millones"},
    "billions": {"en": "billion", "fr": "milliards", "es": "mil millones"},
}


def placeholders(text: str) -> set[str]:
    """The names of the figures a text uses (``{{ name }}``)."""
    return set(_PLACEHOLDER.findall(text))


def format_figure(value: float | None, fmt: str, digits: int, language: str) -> str:
    """A figure as a reader of ``language`` writes it (Babel's locale data); ``None`` is "n/a".

    ``percent`` takes a value in percent (0-100); ``millions`` and ``billions`` a count.
    Halves round up, as a reader expects (21.25 is 21.3), not to the even digit.
    """
    from decimal import ROUND_HALF_UP, Decimal

    from babel import Locale
    from babel.numbers import format_decimal, format_percent

    if value is None:
        return {"en": "n/a", "fr": "n.d.", "es": "n.d."}.get(language, "n/a")
    scale = {"millions": Decimal(10) ** 6, "billions": Decimal(10) ** 9}.get(fmt, Decimal(1))
    number = (Decimal(repr(float(value))) / scale).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
    )
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    if fmt == "percent":
        # the locale's own percent pattern (French and Spanish put a space before %)
        own = Locale.parse(language).percent_formats[None].pattern
        return str(
            format_percent(number / 100, format=own.replace("#,##0", pattern), locale=language)
        )
    text = str(format_decimal(number, format=pattern, locale=language))
    return f"{text} {_UNIT_WORDS[fmt][language]}" if fmt in _UNIT_WORDS else text


class FigureSpec(BaseModel):
    """One figure of a release: which value of the store, and how it is written.

    ``source="store"`` reads the approved observation of ``indicator`` for ``area`` (an ISO3
    code, or a group as the store names it) in ``year``; ``source="aggregate"`` computes the
    group's aggregate (``socialcover.monitor.aggregate_store``), whose ``field`` is ``value``,
    ``population`` or ``not_covered`` (persons without the benefit).
    """

    model_config = pydantic.ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    indicator: str = Field(max_length=80)
    area: str = Field(min_length=1, max_length=60)
    year: int = Field(ge=1990, le=2100)
    sex: Literal["both", "female", "male"] = "both"
    source: Literal["store", "aggregate"] = "store"
    field: Literal["value", "population", "not_covered"] = "value"
    format: FigureFormat = "number"
    digits: int = Field(default=1, ge=0, le=3)

    @field_validator("indicator")
    @classmethod
    def _known(cls, v: str) -> str:
        from socialcover.monitor import get_indicator

        try:
            return get_indicator(v.strip()).code
        except NotFoundError as exc:
            raise ValueError(exc.message + " " + exc.hint) from None

    @model_validator(mode="after")
    def _field_fits(self) -> FigureSpec:
        if self.source == "store" and self.field != "value":
            raise ValueError(f"field {self.field!r} is an aggregate's; a stored value is `value`")
        return self


class PressText(BaseModel):
    """A release's title and body in one language."""

    model_config = pydantic.ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=300)
    body: str = Field(min_length=1, max_length=20000)


class PressReleaseInput(BaseModel):
    """A release as its author writes it: texts, figures, embargo (validated whole)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    texts: dict[str, PressText] = Field(min_length=1)
    figures: list[FigureSpec] = Field(default_factory=list, max_length=40)
    embargo_until: IsoDateTime

    @field_validator("texts")
    @classmethod
    def _languages(cls, v: dict[str, PressText]) -> dict[str, PressText]:
        bad = sorted(set(v) - set(LANGUAGES))
        if bad:
            raise ValueError(f"languages {bad} are not among {', '.join(LANGUAGES)}")
        for lang, text in v.items():
            for part in (text.title, text.body):
                typed = _TYPED.search(_PLACEHOLDER.sub("", part))
                if typed:
                    raise ValueError(
                        f"the {lang} text types the figure {typed.group(0).strip()!r}; write "
                        "a placeholder such as {{ world_coverage }} and declare it in figures"
                    )
        return v

    @field_validator("embargo_until")
    @classmethod
    def _aware(cls, v: dt.datetime) -> dt.datetime:
        return v.replace(tzinfo=dt.UTC) if v.tzinfo is None else v.astimezone(dt.UTC)

    @model_validator(mode="after")
    def _declared(self) -> PressReleaseInput:
        names = [f.name for f in self.figures]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"figures {twice} are declared twice")
        used = set().union(*(placeholders(t.title + t.body) for t in self.texts.values()))
        missing = sorted(used - set(names))
        if missing:
            raise ValueError(
                f"the texts use {{{{ {missing[0]} }}}} but no figure is named {missing[0]!r}; "
                f"declare every placeholder in figures ({', '.join(missing)})"
            )
        return self


PRESS_RELEASES: Workflow[PressRelease] = Workflow(
    PressRelease,
    "press release",
    PressReleaseInput,
    read="press.read_published",
    draft="press.draft",
    edit_any="press.edit_any",
    review="press.publish",
    delete="press.delete",
    read_drafts="press.read_drafts",
    steps=REVIEW_STEPS,
    actions="press",
)
"""The release's workflow: contributors draft and submit; reviewers publish (public once the
embargo has passed), return with a comment, or withdraw."""


def _now(now: dt.datetime | None) -> dt.datetime:
    return utcnow() if now is None else now.astimezone(dt.UTC)


def _privileged(actor: Any, release: PressRelease) -> bool:
    """Its author and the editors see a release whatever its state and embargo."""
    return PRESS_RELEASES.is_owner(actor, release) or can(
        getattr(actor, "role", None), "press.read_drafts"
    )


def _public(release: PressRelease, now: dt.datetime) -> bool:
    return release.status == PUBLISHED and release.embargo_until <= now


def data_version(session: Session) -> str:
    """The version of the data a figure is read from: the store's newest observation row and
    the installed pack's version (``store:<n>;pack:<version>``)."""
    from socialcover.data import pack_status

    latest = session.scalar(select(func.max(Observation.id))) or 0
    pack = pack_status()
    return f"store:{latest};pack:{pack.version if pack else 'none'}"


def read_figures(session: Session, figures: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The figures' values in the store now (approved data only, as the public reads them).

    Returns ``{name: {"value", "indicator", "area", "year", "sex", "source", "revision",
    "vintage", "reason"}}``; a figure without a value has ``value`` ``None`` and a reason.
    """
    from socialcover import monitor

    out: dict[str, dict[str, Any]] = {}
    for raw in figures:
        spec = FigureSpec.model_validate(raw)
        row: dict[str, Any] = {
            "value": None,
            "indicator": spec.indicator,
            "area": spec.area,
            "year": spec.year,
            "sex": spec.sex,
            "source": "",
            "revision": None,
            "vintage": "",
            "reason": "",
        }
        if spec.source == "store":
            frame = monitor.observations(
                session, None, indicator=spec.indicator, area=spec.area, years=spec.year
            )
            frame = frame.filter(frame["sex"] == spec.sex)
            if frame.height:
                obs = frame.row(0, named=True)
                row.update(value=obs["value"], source=obs["source"], vintage=obs["vintage"])
                row["revision"] = session.scalar(
                    select(func.max(Observation.revision)).where(
                        Observation.indicator == spec.indicator,
                        Observation.area == spec.area,
                        Observation.year == spec.year,
                        Observation.sex == spec.sex,
                    )
                )
            else:
                row["reason"] = "no approved value in the store"
        else:
            table = monitor.aggregate_store(session, None, spec.indicator, spec.year, sex=spec.sex)
            table = table.filter(table["group"] == spec.area)
            if table.height and table.row(0, named=True)[spec.field] is not None:
                row["value"] = float(table.row(0, named=True)[spec.field])
                row["source"] = monitor.AGGREGATE_SOURCE
            else:
                row["reason"] = f"no aggregate for {spec.area!r}"
        out[spec.name] = row
    return out


@dataclass(frozen=True)
class PressReleaseView:
    """A release as it reads in one language, its placeholders filled."""

    id: int
    language: str
    languages: tuple[str, ...]
    title: str
    body: str
    figures: dict[str, dict[str, Any]]
    embargo_until: dt.datetime
    status: str
    public: bool
    frozen_at: dt.datetime | None
    data_version: str | None

    def as_dict(self) -> dict[str, Any]:
        """The view as JSON values."""
        return {
            "id": self.id,
            "language": self.language,
            "languages": list(self.languages),
            "title": self.title,
            "body": self.body,
            "figures": self.figures,
            "embargo_until": self.embargo_until.isoformat(),
            "status": self.status,
            "public": self.public,
            "frozen_at": self.frozen_at.isoformat() if self.frozen_at else None,
            "data_version": self.data_version,
        }


def _fill(text: str, figures: dict[str, dict[str, Any]], specs: dict[str, Any], lang: str) -> str:
    def one(m: re.Match[str]) -> str:
        spec = specs[m.group(1)]
        return format_figure(
            figures[m.group(1)]["value"], spec.get("format", "number"), spec.get("digits", 1), lang
        )

    return _PLACEHOLDER.sub(one, text)


def _freeze(session: Session, release: PressRelease, now: dt.datetime) -> None:
    release.frozen_figures = read_figures(session, release.figures)
    release.data_version = data_version(session)
    release.frozen_at = now
    flush_audited(session, "press.release", f"figures frozen at {now.isoformat()}")


def _view(
    session: Session, release: PressRelease, language: str, now: dt.datetime
) -> PressReleaseView:
    public = _public(release, now)
    if public and release.frozen_figures is None:
        _freeze(session, release, now)
    figures = (
        release.frozen_figures
        if release.frozen_figures is not None
        else read_figures(session, release.figures)  # a preview: the store's values now
    )
    lang = language if language in release.texts else next(iter(release.texts))
    specs = {f["name"]: f for f in release.figures}
    text = release.texts[lang]
    return PressReleaseView(
        id=release.id,
        language=lang,
        languages=tuple(release.texts),
        title=_fill(text["title"], figures, specs, lang),
        body=_fill(text["body"], figures, specs, lang),
        figures=figures,
        embargo_until=release.embargo_until,
        status=release.status,
        public=public,
        frozen_at=release.frozen_at,
        data_version=release.data_version,
    )


def _not_found(release_id: int) -> RecordNotFoundError:
    return RecordNotFoundError(
        f"No press release {release_id}.",
        hint="It may not exist, or not be public yet; list the public releases.",
    )


def get_press_release(
    session: Session,
    actor: Any,
    release_id: int,
    language: str = "en",
    *,
    now: dt.datetime | None = None,
) -> PressReleaseView:
    """A release in ``language`` (or its first language), its figures filled.

    Anyone reads a published release once its embargo has passed: the first such read freezes
    its figures (so call it in a write session). Its author and the editors read it at any
    time, with the store's values now until it is frozen.

    Raises
    ------
    socialcover.store.RecordNotFoundError
        No such release, or one under embargo (or a draft) for this reader: the same answer.
    """
    moment = _now(now)
    release = session.get(PressRelease, release_id)
    if release is None or not (
        (_public(release, moment) and can(getattr(actor, "role", None), "press.read_published"))
        or _privileged(actor, release)
    ):
        raise _not_found(release_id)
    return _view(session, release, language, moment)


def preview_press_release(
    session: Session, actor: Any, data: PressReleaseInput | Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """A draft release as it would read, in each of its languages, with the store's figures
    now (approved data only); nothing is saved. For the drafting form (``press.draft``).

    Returns ``{language: {"title", "body"}}`` and, under ``"figures"``, the values read.

    Raises
    ------
    socialcover.store.ValidationError
        The same refusals as :func:`create_press_release` (an undeclared placeholder, a typed
        figure, an unknown indicator).
    """
    from socialcover.store import require, validate_input

    require(getattr(actor, "role", None), "press.draft")
    release = validate_input(PressReleaseInput, data, "press release")
    specs = [f.model_dump() for f in release.figures]
    figures = read_figures(session, specs)
    by_name = {f["name"]: f for f in specs}
    out: dict[str, dict[str, Any]] = {
        lang: {
            "title": _fill(text.title, figures, by_name, lang),
            "body": _fill(text.body, figures, by_name, lang),
        }
        for lang, text in release.texts.items()
    }
    out["figures"] = figures
    return out


def list_press_releases(
    session: Session, actor: Any, *, now: dt.datetime | None = None, limit: int = 500
) -> list[PressRelease]:
    """The releases ``actor`` may see, newest embargo first: for the public, the published
    releases whose embargo has passed."""
    moment = _now(now)
    stmt: Select[tuple[PressRelease]] = select(PressRelease)
    public = (PressRelease.status == PUBLISHED) & (PressRelease.embargo_until <= moment)
    if not can(getattr(actor, "role", None), "press.read_drafts"):
        uid = getattr(actor, "id", None)
        stmt = stmt.where(public if uid is None else or_(public, PressRelease.created_by_id == uid))
    stmt = stmt.order_by(PressRelease.embargo_until.desc(), PressRelease.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def release_due(session: Session, *, now: dt.datetime | None = None) -> list[int]:
    """Freeze the figures of every published release whose embargo has passed and that no one
    has read yet; return their ids (for a scheduled job: ``socialcover press release-due``)."""
    moment = _now(now)
    due = session.scalars(
        select(PressRelease).where(
            PressRelease.status == PUBLISHED,
            PressRelease.embargo_until <= moment,
            PressRelease.frozen_figures.is_(None),
        )
    ).all()
    for release in due:
        _freeze(session, release, moment)
    return [r.id for r in due]


def create_press_release(
    session: Session, actor: Any, data: PressReleaseInput | Mapping[str, Any]
) -> PressRelease:
    """Draft a release (``press.draft``); refused with ``store.invalid`` if a text types a
    figure, uses an undeclared placeholder, or a figure names an unknown indicator."""
    return PRESS_RELEASES.create(session, actor, data)


def update_press_release(
    session: Session,
    actor: Any,
    release_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> PressRelease:
    """Change a release's texts, figures or embargo (its author while a draft; editors)."""
    return PRESS_RELEASES.update(
        session, actor, release_id, changes, expected_version=expected_version
    )


def submit_press_release(session: Session, actor: Any, release_id: int) -> PressRelease:
    """Send a draft release to review."""
    return PRESS_RELEASES.move(session, actor, release_id, "submit")


def publish_press_release(
    session: Session, actor: Any, release_id: int, comment: str = ""
) -> PressRelease:
    """Publish a release (a reviewer): it becomes public when its embargo passes."""
    return PRESS_RELEASES.move(session, actor, release_id, "publish", comment)
