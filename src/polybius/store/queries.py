"""Reading the store: events with filters, articles, actors and a summary.

Every function takes an open ``Store`` and keyword filters, validates them (``QueryError``
names the bad input) and runs parameterised SQL only: no user value is ever formatted into
a query string. The CLI and the web API call exactly these functions.

An actor filter matches an actor's code (``Actor.code``: org code, else ISO3 country, else
name), its country or its org, case-insensitively: ``actor="CHN"`` finds Chinese
government, military and people alike.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from polybius.records import Event
from polybius.store.core import Store
from polybius.store.validate import (
    QueryError,
    check_actor,
    check_date,
    check_event_type,
    check_limit,
    check_modality,
    check_place,
    check_quad,
)

__all__ = [
    "EVENT_ORDERS",
    "event_filters",
    "query_events",
    "count_events",
    "get_event",
    "get_article",
    "list_articles",
    "list_actors",
    "summary",
    "row_to_event",
    "EVENT_COLUMNS",
    "EVENT_COLUMN_COUNT",
]

#: Orders ``query_events`` accepts: oldest first, newest first, most reported first.
EVENT_ORDERS: dict[str, str] = {
    "date": "e.day ASC NULLS LAST, e.event_id",
    "-date": "e.day DESC NULLS LAST, e.event_id",
    "mentions": "e.mentions DESC, e.day ASC NULLS LAST, e.event_id",
}

#: The events columns ``row_to_event`` expects, in order.
EVENT_COLUMNS = (
    "e.event_id, e.article_id, e.doc_id, e.event_type, e.mode, e.context, e.cameo, "
    "e.goldstein, e.quad_class, e.modality, e.date, e.date_precision, e.location, "
    "e.sentence, e.sentence_index, e.span_start, e.span_end, e.trigger, e.rule, "
    "e.confidence, e.mentions, e.sources, e.targets, e.attribution, e.quantity, "
    "e.location_country, e.location_lat, e.location_lon"
)
#: How many columns ``EVENT_COLUMNS`` selects (extra columns selected after them start here).
EVENT_COLUMN_COUNT = EVENT_COLUMNS.count(",") + 1

#: Pages up to this many events are read in two steps (ids, then rows by primary key).
_IDS_FIRST_MAX = 1000

#: An actor filter: the event has an actor (in ``role``, when given) whose code, country or
#: org is the value, case-insensitively. Read from ``actor_keys`` (schema migration 4: the
#: upper-cased keys, sorted by key) rather than by upper-casing every ``event_actors`` row.
_ACTOR_MATCH = "e.event_id IN (SELECT ak.event_id FROM actor_keys ak WHERE ak.key = upper(?){role})"


def _loads(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(value) if isinstance(value, str) else value


def row_to_event(row: tuple[Any, ...]) -> Event:
    """Build an Event from a row selected with ``EVENT_COLUMNS``."""
    (
        event_id,
        article_id,
        doc_id,
        event_type,
        mode,
        context,
        cameo,
        goldstein,
        quad_class,
        modality,
        date,
        date_precision,
        location,
        sentence,
        sentence_index,
        span_start,
        span_end,
        trigger,
        rule,
        confidence,
        mentions,
        sources,
        targets,
        attribution,
        quantity,
        location_country,
        location_lat,
        location_lon,
    ) = row
    return Event.from_dict(
        {
            "event_id": event_id,
            "article_id": article_id,
            "doc_id": doc_id,
            "event_type": event_type,
            "mode": mode,
            "context": context,
            "cameo": cameo,
            "goldstein": goldstein,
            "quad_class": quad_class,
            "modality": modality,
            "date": date,
            "date_precision": date_precision,
            "location": location,
            "location_country": location_country,
            "location_lat": location_lat,
            "location_lon": location_lon,
            "sentence": sentence,
            "sentence_index": sentence_index,
            "span": [span_start, span_end],
            "trigger": trigger,
            "rule": rule,
            "confidence": confidence,
            "mentions": mentions,
            "sources": _loads(sources) or [],
            "targets": _loads(targets) or [],
            "attribution": _loads(attribution),
            "quantity": _loads(quantity),
        }
    )


def event_filters(
    *,
    actor: str | None = None,
    source: str | None = None,
    target: str | None = None,
    event_type: str | None = None,
    quad: int | str | None = None,
    modality: str | None = None,
    place: str | None = None,
    since: str | _dt.date | None = None,
    until: str | _dt.date | None = None,
) -> tuple[str, list[Any]]:
    """Validate the filters; return a WHERE clause over ``events e`` and its parameters.

    ``place`` keeps the events whose place resolves to that country (ISO alpha-3:
    ``location_country``), wherever their actors come from."""
    clauses: list[str] = []
    params: list[Any] = []
    for value, role, name in (
        (actor, "", "actor"),
        (source, " AND ak.role = 'source'", "source"),
        (target, " AND ak.role = 'target'", "target"),
    ):
        code = check_actor(value, name)
        if code is not None:
            clauses.append(_ACTOR_MATCH.format(role=role))
            params.append(code)
    etype = check_event_type(event_type)
    if etype is not None:
        clauses.append("e.event_type = ?")
        params.append(etype)
    q = check_quad(quad)
    if q is not None:
        clauses.append("e.quad_class = ?")
        params.append(q)
    mod = check_modality(modality)
    if mod is not None:
        clauses.append("e.modality = ?")
        params.append(mod)
    where_code = check_place(place)
    if where_code is not None:
        clauses.append("e.location_country = ?")
        params.append(where_code)
    start = check_date(since, "since")
    end = check_date(until, "until")
    if start and end and start > end:
        raise QueryError(f"since {start} is after until {end}")
    if start is not None:
        clauses.append("e.day >= ?")
        params.append(start)
    if end is not None:
        clauses.append("e.day <= ?")
        params.append(end)
    where = " AND ".join(clauses) if clauses else "TRUE"
    return where, params


def query_events(
    store: Store,
    *,
    actor: str | None = None,
    source: str | None = None,
    target: str | None = None,
    event_type: str | None = None,
    quad: int | str | None = None,
    modality: str | None = None,
    place: str | None = None,
    since: str | _dt.date | None = None,
    until: str | _dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
    order: str = "date",
) -> list[Event]:
    """Events matching every given filter; ``mentions`` counts all reports (duplicates too)."""
    where, params = event_filters(
        actor=actor,
        source=source,
        target=target,
        event_type=event_type,
        quad=quad,
        modality=modality,
        place=place,
        since=since,
        until=until,
    )
    if order not in EVENT_ORDERS:
        raise QueryError(f"order: {order!r} is not one of {', '.join(EVENT_ORDERS)}")
    limit, offset = check_limit(limit), check_limit(offset, "offset")
    by = EVENT_ORDERS[order]
    if limit > _IDS_FIRST_MAX:
        sql = f"SELECT {EVENT_COLUMNS} FROM events e WHERE {where} ORDER BY {by} LIMIT ? OFFSET ?"
        rows = store.con.execute(sql, [*params, limit, offset]).fetchall()
        return [row_to_event(r) for r in rows]
    # A page: find its ids reading only the filtered and ordered columns, then fetch the
    # wide rows of just those through the primary-key index (a literal IN list).
    ids = [
        r[0]
        for r in store.con.execute(
            f"SELECT e.event_id FROM events e WHERE {where} ORDER BY {by} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
    ]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = store.con.execute(
        f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.event_id IN ({marks}) ORDER BY {by}", ids
    ).fetchall()
    return [row_to_event(r) for r in rows]


def count_events(
    store: Store,
    *,
    actor: str | None = None,
    source: str | None = None,
    target: str | None = None,
    event_type: str | None = None,
    quad: int | str | None = None,
    modality: str | None = None,
    place: str | None = None,
    since: str | _dt.date | None = None,
    until: str | _dt.date | None = None,
) -> int:
    """How many events match (same filters as ``query_events``)."""
    where, params = event_filters(
        actor=actor,
        source=source,
        target=target,
        event_type=event_type,
        quad=quad,
        modality=modality,
        place=place,
        since=since,
        until=until,
    )
    row = store.con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()
    return int(row[0]) if row else 0


def get_event(store: Store, event_id: str) -> Event | None:
    """One event by id, or None."""
    row = store.con.execute(
        f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.event_id = ?", [event_id]
    ).fetchone()
    return row_to_event(row) if row else None


_ARTICLE_COLUMNS = (
    "article_id, doc_id, title, text, date, url, source, language, duplicate_of, similarity, "
    "n_events, ingested_at"
)


def _article_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    keys = [k.strip() for k in _ARTICLE_COLUMNS.split(",")]
    d = dict(zip(keys, row, strict=True))
    d["events"] = d.pop("n_events")
    for k in ("date", "ingested_at"):
        if d[k] is not None:
            d[k] = d[k].isoformat()
    return d


def get_article(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article as a dict (with ``duplicates``: ids of stored copies of it), or None."""
    row = store.con.execute(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE article_id = ?", [article_id]
    ).fetchone()
    if row is None:
        return None
    d = _article_dict(row)
    dups = store.con.execute(
        "SELECT article_id FROM articles WHERE duplicate_of = ? ORDER BY seq", [article_id]
    ).fetchall()
    d["duplicates"] = [r[0] for r in dups]
    return d


