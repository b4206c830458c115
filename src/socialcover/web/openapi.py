"""The OpenAPI schema as the API's contract: the error shape, security, content types.

FastAPI describes each route from its signature. This module completes that description for
every ``/api/`` operation, from what the app itself does, so that the schema is what a client
meets (schemathesis checks it: tests/web/test_api_schemathesis.py):

- every error is the one shape (``ErrorBody``, see :mod:`socialcover.web.error_shape`), never
  FastAPI's ``{"detail": ...}``: 401 (sign-in or token), 403 (role, token scope, CSRF), 404
  (an unknown record or code), 409 (a stale version or a taken name) on writes, 413 (a body
  over its limit) where there is a body, 422 (invalid parameters), 429 (anonymous heavy work);
- the ``bearer`` security scheme (the Authorize button of ``/api/v1/docs``): required where the
  route's action needs an account, optional where anyone may call it;
- a success schema where the route's own is empty (lists: ``items`` and the paging fields);
- the content types of the ``format=`` choices (CSV, Excel, SDMX-CSV, SVG, PNG, BibTeX...).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from socialcover.web.access import Need, allowed, needs_of
from socialcover.web.heavy import heavy_work
from socialcover.web.schemas import ErrorBody
from socialcover.web.schemas.knowledge import CslItem

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}

FORMAT_MEDIA = {
    "json": "application/json",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sdmx": "application/vnd.sdmx.data+csv",
    "svg": "image/svg+xml",
    "png": "image/png",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "bibtex": "application/x-bibtex",
    "text": "text/plain",
}

# Routes that answer a file whatever their parameters say.
FILE_MEDIA = {
    ("get", "/api/v1/costing/workbook"): FORMAT_MEDIA["xlsx"],
    ("get", "/api/v1/publications/{pid}/file"): "application/pdf",
}

ERROR_TEXT = {
    "400": "The body could not be read (not JSON, or a file of an unknown format).",
    "401": "Sign-in or API token needed, or the token is unknown, expired or revoked.",
    "403": "The caller's role or token scope does not allow this, or the CSRF token is missing.",
    "404": "No such record, or an unknown code in the request.",
    "409": "The record changed since it was read (a stale version), or the name is taken.",
    "413": "The request body (or upload) is over its limit.",
    "422": "Invalid parameters or body; `fields` names each bad one.",
    "429": "Too many heavy requests from this address without signing in; see Retry-After.",
}

LIST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Page",
    "required": ["items"],
    "properties": {
        "items": {"type": "array", "items": {"type": "object"}},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0},
        "next": {"type": ["string", "null"]},
        "previous": {"type": ["string", "null"]},
    },
}


CSL_SCHEMA: dict[str, Any] = {
    "type": "array",
    "title": "CSL-JSON",
    "items": CslItem.model_json_schema(),
}
"""A CSL-JSON document (Citation Style Language): a list of items, here of one."""


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the completed schema (built once, then kept)."""

    def _openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
            )
            app.openapi_schema = complete(schema, app)
        return app.openapi_schema

    app.openapi = _openapi  # type: ignore[method-assign]


def complete(schema: dict[str, Any], app: FastAPI) -> dict[str, Any]:
    """Add the error shape, security, success schemas and content types to ``schema``."""
    comps = schema.setdefault("components", {})
    schemas = comps.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    error_schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorBody"] = error_schema
    comps["securitySchemes"] = {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token, created on the account page (`/account`).",
        }
    }
    from fastapi.routing import iter_route_contexts

    routes = {
        (method.lower(), str(ctx.path)): ctx
        for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.original_route, APIRoute)
        for method in ctx.methods or ()
    }
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            route = routes.get((method, path))
            if route is not None:
                _complete_operation(op, method, path, route)
    return schema


def _is_heavy(route: Any) -> bool:
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        if dep.call is heavy_work:
            return True
        stack.extend(dep.dependencies)
    return False


def _public(needs: list[Need]) -> bool:
    """Anyone may call it (an account adds to what they see, at most)."""
    return all(not n.signed_in and (n.action is None or allowed(None, n.action)) for n in needs)


def _complete_operation(op: dict[str, Any], method: str, path: str, route: Any) -> None:
    public = _public(needs_of(route))
    op["security"] = [{}, {"bearer": []}] if public else [{"bearer": []}]
    codes = {"401", "403", "404", "422"}
    if method in ("post", "put", "patch", "delete"):
        codes |= {"409", "413"}
    if "requestBody" in op:
        codes.add("400")
    if _is_heavy(route):
        codes.add("429")
    responses = op.setdefault("responses", {})
    for code in sorted(codes):
        old = responses.get(code, {})
        responses[code] = {
            "description": old.get("description") or ERROR_TEXT[code],
            "content": {"application/json": {"schema": ERROR_REF}},
        }
        if code == "429":
            responses[code]["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer"},
                }
            }
    for code, resp in responses.items():
        if code.startswith("2") and code != "204":
            _complete_success(resp, op, method, path)


def _formats(op: dict[str, Any]) -> list[str]:
    for prm in op.get("parameters", []):
        if prm.get("name") == "format" and prm.get("in") == "query":
            sch = prm.get("schema", {})
            return [str(v) for v in sch.get("enum", [])]
    return []


def _complete_success(resp: dict[str, Any], op: dict[str, Any], method: str, path: str) -> None:
    content = resp.setdefault("content", {})
    fixed = FILE_MEDIA.get((method, path))
    if fixed:
        resp["content"] = {fixed: {"schema": {"type": "string", "format": "binary"}}}
        return
    formats = _formats(op)
    json_part = content.get("application/json")
    if json_part is not None and not json_part.get("schema"):
        is_list = "json" in formats and {"csv", "xlsx"} & set(formats)
        json_part["schema"] = LIST_SCHEMA if is_list else {"type": "object"}
    for fmt in formats:
        media = FORMAT_MEDIA[fmt]
        if media == "application/json" and "application/json" in content:
            continue
        content.setdefault(media, {"schema": {"type": "string"}})
    if formats and "json" not in formats:
        content.pop("application/json", None)
    for media, part in content.items():
        if not part.get("schema"):
            part["schema"] = {"type": "object"} if "json" in media else {"type": "string"}
        elif "json" in media and media != "application/json":
            part["schema"] = CSL_SCHEMA  # CSL-JSON is a list of items
