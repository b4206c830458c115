"""Rendering pages: one Jinja2 environment (autoescape on) and the context every page gets."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from socialcover.web.cache import Lru
from socialcover.web.i18n import LANGUAGES, format_number, translations
from socialcover.web.labels import term
from socialcover.web.names import country_name, group_name, number_locale

TEMPLATE_DIR = Path(__file__).parent / "templates"

env = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _json_script(value: Any) -> Markup:
    """JSON safe to put inside ``<script type="application/json">`` (no ``</script>`` break-out)."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


env.filters["json_script"] = _json_script


def _diff_value(value: Any, limit: int = 400) -> str:
    """One field's value in a history diff: text as is (escaped by the template), long text cut."""
    if value is None or value == "":
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


env.filters["diff_value"] = _diff_value


# Anonymous pages are cached with this slot where the reader's own CSRF token goes.
_CSRF_SLOT = "csrf-slot-" + secrets.token_hex(16)
_PAGES: Lru[str] = Lru(512)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    *,
    cache_key: tuple[Any, ...] | None = None,
) -> HTMLResponse:
    """Render ``template`` with the page context (language, user, CSRF token, helpers).

    With ``cache_key`` (which must include :func:`socialcover.web.database.public_version`), an
    anonymous reader's page is kept and served again by :func:`cached_page`.
    """
    user = getattr(request.state, "user", None)
    token = getattr(request.state, "csrf_token", "")
    if cache_key is None or user is not None or status_code != 200:
        return HTMLResponse(_render(request, template, context, token), status_code=status_code)
    html = _render(request, template, context, _CSRF_SLOT)
    _PAGES.put(_page_key(request, template, cache_key), html)
    return HTMLResponse(html.replace(_CSRF_SLOT, token))


def cached_page(request: Request, template: str, cache_key: tuple[Any, ...]) -> HTMLResponse | None:
    """The anonymous page rendered before under ``cache_key``, with this reader's CSRF token."""
    if getattr(request.state, "user", None) is not None:
        return None
    html = _PAGES.get(_page_key(request, template, cache_key))
    if html is None:
        return None
    return HTMLResponse(html.replace(_CSRF_SLOT, getattr(request.state, "csrf_token", "")))


_BUILDING: dict[tuple[Any, ...], asyncio.Event] = {}


async def page_once(
    request: Request,
    template: str,
    cache_key: tuple[Any, ...] | None,
    build: Callable[[], Awaitable[HTMLResponse]],
) -> HTMLResponse:
    """An anonymous page from the cache, else built by one request while the others wait.

    A write puts every cached page out of date at once (``cache_key`` includes the data
    version), and the readers who arrive together then all miss: without this, each of them
    would build the same page at the same moment. ``build`` renders the page with
    ``render(..., cache_key=cache_key)``. Signed-in readers (and a ``None`` key) always build.
    """
    if cache_key is None or getattr(request.state, "user", None) is not None:
        return await build()
    page = cached_page(request, template, cache_key)
    if page is not None:
        return page
    key = (id(asyncio.get_running_loop()), *_page_key(request, template, cache_key))
    event = _BUILDING.get(key)
    if event is not None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), 30)
        page = cached_page(request, template, cache_key)
        return page if page is not None else await build()
    event = _BUILDING[key] = asyncio.Event()
    try:
        return await build()
    finally:
        del _BUILDING[key]
        event.set()


def _page_key(request: Request, template: str, cache_key: tuple[Any, ...]) -> tuple[Any, ...]:
    return (template, getattr(request.state, "lang", "en"), request.url.path, cache_key)


def _render(request: Request, template: str, context: dict[str, Any] | None, token: str) -> str:
    lang: str = getattr(request.state, "lang", "en")
    tr = translations(lang)
    ctx: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "languages": LANGUAGES,
        "_": tr.gettext,
        "ngettext": tr.ngettext,
        "num": lambda v, d=1: format_number(v, lang, d),
        "user": getattr(request.state, "user", None),
        "csrf_token": token,
        "path": request.url.path,
        "term": lambda code: term(code, tr.gettext),
        "country_name": lambda iso3, name=None: country_name(iso3, name, lang),
        "group_name": lambda name: group_name(name, tr.gettext),
        "number_locale": number_locale(lang),
    }
    ctx.update(context or {})
    return env.get_template(template).render(ctx)