def list_articles(
    store: Store,
    *,
    since: str | _dt.date | None = None,
    until: str | _dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Articles in ingest order, optionally within a date range (by article date)."""
    start = check_date(since, "since")
    end = check_date(until, "until")
    clauses, params = ["TRUE"], []
    if start is not None:
        clauses.append("date >= ?")
        params.append(start)
    if end is not None:
        clauses.append("date <= ?")
        params.append(end)
    rows = store.con.execute(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {' AND '.join(clauses)} "
        "ORDER BY seq LIMIT ? OFFSET ?",
        [*params, check_limit(limit), check_limit(offset, "offset")],
    ).fetchall()
    return [_article_dict(r) for r in rows]


def list_actors(store: Store, *, limit: int = 200) -> list[dict[str, Any]]:
    """Actors by number of events: {code, kind, events, as_source, as_target}.

    ``kind`` is "org" when the code is an organisation, "country" when a country,
    "person" when a named person without either, else "other"."""
    rows = store.con.execute(
        """
        SELECT code,
               CASE WHEN bool_or(org IS NOT NULL AND org = code) THEN 'org'
                    WHEN bool_or(country IS NOT NULL AND country = code) THEN 'country'
                    WHEN bool_or(name IS NOT NULL) THEN 'person'
                    ELSE 'other' END AS kind,
               count(DISTINCT event_id) AS events,
               count(DISTINCT event_id) FILTER (WHERE role = 'source') AS as_source,
               count(DISTINCT event_id) FILTER (WHERE role = 'target') AS as_target
        FROM event_actors
        GROUP BY code
        ORDER BY events DESC, code
        LIMIT ?
        """,
        [check_limit(limit)],
    ).fetchall()
    keys = ("code", "kind", "events", "as_source", "as_target")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def summary(store: Store) -> dict[str, Any]:
    """Totals: articles, duplicates, events, mentions, actors, errors, first/last event day."""
    con = store.con
    articles, duplicates = con.execute(
        "SELECT count(*), count(duplicate_of) FROM articles"
    ).fetchone() or (0, 0)
    events, mentions, first, last = con.execute(
        "SELECT count(*), coalesce(sum(mentions), 0), min(day), max(day) FROM events"
    ).fetchone() or (0, 0, None, None)
    actors = (con.execute("SELECT count(DISTINCT code) FROM event_actors").fetchone() or (0,))[0]
    errors = (con.execute("SELECT count(*) FROM ingest_errors").fetchone() or (0,))[0]
    return {
        "articles": int(articles),
        "duplicates": int(duplicates),
        "events": int(events),
        "mentions": int(mentions),
        "actors": int(actors),
        "errors": int(errors),
        "first_date": first.isoformat() if first else None,
        "last_date": last.isoformat() if last else None,
    }
