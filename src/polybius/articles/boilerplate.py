"""The one maintained list of boilerplate and widget lines dropped from article text.

A line is dropped when it is short (at most ``MAX_BOILERPLATE_CHARS`` characters, so that a
real paragraph that happens to begin with "Read more" is never lost) and one pattern matches
it from its start. Patterns are case-insensitive and are matched against the normalised line
(straight quotes, single spaces). Add new patterns here, with a test, and nowhere else.
"""

from __future__ import annotations

import re

__all__ = ["BOILERPLATE_PATTERNS", "MAX_BOILERPLATE_CHARS", "is_boilerplate", "dateline_date"]

#: Longest line that may be judged boilerplate.
MAX_BOILERPLATE_CHARS = 200

_BUTTONS = (
    r"(share|tweet|email|e-mail|print|facebook|twitter|x|whatsapp|linkedin|reddit|pinterest"
    r"|telegram|copy link|save|messenger)"
)

#: (name, regular expression matched from the start of the line, ignoring case).
BOILERPLATE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("comments widget", r"comments? (are )?powered by\b"),
    ("comments widget", r"(view|show|load|read|post|add|leave) (all |the |a )?(\d+ )?comments?\b"),
    ("comments widget", r"(\d+ )?comments?$"),
    ("share buttons", r"share (this|the) (article|story|post|page)\b"),
    ("share buttons", r"share (on|via|with) (facebook|twitter|x|whatsapp|linkedin|email)\b"),
    ("share buttons", rf"{_BUTTONS}(\s*[|/,\u00b7\u2022-]?\s*{_BUTTONS})*$"),
    (
        "newsletter",
        r"(sign up|subscribe|register) (now |today |here )?(for|to) (our|the|my)\b.*"
        r"(newsletter|updates|alerts|briefing|emails?)\b",
    ),
    ("newsletter", r"(get|receive) (our|the) .*newsletter\b"),
    ("subscribe", r"subscribe (now|today|here)\b"),
    ("subscribe", r"(already a subscriber|become a (subscriber|member)|subscribers only)\b"),
    ("cookie notice", r"(this|our) (web)?site uses cookies\b"),
    ("cookie notice", r"we use cookies\b"),
    ("cookie notice", r"by (continuing to use|using) (this|our) (web)?site\b"),
    ("cookie notice", r"(accept|manage|reject) (all )?cookies\b"),
    ("cookie notice", r"cookie (policy|settings|preferences|consent)\b"),
    ("call to action", r"click here\b"),
    ("call to action", r"(tap|press) here to\b"),
    ("follow us", r"follow (us|@\w+) on\b"),
    ("follow us", r"(like|join) us on (facebook|twitter|instagram|telegram|whatsapp)\b"),
    ("copyright", r"(©|\(c\)\s*\d{4}|copyright\s*(©|\(c\)|\d{4}))"),
    ("copyright", r".{0,80}\ball rights reserved\b"),
    ("advertisement", r"(advertisement|advertising|sponsored( content)?|ad)$"),
    ("advertisement", r"(story|article) continues (below|after)\b"),
    ("read more", r"(read|see) (more|also)\s*[:>-]"),
    (
        "read more",
        r"(also read|related( articles| stories| content| coverage)?|recommended"
        r"( for you)?|more from \w+|you may also like|trending( now)?)\s*[:>-]?$",
    ),
    ("read more", r"(also read|related|recommended|more on this story)\s*:"),
    ("read more", r"read (more|the full (story|article))$"),
    ("page furniture", r"(skip to (main )?content|back to top|loading\.*|print this page)$"),
    ("page furniture", r"(please )?enable javascript\b"),
    ("page furniture", r"(listen to (this )?article|audio version)\b.{0,30}$"),
    ("page furniture", r"(image|photo|picture|video) (copyright|credit|source)\s*:?"),
    ("page furniture", r"(last )?(updated|published|first published)( on| at)?\s*:?\s*\d.{0,60}$"),
    ("wire credits", r"\(?(reporting|writing|editing|additional reporting) by\b.{0,150}$"),
    ("dateline", r"this story is from [a-z]+ \d{1,2}, \d{4}$"),
)

_COMPILED = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in BOILERPLATE_PATTERNS
)
_DATELINE = re.compile(r"this story is from ([a-z]+ \d{1,2}, \d{4})$", re.IGNORECASE)


def is_boilerplate(line: str) -> str | None:
    """The pattern name when ``line`` (normalised) is boilerplate, else None."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_BOILERPLATE_CHARS:
        return None
    for name, pattern in _COMPILED:
        if pattern.match(stripped):
            return name
    return None


def dateline_date(line: str) -> str | None:
    """The date string of a "This story is from March 10, 2002" line, else None.

    Some sites print the publication date as such a line; the reader uses it when the record
    carries no date of its own.
    """
    m = _DATELINE.match(line.strip())
    return m.group(1) if m else None
