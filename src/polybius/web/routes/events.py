"""Events: a filtered, paginated listing and one event with its evidence."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from polybius.store import queries
from polybius.web.db import open_reader
from polybius.web.evidence import article_full_text, event_to_dict, locate_highlights
from polybius.web.models import ErrorOut, EventDetail, EventPage
from polybius.web.params import (
    ID_MAX,
    ID_PATTERN,
    EventFilters,
    EventOrder,
    Page,
    event_filters,
    page_dependency,
)
from polybius.web.settings import WebSettings

__all__ = ["build"]

_SUMMARY_KEYS = (
    "article_id",
    "doc_id",
    "title",
    "date",
    "url",
    "source",
    "language",
    "duplicate_of",
    "events",
)
_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut},
    503: {"model": ErrorOut},
}


def build(settings: WebSettings) -> APIRouter:
    router = APIRouter(tags=["events"])
    page_dep = page_dependency(settings)

    @router.get("/api/events", response_model=EventPage, responses=_ERRORS)
    def list_events(
        filters: Annotated[EventFilters, Depends(event_filters)],
        page: Annotated[Page, Depends(page_dep)],
        order: Annotated[
            EventOrder,
            Query(description="date (oldest first), -date (newest first) or mentions."),
        ] = EventOrder.oldest,
    ) -> dict[str, Any]:
        """Events matching all the given filters, one page at a time.

        ``actor`` matches either side; ``source``/``target`` one side. ``total`` counts all
        matches, so a client can page with ``offset``.
        """
        kwargs = filters.as_kwargs()
        with open_reader(settings) as store:
            total = queries.count_events(store, **kwargs)
            events = queries.query_events(
                store, **kwargs, limit=page.limit, offset=page.offset, order=order.value
            )
        return {
            "total": total,
            "limit": page.limit,
            "offset": page.offset,
            "items": [event_to_dict(e) for e in events],
        }

    @router.get(
        "/api/events/{event_id}",
        response_model=EventDetail,
        responses={404: {"model": ErrorOut}, **_ERRORS},
    )
    def get_event(
        event_id: Annotated[str, Path(min_length=1, max_length=ID_MAX, pattern=ID_PATTERN)],
    ) -> dict[str, Any]:
        """One event, its sentence with trigger and actors located, and its article summary."""
        with open_reader(settings) as store:
            event = queries.get_event(store, event_id)
            if event is None:
                raise HTTPException(status_code=404, detail=f"no event with id {event_id!r}")
            article = queries.get_article(store, event.article_id)
        out = event_to_dict(event)
        full_text = article_full_text(article) if article else None
        out["highlights"] = locate_highlights(event, full_text)
        out["article"] = {k: article.get(k) for k in _SUMMARY_KEYS} if article else None
        return out

    return router
