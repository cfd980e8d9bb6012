"""A fast, deterministic stand-in coder for the reliability tests (crash and concurrency).

Loaded by name: ``POLYBIUS_INGEST_CODER=polybius_reliability_coder:code`` with this folder on
``PYTHONPATH``. It codes phrases "<Country> <verb> <Country>[ and <Country>]": consulted ->
CONSULT, supplied -> AID, warned -> THREATEN, shelled -> ASSAULT; "X and Y" on the target
side gives two target actors (so an event has several ``event_actors`` rows). An article
containing the word KABOOM fails to code (a ``CodingProblem``).

``POLYBIUS_RELIABILITY_DELAY=S`` sleeps S seconds per article, so that a test can kill an
ingest while it is really working.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator, Sequence

from polybius.pipeline import CodedArticle, CodingProblem
from polybius.records import Actor, Article, Event

__all__ = ["COUNTRIES", "VERBS", "code", "code_one"]

COUNTRIES = {
    "Norway": "NOR",
    "Chile": "CHL",
    "Kenya": "KEN",
    "Vietnam": "VNM",
    "Peru": "PER",
    "Ghana": "GHA",
    "Finland": "FIN",
    "Morocco": "MAR",
}
VERBS = {
    "consulted": ("CONSULT", "040", 1.0, 1),
    "supplied": ("AID", "070", 7.0, 2),
    "warned": ("THREATEN", "130", -6.0, 3),
    "shelled": ("ASSAULT", "190", -10.0, 4),
}
_PATTERN = re.compile(
    r"\b([A-Z][a-z]+) (consulted|supplied|warned|shelled) ([A-Z][a-z]+)(?: and ([A-Z][a-z]+))?"
)


def code_one(art: Article) -> CodedArticle | CodingProblem:
    """Code one article (see the module docstring)."""
    if "KABOOM" in art.text:
        return CodingProblem(article=art, reason="RuntimeError: the stand-in coder refused")
    text = art.full_text
    events: list[Event] = []
    for i, m in enumerate(_PATTERN.finditer(text)):
        a, verb, b, c = m.groups()
        names = [n for n in (b, c) if n]
        if a not in COUNTRIES or any(n not in COUNTRIES for n in names):
            continue
        etype, cameo, gold, quad = VERBS[verb]
        src = (Actor(a, country=COUNTRIES[a], sector="GOV"),)
        tgt = tuple(Actor(n, country=COUNTRIES[n]) for n in names)
        events.append(
            Event(
                event_id=Event.make_id(art.article_id, etype, src, tgt, art.date),
                article_id=art.article_id,
                doc_id=art.doc_id,
                event_type=etype,
                sources=src,
                targets=tgt,
                sentence=m.group(0),
                sentence_index=i,
                span=m.span(2),
                rule="reliability.stand_in",
                confidence=1.0,
                cameo=cameo,
                goldstein=gold,
                quad_class=quad,
                date=art.date,
                date_precision="day" if art.date else None,
                trigger=verb,
            )
        )
    return CodedArticle(article=art, actors=[], events=events)


def code(articles: Sequence[Article]) -> Iterator[CodedArticle | CodingProblem]:
    """The coder ``ingest`` calls: one result per article, in order."""
    delay = float(os.environ.get("POLYBIUS_RELIABILITY_DELAY", "0") or 0)
    for art in articles:
        if delay:
            time.sleep(delay)
        yield code_one(art)
