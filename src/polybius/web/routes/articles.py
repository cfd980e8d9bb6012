"""Articles: a paginated listing and one article's text."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path

from polybius.store import queries
from polybius.web.db import open_reader
from polybius.web.models import ArticleOut, ArticlePage, ErrorOut
from polybius.web.params import ID_MAX, ID_PATTERN, DateRange, Page, date_range, page_dependency
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
    router = APIRouter(tags=["articles"])
    page_dep = page_dependency(settings)

    @router.get("/api/articles", response_model=ArticlePage, responses=_ERRORS)
    def list_articles(
        dates: Annotated[DateRange, Depends(date_range)],
        page: Annotated[Page, Depends(page_dep)],
    ) -> dict[str, Any]:
        """Stored articles (without their text), optionally within a date range."""
        with open_reader(settings) as store:
            rows = queries.list_articles(
                store, since=dates.since, until=dates.until, limit=page.limit, offset=page.offset
            )
            total = None
            if dates.since is None and dates.until is None:
                total = int(queries.summary(store).get("articles") or 0)
        return {
            "total": total,
            "limit": page.limit,
            "offset": page.offset,
            "items": [{k: r.get(k) for k in _SUMMARY_KEYS} for r in rows],
        }

    @router.get(
        "/api/articles/{article_id}",
        response_model=ArticleOut,
        responses={404: {"model": ErrorOut}, **_ERRORS},
    )
    def get_article(
        article_id: Annotated[str, Path(min_length=1, max_length=ID_MAX, pattern=ID_PATTERN)],
    ) -> dict[str, Any]:
        """One article with its text (cut to the server's limit; ``truncated`` says so)."""
        with open_reader(settings) as store:
            article = queries.get_article(store, article_id)
        if article is None:
            raise HTTPException(status_code=404, detail=f"no article with id {article_id!r}")
        text = article.get("text") or ""
        out = {k: article.get(k) for k in _SUMMARY_KEYS}
        out["text"] = text[: settings.max_article_chars]
        out["truncated"] = len(text) > settings.max_article_chars
        out["duplicates"] = list(article.get("duplicates") or [])[:1000]
        return out

    return router
