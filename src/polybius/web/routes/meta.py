"""Health, vocabularies and store summary."""

from typing import Any

from fastapi import APIRouter

from polybius import __version__
from polybius.ontology import PLOVER_TYPES, QUAD_NAMES, quad_class
from polybius.records import MODALITIES
from polybius.store import queries
from polybius.web.db import StoreUnavailable, open_reader
from polybius.web.models import ErrorOut, Health, MetaOut, SummaryOut
from polybius.web.settings import WebSettings

__all__ = ["build"]


def build(settings: WebSettings) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz", response_model=Health, tags=["meta"])
    def healthz() -> dict[str, Any]:
        """Liveness: always 200 while the server runs; ``store`` says if the store is readable."""
        state = "ok"
        try:
            with open_reader(settings):
                pass
        except StoreUnavailable as exc:
            state = "busy" if exc.retry_after else "missing"
            if settings.db_path.exists() and not exc.retry_after:
                state = "error"
        return {"status": "ok", "store": state, "version": __version__}

    @router.get("/api/meta", response_model=MetaOut, tags=["meta"])
    def meta() -> dict[str, Any]:
        """Vocabularies the filters accept, and this server's limits."""
        return {
            "event_types": {t: quad_class(t) for t in PLOVER_TYPES},
            "quads": QUAD_NAMES,
            "modalities": list(MODALITIES),
            "max_page_size": settings.max_page_size,
            "code_enabled": bool(settings.token),
        }

    @router.get(
        "/api/summary",
        response_model=SummaryOut,
        responses={503: {"model": ErrorOut}},
        tags=["meta"],
    )
    def summary() -> dict[str, Any]:
        """Counts of articles, events and errors in the store, and its date range."""
        with open_reader(settings) as store:
            return queries.summary(store)

    return router
