"""The relations graph: actors as nodes, one weighted, signed edge per pair that interacted.

Each (event, source code, target code) pair with different codes counts once for the
undirected edge {source, target}. Edge attributes: ``events``, ``cooperation`` (quad 1-2),
``conflict`` (quad 3-4), ``goldstein_sum``, ``goldstein_mean``, ``a_to_b``/``b_to_a``
(events in each direction, a < b alphabetically), ``sign`` (+1 when the Goldstein sum is
positive, -1 when negative, 0 otherwise) and ``weight`` (= goldstein_sum).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import networkx as nx

from polybius.analysis._sql import PAIRS_SQL, date_range
from polybius.store.core import Store
from polybius.store.validate import check_limit

__all__ = ["relations_graph", "graph_to_dict", "edge_rows"]


def relations_graph(
    store: Store,
    *,
    since: str | _dt.date | None = None,
    until: str | _dt.date | None = None,
    min_events: int = 1,
) -> nx.Graph:
    """The signed, weighted relations graph over the events in [since, until]."""
    _s, _u, rng = date_range(since, until)
    min_events = check_limit(min_events, "min_events")
    rows = store.con.execute(
        f"""
        WITH pairs AS ({PAIRS_SQL})
        SELECT least(src, tgt) AS a, greatest(src, tgt) AS b,
               count(*) AS events,
               count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
               coalesce(sum(goldstein), 0) AS goldstein_sum,
               avg(goldstein) AS goldstein_mean,
               count(*) FILTER (WHERE src < tgt) AS a_to_b,
               count(*) FILTER (WHERE src > tgt) AS b_to_a
        FROM pairs
        GROUP BY 1, 2
        HAVING count(*) >= ?
        ORDER BY 1, 2
        """,
        [*rng, min_events],
    ).fetchall()
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
        node_rows = store.con.execute(
            f"""
            WITH pairs AS ({PAIRS_SQL}),
            involved AS (
                SELECT src AS code, event_id FROM pairs UNION SELECT tgt, event_id FROM pairs
            ),
            kinds AS (
                SELECT code,
                       CASE WHEN bool_or(org IS NOT NULL AND org = code) THEN 'org'
                            WHEN bool_or(country IS NOT NULL AND country = code) THEN 'country'
                            WHEN bool_or(name IS NOT NULL) THEN 'person'
                            ELSE 'other' END AS kind
                FROM event_actors GROUP BY code
            )
            SELECT i.code, k.kind, count(DISTINCT i.event_id)
            FROM involved i LEFT JOIN kinds k USING (code)
            WHERE i.code IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY i.code, k.kind
            """,
            [*rng, list(g.nodes)],
        ).fetchall()
        for code, kind, events in node_rows:
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
