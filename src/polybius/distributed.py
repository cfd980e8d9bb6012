"""Ingest on a Dask cluster: code partitions on workers, write Parquet, load the store.

``ingest_dask(sources, db, scheduler="local:4")`` is what ``polybius ingest --dask`` calls.

1. **Read and partition** on the client: the sources are read with the same reader as the
   single-process ingest; articles already in the store are skipped (nothing is coded
   twice); the rest are cut into partitions of ``partition_size`` articles.
2. **Code on the workers**: each partition is coded with ``polybius.pipeline.code_articles``
   (the spaCy model and dictionaries are loaded once per worker process and cached there)
   and written by the worker as Parquet files, partitioned by date (hive style), in the
   shapes of the store's tables::

       OUT/articles/date=YYYY-MM-DD/part-<partition>-0.parquet
       OUT/events/day=YYYY-MM-DD/part-<partition>-0.parquet
       OUT/event_actors/day=YYYY-MM-DD/part-<partition>-0.parquet
       OUT/problems/part-<partition>-0.parquet

   ``OUT`` must be storage that the client and every worker see (a shared file system; see
   docs/scaling.md for object stores). File names are a hash of the partition's article
   ids, so a re-run writes the same files again rather than new ones.
3. **Load**: ``polybius.ingest.ingest`` runs with a coder that reads the coded articles back
   from the Parquet dataset (DuckDB ``read_parquet``) instead of coding them. Everything
   the single-process ingest promises therefore holds unchanged: idempotent by article id
   (re-running adds nothing), near-duplicate linking, problems recorded once, whole
   articles per transaction, the same events.

The Parquet dataset stays after the load: DuckDB can query it directly, at sizes beyond
one machine's disk (docs/scaling.md).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polybius.pipeline import CodedArticle, CodingProblem
from polybius.records import Article, Event

__all__ = [
    "DaskRun",
    "check_scheduler",
    "connect",
    "code_partition",
    "ingest_dask",
    "parquet_coder",
    "default_output",
]

#: Columns written for each table (the store's columns, minus what only the store computes:
#: near-duplicate cluster, minhash, insertion time). ``position`` keeps an article's event
#: order; ``seq`` the article's input order.
ARTICLE_COLUMNS = ("article_id", "doc_id", "title", "text", "date", "url", "source",
                   "language", "n_events", "seq")  # fmt: skip


@dataclass(slots=True)
class DaskRun:
    """What the distributed part did: partitions, articles coded, events, output folder."""

    output: str
    partitions: int = 0
    articles_coded: int = 0
    events: int = 0
    problems: int = 0
    workers: int = 0
    files: list[str] = field(default_factory=list)


def default_output(db: str | Path) -> Path:
    """Where the Parquet dataset goes when not told: beside the database, ``<db>.parquet``."""
    return Path(f"{db}.parquet")


def check_scheduler(scheduler: str) -> int | None:
    """Validate ``scheduler``; for ``local:N`` return N (``local``: 0, all cores), else None.

    Accepted: ``local[:N]``, an address with a scheme (tcp://, tls://, ucx://, ws://,
    inproc://), ``host:port``, or a scheduler file (``*.json``). Anything else raises
    ValueError naming the value.
    """
    if scheduler == "local" or scheduler.startswith("local:"):
        rest = scheduler[len("local:") :]
        if rest == "":
            return 0
        if not rest.isdigit():
            raise ValueError(f"--dask {scheduler!r}: expected local:N with N a number")
        return int(rest)
    if scheduler.endswith(".json") or "://" in scheduler or _HOST_PORT.fullmatch(scheduler):
        return None
    raise ValueError(
        f"--dask {scheduler!r}: expected a scheduler address (tcp://host:8786 or host:8786), "
        "a scheduler file (.json) or local:N"
    )


_HOST_PORT = re.compile(r"[\w.\-]+:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5}")


def connect(scheduler: str) -> Any:
    """A ``distributed.Client`` for ``scheduler``: an address (tcp://host:8786), a scheduler
    file (``*.json``, as dask-jobqueue or ``dask scheduler --scheduler-file`` write) or
    ``local:N`` for a LocalCluster of N worker processes with one thread each."""
    from distributed import Client, LocalCluster

    workers = check_scheduler(scheduler)
    if workers is not None:
        if workers <= 0:
            from polybius.pipeline import default_jobs

            workers = default_jobs()
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        return Client(cluster)
    if scheduler.endswith(".json"):
        return Client(scheduler_file=scheduler)
    return Client(scheduler)


def _partition_key(articles: Sequence[Article]) -> str:
    h = hashlib.sha256()
    for a in articles:
        h.update(a.article_id.encode())
    return h.hexdigest()[:16]


def _article_day(value: str | None) -> str | None:
    """The article's date as YYYY-MM-DD (month or year -> its first day), else None."""
    import datetime as dt

    v = (value or "").strip()
    for text in (v[:10], v[:7] + "-01", v[:4] + "-01-01"):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            continue
    return None


def _schemas() -> dict[str, Any]:
    """Explicit Parquet schemas, so that every partition file agrees (no null-typed columns)."""
    import pyarrow as pa

    s, i, f = pa.string(), pa.int64(), pa.float64()
    return {
        "articles": pa.schema([("article_id", s), ("doc_id", s), ("title", s), ("text", s),
                               ("date", s), ("url", s), ("source", s), ("language", s),
                               ("n_events", i), ("seq", i)]),
        "events": pa.schema([("event_id", s), ("article_id", s), ("cluster_id", s),
                             ("event_key", s), ("doc_id", s), ("event_type", s), ("mode", s),
                             ("context", s), ("cameo", s), ("goldstein", f),
                             ("quad_class", i), ("modality", s), ("date", s),
                             ("date_precision", s), ("day", s), ("location", s),
                             ("location_country", s), ("location_lat", f),
                             ("location_lon", f), ("sentence", s), ("sentence_index", i),
                             ("span_start", i),
                             ("span_end", i), ("trigger", s), ("rule", s), ("confidence", f),
                             ("mentions", i), ("source_codes", s), ("target_codes", s),
                             ("sources", s), ("targets", s), ("attribution", s),
                             ("quantity", s), ("position", i)]),
        "event_actors": pa.schema([("event_id", s), ("role", s), ("position", i), ("code", s),
                                   ("country", s), ("sector", s), ("org", s), ("name", s),
                                   ("text", s), ("day", s)]),
        "problems": pa.schema([("article_id", s), ("doc_id", s), ("reason", s), ("seq", i)]),
    }  # fmt: skip


def _tables(
    results: Sequence[CodedArticle | CodingProblem], seq0: int
) -> dict[str, list[dict[str, Any]]]:
    """Rows for the Parquet tables from coded articles (store shapes)."""
    from polybius.store.writer import actor_codes, event_day, event_key

    articles: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    actors: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    for i, res in enumerate(results):
        art = res.article
        if isinstance(res, CodingProblem):
            problems.append({"article_id": art.article_id, "doc_id": art.doc_id,
                             "reason": res.reason, "seq": seq0 + i})  # fmt: skip
            continue
        articles.append({
            "article_id": art.article_id, "doc_id": art.doc_id, "title": art.title or "",
            "text": art.text, "date": _article_day(art.date), "url": art.url,
            "source": art.source, "language": art.language, "n_events": len(res.events),
            "seq": seq0 + i,
        })  # fmt: skip
        for pos, ev in enumerate(res.events):
            day = event_day(ev, art.date)
            events.append({
                "event_id": ev.event_id, "article_id": art.article_id,
                "cluster_id": art.article_id, "event_key": event_key(ev),
                "doc_id": ev.doc_id or art.doc_id, "event_type": ev.event_type,
                "mode": ev.mode, "context": ev.context, "cameo": ev.cameo,
                "goldstein": ev.goldstein, "quad_class": ev.quad_class,
                "modality": ev.modality, "date": ev.date, "date_precision": ev.date_precision,
                "day": day.isoformat() if day else None, "location": ev.location,
                "location_country": ev.location_country, "location_lat": ev.location_lat,
                "location_lon": ev.location_lon,
                "sentence": ev.sentence, "sentence_index": ev.sentence_index,
                "span_start": ev.span[0], "span_end": ev.span[1], "trigger": ev.trigger,
                "rule": ev.rule, "confidence": ev.confidence, "mentions": ev.mentions,
                "source_codes": actor_codes(ev.sources),
                "target_codes": actor_codes(ev.targets),
                "sources": json.dumps([a.to_dict() for a in ev.sources], ensure_ascii=False),
                "targets": json.dumps([a.to_dict() for a in ev.targets], ensure_ascii=False),
                "attribution": json.dumps(ev.attribution.to_dict()) if ev.attribution else None,
                "quantity": json.dumps(ev.quantity.to_dict()) if ev.quantity else None,
                "position": pos,
            })  # fmt: skip
            for role, group in (("source", ev.sources), ("target", ev.targets)):
                for p, a in enumerate(group):
                    actors.append({
                        "event_id": ev.event_id, "role": role, "position": p, "code": a.code,
                        "country": a.country, "sector": a.sector, "org": a.org,
                        "name": a.name, "text": a.text,
                        "day": day.isoformat() if day else None,
                    })  # fmt: skip
    return {"articles": articles, "events": events, "event_actors": actors,
            "problems": problems}  # fmt: skip


def _write_table(rows: list[dict[str, Any]], folder: Path, part: str, by: str | None) -> list[str]:
    """Write ``rows`` as Parquet under ``folder``, hive-partitioned by column ``by``."""
    if not rows:
        return []
    import pyarrow as pa
    import pyarrow.dataset as ds

    table = pa.Table.from_pylist(rows, schema=_schemas()[folder.name])
    written: list[str] = []
    ds.write_dataset(
        table,
        str(folder),
        format="parquet",
        partitioning=[by] if by else None,
        partitioning_flavor="hive" if by else None,
        basename_template=f"part-{part}-{{i}}.parquet",
        existing_data_behavior="overwrite_or_ignore",
        file_visitor=lambda f: written.append(f.path),
    )
    return written


def code_partition(
    articles: list[Article], output: str, seq0: int, options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Worker task: code ``articles`` and write them as Parquet under ``output``.

    The spaCy model, actor dictionary and pattern lexicon are cached per process
    (``functools.cache``), so each worker loads them once, on its first partition.
    Returns counts and the files written (small: it travels back to the client).
    """
    from polybius.nlp import load_nlp
    from polybius.pipeline import code_articles

    opts = dict(options or {})
    results = list(code_articles(articles, load_nlp(), **opts))
    tables = _tables(results, seq0)
    part = _partition_key(articles)
    root = Path(output)
    files: list[str] = []
    files += _write_table(tables["articles"], root / "articles", part, "date")
    files += _write_table(tables["events"], root / "events", part, "day")
    files += _write_table(tables["event_actors"], root / "event_actors", part, "day")
    files += _write_table(tables["problems"], root / "problems", part, None)
    return {
        "articles": len(tables["articles"]),
        "events": len(tables["events"]),
        "problems": len(tables["problems"]),
        "files": files,
    }


def _read_new_articles(
    sources: Sequence[str | Path], db: str | Path, date: str | None,
    read_options: dict[str, Any],
) -> list[Article]:  # fmt: skip
    """Articles of ``sources`` not yet in the store, in input order, each once."""
    from polybius.articles import read_items
    from polybius.store.core import Store
    from polybius.store.writer import stored_article_ids

    articles: list[Article] = []
    seen: set[str] = set()
    for src in sources:
        for item in read_items(str(src), date=date, **read_options):
            if isinstance(item, Article) and item.article_id not in seen:
                seen.add(item.article_id)
                articles.append(item)
    with Store.open(db) as store:
        known: set[str] = set()
        ids = [a.article_id for a in articles]
        for i in range(0, len(ids), 10_000):
            known |= stored_article_ids(store.con, ids[i : i + 10_000])
    return [a for a in articles if a.article_id not in known]


def _glob(root: Path, table: str) -> str:
    return str(root / table / "**" / "*.parquet")


def parquet_coder(
    output: str | Path, coding_options: dict[str, Any] | None = None
) -> Callable[[Sequence[Article]], Iterator[Any]]:
    """A coder for ``polybius.ingest.ingest`` that serves coded articles from the Parquet
    dataset under ``output`` (written by :func:`code_partition`) instead of coding them.

    An article the dataset does not hold is coded here (with ``coding_options``, as on the
    workers), so the load never loses one.
    """
    import duckdb

    root = Path(output)

    def has(table: str) -> bool:
        return any((root / table).rglob("*.parquet"))

    def coder(batch: Sequence[Article]) -> Iterator[CodedArticle | CodingProblem]:
        ids = [a.article_id for a in batch]
        events: dict[str, list[Event]] = {i: [] for i in ids}
        coded: set[str] = set()
        failed: dict[str, str] = {}
        con = duckdb.connect()
        try:
            if has("articles"):
                rows = con.execute(
                    f"SELECT DISTINCT article_id FROM read_parquet('{_glob(root, 'articles')}',"
                    " hive_partitioning = true) WHERE article_id IN (SELECT unnest(?))",
                    [ids],
                ).fetchall()
                coded = {r[0] for r in rows}
            if has("events"):
                cur = con.execute(
                    f"SELECT * FROM read_parquet('{_glob(root, 'events')}', "
                    # union_by_name: partitions written before a column was added lack it
                    "hive_partitioning = true, union_by_name = true) "
                    "WHERE article_id IN (SELECT unnest(?)) "
                    "ORDER BY article_id, position",
                    [ids],
                )
                names = [d[0] for d in cur.description]
                seen: set[tuple[str, int]] = set()
                for row in cur.fetchall():
                    rec = dict(zip(names, row, strict=True))
                    key = (rec["article_id"], rec["position"])
                    if key in seen:  # the same partition written twice: keep one copy
                        continue
                    seen.add(key)
                    events[rec["article_id"]].append(_event_from_row(rec))
            if has("problems"):
                rows = con.execute(
                    f"SELECT article_id, reason FROM read_parquet('{_glob(root, 'problems')}')"
                    " WHERE article_id IN (SELECT unnest(?))",
                    [ids],
                ).fetchall()
                failed = {r[0]: r[1] for r in rows}
        finally:
            con.close()
        missing = [a for a in batch if a.article_id not in coded and a.article_id not in failed]
        local: dict[str, CodedArticle | CodingProblem] = {}
        if missing:
            from polybius.pipeline import code_articles

            opts = dict(coding_options or {})
            local = {r.article.article_id: r for r in code_articles(missing, **opts)}
        for art in batch:
            if art.article_id in local:
                yield local[art.article_id]
            elif art.article_id in failed:
                yield CodingProblem(article=art, reason=failed[art.article_id])
            else:
                yield CodedArticle(article=art, actors=[], events=events[art.article_id])

    return coder


def _event_from_row(rec: dict[str, Any]) -> Event:
    def loads(v: Any) -> Any:
        return json.loads(v) if isinstance(v, str) else v

    data = dict(rec)
    data["span"] = (rec["span_start"], rec["span_end"])
    for k in ("sources", "targets", "attribution", "quantity"):
        data[k] = loads(rec.get(k))
    return Event.from_dict(data)


def ingest_dask(
    sources: Sequence[str | Path],
    db: str | Path,
    scheduler: str,
    *,
    output: str | Path | None = None,
    date: str | None = None,
    partition_size: int | None = None,
    batch_size: int = 50,
    read_options: dict[str, Any] | None = None,
    progress: Callable[[Any], None] | None = None,
    client: Any = None,
    coding_options: dict[str, Any] | None = None,
) -> tuple[DaskRun, Any]:
    """Code ``sources`` on the Dask cluster ``scheduler`` and load the result into ``db``.

    Returns (DaskRun, polybius.ingest.IngestReport). ``client`` reuses an existing
    ``distributed.Client`` (then ``scheduler`` only names it in messages).
    ``partition_size`` (articles per task) defaults to an even spread: about four
    partitions per worker, at most 64 articles each. ``coding_options`` go to
    ``code_articles`` on the workers (for example ``{"typing": "rules"}``).
    """
    from polybius.ingest import ingest

    if client is None:
        check_scheduler(scheduler)
    if partition_size is not None and partition_size < 1:
        raise ValueError(f"partition_size: {partition_size} must be at least 1")
    out = Path(output) if output is not None else default_output(db)
    out.mkdir(parents=True, exist_ok=True)
    run = DaskRun(output=str(out))
    read_opts = dict(read_options or {})
    todo = _read_new_articles(sources, db, date, read_opts)
    if todo:
        own = client is None
        client = client or connect(scheduler)
        try:
            run.workers = len(client.scheduler_info().get("workers", {}))
            size = partition_size or max(1, min(64, -(-len(todo) // (4 * max(1, run.workers)))))
            parts = [todo[i : i + size] for i in range(0, len(todo), size)]
            run.partitions = len(parts)
            futures = [
                client.submit(code_partition, part, str(out.resolve()), i * size,
                              coding_options, pure=False)
                for i, part in enumerate(parts)
            ]  # fmt: skip
            for fut in _as_completed(futures):
                res = fut.result()
                run.articles_coded += res["articles"]
                run.events += res["events"]
                run.problems += res["problems"]
                run.files += res["files"]
        finally:
            if own:
                cluster = getattr(client, "cluster", None)
                client.close()
                if cluster is not None:
                    cluster.close()
    report = ingest(
        sources,
        db,
        date=date,
        batch_size=batch_size,
        progress=progress,
        coder=parquet_coder(out, coding_options),
        read_options=read_opts,
    )
    return run, report


def _as_completed(futures: Iterable[Any]) -> Iterator[Any]:
    from distributed import as_completed

    yield from as_completed(list(futures))
