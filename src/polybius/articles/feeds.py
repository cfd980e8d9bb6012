"""RSS and Atom feeds (files or URLs) through feedparser, and fetching URLs.

Each feed entry becomes one record: its longest content (else its summary, else its title)
as text, its title, link, id and publication date. A feed that feedparser cannot read
(``bozo`` with no entries) or that has no entries gives one ReadProblem naming it.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

from polybius.articles.problems import ReadProblem
from polybius.articles.raw import RawRecord

__all__ = [
    "FETCH_TIMEOUT_S",
    "MAX_FETCH_BYTES",
    "fetch_url",
    "follow_link",
    "is_feed",
    "read_feed",
]

#: Seconds to wait for a URL.
FETCH_TIMEOUT_S = 30.0
#: Largest response read from a URL.
MAX_FETCH_BYTES = 50_000_000
_USER_AGENT = "polybius (news event coder; +https://github.com/)"
_FEED_TAGS = (b"<rss", b"<feed", b"<rdf:rdf", b"<channel")


def is_feed(head: bytes) -> bool:
    """Whether the first bytes of a document look like RSS, RDF or Atom."""
    lowered = head[:4096].lower()
    return any(tag in lowered for tag in _FEED_TAGS) and b"<html" not in lowered[:512]


def fetch_url(url: str) -> bytes | ReadProblem:
    """The body of ``url`` (at most MAX_FETCH_BYTES), or a ReadProblem saying why not."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:  # noqa: S310
            data: bytes = response.read(MAX_FETCH_BYTES + 1)
    except urllib.error.HTTPError as exc:
        return ReadProblem(url, f"could not fetch: HTTP {exc.code} {exc.reason}", "unreadable")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return ReadProblem(url, f"could not fetch: {reason}", "unreadable")
    if len(data) > MAX_FETCH_BYTES:
        return ReadProblem(url, f"response larger than {MAX_FETCH_BYTES:,} bytes", "too_long")
    return data


def _entry_text(entry: Any) -> tuple[str, bool]:
    """(text, is_html) of an entry: its longest content block, else its summary."""
    best, best_html = "", False
    for block in entry.get("content") or ():
        value = block.get("value") or ""
        if len(value) > len(best):
            best, best_html = value, "html" in (block.get("type") or "html")
    if not best.strip():
        best = entry.get("summary") or ""
        detail = entry.get("summary_detail") or {}
        best_html = "html" in (detail.get("type") or "html")
    return best, best_html


def read_feed(data: bytes, locator: str, name: str) -> Iterator[RawRecord | ReadProblem]:
    """Records from the RSS/Atom document ``data`` read from ``locator`` (shown as ``name``)."""
    import feedparser  # imported lazily, like the other readers

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if parsed.get("bozo"):  # a broken document may still give some readable entries
        entries = [e for e in entries if e.get("title") or _entry_text(e)[0].strip()]
    if not entries:
        if parsed.get("bozo"):
            exc = parsed.get("bozo_exception")
            detail = getattr(exc, "getMessage", lambda: str(exc))()
            yield ReadProblem(
                locator, f"broken feed, no entries could be read: {detail}", "malformed"
            )
        else:
            yield ReadProblem(locator, "feed has no entries", "empty")
        return
    feed_title = (parsed.get("feed") or {}).get("title") or None
    for number, entry in enumerate(entries, 1):
        where = f"{locator}:{number}"
        text, is_html = _entry_text(entry)
        title = entry.get("title") or None
        if not text.strip():
            if not title:
                yield ReadProblem(where, "feed entry has neither text nor title", "no_text")
                continue
            text, is_html, title = title, False, None  # a headline-only entry: code the headline
        entry_id = entry.get("id") or entry.get("link")
        yield RawRecord(
            locator=where,
            doc_id=str(entry_id) if entry_id else f"{name}:{number}",
            text=text,
            title=title,
            date=entry.get("published") or entry.get("updated") or entry.get("created"),
            date_fallback=entry.get("published_parsed") or entry.get("updated_parsed"),
            url=entry.get("link") or None,
            source=feed_title,
            html=is_html,
            from_feed=True,
        )


def follow_link(record: RawRecord) -> tuple[RawRecord, ReadProblem | None]:
    """The feed entry ``record`` with the main text of the page it links to.

    The entry keeps its own id, title and date (the page's date fills a missing one). When
    the page cannot be fetched or has no main text, the entry is kept as it was, with a
    warning (``skipped=False``) saying why.
    """
    from dataclasses import replace

    from polybius.articles.html import extract_page
    from polybius.articles.sources import decode_bytes

    if not record.url or not record.url.startswith(("http://", "https://")):
        return record, None
    body = fetch_url(record.url)
    if isinstance(body, ReadProblem):
        why = body.reason
    else:
        text = decode_bytes(body, record.url)
        if isinstance(text, ReadProblem):
            text = body.decode("utf-8", errors="replace")
        page = extract_page(text, url=record.url)
        if page is not None:
            followed = replace(
                record,
                text=page.text,
                title=record.title or page.title,
                date=record.date or page.date,
                html=False,
                one_paragraph_per_line=True,
            )
            return followed, None
        why = "no main text found in the linked page"
    warning = ReadProblem(
        record.locator, f"kept the feed's summary: {record.url}: {why}", "unreadable", skipped=False
    )
    return record, warning
