"""Publication dates to ISO YYYY-MM-DD, from whatever a record or page carries.

Tried in order: ``datetime``/``date`` objects and ``time.struct_time`` (feedparser), Unix
timestamps (seconds or milliseconds), ISO 8601 strings, dotted day-first dates (10.08.2021),
RFC 2822 strings (RSS), common English forms ("March 10, 2002"), then ``dateparser`` with
English names for the rest ("Tuesday 10th of August 2021"). Relative expressions
("yesterday", "3 hours ago") are refused: their meaning depends on when the page was saved.
A date must name a day, month and year; anything less gives None.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = ["normalise_date"]

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DOTTED_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\b")  # 10.08.2021: day first everywhere
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DATEPARSER_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DAY_OF_MONTH": "first",
}
# Common English forms read without dateparser (much faster): "March 10, 2002", "10 Mar 2002".
_FAST_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")
# Sane bounds for a news publication date.
_MIN_YEAR, _MAX_YEAR = 1800, 2200


def _ok(d: date) -> str | None:
    return d.isoformat() if _MIN_YEAR <= d.year <= _MAX_YEAR else None


def _from_number(value: float) -> str | None:
    seconds = value / 1000 if abs(value) > 1e11 else value  # milliseconds since the epoch
    try:
        return _ok(datetime.fromtimestamp(seconds, tz=UTC).date())
    except (OverflowError, OSError, ValueError):
        return None


def normalise_date(value: Any) -> str | None:
    """``value`` as YYYY-MM-DD, or None when it names no full date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _ok(value.date())
    if isinstance(value, date):
        return _ok(value)
    if isinstance(value, time.struct_time):
        return _ok(date(value.tm_year, value.tm_mon, value.tm_mday))
    if isinstance(value, int | float):
        return _from_number(float(value))
    text = str(value).strip()
    if not text:
        return None
    if _NUMBER.match(text) and len(text.split(".")[0].lstrip("-")) >= 9:
        return _from_number(float(text))
    m = _ISO_DAY.match(text)
    if m:
        try:
            return _ok(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            return None
    m = _DOTTED_DMY.match(text)
    if m:
        try:
            return _ok(date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        except ValueError:
            return None
    try:
        return _ok(datetime.fromisoformat(text).date())
    except ValueError:
        pass
    try:
        return _ok(parsedate_to_datetime(text).date())
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _FAST_FORMATS:
        try:
            return _ok(datetime.strptime(text, fmt).date())
        except ValueError:
            continue
    import dateparser  # slow to import: only for dates the fast paths could not read

    parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    return _ok(parsed.date()) if parsed else None
