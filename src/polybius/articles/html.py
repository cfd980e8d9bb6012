"""HTML to text: whole pages through trafilatura, small fragments (feed summaries) by hand.

``extract_page`` keeps a page's main text (navigation, footers, comments and related links
removed by trafilatura), its title and its publication date from metadata (``<meta>``,
JSON-LD, ``<time>``, the URL). ``fragment_to_text`` turns an HTML snippet into plain text
with one paragraph per block element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["PageText", "declared_charset", "extract_page", "fragment_to_text", "looks_like_html"]

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "table", "section", "article", "header", "footer", "pre", "hr", "dd", "dt",
    "figure", "figcaption",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "head"}
_HTML_HINT = re.compile(r"<(p|br|div|a|span|b|i|em|strong|li|h[1-6]|img)\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PageText:
    """What trafilatura found: main text (one paragraph per line), title, date, url, site."""

    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None


def extract_page(html: str, url: str | None = None) -> PageText | None:
    """Main text and metadata of an HTML page, or None when it has no main text."""
    import trafilatura  # slow to import: only when an HTML page is read

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return None
    text = getattr(doc, "text", None) or ""
    if not text.strip():
        return None
    return PageText(
        text=text,
        title=getattr(doc, "title", None) or None,
        date=getattr(doc, "date", None) or None,
        url=getattr(doc, "url", None) or url,
        sitename=getattr(doc, "sitename", None) or None,
    )


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data.replace("\n", " "))


def fragment_to_text(html: str) -> str:
    """Plain text of an HTML fragment: tags gone, entities decoded, blocks as paragraphs."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)


def looks_like_html(text: str) -> bool:
    """Whether a text field holds HTML markup rather than plain text."""
    return bool(_HTML_HINT.search(text[:5000]))


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag, if any."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace").lower() if m else None
