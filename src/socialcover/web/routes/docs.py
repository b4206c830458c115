"""The REST API's interactive documentation (Swagger UI, vendored: nothing loads from a CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from socialcover.web.access import Need

router = APIRouter(include_in_schema=False)


@router.get("/api/v1/docs", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def api_docs() -> HTMLResponse:
    """Swagger UI over /api/v1/openapi.json."""
    return get_swagger_ui_html(
        openapi_url="/api/v1/openapi.json",
        title="socialcover REST API",
        swagger_js_url="/static/vendor/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
