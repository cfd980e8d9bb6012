"""Reading news: files, directories, globs, feeds and URLs in; cleaned Articles out.

The public surface::

    from polybius.articles import read_articles, read_items, ReadProblem, FieldMap

    for article in read_articles("news/", date="2021-08-10"):
        ...

``read_items`` also yields a ``ReadProblem`` (plain data) for every input that gave no
article; ``clean_text`` and ``article_from_text`` apply the same cleaning to raw text.
See docs/reading.md.
"""

from __future__ import annotations

from polybius.articles.boilerplate import BOILERPLATE_PATTERNS, is_boilerplate
from polybius.articles.cleaning import CleanedText, clean_document, clean_text
from polybius.articles.dates import normalise_date
from polybius.articles.fieldmap import DEFAULT_FIELDS, FieldMap
from polybius.articles.language import LanguageGuess, detect_language
from polybius.articles.normalise import normalise_text
from polybius.articles.problems import PROBLEM_KINDS, ReadProblem
from polybius.articles.reading import (
    DEFAULT_MAX_CHARS,
    LOGGER_NAME,
    article_from_text,
    read_articles,
    read_items,
)

__all__ = [
    "BOILERPLATE_PATTERNS",
    "CleanedText",
    "DEFAULT_FIELDS",
    "DEFAULT_MAX_CHARS",
    "FieldMap",
    "LOGGER_NAME",
    "LanguageGuess",
    "PROBLEM_KINDS",
    "ReadProblem",
    "article_from_text",
    "clean_document",
    "clean_text",
    "detect_language",
    "is_boilerplate",
    "normalise_date",
    "normalise_text",
    "read_articles",
    "read_items",
]
