"""Cleaning raw article text: headline apart, paragraphs split, repeats and boilerplate gone.

``clean_text(raw)`` returns ``(title, body)``. The rules, in order:

1. characters are normalised (``normalise.normalise_text``: NFKC, ASCII quotes and dashes,
   spaces collapsed, control and invisible characters removed, mojibake repaired);
2. boilerplate lines (``boilerplate.BOILERPLATE_PATTERNS``) are dropped; a dropped line ends
   the paragraph it stood in;
3. paragraphs are split on blank lines. Inside a paragraph a line break is a hard wrap (joined
   with a space) when the line does not end a sentence and the next line starts in lower case
   or the line is long; otherwise the next line starts a new paragraph, so a headline never
   merges into the sentence after it;
4. exact repeats (case, spacing and punctuation aside) of any paragraph are dropped;
5. the headline: the given ``title`` if any (its repeats in the body are dropped), else the
   first paragraph when it looks like a headline (at most ``MAX_HEADLINE_CHARS`` characters,
   two words or more, no final full stop, comma, colon or semicolon) and more text follows.

The body is the remaining paragraphs joined by one blank line. Cleaning is idempotent:
``clean_text(title + "\\n\\n" + body)`` gives back ``(title, body)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from polybius.articles.boilerplate import dateline_date, is_boilerplate
from polybius.articles.normalise import normalise_line, normalise_text

__all__ = [
    "CleanedText",
    "MAX_HEADLINE_CHARS",
    "clean_document",
    "clean_text",
    "looks_like_headline",
    "paragraph_key",
]

#: Longest first line that may be taken for a headline.
MAX_HEADLINE_CHARS = 200
#: A wrapped line at least this long is joined to the next even when that starts in capitals.
_WRAP_CHARS = 60
_CLOSERS = "\"')]}"
_SENTENCE_END = ".!?:;"
_NOT_HEADLINE_END = ".,;:"
_KEY_DROP = re.compile(r"[^\w\s]+")


@dataclass(frozen=True, slots=True)
class CleanedText:
    """The result of cleaning: headline, body, what was dropped, and any dateline found."""

    title: str
    body: str
    dropped: tuple[str, ...] = ()
    dateline: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n") if self.body else []


def paragraph_key(text: str) -> str:
    """The comparison key for repeats: case-folded, punctuation and spacing ignored."""
    return " ".join(_KEY_DROP.sub(" ", text.casefold()).split())


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def looks_like_headline(line: str) -> bool:
    """Short, at least two words, and no final full stop, comma, colon or semicolon."""
    if not line or len(line) > MAX_HEADLINE_CHARS or "\n" in line:
        return False
    if len(line.split()) < 2 or not any(ch.isalpha() for ch in line):
        return False
    stripped = line.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] not in _NOT_HEADLINE_END


def _split_paragraphs(lines: list[str], *, one_per_line: bool) -> list[str]:
    """Group non-blank lines into paragraphs (``None`` entries are hard breaks)."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(normalise_line(" ".join(current)))
            current.clear()

    for line in lines:
        if not line:
            flush()
            continue
        if current and not one_per_line:
            prev = current[-1]
            wrapped = not _ends_sentence(prev) and (line[0].islower() or len(prev) >= _WRAP_CHARS)
            if not wrapped:
                flush()
        elif current:
            flush()
        current.append(line)
    flush()
    return paragraphs


def clean_document(
    raw: str, *, title: str | None = None, one_paragraph_per_line: bool = False
) -> CleanedText:
    """Clean ``raw`` text (see the module docstring); ``title`` is a known headline, if any.

    ``one_paragraph_per_line`` treats every line as a paragraph (for text extracted from HTML,
    where lines are block elements).
    """
    dropped: list[str] = []
    dateline: str | None = None
    lines: list[str] = []
    for line in normalise_text(raw).split("\n"):
        if line and is_boilerplate(line):
            dropped.append(line)
            dateline = dateline or dateline_date(line)
            lines.append("")  # a dropped line ends its paragraph
        else:
            lines.append(line)

    paragraphs: list[str] = []
    seen: set[str] = set()
    for para in _split_paragraphs(lines, one_per_line=one_paragraph_per_line):
        key = paragraph_key(para)
        if is_boilerplate(para) or key in seen:
            dropped.append(para)
            continue
        seen.add(key)
        paragraphs.append(para)

    headline = normalise_line(normalise_text(title).replace("\n", " ")) if title else ""
    if headline:
        key = paragraph_key(headline)
        dropped.extend(p for p in paragraphs if paragraph_key(p) == key)
        paragraphs = [p for p in paragraphs if paragraph_key(p) != key]
    elif len(paragraphs) >= 2 and looks_like_headline(paragraphs[0]):
        headline = paragraphs.pop(0)
    return CleanedText(
        title=headline, body="\n\n".join(paragraphs), dropped=tuple(dropped), dateline=dateline
    )


def clean_text(raw: str, *, title: str | None = None) -> tuple[str, str]:
    """Clean raw article text into ``(title, body)``; see the module docstring for the rules."""
    cleaned = clean_document(raw, title=title)
    return cleaned.title, cleaned.body
