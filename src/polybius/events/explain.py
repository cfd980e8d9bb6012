"""Code an article end to end with explanations (used by ``polybius code --explain``).

Same path as ``polybius.pipeline.code_article`` (parse, ``find_actors``, extraction), but it
keeps each event's explanation: rule or model, trigger, clause roles, modality cues,
attribution cue, date cue and confidence.
"""

from __future__ import annotations

from spacy.language import Language

from polybius.events.extract import Explained, code_events
from polybius.nlp import load_nlp
from polybius.records import Article

__all__ = ["explain_article"]


def explain_article(
    article: Article, nlp: Language | None = None, *, typing: str = "hybrid"
) -> list[Explained]:
    """Events of ``article`` with their explanations."""
    from polybius.actors import find_actors

    doc = (nlp or load_nlp())(article.full_text)
    actors = find_actors(doc, article.date)
    return code_events(doc, actors, article, typing=typing)
