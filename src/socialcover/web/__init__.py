"""The web app and REST API: server-rendered pages (Jinja2 + HTMX) and ``/api/v1``.

The app is a thin adapter: each route parses its input, calls one public function of a
domain package (``socialcover.data``, ``knowledge``, ``costing``, ``indicators``...) and
renders the result as a page, a JSON document, or a CSV/XLSX export.

Build it with :func:`create_app`; :func:`serve` (``socialcover serve``) prepares the
database and runs it with uvicorn.
"""

from socialcover.web.app import create_app
from socialcover.web.server import serve
from socialcover.web.settings import Settings

__all__ = ["Settings", "create_app", "serve"]
