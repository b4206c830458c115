"""The REST API's interactive documentation (Swagger UI, vendored: nothing loads from a CDN).

The page has no inline script (``/static/api-docs.js`` starts Swagger UI), so it is served
under the same Content-Security-Policy as every other page.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from socialcover.web.access import Need

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>socialcover REST API</title>
  <link rel="icon" href="/static/favicon.svg">
  <link rel="stylesheet" href="/static/vendor/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="/api/v1/openapi.json"></div>
  <script src="/static/vendor/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"""


@router.get("/api/v1/docs", response_class=HTMLResponse, dependencies=[Depends(Need(None))])
async def api_docs() -> HTMLResponse:
    """Swagger UI over /api/v1/openapi.json."""
    return HTMLResponse(PAGE)
