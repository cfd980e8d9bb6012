"""Blocs: groups of actors that cooperate among themselves.

The cooperation graph keeps the edges of the relations graph whose Goldstein sum is positive,
weighted by that sum; Louvain community detection (networkx, fixed seed, so the same store
gives the same blocs) splits it into communities. Each bloc of two or more actors gets:

- ``cohesion``: internal cooperation events / all cooperation events that involve a member
  (1.0 = its members cooperate only with each other);
- ``internal_events``: events between members (cooperative or not);
- ``mean_goldstein``: mean Goldstein score of those internal events.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import networkx as nx

from polybius.analysis.graph import relations_graph
from polybius.store.core import Store

__all__ = ["find_blocs", "cooperation_graph"]


def cooperation_graph(g: nx.Graph) -> nx.Graph:
    """The edges of ``g`` with a positive Goldstein sum, weighted by it."""
    coop = nx.Graph()
    coop.add_nodes_from(g.nodes(data=True))
    for a, b, d in g.edges(data=True):
        if d["goldstein_sum"] > 0:
            coop.add_edge(a, b, weight=d["goldstein_sum"])
    return coop


def find_blocs(
    store: Store,
    *,
    since: str | _dt.date | None = None,
    until: str | _dt.date | None = None,
    min_events: int = 1,
    resolution: float = 1.0,
    seed: int = 42,
) -> list[dict[str, Any]]:
    """Blocs (largest first): {bloc, members, cohesion, internal_events, mean_goldstein,
    internal_cooperation, external_cooperation}."""
    g = relations_graph(store, since=since, until=until, min_events=min_events)
    coop = cooperation_graph(g)
    coop.remove_nodes_from([n for n in list(coop.nodes) if coop.degree(n) == 0])
    if coop.number_of_edges() == 0:
        return []
    communities = nx.community.louvain_communities(
        coop, weight="weight", resolution=resolution, seed=seed
    )
    blocs: list[dict[str, Any]] = []
    for members in communities:
        if len(members) < 2:
            continue
        internal_coop = external_coop = internal_events = 0
        internal_gsum = 0.0
        internal_scored = 0
        for a, b, d in g.edges(members, data=True):
            inside = a in members and b in members
            if inside:
                internal_coop += d["cooperation"]
                internal_events += d["events"]
                if d["goldstein_mean"] is not None:
                    internal_gsum += d["goldstein_sum"]
                    internal_scored += d["events"]
            else:
                external_coop += d["cooperation"]
        total = internal_coop + external_coop
        blocs.append(
            {
                "members": sorted(members),
                "cohesion": round(internal_coop / total, 4) if total else 0.0,
                "internal_events": internal_events,
                "mean_goldstein": round(internal_gsum / internal_scored, 4)
                if internal_scored
                else None,
                "internal_cooperation": internal_coop,
                "external_cooperation": external_coop,
            }
        )
    blocs.sort(key=lambda b: (-len(b["members"]), -b["internal_events"], b["members"]))
    for i, bloc in enumerate(blocs, start=1):
        bloc["bloc"] = i
    return [{"bloc": b.pop("bloc"), **b} for b in blocs]
