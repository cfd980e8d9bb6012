"""Ingest: read sources, code their articles, store articles and events.

``ingest(sources, db)`` is what ``polybius ingest`` and ``polybius watch`` call. It is

- idempotent: articles are keyed by content hash; one already stored is not coded again and
  adds nothing, so re-ingesting a corpus leaves the database unchanged;
- batched: coded articles are written ``batch_size`` at a time, each batch in one
  transaction holding whole articles only (an article's row, its events, actors and
  mentions commit together or not at all);
- restartable: a run killed at any point (even SIGKILL) loses at most the uncommitted batch;
  rerunning reads the same sources in the same order, skips what was committed and gives
  exactly the database an uninterrupted run gives;
- polite to readers: the database file is opened for each batch and closed in between, so
  read-only users (the web dashboard) get in between batches (docs/store.md, Concurrency).

Unreadable inputs (``ReadProblem``) and articles the coder failed on (``CodingProblem``) are
recorded once each in ``ingest_errors`` and listed in the report; the run goes on.
"""

from __future__ import annotations

import importlib
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, cast

from polybius.pipeline import CodedArticle, CodingProblem
from polybius.records import Article
from polybius.store.core import DEFAULT_DB, Store
from polybius.store.dedup import THRESHOLD
from polybius.store.writer import (
    add_to_summaries,
    record_file,
    record_problem,
    stored_article_ids,
    transaction,
    write_article,
)

__all__ = [
    "CODER_ENV",
    "Coder",
    "IngestError",
    "IngestProgress",
    "IngestReport",
    "default_coder",
    "ingest",
    "load_coder",
]

#: Environment variable naming another coder as ``module:function`` (tests, custom coders).
CODER_ENV = "POLYBIUS_INGEST_CODER"

Coder = Callable[[Sequence[Article]], Iterable[CodedArticle | CodingProblem]]


@dataclass(frozen=True, slots=True)
class IngestError:
    """A problem met during ingest: the input (file, record or article), kind and reason."""

    source: str
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: [{self.kind}] {self.reason}"


@dataclass(slots=True)
class IngestProgress:
    """Passed to the progress callback after each coded article and each committed batch."""

    done: int
    total: int
    source: str
    committed: int


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    sources: list[str] = field(default_factory=list)
    articles_read: int = 0
    articles_new: int = 0
    articles_already: int = 0
    articles_duplicate: int = 0
    events_new: int = 0
    events_merged: int = 0
    coding_failed: int = 0
    files_skipped: int = 0
    batches: int = 0
    errors: list[IngestError] = field(default_factory=list)
    errors_new: int = 0
    elapsed_s: float = 0.0
    stopped: bool = False

    @property
    def articles_stored(self) -> int:
        """Articles written this run (new ones and linked near-duplicates)."""
        return self.articles_new + self.articles_duplicate

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "articles_read": self.articles_read,
            "articles_new": self.articles_new,
            "articles_already": self.articles_already,
            "articles_duplicate": self.articles_duplicate,
            "events_new": self.events_new,
            "events_merged": self.events_merged,
            "coding_failed": self.coding_failed,
            "files_skipped": self.files_skipped,
            "batches": self.batches,
            "errors": [vars_(e) for e in self.errors],
            "errors_new": self.errors_new,
            "elapsed_s": round(self.elapsed_s, 3),
            "stopped": self.stopped,
        }


def vars_(err: IngestError) -> dict[str, str]:
    return {"source": err.source, "kind": err.kind, "reason": err.reason}


# --------------------------------------------------------------------------- coders


def default_coder(
    articles: Sequence[Article], *, typing: str = "hybrid"
) -> Iterator[CodedArticle | CodingProblem]:
    """The real coder: spaCy parse, actors, events (``polybius.pipeline.code_articles``);
    ``typing`` is the event typing (rules, model or hybrid; docs/accuracy.md)."""
    from polybius.nlp import load_nlp
    from polybius.pipeline import code_articles

    return code_articles(articles, load_nlp(), typing=typing)


