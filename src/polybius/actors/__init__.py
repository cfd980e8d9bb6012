"""Actor recognition: countries, organisations, people with dated roles, sectors.

(Being built: see issue 2. ``find_actors(doc, date)`` is the public entry point.)
"""

from __future__ import annotations

from spacy.tokens import Doc

from polybius.records import ActorMention

__all__ = ["find_actors"]


def find_actors(doc: Doc, date: str | None = None) -> list[ActorMention]:
    """Return the actor mentions in ``doc`` resolved as of ``date`` (YYYY-MM-DD)."""
    raise NotImplementedError("actor recognition is not built yet")
