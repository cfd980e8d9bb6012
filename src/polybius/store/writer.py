"""Writing coded articles into the store: one article, its events, actors and mentions.

``write_article`` is idempotent by article id (an article already stored adds nothing) and
never writes part of an article: the caller wraps one or more whole articles in a
transaction (``transaction``). A near-duplicate article (see ``polybius.store.dedup``) is
stored with ``duplicate_of`` set to its cluster's first article; each of its events whose
(type, source codes, target codes, date, modality) matches an event already stored in the
cluster is not stored again: it adds a row to ``event_mentions`` and its mentions to the
stored event's ``mentions``. Each new event also adds to the summary tables ``dyad_days``,
``pair_days``, ``actor_days`` and ``actor_kinds`` and its actors to ``actor_keys`` (in the same
transaction); a merged report adds nothing there, as their counts are of events, not mentions.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import duckdb
import numpy as np

from polybius.records import Actor, Article, Event
from polybius.store.dedup import (
    THRESHOLD,
    band_hashes,
    find_near_duplicate,
    signature,
    signature_to_blob,
)
from polybius.store.schema import (
    ACTOR_DAYS_SELECT,
    ACTOR_KEYS_SELECT,
    ACTOR_KINDS_SELECT,
    DYAD_DAYS_SELECT,
    PAIR_DAYS_SELECT,
    utcnow,
)

__all__ = [
    "WriteResult",
    "transaction",
    "write_article",
    "add_to_summaries",
    "record_problem",
    "record_file",
    "event_key",
    "actor_codes",
    "event_day",
    "stored_article_ids",
]

WriteStatus = Literal["new", "already", "duplicate"]
# Lone surrogates (undecodable file names, JSON escapes) cannot be stored as UTF-8.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _utf8(value: str | None) -> str | None:
    """``value`` with any lone surrogate shown as its escape, so DuckDB can store it."""
    if value is None or not _LONE_SURROGATE.search(value):
        return value
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What ``write_article`` did: stored new, found already stored, or linked as duplicate."""

    status: WriteStatus
    events_new: int = 0
    events_merged: int = 0
    duplicate_of: str | None = None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN ... COMMIT, rolled back on any exception (including KeyboardInterrupt)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def actor_codes(actors: Iterable[Actor]) -> str:
    """Sorted, de-duplicated actor codes joined by ";" (the flattened column form)."""
    return ";".join(sorted({a.code for a in actors}))


