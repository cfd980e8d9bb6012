"""Actor recognition: countries, organisations, people with dated roles, sectors.

``find_actors(doc, date)`` is the public entry point: it returns every actor mention in a
parsed article, resolved as of the article's date. ``actor_spans_in_text(text)`` is a cheap
pre-filter over raw text (no spaCy) that finds candidate actor spans. See docs/actors.md.

Stages: dictionary trie + combining forms + spaCy NER -> units (:mod:`.units`); compounds,
titles, appositions and places -> mentions (:mod:`.compose`); pronouns, descriptions and
surnames -> more mentions (:mod:`.coref`). Dated roles live in :mod:`.roles`.
"""

from __future__ import annotations

from spacy.tokens import Doc

from polybius.actors.compose import compose
from polybius.actors.coref import resolve_references
from polybius.actors.dictionary import (
    ActorDictionary,
    actor_spans_in_text,
    load_dictionary,
    scan_text,
)
from polybius.actors.roles import RoleOnDate, role_on_date
from polybius.actors.units import collect_units
from polybius.nlp import doc_text
from polybius.records import ActorMention

__all__ = [
    "find_actors",
    "actor_spans_in_text",
    "scan_text",
    "load_dictionary",
    "ActorDictionary",
    "RoleOnDate",
    "role_on_date",
]


def find_actors(doc: Doc, date: str | None = None) -> list[ActorMention]:
    """Return the actor mentions in ``doc`` resolved as of ``date`` (YYYY-MM-DD).

    ``date`` None means today. Offsets are character offsets into ``doc.text``. Mentions
    come in text order; pronouns and descriptions carry ``refers_to``.
    """
    d = load_dictionary()
    text = doc_text(doc)  # Doc.text rebuilds the string on every access
    units = collect_units(doc, d, date, text)
    mentions = compose(doc, units, d, date, text)
    return resolve_references(doc, mentions, d, text)
