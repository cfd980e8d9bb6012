"""The reading API: sources in, cleaned Articles (and ReadProblems) out.

``read_items`` yields ``Article | ReadProblem`` in input order and never raises for bad input;
``read_articles`` yields only Articles and hands each problem to ``on_problem`` (or logs it as
a warning on the ``polybius.articles`` logger). ``article_from_text`` applies the same
cleaning to one piece of text (``code_text`` and the web API use it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from polybius.articles.cleaning import clean_document
from polybius.articles.dates import normalise_date
from polybius.articles.feeds import follow_link
from polybius.articles.fieldmap import FieldMap
from polybius.articles.html import fragment_to_text
from polybius.articles.language import MIN_CONFIDENCE, detect_language, foreign_reason
from polybius.articles.problems import ReadProblem
from polybius.articles.raw import RawRecord
from polybius.articles.readers import read_input
from polybius.articles.sources import Source, expand_sources
from polybius.records import Article

__all__ = [
    "DEFAULT_MAX_CHARS",
    "LOGGER_NAME",
    "article_from_record",
    "article_from_text",
    "read_articles",
    "read_items",
]

#: Longest article accepted, in characters of raw text.
DEFAULT_MAX_CHARS = 1_000_000
#: Logger that ``read_articles`` warns on when no ``on_problem`` callback is given.
LOGGER_NAME = "polybius.articles"
# A whole-document file (.txt, .html) may be this many times max_chars in bytes (markup).
_BYTES_PER_CHAR = 10

logger = logging.getLogger(LOGGER_NAME)


def _unexpected(where: str, exc: Exception) -> ReadProblem:
    logger.debug("unexpected error reading %s", where, exc_info=exc)
    return ReadProblem(where, f"unexpected error: {type(exc).__name__}: {exc}", "error")


def _checked_date(date: str | None) -> str | None:
    if date is None:
        return None
    iso = normalise_date(date)
    if iso is None:
        raise ValueError(f"date {date!r} is not a date (use YYYY-MM-DD)")
    return iso


def article_from_record(
    record: RawRecord,
    *,
    date: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    language: str | None = "en",
) -> Iterator[Article | ReadProblem]:
    """Clean one raw record into an Article, or say why not.

    May also yield a warning (``skipped=False``) before the article, when the record's own
    date could not be read and ``date`` was used instead.
    """
    where = record.locator
    if len(record.text) > max_chars:
        yield ReadProblem(
            where,
            f"article is {len(record.text):,} characters long, over the limit of "
            f"{max_chars:,} (max_chars)",
            "too_long",
        )
        return
    text = fragment_to_text(record.text) if record.html else record.text
    title = fragment_to_text(record.title) if record.html and record.title else record.title
    cleaned = clean_document(
        text, title=title, one_paragraph_per_line=record.one_paragraph_per_line
    )
    if not cleaned.body:
        what = (
            "text is empty"
            if not cleaned.dropped
            else "no text left once boilerplate and repeated lines were removed"
        )
        yield ReadProblem(where, what, "no_text")
        return
    detected = language or "en"
    if language:
        reason, _guess = foreign_reason(f"{cleaned.title}\n\n{cleaned.body}", language)
        if reason:
            yield ReadProblem(where, reason, "not_english")
            return
    else:  # every language kept: say which one it is, when the detector is sure
        guess = detect_language(f"{cleaned.title}\n\n{cleaned.body}")
        if guess and guess.confidence >= MIN_CONFIDENCE:
            detected = guess.language
    own_date = normalise_date(record.date) if record.date is not None else None
    if own_date is None and record.date_fallback is not None:
        own_date = normalise_date(record.date_fallback)
    final_date = own_date or (normalise_date(cleaned.dateline) if cleaned.dateline else None)
    final_date = final_date or date
    if own_date is None and record.date is not None and str(record.date).strip():
        fallback = f"using {final_date}" if final_date else "the article has no date"
        yield ReadProblem(
            where,
            f"unreadable date {str(record.date)[:80]!r}; {fallback}",
            "bad_date",
            skipped=False,
        )
    yield Article.create(
        cleaned.body,
        doc_id=record.doc_id,
        title=cleaned.title,
        date=final_date,
        url=record.url,
        source=record.source,
        language=detected,
    )


def read_items(
    source: Source,
    *,
    date: str | None = None,
    fields: FieldMap | Mapping[str, Any] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    language: str | None = "en",
    follow_links: bool = False,
) -> Iterator[Article | ReadProblem]:
    """Every Article in ``source``, and a ReadProblem for every input that gave none.

    ``source``: a file (.txt, .html/.htm, .jsonl/.ndjson, .json, .csv, .tsv, RSS/Atom
    .xml/.rss/.atom, or any of these gzipped), a directory (walked recursively in sorted
    order), a glob, an http(s) URL (feed or page), "-" (standard input), or a list of these.
    ``date`` (YYYY-MM-DD) is used when an article carries no date of its own. ``fields``
    names the record fields to read (see FieldMap). Articles over ``max_chars`` characters
    are refused. With ``language`` set ("en"), texts surely in another language are
    skipped; None keeps all. With ``follow_links``, each feed entry's text is replaced by
    the main text of the page it links to (fetched; the summary is kept when that fails).
    Raises ValueError only for a bad ``date`` or ``fields`` argument, never for bad input.
    """
    default_date = _checked_date(date)
    field_map = FieldMap.coerce(fields)
    for inp in expand_sources(source):
        if isinstance(inp, ReadProblem):
            yield inp
            continue
        records = read_input(inp, field_map, max_bytes=max_chars * _BYTES_PER_CHAR)
        try:
            for record in records:
                if isinstance(record, ReadProblem):
                    yield record
                    continue
                try:
                    if follow_links and record.from_feed:
                        record, warning = follow_link(record)
                        if warning:
                            yield warning
                    yield from article_from_record(
                        record, date=default_date, max_chars=max_chars, language=language
                    )
                except Exception as exc:  # one bad record is reported, never fatal
                    yield _unexpected(record.locator, exc)
        except Exception as exc:  # one bad input is reported, never fatal
            yield _unexpected(inp.location, exc)


def read_articles(
    source: Source,
    *,
    date: str | None = None,
    fields: FieldMap | Mapping[str, Any] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    language: str | None = "en",
    follow_links: bool = False,
    on_problem: Callable[[ReadProblem], object] | None = None,
) -> Iterator[Article]:
    """The Articles of ``read_items``; each problem goes to ``on_problem``, else is logged
    as a warning on the ``polybius.articles`` logger."""
    for item in read_items(
        source,
        date=date,
        fields=fields,
        max_chars=max_chars,
        language=language,
        follow_links=follow_links,
    ):
        if isinstance(item, ReadProblem):
            if on_problem is not None:
                on_problem(item)
            else:
                logger.warning("%s: %s", item.source, item.reason)
        else:
            yield item


def article_from_text(
    text: str, *, date: str | None = None, doc_id: str = "text", title: str | None = None
) -> Article:
    """One cleaned Article from a piece of text, as the readers would make it.

    The headline is ``title`` when given, else found as the readers find it. No language
    check or size limit is applied: the caller chose this text. Raises ValueError for a
    ``date`` that is not a date.
    """
    cleaned = clean_document(text, title=title)
    iso = _checked_date(date)
    if iso is None and cleaned.dateline:
        iso = normalise_date(cleaned.dateline)
    return Article.create(cleaned.body, doc_id=doc_id, title=cleaned.title, date=iso)
