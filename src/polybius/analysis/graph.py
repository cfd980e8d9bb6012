"""The relations graph: actors as nodes, one weighted, signed edge per pair that interacted.

Each (event, source code, target code) pair with different codes counts once for the
undirected edge {source, target}. Edge attributes: ``events``, ``cooperation`` (quad 1-2),
``conflict`` (quad 3-4), ``goldstein_sum``, ``goldstein_mean``, ``a_to_b``/``b_to_a``
(events in each direction, a < b alphabetically), ``sign`` (+1 when the Goldstein sum is
positive, -1 when negative, 0 otherwise) and ``weight`` (= goldstein_sum).

Edges are summed from the ``pair_days`` summary and node sizes from ``actor_days`` (schema
migration 3, kept by the writer), not from the events themselves, so a query reads at most
one row per pair and day however many events the store holds.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import networkx as nx

from polybius.analysis._sql import date_range, day_range
from polybius.store.core import Store
from polybius.store.validate import check_limit

__all__ = ["relations_graph", "graph_to_dict", "edge_rows"]


_EDGES_SQL = """
    SELECT least(src_code, tgt_code) AS a, greatest(src_code, tgt_code) AS b,
           sum(events) AS events,
           sum(q1 + q2) AS cooperation,
           sum(q3 + q4) AS conflict,
           sum(goldstein_sum) AS goldstein_sum,
           CASE WHEN sum(goldstein_n) > 0 THEN sum(goldstein_sum) / sum(goldstein_n) END
             AS goldstein_mean,
           coalesce(sum(events) FILTER (WHERE src_code < tgt_code), 0) AS a_to_b,
           coalesce(sum(events) FILTER (WHERE src_code > tgt_code), 0) AS b_to_a
    FROM pair_days
    WHERE {day}
    GROUP BY 1, 2
    HAVING sum(events) >= ?
    ORDER BY 1, 2
"""

_NODES_SQL = """
    WITH n AS (
        SELECT code, sum(events) AS events
        FROM actor_days
        WHERE {day} AND code IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY code
    )
    SELECT n.code,
           CASE WHEN k.is_org THEN 'org'
                WHEN k.is_country THEN 'country'
                WHEN k.has_name THEN 'person'
                WHEN k.code IS NOT NULL THEN 'other' END AS kind,
           n.events
    FROM n LEFT JOIN actor_kinds k USING (code)
"""


def _edge_rows(
    store: Store, start: _dt.date | None, end: _dt.date | None, min_events: int
) -> list[tuple[Any, ...]]:
    """(a, b, events, cooperation, conflict, Goldstein sum, mean, a_to_b, b_to_a) per
    undirected pair with at least ``min_events`` events in [start, end], ordered by (a, b)."""
    day, params = day_range(start, end)
    return store.con.execute(_EDGES_SQL.format(day=day), [*params, min_events]).fetchall()


def _node_rows(
    store: Store, start: _dt.date | None, end: _dt.date | None, codes: list[str]
) -> list[tuple[Any, ...]]:
    """(code, kind, events in [start, end]) for ``codes``."""
    day, params = day_range(start, end)
    return store.con.execute(_NODES_SQL.format(day=day), [*params, codes]).fetchall()


def relations_graph(
    store: Store,
    *,
    since: str | _dt.date | None = None,
    until: str | _dt.date | None = None,
    min_events: int = 1,
) -> nx.Graph:
    """The signed, weighted relations graph over the events in [since, until]."""
    start, end, _rng = date_range(since, until)
    min_events = check_limit(min_events, "min_events")
    rows = _edge_rows(store, start, end, min_events)
    g = nx.Graph()
    for a, b, events, coop, confl, gsum, gmean, ab, ba in rows:
        gsum = round(float(gsum), 6)
        g.add_edge(
            a,
            b,
            events=int(events),
            cooperation=int(coop),
            conflict=int(confl),
            goldstein_sum=gsum,
            goldstein_mean=None if gmean is None else round(float(gmean), 6),
            a_to_b=int(ab),
            b_to_a=int(ba),
            sign=(gsum > 0) - (gsum < 0),
            weight=gsum,
        )
    if g.number_of_nodes():
        for code, kind, events in _node_rows(store, start, end, list(g.nodes)):
            g.nodes[code]["kind"] = kind or "other"
            g.nodes[code]["events"] = int(events)
    return g


def edge_rows(g: nx.Graph) -> list[dict[str, Any]]:
    """Edges as dicts (source < target), most events first."""
    rows = []
    for a, b, d in g.edges(data=True):
        src, tgt = sorted((a, b))
        rows.append(
            {
                "source": src,
                "target": tgt,
                "events": d["events"],
                "cooperation": d["cooperation"],
                "conflict": d["conflict"],
                "goldstein_sum": d["goldstein_sum"],
                "goldstein_mean": d["goldstein_mean"],
                "sign": d["sign"],
            }
        )
    rows.sort(key=lambda r: (-r["events"], r["source"], r["target"]))
    return rows


def graph_to_dict(g: nx.Graph) -> dict[str, Any]:
    """{"nodes": [{id, kind, events}], "edges": [{source, target, events, cooperation,
    conflict, goldstein_sum, goldstein_mean, sign}]} (JSON-ready)."""
    nodes = [
        {"id": n, "kind": d.get("kind", "other"), "events": d.get("events", 0)}
        for n, d in sorted(g.nodes(data=True), key=lambda nd: (-nd[1].get("events", 0), nd[0]))
    ]
    return {"nodes": nodes, "edges": edge_rows(g)}
