"""Resolve the date an event happened, against the article's publication date.

Small rules first (they are exact and fast): "yesterday", "today", "tomorrow", "last/next
week|month|year", weekdays ("on Tuesday": the most recent one for the past, the next one for
the future), month names with or without a year ("in May", "March 2021", "May 5"), years
("in 2019"), ISO dates. Anything else goes to ``dateparser`` with RELATIVE_BASE = the article
date and PREFER_DATES_FROM = past (or future for future events). Precision is day, month or
year. "last week" resolves to the article date minus seven days, precision day (an
approximation); "five years ago" is a year, "two months ago" a month. With no date stated,
the event takes the article date with precision day.

Not every date in the clause is the event's: durations ("since 2014", "for five years",
"two decades") and dates that modify another noun ("the 2003 war", "his decision last week")
are skipped (:func:`date_for`).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from functools import lru_cache

from spacy.tokens import Span, Token

__all__ = ["resolve_date", "date_for", "DateResult"]

DateResult = tuple[str, str, str]  # (iso date, precision, cue text)

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many|\d+)"
_DURATION = re.compile(
    r"^(?:since|for|until|till|throughout)\b"
    rf"|^(?:the\s+)?(?:(?:last|past|next)\s+)?{_COUNT}\s+(?:years?|months?|weeks?|days?|decades?|"
    r"hours?|centuries|century)(?:\s+(?:long|old))?$"
)
# words after which a bare month name is a month ("in May", "since March", "last June")
_MONTH_CUES = {
    "in", "since", "until", "till", "by", "during", "from", "through", "before", "after",
    "throughout", "of", "last", "next", "this", "early", "late", "mid", "earlier", "later",
    "to", "between", "and", "or", "on", "that", "each", "every",
}  # fmt: skip
# participles whose date is that of the clause they open ("Speaking on Tuesday, ...")
_SPEAKING = {"speak", "talk", "address", "write", "say"}
# a stretch of time, as "for" introduces it ("for about 30 minutes", "for two weeks")
_SPAN = re.compile(
    r"(?:about|around|nearly|almost|some|over|more than|less than|up to|the)?\s*"
    r"\S+\s+(?:minutes?|hours?|days?|weeks?|months?|years?|decades?)\b"
)
# prepositions that make a date the edge of a duration ("since 2014", "until May")
_DURATION_PREPS = {"since", "until", "till", "throughout"}


def _month_iso(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def resolve_date(text: str, base: dt.date, *, future: bool = False) -> tuple[str, str] | None:
    """Resolve a date expression to (ISO date, precision); None when it is not a date."""
    t = text.lower().strip().strip(".,")
    if _DURATION.search(t):
        # "since 2014", "for five years", "two decades": how long, not when
        return None
    t = re.sub(r"^(in|on|at|during|by|from|of|the|early|late|mid|earlier|this)\s+", "", t)
    t = re.sub(r"^(in|on|the)\s+", "", t)
    if re.search(r"\b(later|earlier|afterwards?|before that|after that)$", t):
        # "six months later": counted from the story's own time, not the article date
        return None
    m = re.fullmatch(r"(\w+)\s+(year|month|week|day)s?\s+ago", t)
    if m:
        return _ago(base, m.group(1), m.group(2))
    if t in {"yesterday", "last night"}:
        return (base - dt.timedelta(days=1)).isoformat(), "day"
    if t in {"today", "tonight", "this morning", "this afternoon", "this evening"}:
        return base.isoformat(), "day"
    if t == "tomorrow":
        return (base + dt.timedelta(days=1)).isoformat(), "day"
    # (a leading "in", "the" or "this" is gone by now)
    if re.fullmatch(r"past\s+(year|twelve months|12 months|decade)", t):
        return None  # "in the past year": the last twelve months, not a calendar year
    if t == "past week":
        # "this past week": the seven days up to the story; their middle
        return (base - dt.timedelta(days=3)).isoformat(), "day"
    m = re.fullmatch(r"([a-z]+)\s+(last|this|next)\s+year", t)
    if m and m.group(1) in _MONTHS:
        year = base.year + {"last": -1, "this": 0, "next": 1}[m.group(2)]
        return _month_iso(year, _MONTHS[m.group(1)]), "month"
    m = re.fullmatch(r"(last|past|next|this|previous|coming)\s+(week|month|year)", t)
    if m:
        sign = 1 if m.group(1) in {"next", "coming"} else (0 if m.group(1) == "this" else -1)
        unit = m.group(2)
        if unit == "week":
            return (base + dt.timedelta(days=7 * sign)).isoformat(), "day"
        if unit == "month":
            month = base.month + sign
            year = base.year + (month - 1) // 12
            month = (month - 1) % 12 + 1
            return _month_iso(year, month), "month"
        return f"{base.year + sign:04d}", "year"
    m = re.fullmatch(r"(last|next|this|on)?\s*({})".format("|".join(_WEEKDAYS)), t)
    if m:
        target = _WEEKDAYS.index(m.group(2))
        if m.group(1) == "next":
            delta = (target - base.weekday()) % 7 or 7
            return (base + dt.timedelta(days=delta)).isoformat(), "day"
        if future:
            # "will meet on Thursday" in a Thursday story: later that day
            delta = (target - base.weekday()) % 7
            return (base + dt.timedelta(days=delta)).isoformat(), "day"
        # the story's own weekday is that day ("on Monday" in a Monday story); only
        # "last Monday" then means a week before
        delta = (base.weekday() - target) % 7
        if delta == 0 and m.group(1) == "last":
            delta = 7
        return (base - dt.timedelta(days=delta)).isoformat(), "day"
    m = re.fullmatch(r"(\d{4})", t)
    if m and 1800 < int(m.group(1)) < 2200:
        return m.group(1), "year"
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", t)
    if m:
        return (t, "day") if m.group(3) else (t, "month")
    m = re.fullmatch(r"([a-z]+)\.?(?:\s+(\d{1,2})(?:st|nd|rd|th)?)?,?(?:\s+(\d{4}))?", t)
    if not m:
        m2 = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?(?:\s+(\d{4}))?", t)
        if m2 and m2.group(2) in _MONTHS:
            return _from_parts(base, _MONTHS[m2.group(2)], int(m2.group(1)), m2.group(3), future)
    elif m.group(1) in _MONTHS:
        day = int(m.group(2)) if m.group(2) else None
        return _from_parts(base, _MONTHS[m.group(1)], day, m.group(3), future)
    return _dateparser(text, base, future)


_SMALL = {
    w: i
    for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), start=1
    )
} | {"a": 1, "an": 1}


def _ago(base: dt.date, count: str, unit: str) -> tuple[str, str] | None:
    """ "five years ago" -> the year five years before the article (precision year); months
    give a month, weeks and days a day. Vague counts ("several") are no date."""
    n = int(count) if count.isdigit() else _SMALL.get(count)
    if n is None:
        return None
    if unit == "year":
        return f"{base.year - n:04d}", "year"
    if unit == "month":
        months = base.year * 12 + base.month - 1 - n
        return _month_iso(months // 12, months % 12 + 1), "month"
    days = n * 7 if unit == "week" else n
    return (base - dt.timedelta(days=days)).isoformat(), "day"


def _near_year(base: dt.date, month: int, day: int, past_year: int) -> int:
    """The year of a day named without one, for an act not known to lie ahead: the last
    such day, unless that is over a month back and the next one is within a month ("the
    meeting on 20 September" in a 4 September story, "on 5 January" in a 20 December one).
    """
    try:
        last = dt.date(past_year, month, day)
        coming = dt.date(past_year + 1, month, day)
    except ValueError:
        return past_year
    if (base - last).days > 31 and 0 < (coming - base).days <= 31:
        return past_year + 1
    return past_year


def _from_parts(
    base: dt.date, month: int, day: int | None, year: str | None, future: bool
) -> tuple[str, str] | None:
    if year:
        y = int(year)
    else:
        y = base.year
        probe = (month, day or 1)
        if future and probe < (base.month, base.day if day else 1):
            y += 1
        elif not future and probe > (base.month, base.day):
            y -= 1
        if not future and day:
            y = _near_year(base, month, day, y)
    if day:
        try:
            return dt.date(y, month, day).isoformat(), "day"
        except ValueError:
            return None
    return _month_iso(y, month), "month"


@lru_cache(maxsize=4096)
def _dateparser(text: str, base: dt.date, future: bool) -> tuple[str, str] | None:
    """dateparser's reading of ``text`` (slow: cached per text, base date and direction)."""
    if not re.search(r"\d|[a-z]{3,}", text.lower()):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import dateparser
            from dateparser.search import search_dates  # noqa: F401

            settings = {
                "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
                "PREFER_DATES_FROM": "future" if future else "past",
                "RETURN_TIME_AS_PERIOD": False,
                "REQUIRE_PARTS": ["year"],
            }
            got = dateparser.parse(text, settings=settings, languages=["en"])
    except Exception:  # a bad date string never stops coding
        return None
    if got is None:
        return None
    return got.date().isoformat(), "day"


def _date_ents(sent: Span) -> list[Span]:
    return [e for e in sent.ents if e.label_ in {"DATE", "TIME"}]


def _not_the_events(ent: Span, anchor: Token, trigger: Token) -> bool:
    """A date entity that dates something else than the event: the edge of a duration
    ("since 2014", "for two years", "until May"), a date that modifies another noun ("the
    2003 war", "last week's attack" when the trigger is not that noun), or a verb that the
    tagger took for a month ("march away")."""
    root = ent.root
    if len(ent) == 1 and root.pos_ in {"VERB", "AUX"}:
        return True
    prev = ent.doc[ent.start - 1] if ent.start > 0 else None
    if prev is not None and prev.lower_ in _DURATION_PREPS:
        return True
    if prev is not None and prev.lower_ == "for" and _SPAN.match(ent.text.lower()):
        return True  # "for about 30 minutes", "for two weeks": how long
    if (
        len(ent) == 1
        and root.lower_ in _MONTHS
        and (prev is None or prev.lower_ not in _MONTH_CUES)
    ):
        # a bare month name only after a word of time ("in May", "last March"): "talks
        # with May" name a person
        return True
    if root.head.lower_ in _DURATION_PREPS and root.dep_ == "pobj":
        return True
    head = root.head
    return (
        root.dep_ in {"compound", "nummod", "amod", "poss", "nmod", "npadvmod"}
        and head.pos_ in {"NOUN", "PROPN"}
        and head not in (anchor, trigger)
        and head.ent_type_ not in {"DATE", "TIME"}
    )


def date_for(
    anchor: Token, trigger: Token, sent: Span, base: dt.date, *, future: bool
) -> DateResult | None:
    """The date stated for an event: a DATE entity attached to its trigger or governing verb."""
    candidates: list[tuple[int, Span]] = []
    for ent in _date_ents(sent):
        if _not_the_events(ent, anchor, trigger):
            continue
        head = ent.root
        # climb from the entity to the first verb or the trigger; keep it if we reach ours
        cur = head
        dist = 0
        ok = False
        for _ in range(6):
            if cur == trigger or cur == anchor:
                ok = True
                break
            if cur.head == cur:
                break
            cur = cur.head
            dist += 1
            if cur.pos_ in {"VERB", "AUX"} and cur != anchor and cur != trigger:
                if cur.tag_ == "VBG" and cur.dep_ == "advcl" and cur.lemma_ in _SPEAKING:
                    continue  # "Speaking on Tuesday, X accused Y": the date of the clause
                break
        if ok:
            candidates.append((dist, ent))
    for _, ent in sorted(candidates, key=lambda c: c[0]):
        text = ent.text
        # keep a preceding "last"/"next" that spaCy may leave out of the entity
        prev = ent.doc[ent.start - 1] if ent.start > 0 else None
        if (
            prev is not None
            and prev.lower_ in {"last", "next", "this", "on"}
            and not text.lower().startswith(prev.lower_)
        ):  # noqa: E501
            text = f"{prev.text} {text}"
        # "scheduled for Monday", "set for 5 May": a time fixed ahead ("for five years", a
        # span, is no date at all)
        ahead = future or (prev is not None and prev.lower_ == "for")
        got = resolve_date(text, base, future=ahead)
        if got:
            return got[0], got[1], ent.text
    return None
