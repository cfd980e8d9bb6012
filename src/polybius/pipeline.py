"""The coding pipeline: Article -> parsed Doc -> ActorMentions -> Events.

``code_article`` is the one function every interface calls (CLI ``code``, ``ingest``, the
web API, the Dask runner). It never raises for a single bad article when used through
``code_articles``: failures are returned as ``CodingProblem`` records naming the article.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from polybius.actors import find_actors
from polybius.events import extract_events
from polybius.nlp import load_nlp
from polybius.records import ActorMention, Article, Event

__all__ = ["CodedArticle", "CodingProblem", "code_article", "code_articles", "code_text"]


@dataclass(frozen=True, slots=True)
class CodedArticle:
    """An article with the actors found in it and the events coded from it."""

    article: Article
    actors: list[ActorMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CodingProblem:
    """An article that could not be coded, and why."""

    article: Article
    reason: str


def code_doc(doc: Doc, article: Article, **options: object) -> CodedArticle:
    """Find actors and extract events from an already parsed article."""
    actors = find_actors(doc, article.date)
    events = extract_events(doc, actors, article, **options)
    return CodedArticle(article=article, actors=actors, events=events)


def code_article(article: Article, nlp: Language | None = None, **options: object) -> CodedArticle:
    """Code one article: parse its full text, find actors, extract events."""
    nlp = nlp or load_nlp()
    return code_doc(nlp(article.full_text), article, **options)


def code_articles(
    articles: Iterable[Article],
    nlp: Language | None = None,
    *,
    batch_size: int = 16,
    **options: object,
) -> Iterator[CodedArticle | CodingProblem]:
    """Code many articles with batched parsing; a failing article yields a CodingProblem."""
    nlp = nlp or load_nlp()
    batch: list[Article] = []

    def flush() -> Iterator[CodedArticle | CodingProblem]:
        docs = nlp.pipe((a.full_text for a in batch), batch_size=batch_size)
        for art, doc in zip(batch, docs, strict=True):
            try:
                yield code_doc(doc, art, **options)
            except Exception as exc:  # one bad article is reported, never fatal
                yield CodingProblem(article=art, reason=f"{type(exc).__name__}: {exc}")
        batch.clear()

    for art in articles:
        batch.append(art)
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()


def code_text(
    text: str, *, date: str | None = None, title: str = "", doc_id: str = "text", **options: object
) -> CodedArticle:
    """Code a piece of text directly (convenience for the Python API and tests)."""
    article = Article.create(text, doc_id=doc_id, title=title, date=date)
    return code_article(article, **options)
