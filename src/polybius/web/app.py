"""The FastAPI application: JSON API under /api, the dashboard at /, OpenAPI at /docs.

``create_app`` is the only entry point; ``polybius serve`` calls it and hands the app to
uvicorn, tests call it and talk to it in-process. The store is opened read-only per request
(see ``polybius.web.db``), so the server never blocks a writer for long.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from polybius import __version__
from polybius.web.errors import install_error_handlers
from polybius.web.routes import analysis, articles, code, events, meta
from polybius.web.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from polybius.web.settings import DEFAULT_MAX_PAGE_SIZE, WebSettings

__all__ = ["CONFIG_ENV", "STATIC_DIR", "app_from_env", "create_app"]

#: Environment variable through which ``polybius serve --workers N`` hands its settings to
#: each uvicorn worker process (JSON: the keyword arguments of ``create_app``).
CONFIG_ENV = "POLYBIUS_WEB_CONFIG"

#: The dashboard's files; the only directory the server ever serves files from.
STATIC_DIR = Path(__file__).resolve().parent / "static"

_DESCRIPTION = """\
Read-only HTTP API over a polybius event store, and the dashboard that uses it.

All parameters are validated (bounded strings, ISO dates, PLOVER types, quad 1-4); errors
are JSON `{"detail": ...}` with status 4xx. `POST /api/code` is disabled unless the server
was started with a token, and then needs `Authorization: Bearer <token>`.
"""


def create_app(
    db_path: str | Path = "polybius.duckdb",
    *,
    token: str | None = None,
    cors_origins: Iterable[str] | None = None,
    max_page_size: int = DEFAULT_MAX_PAGE_SIZE,
    allowed_hosts: Iterable[str] | None = None,
    lock_retry_seconds: float = 2.0,
) -> FastAPI:
    """Build the web app over the store at ``db_path`` (opened read-only per request).

    ``token`` enables ``POST /api/code`` (at least 16 characters). ``cors_origins`` lists
    origins allowed to call the API from a browser (none by default). ``allowed_hosts``
    restricts the Host header (``polybius serve`` sets it to the loopback names when bound to
    127.0.0.1, against DNS rebinding). ``max_page_size`` bounds ``limit`` on listings.
    """
    settings = WebSettings(
        db_path=Path(db_path),
        token=token or None,
        cors_origins=tuple(cors_origins or ()),
        allowed_hosts=tuple(allowed_hosts or ()),
        max_page_size=max_page_size,
        lock_retry_seconds=lock_retry_seconds,
    )
    app = FastAPI(
        title="polybius",
        version=__version__,
        description=_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    install_error_handlers(app)

    for module in (meta, events, articles, analysis, code):
        app.include_router(module.build(settings))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="polybius API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Middleware: the last added runs first.
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    if settings.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    return app


def app_from_env() -> FastAPI:
    """Build the app from the JSON settings in ``$POLYBIUS_WEB_CONFIG`` (uvicorn factory).

    Used when ``polybius serve`` runs several worker processes: uvicorn imports this in each
    worker, so the settings travel through the environment rather than as arguments.
    """
    raw = os.environ.get(CONFIG_ENV)
    if not raw:
        raise RuntimeError(f"{CONFIG_ENV} is not set: start the server with `polybius serve`")
    config: dict[str, Any] = json.loads(raw)
    db_path = config.pop("db_path")
    return create_app(db_path, **config)
