"""Event extraction: clauses, event typing, modality, attribution, dates, places, quantities.

(Being built: see issue 3. ``extract_events(doc, actors, article)`` is the public entry point.)
"""

from __future__ import annotations

from spacy.tokens import Doc

from polybius.records import ActorMention, Article, Event

__all__ = ["extract_events"]


def extract_events(
    doc: Doc, actors: list[ActorMention], article: Article, **options: object
) -> list[Event]:
    """Return the events coded from ``doc``."""
    raise NotImplementedError("event extraction is not built yet")
