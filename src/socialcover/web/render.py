"""Rendering pages: one Jinja2 environment (autoescape on) and the context every page gets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from socialcover.web.i18n import LANGUAGES, format_number, translations
from socialcover.web.routes.labels import term

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


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render ``template`` with the page context (language, user, CSRF token, helpers)."""
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
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "path": request.url.path,
        "term": lambda code: term(code, tr.gettext),
    }
    ctx.update(context or {})
    html = env.get_template(template).render(ctx)
    return HTMLResponse(html, status_code=status_code)