def load_coder(spec: str | None = None, *, typing: str = "hybrid") -> Coder:
    """The coder named by ``spec`` (or ``$POLYBIUS_INGEST_CODER``) as ``module:function``,
    else ``default_coder`` with the event ``typing`` (rules, model or hybrid: rules is about
    1.5x faster to code with and less accurate, docs/performance.md). Raises ValueError
    naming the spec or the typing when it cannot be used; a custom coder takes no typing."""
    from polybius.events.candidates import TYPING_MODES

    if typing not in TYPING_MODES:
        raise ValueError(f"typing {typing!r}: choose one of {', '.join(TYPING_MODES)}")
    spec = spec if spec is not None else os.environ.get(CODER_ENV)
    if not spec:
        # a partial of a module-level function, so that worker processes can receive it
        return default_coder if typing == "hybrid" else partial(default_coder, typing=typing)
    if typing != "hybrid":
        raise ValueError(f"typing {typing!r} applies to polybius's own coder, not {spec!r}")
    module_name, _, attr = spec.partition(":")
    try:
        fn = getattr(importlib.import_module(module_name), attr or "code")
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"{CODER_ENV}={spec!r}: cannot load coder: {exc}") from exc
    if not callable(fn):
        raise ValueError(f"{CODER_ENV}={spec!r}: {attr!r} is not callable")
    return cast(Coder, fn)


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group; only the parent decides when to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the CLI's graceful SIGTERM handler (set a flag): undo it, so
    # that the pool (or an operator) can still terminate a worker.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A parent killed outright (SIGKILL, OOM killer) cannot shut its pool down: without this
    # its workers would wait for work forever, each holding a coder in memory.
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _code_chunk(coder: Coder, articles: list[Article]) -> list[CodedArticle | CodingProblem]:
    return list(coder(articles))


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Unit:
    """One source argument: its items (re-read lazily, or kept for URLs) and file stat."""

    source: str
    stat: tuple[int, float] | None
    items: list[Any] | None = None
    articles: int = 0
    problems: int = 0


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _file_stat(source: str) -> tuple[int, float] | None:
    p = Path(source)
    if _is_url(source) or not p.is_file():
        return None
    st = p.stat()
    return (st.st_size, st.st_mtime)


def _reader(date: str | None, read_options: dict[str, Any]) -> Callable[[str], Iterator[Any]]:
    from polybius.articles import read_items

    def read(source: str) -> Iterator[Any]:
        return read_items(source, date=date, **read_options)

    return read


def _problem_fields(item: Any) -> IngestError:
    if isinstance(item, CodingProblem):
        return IngestError(item.article.doc_id or item.article.article_id, "coding", item.reason)
    return IngestError(str(item.source), str(item.kind), str(item.reason))


# --------------------------------------------------------------------------- ingest


#: With ``jobs=0`` ingest uses every core only from this many articles to code on.
AUTO_JOBS_MIN_ARTICLES = 200


def resolve_jobs(jobs: int, articles: int) -> int:
    """Worker processes to use: ``jobs`` when positive; for 0, all cores when there are at
    least AUTO_JOBS_MIN_ARTICLES articles to code, else one (workers cost a model load each)."""
    if jobs > 0:
        return jobs
    if articles < AUTO_JOBS_MIN_ARTICLES:
        return 1
    from polybius.pipeline import default_jobs

    return default_jobs()


