"""The web API and dashboard: ``create_app(db_path, ...)`` builds the FastAPI app."""

from __future__ import annotations

from polybius.web.app import STATIC_DIR, create_app

__all__ = ["STATIC_DIR", "create_app"]