def event_key(event: Event) -> str:
    """What makes two reports the same event: type, actors, date and modality (hashed)."""
    key = "|".join(
        [
            event.event_type,
            actor_codes(event.sources),
            actor_codes(event.targets),
            event.date or "",
            event.modality,
        ]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _parse_day(value: str | None) -> _dt.date | None:
    if not value:
        return None
    value = value.strip()
    try:
        if len(value) >= 10:
            return _dt.date.fromisoformat(value[:10])
        if len(value) == 7:
            return _dt.date.fromisoformat(value + "-01")
        if len(value) == 4:
            return _dt.date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def event_day(event: Event, article_date: str | None) -> _dt.date | None:
    """The day an event is filed under: its own date (month/year -> first day), else the
    article's date, else None."""
    return _parse_day(event.date) or _parse_day(article_date)


def stored_article_ids(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` are already stored."""
    if not ids:
        return set()
    rows = con.execute(
        "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(ids)],
    ).fetchall()
    return {r[0] for r in rows}


def _merge_same_id(events: Iterable[Event]) -> list[Event]:
    merged: dict[str, Event] = {}
    for ev in events:
        if ev.event_id in merged:
            first = merged[ev.event_id]
            merged[ev.event_id] = first.with_mentions(first.mentions + ev.mentions)
        else:
            merged[ev.event_id] = ev
    return list(merged.values())


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


#: events columns in table order, with the SQL type each bulk-insert array is cast to.
_EVENT_TYPES = (
    "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
    "VARCHAR", "DOUBLE", "TINYINT", "VARCHAR", "VARCHAR", "VARCHAR", "DATE", "VARCHAR",
    "VARCHAR", "INTEGER", "INTEGER", "INTEGER", "VARCHAR", "VARCHAR", "DOUBLE", "INTEGER",
    "VARCHAR", "VARCHAR", "JSON", "JSON", "JSON", "JSON", "TIMESTAMP", "VARCHAR", "DOUBLE",
    "DOUBLE",
)  # fmt: skip
_ACTOR_TYPES = (
    "VARCHAR", "VARCHAR", "SMALLINT", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
    "VARCHAR",
)  # fmt: skip
_MENTION_TYPES = ("VARCHAR", "VARCHAR", "INTEGER")


def _bulk_insert(
    con: duckdb.DuckDBPyConnection, table: str, types: Sequence[str], rows: list[list[Any]]
) -> None:
    """Insert many rows with one statement: one typed array parameter per column."""
    if not rows:
        return
    columns = [
        [_utf8(v) if isinstance(v, str) else v for v in col] for col in zip(*rows, strict=True)
    ]
    select = ", ".join(f"unnest(?::{t}[])" for t in types)
    con.execute(f"INSERT INTO {table} SELECT {select}", columns)


def _event_row(
    ev: Event, article: Article, cluster_id: str, key: str, now: _dt.datetime
) -> list[Any]:
    return [
        ev.event_id,
        article.article_id,
        cluster_id,
        key,
        ev.doc_id or article.doc_id,
        ev.event_type,
        ev.mode,
        ev.context,
        ev.cameo,
        ev.goldstein,
        ev.quad_class,
        ev.modality,
        ev.date,
        ev.date_precision,
        event_day(ev, article.date),
        ev.location,
        ev.sentence,
        ev.sentence_index,
        ev.span[0],
        ev.span[1],
        ev.trigger,
        ev.rule,
        ev.confidence,
        ev.mentions,
        actor_codes(ev.sources),
        actor_codes(ev.targets),
        _json([a.to_dict() for a in ev.sources]),
        _json([a.to_dict() for a in ev.targets]),
        _json(ev.attribution.to_dict() if ev.attribution else None),
        _json(ev.quantity.to_dict() if ev.quantity else None),
        now,
        ev.location_country,  # schema migration 5 appends these three columns
        ev.location_lat,
        ev.location_lon,
    ]


def _actor_rows(ev: Event) -> list[list[Any]]:
    return [
        [ev.event_id, role, pos, a.code, a.country, a.sector, a.org, a.name, a.text]
        for role, actors in (("source", ev.sources), ("target", ev.targets))
        for pos, a in enumerate(actors)
    ]


_NEW_EVENTS = "e.event_id IN (SELECT unnest(?::VARCHAR[]))"
_KEYS_FROM = "FROM event_actors ea,"
if DYAD_DAYS_SELECT.count(_KEYS_FROM) != 1:  # pragma: no cover - a guard on the edit below
    raise RuntimeError("DYAD_DAYS_SELECT changed: update the writer's dyad_days upsert")


def _add_counts(table: str) -> str:
    """ON CONFLICT clause of a day summary (dyad_days, pair_days): add the new counts and
    Goldstein sums to the row already there."""
    sums = ("events", "q1", "q2", "q3", "q4", "goldstein_sum", "goldstein_n")
    return " ON CONFLICT DO UPDATE SET " + ", ".join(
        f"{c} = {table}.{c} + excluded.{c}" for c in sums
    )


#: DYAD_DAYS_SELECT for the new events (two parameters, both the id list). The keys are read
#: from the new events' actor rows only: the migration's text unnests every event_actors row
#: before the join with the new events (two seconds per article in a store of 1M events).
_DYAD_DAYS_UPSERT = (
    "INSERT INTO dyad_days "
    + DYAD_DAYS_SELECT.replace(
        _KEYS_FROM,
        f"FROM (SELECT * FROM event_actors ea WHERE {_NEW_EVENTS.replace('e.', 'ea.', 1)}) ea,",
    ).format(where=_NEW_EVENTS)
    + _add_counts("dyad_days")
)


_PAIR_DAYS_UPSERT = (
    "INSERT INTO pair_days " + PAIR_DAYS_SELECT.format(where=_NEW_EVENTS) + _add_counts("pair_days")
)

_ACTOR_DAYS_UPSERT = (
    "INSERT INTO actor_days "
    + ACTOR_DAYS_SELECT.format(where=_NEW_EVENTS)
    + " ON CONFLICT DO UPDATE SET events = actor_days.events + excluded.events"
)

_ACTOR_KINDS_UPSERT = (
    "INSERT INTO actor_kinds "
    + ACTOR_KINDS_SELECT.format(where=_NEW_EVENTS.replace("e.", "ea.", 1))
    + """
    ON CONFLICT DO UPDATE SET
        is_org = actor_kinds.is_org OR excluded.is_org,
        is_country = actor_kinds.is_country OR excluded.is_country,
        has_name = actor_kinds.has_name OR excluded.has_name
    """
)

_ACTOR_KEYS_INSERT = "INSERT INTO actor_keys " + ACTOR_KEYS_SELECT.format(
    where=_NEW_EVENTS.replace("e.", "ea.", 1)
)


def add_to_summaries(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str]) -> None:
    """Add just-inserted events (and their actors) to the summary tables: ``dyad_days``
    (dyad series), ``pair_days`` and ``actor_days`` (relations graph, blocs, trends) and
    ``actor_kinds`` (node kinds); and their actors' keys to ``actor_keys`` (events filters)."""
    if event_ids:
        ids = [list(event_ids)]
        con.execute(_DYAD_DAYS_UPSERT, ids * 2)
        con.execute(_PAIR_DAYS_UPSERT, ids)
        con.execute(_ACTOR_DAYS_UPSERT, ids)
        con.execute(_ACTOR_KINDS_UPSERT, ids)
        con.execute(_ACTOR_KEYS_INSERT, ids)


def write_article(
    con: duckdb.DuckDBPyConnection,
    article: Article,
    events: Sequence[Event],
    *,
    sig: np.ndarray | None = None,
    threshold: float = THRESHOLD,
    dedup: bool = True,
    now: _dt.datetime | None = None,
    summaries: list[str] | None = None,
) -> WriteResult:
    """Store one coded article (call inside a transaction); see the module docstring.

    The summary tables get the article's new events at once, unless ``summaries`` is given:
    then the new event ids are appended to it, and the caller must pass them all to
    :func:`add_to_summaries` before its transaction commits (one update for a whole batch
    costs about what one article's does)."""
    exists = con.execute(
        "SELECT 1 FROM articles WHERE article_id = ?", [article.article_id]
    ).fetchone()
    if exists:
        return WriteResult("already")
    now = now or utcnow()
    sig = signature(article.full_text) if sig is None else sig
    near = find_near_duplicate(con, sig, threshold=threshold) if dedup else None
    cluster_id = near.root_id if near else article.article_id
    seq_row = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()
    seq = int(seq_row[0]) if seq_row else 1
    merged_events = _merge_same_id(events)
    con.execute(
        "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article.article_id,
            _utf8(article.doc_id),
            _utf8(article.title or ""),
            _utf8(article.text),
            _parse_day(article.date),
            _utf8(article.url),
            _utf8(article.source),
            article.language,
            signature_to_blob(sig),
            near.root_id if near else None,
            near.similarity if near else None,
            len(merged_events),
            seq,
            now,
        ],
    )
    _bulk_insert(
        con,
        "article_bands",
        ("BIGINT", "VARCHAR"),
        [[h, article.article_id] for h in band_hashes(sig)],
    )
    new = merged = 0
    event_rows: list[list[Any]] = []
    actor_rows: list[list[Any]] = []
    mention_rows: list[list[Any]] = []
    for ev in merged_events:
        key = event_key(ev)
        match = None
        if near is not None:
            match = con.execute(
                "SELECT event_id FROM events WHERE cluster_id = ? AND event_key = ? "
                "ORDER BY event_id LIMIT 1",
                [cluster_id, key],
            ).fetchone()
        if match is None:
            event_rows.append(_event_row(ev, article, cluster_id, key, now))
            actor_rows += _actor_rows(ev)
            mention_rows.append([ev.event_id, article.article_id, ev.mentions])
            new += 1
            continue
        stored_id = match[0]
        con.execute(
            "INSERT INTO event_mentions VALUES (?, ?, ?) ON CONFLICT DO UPDATE "
            "SET mentions = event_mentions.mentions + excluded.mentions",
            [stored_id, article.article_id, ev.mentions],
        )
        con.execute(
            "UPDATE events SET mentions = mentions + ? WHERE event_id = ?",
            [ev.mentions, stored_id],
        )
        merged += 1
    _bulk_insert(con, "events", _EVENT_TYPES, event_rows)
    _bulk_insert(con, "event_actors", _ACTOR_TYPES, actor_rows)
    _bulk_insert(con, "event_mentions", _MENTION_TYPES, mention_rows)
    new_ids = [_utf8(row[0]) or "" for row in event_rows]
    if summaries is None:
        add_to_summaries(con, new_ids)
    else:
        summaries.extend(new_ids)
    status: WriteStatus = "duplicate" if near else "new"
    return WriteResult(status, new, merged, duplicate_of=near.root_id if near else None)


def record_problem(con: duckdb.DuckDBPyConnection, source: str, kind: str, reason: str) -> bool:
    """Record an ingest problem once (the same source, kind and reason is kept once).

    Returns True when it was not recorded before."""
    source, reason = _utf8(source) or "", _utf8(reason) or ""
    before = con.execute(
        "SELECT 1 FROM ingest_errors WHERE source = ? AND kind = ? AND reason = ?",
        [source, kind, reason],
    ).fetchone()
    if before:
        return False
    con.execute("INSERT INTO ingest_errors VALUES (?, ?, ?, ?)", [source, kind, reason, utcnow()])
    return True


def record_file(
    con: duckdb.DuckDBPyConnection,
    path: str,
    *,
    size: int | None,
    mtime: float | None,
    articles: int,
    problems: int,
) -> None:
    """Mark a source file as fully ingested (with the size and mtime it had when read)."""
    con.execute(
        "INSERT OR REPLACE INTO ingest_files VALUES (?, ?, ?, ?, ?, ?)",
        [_utf8(path), size, mtime, articles, problems, utcnow()],
    )