def ingest(
    sources: Sequence[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    date: str | None = None,
    batch_size: int = 50,
    progress: Callable[[IngestProgress], None] | None = None,
    jobs: int = 1,
    coder: Coder | None = None,
    skip_seen_files: bool = False,
    should_stop: Callable[[], bool] | None = None,
    dedup_threshold: float = THRESHOLD,
    read_options: dict[str, Any] | None = None,
    lock_timeout: float = 60.0,
) -> IngestReport:
    """Read ``sources``, code the articles not yet stored and store them in ``db``.

    ``date`` (YYYY-MM-DD) is the default date for articles without one. ``progress`` is
    called with an ``IngestProgress`` after each coded article. ``jobs`` > 1 codes batches in
    that many worker processes (results are still written in input order; 0 picks the number
    with ``resolve_jobs``). ``coder``
    replaces the real coder (``load_coder()`` reads ``$POLYBIUS_INGEST_CODER``).
    ``skip_seen_files`` skips local files whose size and mtime match a completed earlier
    ingest (``watch`` uses it). ``should_stop`` is polled between articles: when it returns
    True the articles coded so far are committed and the run ends with ``stopped=True``.
    ``read_options`` go to ``polybius.articles.read_items`` (fields, language, max_chars).
    """
    t0 = time.monotonic()
    if batch_size < 1:
        raise ValueError(f"batch_size: {batch_size} must be at least 1")
    coder = coder or load_coder()
    stop = should_stop or (lambda: False)
    read = _reader(date, dict(read_options or {}))
    report = IngestReport(sources=[str(s) for s in sources])
    with Store.open(db, lock_timeout=lock_timeout) as store:  # create and migrate up front
        seen_files = {
            r[0]: (r[1], r[2])
            for r in store.con.execute("SELECT path, size, mtime FROM ingest_files").fetchall()
        }

    # Plan: which units to read; count the articles to code so the progress bar has an ETA.
    units: list[_Unit] = []
    all_ids: list[str] = []
    for src in report.sources:
        stat = _file_stat(src)
        key = str(Path(src).resolve()) if stat else src
        if skip_seen_files and stat is not None and seen_files.get(key) == stat:
            report.files_skipped += 1
            continue
        unit = _Unit(source=src, stat=stat)
        items = list(read(src)) if _is_url(src) else None
        unit.items = items
        for item in items if items is not None else read(src):
            if isinstance(item, Article):
                all_ids.append(item.article_id)
        units.append(unit)
    known: set[str] = set()
    with Store.open(db, read_only=False, lock_timeout=lock_timeout) as store:
        for i in range(0, len(all_ids), 10_000):
            known |= stored_article_ids(store.con, all_ids[i : i + 10_000])
    total = len({i for i in all_ids if i not in known})
    jobs = resolve_jobs(jobs, total)

    state = IngestProgress(done=0, total=total, source="", committed=0)
    recorded_errors: set[IngestError] = set()
    queued: set[str] = set()

    def chunks() -> Iterator[tuple[_Unit, list[Any], bool]]:
        """(unit, items, last_of_unit): read items cut into chunks of batch_size articles."""
        for unit in units:
            buf: list[Any] = []
            n_articles = 0
            items = unit.items if unit.items is not None else read(unit.source)
            for item in items:
                if not isinstance(item, Article):
                    unit.problems += 1
                else:
                    unit.articles += 1
                    report.articles_read += 1
                    if item.article_id in known or item.article_id in queued:
                        report.articles_already += 1
                        continue
                    queued.add(item.article_id)
                    n_articles += 1
                buf.append(item)
                if n_articles >= batch_size:
                    yield unit, buf, False
                    buf, n_articles = [], 0
            yield unit, buf, True

    def coded(
        stream: Iterator[tuple[_Unit, list[Any], bool]],
    ) -> Iterator[tuple[_Unit, list[Any], bool, Iterator[CodedArticle | CodingProblem]]]:
        if jobs <= 1:
            for unit, items, last in stream:
                arts = [i for i in items if isinstance(i, Article)]
                yield unit, items, last, iter(coder(arts) if arts else ())
            return
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            pending: deque[tuple[_Unit, list[Any], bool, Future[Any]]] = deque()
            for unit, items, last in stream:
                arts = [i for i in items if isinstance(i, Article)]
                pending.append((unit, items, last, pool.submit(_code_chunk, coder, arts)))
                if len(pending) > jobs:
                    u, it, la, fut = pending.popleft()
                    yield u, it, la, iter(fut.result())
                if stop():
                    break
            while pending:
                u, it, la, fut = pending.popleft()
                yield u, it, la, iter(fut.result())

    for unit, items, last, results in coded(chunks()):
        state.source = unit.source
        by_id: dict[str, CodedArticle | CodingProblem] = {}
        stopped = False
        for result in results:
            by_id[result.article.article_id] = result
            state.done += 1
            if progress:
                progress(state)
            if stop():
                stopped = True
                break
        _write_chunk(
            db,
            unit,
            items,
            by_id,
            last and not stopped,
            report,
            recorded_errors,
            dedup_threshold,
            lock_timeout,
        )
        state.committed = report.articles_stored
        if progress:
            progress(state)
        if stopped or stop():
            report.stopped = True
            break
    report.elapsed_s = time.monotonic() - t0
    return report


def _write_chunk(
    db: str | Path,
    unit: _Unit,
    items: list[Any],
    by_id: dict[str, CodedArticle | CodingProblem],
    last: bool,
    report: IngestReport,
    recorded: set[IngestError],
    threshold: float,
    lock_timeout: float,
) -> None:
    """Write one chunk in one transaction: problems, coded articles, and the file mark."""
    with Store.open(db, lock_timeout=lock_timeout) as store:
        con = store.con
        with transaction(con):
            new_events: list[str] = []  # summary tables are updated once for the chunk
            for item in items:
                if isinstance(item, Article):
                    result = by_id.get(item.article_id)
                    if result is None:  # stopped before this one was coded
                        continue
                    if isinstance(result, CodingProblem):
                        problem: Any = result
                    else:
                        wr = write_article(
                            con,
                            result.article,
                            result.events,
                            threshold=threshold,
                            summaries=new_events,
                        )
                        if wr.status == "new":
                            report.articles_new += 1
                        elif wr.status == "duplicate":
                            report.articles_duplicate += 1
                        else:
                            report.articles_already += 1
                        report.events_new += wr.events_new
                        report.events_merged += wr.events_merged
                        continue
                    report.coding_failed += 1
                else:
                    problem = item
                err = _problem_fields(problem)
                if record_problem(con, err.source, err.kind, err.reason):
                    report.errors_new += 1
                if err not in recorded:
                    recorded.add(err)
                    report.errors.append(err)
            add_to_summaries(con, new_events)
            if last and unit.stat is not None:
                record_file(
                    con,
                    str(Path(unit.source).resolve()),
                    size=unit.stat[0],
                    mtime=unit.stat[1],
                    articles=unit.articles,
                    problems=unit.problems,
                )
    report.batches += 1
