"""RawRecord: one article as a reader found it, before cleaning (internal to the package)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["RawRecord"]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One input record: raw text plus whatever metadata the format carried.

    ``locator`` names it in problems (``file.jsonl:17``); ``html`` says ``text`` is an HTML
    fragment; ``one_paragraph_per_line`` says every line of ``text`` is a paragraph (text
    extracted from HTML); ``from_feed`` marks a feed entry (whose link may be followed).
    ``date`` is the raw date value; ``date_fallback`` a second one
    tried when the first gives nothing (feedparser's parsed time).
    """

    locator: str
    doc_id: str
    text: str
    title: str | None = None
    date: Any = None
    date_fallback: Any = None
    url: str | None = None
    source: str | None = None
    html: bool = False
    one_paragraph_per_line: bool = False
    from_feed: bool = False
