"""The coding pipeline: Article -> parsed Doc -> ActorMentions -> Events.

``code_article`` is the one function every interface calls (CLI ``code``, ``ingest``, the
web API, the Dask runner). It never raises for a single bad article when used through
``code_articles``: failures are returned as ``CodingProblem`` records naming the article.

Speed (docs/performance.md): by default only the sentences that can hold an event (an event
trigger and an actor, checked on the raw text by :mod:`polybius.prefilter`) are sent to the
parser; the others are tokenised only. Sentence boundaries are fixed by the same rules with
the filter on or off, so both give the same sentences, offsets and events. Turn the filter
off with ``prefilter=False`` or ``POLYBIUS_PREFILTER=0``. ``code_articles(..., jobs=N)``
codes in N worker processes, each loading the spaCy model once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from polybius.actors import find_actors
from polybius.events import extract_events, extract_events_many
from polybius.nlp import load_nlp
from polybius.records import ActorMention, Article, Event

__all__ = [
    "CodedArticle",
    "CodingProblem",
    "PREFILTER_ENV",
    "code_article",
    "code_articles",
    "code_doc",
    "code_docs",
    "code_text",
    "default_jobs",
    "parse_for_coding",
    "prefilter_default",
]

#: Environment variable: "0"/"false"/"no"/"off" turns the sentence pre-filter off by default.
PREFILTER_ENV = "POLYBIUS_PREFILTER"


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


def prefilter_default() -> bool:
    """Whether the pre-filter is on when a caller does not say (``$POLYBIUS_PREFILTER``)."""
    return os.environ.get(PREFILTER_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parse_for_coding(
    texts: Iterable[str],
    nlp: Language | None = None,
    *,
    prefilter: bool | None = None,
    batch_size: int = 16,
) -> Iterator[Doc]:
    """Docs for ``texts`` as the coder needs them (see :mod:`polybius.prefilter`).

    Each Doc's text is exactly its input; sentences are fixed by rule; with the pre-filter
    only sentences that can hold an event are parsed, tagged and run through NER.
    """
    from polybius.prefilter import prefiltered_docs

    nlp = nlp or load_nlp()
    on = prefilter_default() if prefilter is None else prefilter
    for doc, _stats in prefiltered_docs(texts, nlp, batch_size=batch_size, prefilter=on):
        yield doc


def code_doc(doc: Doc, article: Article, **options: object) -> CodedArticle:
    """Find actors and extract events from an already parsed article."""
    actors = find_actors(doc, article.date)
    events = extract_events(doc, actors, article, **options)
    return CodedArticle(article=article, actors=actors, events=events)


def code_article(article: Article, nlp: Language | None = None, **options: object) -> CodedArticle:
    """Code one article: parse its full text, find actors, extract events.

    Option ``prefilter`` (bool) overrides the default pre-filter setting; other options
    go to ``extract_events`` (e.g. ``typing``).
    """
    prefilter = options.pop("prefilter", None)
    doc = next(parse_for_coding([article.full_text], nlp, prefilter=_flag(prefilter)))
    return code_doc(doc, article, **options)


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)


def code_articles(
    articles: Iterable[Article],
    nlp: Language | None = None,
    *,
    batch_size: int = 16,
    prefilter: bool | None = None,
    jobs: int = 1,
    **options: object,
) -> Iterator[CodedArticle | CodingProblem]:
    """Code many articles with batched parsing; a failing article yields a CodingProblem.

    Results come in input order. ``jobs`` > 1 (0 or less: all cores) codes chunks of
    ``batch_size`` articles in that many worker processes; each worker loads the spaCy
    model once (``nlp`` is then ignored: a loaded pipeline is not sent between processes).
    """
    if jobs <= 0:
        jobs = default_jobs()
    if jobs > 1:
        yield from _code_parallel(articles, jobs, batch_size, prefilter, options)
        return
    nlp = nlp or load_nlp()
    it = iter(articles)
    while True:
        batch = list(islice(it, batch_size))
        if not batch:
            return
        yield from _code_batch(batch, nlp, batch_size, prefilter, options)


def _code_batch(
    batch: list[Article],
    nlp: Language,
    batch_size: int,
    prefilter: bool | None,
    options: dict[str, object],
) -> Iterator[CodedArticle | CodingProblem]:
    try:
        docs = list(
            parse_for_coding(
                (a.full_text for a in batch), nlp, prefilter=prefilter, batch_size=batch_size
            )
        )
    except Exception:  # a text that breaks the batch: parse one by one to name it
        yield from _one_by_one(batch, nlp, prefilter, options)
        return
    yield from code_docs(docs, batch, **options)


def code_docs(
    docs: list[Doc], articles: list[Article], **options: object
) -> Iterator[CodedArticle | CodingProblem]:
    """:func:`code_doc` for a batch of parsed articles, in order, with their typing
    candidates read by the model in one call (``extract_events_many``). An article whose
    actors or events fail is reported as a CodingProblem and the others go on; when the
    batch's shared typing call fails, each article is coded alone, so the bad one is named."""
    found: list[tuple[Doc, list[ActorMention], Article]] = []
    problems: dict[int, CodingProblem] = {}
    for k, (art, doc) in enumerate(zip(articles, docs, strict=True)):
        try:
            found.append((doc, find_actors(doc, art.date), art))
        except Exception as exc:  # one bad article is reported, never fatal
            problems[k] = CodingProblem(article=art, reason=f"{type(exc).__name__}: {exc}")
    try:
        batch_events: list[list[Event]] | None = extract_events_many(found, **dict(options))
    except Exception:  # code one by one to name the article that breaks the batch
        batch_events = None
    j = 0  # position among the articles whose actors were found
    for k in range(len(articles)):
        if k in problems:
            yield problems[k]
            continue
        doc, actors, art = found[j]
        j += 1
        try:
            if batch_events is None:
                evs = extract_events(doc, actors, art, **dict(options))
            else:
                evs = batch_events[j - 1]
            yield CodedArticle(article=art, actors=actors, events=evs)
        except Exception as exc:  # one bad article is reported, never fatal
            yield CodingProblem(article=art, reason=f"{type(exc).__name__}: {exc}")


