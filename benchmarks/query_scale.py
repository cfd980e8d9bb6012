"""Query latency against store size, on SYNTHETIC events (not real data).

    .venv/bin/python benchmarks/query_scale.py                 # 100k, 1M, 10M events
    .venv/bin/python benchmarks/query_scale.py --max 1000000   # stop at 1M
    .venv/bin/python benchmarks/query_scale.py --sizes 50000 --repeat 3
    .venv/bin/python benchmarks/query_scale.py --sizes 10000000 --dyad-only

For each size N a fresh temporary store is created with the store's own schema
(``polybius.store.Store.open``: migrations, primary keys, indexes) and filled in bulk with
DuckDB SQL (``INSERT ... SELECT ... FROM range(N)``, no per-row inserts): N events with
``doc_id`` and ``article_id`` 'synthetic-*' and the sentence "SYNTHETIC EVENT ...", one
article per ten events, two actors per event (one source, one target; about one event in
ten has a second target) drawn with a skewed (Zipf-like) distribution over 60 country and
organisation codes, days spread over 2000-2025, PLOVER types with their quad class and a
Goldstein score. The temporary database is deleted afterwards.

Then the median latency (over ``--repeat`` runs, after one warm-up) of the store's own
query functions, as the CLI and web API call them:

* dyad:      ``polybius.analysis.dyad_series(store, "USA", "CHN", by="month")``
* relations: ``polybius.analysis.relations_graph(store, since=2024-01-01, until=2024-12-31)``
  and over all years
* trends:    ``polybius.analysis.trends(store, period="month")`` (windows end at the last
  article date)
* blocs:     ``polybius.analysis.find_blocs(store)`` (all years)
* events:    ``polybius.store.queries.query_events(store, actor="RUS", limit=100)``
  and ``count_events(store, actor="RUS")``

The store's summary tables are filled from the synthetic events with the migrations' own
set-based SQL, sorted as the migrations sort them: ``dyad_days`` (migration 2, which
``dyad_series`` reads; ``polybius.store.schema.DYAD_DAYS_SELECT``) and ``pair_days``,
``actor_days`` and ``actor_kinds`` (migration 3, which the relations graph, blocs and trends
read; ``polybius.store.schema.SUMMARY_BACKFILL``) and ``actor_keys`` (migration 4, which
the events filters ``actor``/``source``/``target`` read; ``ACTOR_KEYS_BACKFILL``). So each
figure is that of the real query; the build time is part of "fill s".

Benchmarks print figures; they assert nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from polybius.store.schema import ACTOR_KEYS_BACKFILL, DYAD_DAYS_SELECT, SUMMARY_BACKFILL

CODES = (
    "USA CHN RUS GBR FRA DEU IND JPN IRN ISR PAK TUR UKR SYR IRQ AFG SAU EGY KOR PRK "
    "BRA MEX CAN AUS ITA ESP POL NGA ZAF ETH KEN SDN LBY YEM VEN COL CUB IDN PHL VNM "
    "THA MMR BGD LKA NPL QAT ARE JOR LBN PSE NATO EU UN ASEAN QUAD SCO AU OPEC G7 WHO"
).split()
TYPES = (  # PLOVER type, quad class, Goldstein
    ("AGREE", 1, 4.0), ("CONSULT", 1, 1.0), ("SUPPORT", 1, 3.4), ("CONCEDE", 1, 5.0),
    ("COOPERATE", 2, 6.0), ("AID", 2, 7.0), ("RETREAT", 2, 5.0), ("REQUEST", 1, -0.4),
    ("ACCUSE", 3, -2.0), ("REJECT", 3, -4.0), ("THREATEN", 3, -6.0), ("PROTEST", 3, -6.5),
    ("SANCTION", 3, -4.0), ("MOBILIZE", 4, -7.2), ("COERCE", 4, -7.0), ("ASSAULT", 4, -10.0),
)  # fmt: skip


def _fill(con: Any, n: int) -> None:
    """Insert ``n`` synthetic events (+ articles, actors, mentions) with set-based SQL."""
    codes = "[" + ", ".join(f"'{c}'" for c in CODES) + "]"
    types = "[" + ", ".join(f"'{t}'" for t, _, _ in TYPES) + "]"
    quads = "[" + ", ".join(str(q) for _, q, _ in TYPES) + "]"
    golds = "[" + ", ".join(str(g) for _, _, g in TYPES) + "]"
    k = len(CODES)
    # Zipf-like index into CODES: floor(k * u^3) puts most mass on the first codes.
    pick = f"1 + least({k - 1}, CAST(floor({k} * pow(random(), 3)) AS INTEGER))"
    con.execute("SELECT setseed(0.42)")
    con.execute(
        f"""
        CREATE TEMP TABLE syn AS
        SELECT i,
               'synthetic-' || lpad(CAST(i AS VARCHAR), 10, '0') AS event_id,
               'synthetic-a' || lpad(CAST(i // 10 AS VARCHAR), 9, '0') AS article_id,
               {pick} AS s,
               {pick} AS t,
               1 + CAST(floor(random() * 16) AS INTEGER) AS ty,
               DATE '2000-01-01' + CAST(floor(random() * 9496) AS INTEGER) AS day,
               random() < 0.1 AS second_target
        FROM range({n}) r(i)
        """
    )
    # a source never equals its own target
    con.execute(f"UPDATE syn SET t = 1 + (t % {k}) WHERE t = s")
    con.execute(
        """
        INSERT INTO articles
        SELECT article_id, article_id AS doc_id, 'SYNTHETIC ARTICLE', 'SYNTHETIC ARTICLE (benchmark data, not real news)',
               min(day), NULL, 'synthetic', 'en', NULL, NULL, NULL, count(*),
               row_number() OVER (ORDER BY article_id), now()::TIMESTAMP
        FROM syn GROUP BY article_id
        """  # noqa: E501
    )
    con.execute(
        f"""
        INSERT INTO events
        SELECT event_id, article_id, article_id, md5(event_id)[:16], article_id,
               {types}[ty], NULL, NULL, NULL, {golds}[ty], {quads}[ty], 'asserted',
               CAST(day AS VARCHAR), 'day', day, NULL,
               'SYNTHETIC EVENT (benchmark data, not real)', 0, 0, 9, 'synthetic',
               'synthetic', 1.0, 1,
               {codes}[s], {codes}[t] || CASE WHEN second_target THEN ';' || {codes}[1 + (t % {k})] ELSE '' END,
               to_json([{{'text': {codes}[s]}}]), to_json([{{'text': {codes}[t]}}]),
               NULL, NULL, now()::TIMESTAMP, NULL, NULL, NULL
        FROM syn
        """  # noqa: E501
    )
    con.execute(
        f"""
        INSERT INTO event_actors
        SELECT event_id, 'source', 0, {codes}[s], {codes}[s], NULL, NULL, NULL, {codes}[s] FROM syn
        UNION ALL
        SELECT event_id, 'target', 0, {codes}[t], {codes}[t], NULL, NULL, NULL, {codes}[t] FROM syn
        UNION ALL
        SELECT event_id, 'target', 1, {codes}[1 + (t % {k})], {codes}[1 + (t % {k})], NULL, NULL,
               NULL, {codes}[1 + (t % {k})]
        FROM syn WHERE second_target AND 1 + (t % {k}) <> s
        """  # noqa: E501
    )
    con.execute("INSERT INTO event_mentions SELECT event_id, article_id, 1 FROM syn")
    con.execute("DROP TABLE syn")
    # what write_article keeps up to date per event, here set-based (as migrations 2 and 3)
    con.execute(
        "INSERT INTO dyad_days "
        + DYAD_DAYS_SELECT.format(where="TRUE")
        + " ORDER BY src_key, tgt_key, day"
    )
    for statement in (*SUMMARY_BACKFILL, ACTOR_KEYS_BACKFILL):
        con.execute(statement)
    con.execute("CHECKPOINT")


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up (first touch of the file's pages)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def run(sizes: Sequence[int], repeat: int, dyad_only: bool = False) -> None:
    from polybius.analysis import dyad_series, find_blocs, relations_graph, trends
    from polybius.store import Store
    from polybius.store.queries import count_events, query_events

    print(
        "SYNTHETIC events (benchmark data, not real); median latency in ms over "
        f"{repeat} runs after a warm-up"
    )
    header = (
        f"{'events':>10} {'fill s':>7} {'MB':>6} {'dyad':>8} {'relations 1y':>13} "
        f"{'relations all':>14} {'trends':>8} {'blocs':>8} {'events q':>9} {'count':>8}"
    )
    print(header, flush=True)
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="polybius-qs-") as tmp:
            path = Path(tmp) / "synthetic.duckdb"
            t0 = time.perf_counter()
            with Store.open(path) as store:
                _fill(store.con, n)
            fill_s = time.perf_counter() - t0
            size_mb = path.stat().st_size / 1e6
            with Store.open(path, read_only=True) as store:
                dyad = _median_ms(lambda: dyad_series(store, "USA", "CHN", by="month"), repeat)
            if dyad_only:
                print(f"{n:10d} {fill_s:7.1f} {size_mb:6.0f} {dyad:8.1f}", flush=True)
                continue
            with Store.open(path, read_only=True) as store:
                rel1 = _median_ms(
                    lambda: relations_graph(store, since="2024-01-01", until="2024-12-31"), repeat
                )
                rel_all = _median_ms(lambda: relations_graph(store), repeat)
                trend = _median_ms(lambda: trends(store, period="month"), repeat)
                blocs = _median_ms(lambda: find_blocs(store), repeat)
                evq = _median_ms(lambda: query_events(store, actor="RUS", limit=100), repeat)
                cnt = _median_ms(lambda: count_events(store, actor="RUS"), repeat)
            print(
                f"{n:10d} {fill_s:7.1f} {size_mb:6.0f} {dyad:8.1f} {rel1:13.1f} "
                f"{rel_all:14.1f} {trend:8.1f} {blocs:8.1f} {evq:9.1f} {cnt:8.1f}",
                flush=True,
            )


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Query latency against N synthetic events.")
    p.add_argument(
        "--sizes",
        default="100000,1000000,10000000",
        help="comma-separated event counts (default 100000,1000000,10000000)",
    )
    p.add_argument("--max", type=int, default=0, help="skip sizes above this")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per query (median)")
    p.add_argument("--dyad-only", action="store_true", help="time only the dyad query")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.max:
        sizes = [s for s in sizes if s <= args.max]
    run(sizes, args.repeat, args.dyad_only)


if __name__ == "__main__":
    main()
