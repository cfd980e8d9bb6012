"""Fixtures for the web tests: a small invented event store, the app, and an in-process client.

The store is written through the store's own write API (``polybius.store.writer``) from
hand-built events over invented sentences, so the API and browser tests do not need spaCy.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from polybius.events.location import place_fields
from polybius.ontology import goldstein, plover_to_cameo, quad_class

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_schedule import SCHEDULE  # noqa: E402

from polybius.records import Actor, Article, Attribution, Event, Quantity

ACTORS: dict[str, Actor] = {
    "USA": Actor(text="The United States", country="USA", sector="GOV"),
    "CHN": Actor(text="China", country="CHN", sector="GOV"),
    "RUS": Actor(text="Russia", country="RUS"),
    "UKR": Actor(text="Ukraine", country="UKR"),
    "FRA": Actor(text="France", country="FRA"),
    "DEU": Actor(text="Germany", country="DEU"),
    "JPN": Actor(text="Japan", country="JPN"),
    "NATO": Actor(text="NATO", org="NATO"),
}

# (sentence template, trigger words, PLOVER type); {S} and {T} are replaced by actor texts.
TEMPLATES: dict[str, tuple[str, str]] = {
    "AGREE": ("{S} signed a framework deal with {T} on {topic}.", "signed"),
    "CONSULT": ("{S} held talks with {T} about {topic}.", "held talks"),
    "AID": ("{S} sent emergency supplies to {T} to support {topic}.", "sent"),
    "COOPERATE": ("{S} pledged to share satellite data with {T} on {topic}.", "share"),
    "ACCUSE": ("{S} accused {T} of undermining {topic}.", "accused"),
    "THREATEN": ("{S} threatened {T} with new tariffs over {topic}.", "threatened"),
    "SANCTION": ("{S} imposed sanctions on {T} because of {topic}.", "imposed sanctions"),
    "ASSAULT": ("{S} shelled positions held by {T} close to {topic}.", "shelled"),
    "REJECT": ("{S} rejected a proposal from {T} concerning {topic}.", "rejected"),
}

TOPICS = [
    "grain shipments",
    "river fisheries",
    "semiconductor exports",
    "the northern corridor",
    "a disputed reef",
    "pipeline transit fees",
    "student exchanges",
    "port access",
    "cyber incidents",
    "border crossings",
    "vaccine production",
    "space debris",
]


#: A sentence that must never turn into markup on the dashboard.
HOSTILE_TITLE = 'Bulletin <img src=x onerror="alert(1)"> <b>bold</b>'


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def _event(
    article: Article,
    sentence: str,
    index: int,
    trigger: str,
    src: str,
    tgt: str,
    etype: str,
    **extra: Any,
) -> Event:
    full = article.full_text
    s_start = full.index(sentence)
    t_start = s_start + sentence.index(trigger)
    sources, targets = (ACTORS[src],), (ACTORS[tgt],)
    modality = extra.pop("modality", "asserted")
    return Event(
        event_id=Event.make_id(article.article_id, etype, sources, targets, article.date, modality),
        article_id=article.article_id,
        doc_id=article.doc_id,
        event_type=etype,
        sources=sources,
        targets=targets,
        sentence=sentence,
        sentence_index=index,
        span=(t_start, t_start + len(trigger)),
        trigger=trigger,
        rule=f"test.{etype.lower()}",
        confidence=0.9,
        cameo=plover_to_cameo(etype),
        goldstein=goldstein(plover_to_cameo(etype)),
        quad_class=quad_class(etype),
        modality=modality,
        date=article.date,
        date_precision="day",
        **extra,
    )


def build_articles() -> list[tuple[Article, list[Event]]]:
    """The invented articles and their events, one article per date in SCHEDULE."""
    by_date: dict[str, list[tuple[str, str, str]]] = {}
    for date, s, t, etype in SCHEDULE:
        by_date.setdefault(date, []).append((s, t, etype))
    out: list[tuple[Article, list[Event]]] = []
    topic_i = 0
    for n, (date, items) in enumerate(sorted(by_date.items())):
        sentences = []
        for s, t, etype in items:
            template, _ = TEMPLATES[etype]
            sentences.append(
                _capital(
                    template.format(
                        S=ACTORS[s].text, T=ACTORS[t].text, topic=TOPICS[topic_i % len(TOPICS)]
                    )
                )
            )
            topic_i += 1
        text = " ".join(sentences) + f" Officials expected further meetings after {date}."
        title = HOSTILE_TITLE if n == 0 else f"Diplomatic round-up for {date}"
        url = f"https://example.org/news/{n}" if n != 1 else "javascript:alert(1)"
        article = Article.create(
            text, doc_id=f"roundup-{n:02d}", title=title, date=date, url=url, source="Example Wire"
        )
        events = []
        for i, ((s, t, etype), sentence) in enumerate(zip(items, sentences, strict=True)):
            trigger = TEMPLATES[etype][1]
            extra: dict[str, Any] = {}
            if n == 2 and i == 0:
                extra["attribution"] = Attribution(
                    speaker="a State Department spokesman", country="USA", verb="said"
                )
            if etype == "AID" and n == 1:
                extra["quantity"] = Quantity(value=40, unit="tonnes", text="40 tonnes")
            if n == 4 and i == 1:
                extra["modality"] = "negated"
            if etype == "SANCTION":  # one event with a resolved place (the place filter)
                extra.update(place_fields("Washington"))
            events.append(_event(article, sentence, i + 1, trigger, s, t, etype, **extra))
        out.append((article, events))
    return out


def build_store(path: Path) -> dict[str, Any]:
    """Write the invented articles into a new store at ``path``; return what was written."""
    from polybius.store import Store
    from polybius.store.writer import transaction, write_article

    written = build_articles()
    with Store.open(path) as store, transaction(store.con):
        for article, events in written:
            write_article(
                store.con, article, events, dedup=False, now=dt.datetime(2024, 7, 1, 12, 0, 0)
            )
    return {
        "articles": [a for a, _ in written],
        "events": [e for _, evs in written for e in evs],
    }


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A store with the invented articles: {"path", "articles", "events"}."""
    path = tmp_path_factory.mktemp("webstore") / "web.duckdb"
    info = build_store(path)
    info["path"] = path
    info["schedule"] = list(SCHEDULE)
    return info


class SyncApi:
    """Calls an ASGI app in-process through ``httpx.ASGITransport``, one request at a time."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def _request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.request(method, url, **kw)

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        return asyncio.run(self._request(method, url, **kw))

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("POST", url, **kw)


@pytest.fixture(scope="session")
def api(web_store: dict[str, Any]) -> SyncApi:
    """The app over the invented store, without a token."""
    from polybius.web import create_app

    return SyncApi(create_app(web_store["path"]))


TOKEN = "test-token-0123456789abcdef"


@pytest.fixture(scope="session")
def token() -> str:
    """The bearer token of ``api_with_token``."""
    return TOKEN


@pytest.fixture(scope="session")
def make_api() -> Any:
    """Wrap any ASGI app in the in-process client."""
    return SyncApi


@pytest.fixture(scope="session")
def api_with_token(web_store: dict[str, Any]) -> SyncApi:
    """The app over the invented store, with POST /api/code enabled by TOKEN."""
    from polybius.web import create_app

    return SyncApi(create_app(web_store["path"], token=TOKEN))
