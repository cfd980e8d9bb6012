"""Event extraction: clauses, event typing, modality, attribution, dates, places, quantities.

``extract_events(doc, actors, article, *, typing="hybrid")`` is the public entry point (the
pipeline calls it after ``find_actors``); ``code_events`` adds an explanation per event;
``has_trigger`` / ``trigger_spans`` are a parser-free pre-check for the pipeline; and
``decide_types`` is the dispatch between pattern rules and the learned model.
See docs/coding.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from polybius.events.decide import decide_types
from polybius.events.extract import Explained, code_events, code_events_many
from polybius.events.extract import extract_events as _extract
from polybius.events.extract import extract_events_many as _extract_many
from polybius.events.triggers import has_trigger, trigger_spans
from polybius.records import ActorMention, Article, Event

__all__ = [
    "Explained",
    "code_events",
    "code_events_many",
    "decide_types",
    "extract_events",
    "extract_events_many",
    "has_trigger",
    "trigger_spans",
]


def extract_events(
    doc: Doc, actors: list[ActorMention], article: Article, **options: object
) -> list[Event]:
    """Return the events coded from ``doc``; option ``typing`` = rules | model | hybrid."""
    typing = str(options.pop("typing", "hybrid"))
    return _extract(doc, actors, article, typing=typing)


def extract_events_many(
    items: Sequence[tuple[Doc, list[ActorMention], Article]], **options: object
) -> list[list[Event]]:
    """:func:`extract_events` for several parsed articles (doc, actors, article), whose
    candidates the typing model reads in one call; option ``typing`` as there."""
    typing = str(options.pop("typing", "hybrid"))
    return _extract_many(items, typing=typing)