def _one_by_one(
    batch: list[Article], nlp: Language, prefilter: bool | None, options: dict[str, object]
) -> Iterator[CodedArticle | CodingProblem]:
    for art in batch:
        try:
            doc = next(parse_for_coding([art.full_text], nlp, prefilter=prefilter))
            yield code_doc(doc, art, **dict(options))
        except Exception as exc:
            yield CodingProblem(article=art, reason=f"{type(exc).__name__}: {exc}")


def _worker_code(
    batch: list[Article], batch_size: int, prefilter: bool | None, options: dict[str, object]
) -> list[CodedArticle | CodingProblem]:
    """Code one chunk in a worker process (the model is loaded once per process)."""
    return list(_code_batch(batch, load_nlp(), batch_size, prefilter, options))


def _worker_init() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    load_nlp()


def _code_parallel(
    articles: Iterable[Article],
    jobs: int,
    batch_size: int,
    prefilter: bool | None,
    options: dict[str, object],
) -> Iterator[CodedArticle | CodingProblem]:
    from collections import deque

    it = iter(articles)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
        pending: deque[Future[list[CodedArticle | CodingProblem]]] = deque()
        while True:
            while len(pending) < 2 * jobs:
                batch = list(islice(it, batch_size))
                if not batch:
                    break
                pending.append(pool.submit(_worker_code, batch, batch_size, prefilter, options))
            if not pending:
                return
            yield from pending.popleft().result()


def code_text(
    text: str, *, date: str | None = None, title: str = "", doc_id: str = "text", **options: object
) -> CodedArticle:
    """Code a piece of text directly (convenience for the Python API and tests).

    The text is cleaned exactly as files are (headline apart, boilerplate and repeats dropped).
    """
    from polybius.articles import article_from_text

    article = article_from_text(text, date=date, doc_id=doc_id, title=title or None)
    nlp = options.pop("nlp", None)
    prefilter = _flag(options.pop("prefilter", None))
    language = nlp if isinstance(nlp, Language) else None
    doc = next(parse_for_coding([article.full_text], language, prefilter=prefilter))
    return code_doc(doc, article, **options)
