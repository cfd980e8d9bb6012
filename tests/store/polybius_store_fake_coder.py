"""A fast, deterministic stand-in for the real coder, for store and ingest tests.

Loaded by name (``POLYBIUS_INGEST_CODER=polybius_store_fake_coder:code``) with this folder on
the path. It codes "<Country> <verb> <Country>" phrases: met -> CONSULT, helped -> AID,
threatened -> THREATEN, attacked -> ASSAULT. An article containing EXPLODE fails to code.
Environment knobs for the interruption tests:
- POLYBIUS_FAKE_KILL_AFTER=N: SIGKILL this process after coding N articles;
- POLYBIUS_FAKE_DELAY=S: sleep S seconds per article.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator, Sequence

from polybius.pipeline import CodedArticle, CodingProblem
from polybius.records import Actor, Article, Event

COUNTRIES = {
    "America": "USA",
    "Iraq": "IRQ",
    "France": "FRA",
    "China": "CHN",
    "Russia": "RUS",
    "Japan": "JPN",
    "India": "IND",
}
VERBS = {
    "met": ("CONSULT", "040", 1.0, 1),
    "helped": ("AID", "070", 7.0, 2),
    "threatened": ("THREATEN", "130", -6.0, 3),
    "attacked": ("ASSAULT", "190", -10.0, 4),
}
PATTERN = re.compile(r"\b([A-Z][a-z]+) (met|helped|threatened|attacked) ([A-Z][a-z]+)\b")

_coded = 0


def code_one(art: Article) -> CodedArticle | CodingProblem:
    if "EXPLODE" in art.text:
        return CodingProblem(article=art, reason="ValueError: the fake coder exploded")
    events = []
    text = art.full_text
    for i, m in enumerate(PATTERN.finditer(text)):
        a, verb, b = m.groups()
        if a not in COUNTRIES or b not in COUNTRIES:
            continue
        etype, cameo, gold, quad = VERBS[verb]
        src = (Actor(a, country=COUNTRIES[a], sector="GOV"),)
        tgt = (Actor(b, country=COUNTRIES[b]),)
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
                span=m.span(),
                rule="fake",
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
    global _coded
    kill_after = int(os.environ.get("POLYBIUS_FAKE_KILL_AFTER", "-1"))
    delay = float(os.environ.get("POLYBIUS_FAKE_DELAY", "0"))
    for art in articles:
        if delay:
            time.sleep(delay)
        if _coded == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        _coded += 1
        yield code_one(art)
