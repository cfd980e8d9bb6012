"""Exports of stored events: JSONL (the event JSON contract), CSV, Parquet and GDELT-style TSV.

Each exporter streams the events of a date range (by event day, inclusive) from the store
to a file and returns the number of events written. Columns are documented in docs/store.md.

- ``jsonl``: one ``Event.to_dict()`` per line, ``mentions`` counting all reports.
- ``csv``: one row per event, actors flattened (``;``-joined codes, countries, sectors).
- ``parquet``: the CSV columns with their types plus the sources/targets JSON; reads back
  with the same rows and values (``read_parquet`` is the check).
- ``gdelt``: the GDELT 2.0 event table's 61 columns, tab-separated, no header (as GDELT
  ships it; ``header=True`` adds one); one row per (source actor, target actor) pair.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from polybius.places import resolve_place
from polybius.records import Actor, Event
from polybius.store.core import Store
from polybius.store.queries import EVENT_COLUMN_COUNT, EVENT_COLUMNS, row_to_event
from polybius.store.validate import QueryError, check_date

__all__ = [
    "EXPORT_FORMATS",
    "FLAT_COLUMNS",
    "GDELT_COLUMNS",
    "export",
    "export_jsonl",
    "export_csv",
    "export_parquet",
    "export_gdelt",
    "flat_rows",
    "gdelt_quad_class",
    "read_parquet",
]

EXPORT_FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "gdelt")

_BATCH = 5_000


def _range_sql(since: Any, until: Any) -> tuple[str, list[Any]]:
    start = check_date(since, "since")
    end = check_date(until, "until")
    if start and end and start > end:
        raise QueryError(f"since {start} is after until {end}")
    return (
        "(CAST(? AS DATE) IS NULL OR e.day >= ?) AND (CAST(? AS DATE) IS NULL OR e.day <= ?)",
        [start, start, end, end],
    )


def _event_rows(store: Store, since: Any, until: Any, extra: str = "") -> Iterator[tuple[Any, ...]]:
    """Event rows (EVENT_COLUMNS + extra columns) in day, id order, fetched in batches."""
    where, params = _range_sql(since, until)
    cur = store.con.cursor()
    cur.execute(
        f"""
        SELECT {EVENT_COLUMNS}{extra}
        FROM events e JOIN articles ar ON ar.article_id = e.article_id
        WHERE {where}
        ORDER BY e.day NULLS LAST, e.event_id
        """,
        params,
    )
    try:
        while batch := cur.fetchmany(_BATCH):
            yield from batch
    finally:
        cur.close()


def export_jsonl(store: Store, out: str | Path, *, since: Any = None, until: Any = None) -> int:
    """Write events as JSON lines (the event JSON contract); return the count."""
    n = 0
    with Path(out).open("w", encoding="utf-8") as fh:
        for row in _event_rows(store, since, until):
            fh.write(row_to_event(row).to_json() + "\n")
            n += 1
    return n


#: Flattened columns of the CSV and Parquet exports, with their Arrow types.
FLAT_COLUMNS: dict[str, pa.DataType] = {
    "event_id": pa.string(),
    "article_id": pa.string(),
    "doc_id": pa.string(),
    "date": pa.string(),
    "date_precision": pa.string(),
    "day": pa.date32(),
    "event_type": pa.string(),
    "mode": pa.string(),
    "context": pa.string(),
    "cameo": pa.string(),
    "goldstein": pa.float64(),
    "quad_class": pa.int8(),
    "modality": pa.string(),
    "source_codes": pa.string(),
    "source_countries": pa.string(),
    "source_sectors": pa.string(),
    "source_names": pa.string(),
    "target_codes": pa.string(),
    "target_countries": pa.string(),
    "target_sectors": pa.string(),
    "target_names": pa.string(),
    "attribution_speaker": pa.string(),
    "attribution_country": pa.string(),
    "location": pa.string(),
    "location_country": pa.string(),
    "location_lat": pa.float64(),
    "location_lon": pa.float64(),
    "quantity_value": pa.float64(),
    "quantity_unit": pa.string(),
    "sentence": pa.string(),
    "sentence_index": pa.int32(),
    "span_start": pa.int32(),
    "span_end": pa.int32(),
    "trigger": pa.string(),
    "rule": pa.string(),
    "confidence": pa.float64(),
    "mentions": pa.int32(),
    "num_articles": pa.int32(),
    "num_sources": pa.int32(),
    "url": pa.string(),
    "article_title": pa.string(),
    "sources_json": pa.string(),
    "targets_json": pa.string(),
}

_MENTION_COLUMNS = """,
    e.day,
    (SELECT count(*) FROM event_mentions m WHERE m.event_id = e.event_id) AS num_articles,
    (SELECT count(DISTINCT coalesce(a2.source, a2.url, a2.article_id))
       FROM event_mentions m JOIN articles a2 ON a2.article_id = m.article_id
      WHERE m.event_id = e.event_id) AS num_sources,
    ar.url, ar.title, e.ingested_at, ar.title, ar.text
"""


def _join(actors: tuple[Actor, ...], attr: str) -> str:
    return ";".join(getattr(a, attr) or "" for a in actors)


def flat_rows(store: Store, *, since: Any = None, until: Any = None) -> Iterator[dict[str, Any]]:
    """Events as flat dicts with the ``FLAT_COLUMNS`` keys."""
    for row in _event_rows(store, since, until, _MENTION_COLUMNS):
        ev = row_to_event(row[:EVENT_COLUMN_COUNT])
        day, num_articles, num_sources, url, title = row[
            EVENT_COLUMN_COUNT : EVENT_COLUMN_COUNT + 5
        ]
        yield {
            "event_id": ev.event_id,
            "article_id": ev.article_id,
            "doc_id": ev.doc_id,
            "date": ev.date,
            "date_precision": ev.date_precision,
            "day": day,
            "event_type": ev.event_type,
            "mode": ev.mode,
            "context": ev.context,
            "cameo": ev.cameo,
            "goldstein": ev.goldstein,
            "quad_class": ev.quad_class,
            "modality": ev.modality,
            "source_codes": _join(ev.sources, "code"),
            "source_countries": _join(ev.sources, "country"),
            "source_sectors": _join(ev.sources, "sector"),
            "source_names": _join(ev.sources, "name"),
            "target_codes": _join(ev.targets, "code"),
            "target_countries": _join(ev.targets, "country"),
            "target_sectors": _join(ev.targets, "sector"),
            "target_names": _join(ev.targets, "name"),
            "attribution_speaker": ev.attribution.speaker if ev.attribution else None,
            "attribution_country": ev.attribution.country if ev.attribution else None,
            "location": ev.location,
            "location_country": ev.location_country,
            "location_lat": ev.location_lat,
            "location_lon": ev.location_lon,
            "quantity_value": ev.quantity.value if ev.quantity else None,
            "quantity_unit": ev.quantity.unit if ev.quantity else None,
            "sentence": ev.sentence,
            "sentence_index": ev.sentence_index,
            "span_start": ev.span[0],
            "span_end": ev.span[1],
            "trigger": ev.trigger,
            "rule": ev.rule,
            "confidence": ev.confidence,
            "mentions": ev.mentions,
            "num_articles": int(num_articles),
            "num_sources": int(num_sources),
            "url": url,
            "article_title": title,
            "sources_json": json.dumps([a.to_dict() for a in ev.sources], ensure_ascii=False),
            "targets_json": json.dumps([a.to_dict() for a in ev.targets], ensure_ascii=False),
        }


def export_csv(store: Store, out: str | Path, *, since: Any = None, until: Any = None) -> int:
    """Write events as CSV with a header (``FLAT_COLUMNS``); return the count."""
    n = 0
    with Path(out).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(FLAT_COLUMNS))
        writer.writeheader()
        for row in flat_rows(store, since=since, until=until):
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
            n += 1
    return n


def _parquet_schema() -> pa.Schema:
    return pa.schema([pa.field(k, t) for k, t in FLAT_COLUMNS.items()])


def export_parquet(store: Store, out: str | Path, *, since: Any = None, until: Any = None) -> int:
    """Write events as Parquet (``FLAT_COLUMNS`` with their types); return the count."""
    schema = _parquet_schema()
    n = 0
    with pq.ParquetWriter(str(out), schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in flat_rows(store, since=since, until=until):
            batch.append(row)
            if len(batch) >= _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def read_parquet(path: str | Path) -> list[dict[str, Any]]:
    """Read a Parquet export back as dicts (to check a round trip)."""
    return pq.read_table(str(path)).to_pylist()


# --------------------------------------------------------------------------- GDELT

_ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO_FIELDS = (
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
)


def _action_geo(ev: Event) -> list[str]:
    """GDELT's eight ActionGeo columns from the event's place: Type (1 a country, 3 a US
    city, 4 another city), FullName (the words of the text), CountryCode (ISO3, as for the
    actors), ADM1 and ADM2 (empty), Lat, Long and FeatureID (the GeoNames id)."""
    if not ev.location:
        return [""] * 8
    place = resolve_place(ev.location)
    kind = ""
    if ev.location_country:
        kind = "1" if place is None or place.geonameid is None else "4"
        if kind == "4" and ev.location_country == "USA":
            kind = "3"
    lat = "" if ev.location_lat is None else f"{ev.location_lat:.4f}"
    lon = "" if ev.location_lon is None else f"{ev.location_lon:.4f}"
    feature = str(place.geonameid) if place is not None and place.geonameid else ""
    return [kind, ev.location, ev.location_country or "", "", "", lat, lon, feature]


#: The 61 columns of a GDELT 2.0 event record, in GDELT's order.
GDELT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{f}" for f in _ACTOR_FIELDS)
    + tuple(f"Actor2{f}" for f in _ACTOR_FIELDS)
    + (
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
    )
    + tuple(f"Actor1Geo_{f}" for f in _GEO_FIELDS)
    + tuple(f"Actor2Geo_{f}" for f in _GEO_FIELDS)
    + tuple(f"ActionGeo_{f}" for f in _GEO_FIELDS)
    + ("DATEADDED", "SOURCEURL")
)


def gdelt_quad_class(cameo: str | None, plover_quad: int | None) -> int | None:
    """GDELT's QuadClass from the CAMEO root (01-05 -> 1, 06-09 -> 2, 10-14 -> 3,
    15-20 -> 4); the PLOVER quad class when there is no CAMEO code."""
    if cameo and cameo[:2].isdigit():
        root = int(cameo[:2])
        if 1 <= root <= 5:
            return 1
        if 6 <= root <= 9:
            return 2
        if 10 <= root <= 14:
            return 3
        if 15 <= root <= 20:
            return 4
    return plover_quad


def _gdelt_id(event_id: str, pair: int) -> int:
    digest = hashlib.sha256(f"{event_id}:{pair}".encode()).digest()
    return int.from_bytes(digest[:7], "big")  # < 2**56: fits any signed 64-bit reader


def _actor_cols(actor: Actor | None) -> list[str]:
    if actor is None:
        return [""] * len(_ACTOR_FIELDS)
    base = actor.org or actor.country or ""
    code = base + (actor.sector or "") if base or actor.sector else ""
    return [
        code,
        (actor.name or actor.text or "").upper(),
        actor.country or "",
        actor.org or "",
        "",
        "",
        "",
        actor.sector or "",
        "",
        "",
    ]


def _fraction_date(day: _dt.date) -> str:
    start = _dt.date(day.year, 1, 1)
    days_in_year = (_dt.date(day.year + 1, 1, 1) - start).days
    return f"{day.year + (day - start).days / days_in_year:.4f}"


def _gdelt_rows(store: Store, since: Any, until: Any) -> Iterator[list[str]]:
    for row in _event_rows(store, since, until, _MENTION_COLUMNS):
        ev = row_to_event(row[:EVENT_COLUMN_COUNT])
        day, num_articles, num_sources, url, _title, added, title, text = row[EVENT_COLUMN_COUNT:]
        if day is None:
            continue  # GDELT rows need a date
        # IsRootEvent: the trigger lies in the headline or the first paragraph
        first_para_end = len(title or "") + 2 if title else 0
        body = text or ""
        brk = body.find("\n\n")
        first_para_end += brk if brk >= 0 else len(body)
        is_root = "1" if ev.span[0] <= first_para_end else "0"
        cameo = ev.cameo or ""
        quad = gdelt_quad_class(ev.cameo, ev.quad_class)
        geo_action = _action_geo(ev)
        sources: list[Actor | None] = list(ev.sources) or [None]
        targets: list[Actor | None] = list(ev.targets) or [None]
        pair = 0
        for s in sources:
            for t in targets:
                yield [
                    str(_gdelt_id(ev.event_id, pair)),
                    day.strftime("%Y%m%d"),
                    day.strftime("%Y%m"),
                    str(day.year),
                    _fraction_date(day),
                    *_actor_cols(s),
                    *_actor_cols(t),
                    is_root,
                    cameo,
                    cameo[:3],
                    cameo[:2],
                    "" if quad is None else str(quad),
                    "" if ev.goldstein is None else f"{ev.goldstein:g}",
                    str(ev.mentions),
                    str(num_sources),
                    str(num_articles),
                    "",
                    *([""] * len(_GEO_FIELDS)),
                    *([""] * len(_GEO_FIELDS)),
                    *geo_action,
                    added.strftime("%Y%m%d%H%M%S") if added else "",
                    url or ev.doc_id,
                ]
                pair += 1


def export_gdelt(
    store: Store, out: str | Path, *, since: Any = None, until: Any = None, header: bool = False
) -> int:
    """Write the GDELT 2.0 event columns, tab-separated; return the number of rows."""
    n = 0
    with Path(out).open("w", encoding="utf-8", newline="") as fh:
        if header:
            fh.write("\t".join(GDELT_COLUMNS) + "\n")
        for cols in _gdelt_rows(store, since, until):
            fh.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cols) + "\n")
            n += 1
    return n


def export(
    store: Store,
    fmt: str,
    out: str | Path,
    *,
    since: Any = None,
    until: Any = None,
    header: bool = False,
) -> int:
    """Export in ``fmt`` (jsonl, csv, parquet, gdelt) to ``out``; return the rows written."""
    fmt = fmt.strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise QueryError(f"format: {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    out = Path(out)
    if out.parent and not out.parent.exists():
        raise QueryError(f"{out}: directory {out.parent} does not exist")
    if fmt == "jsonl":
        return export_jsonl(store, out, since=since, until=until)
    if fmt == "csv":
        return export_csv(store, out, since=since, until=until)
    if fmt == "parquet":
        return export_parquet(store, out, since=since, until=until)
    return export_gdelt(store, out, since=since, until=until, header=header)
