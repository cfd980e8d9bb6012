"""Analyses over the store: dyad series, the relations graph, blocs and trends, and plots.

All take an open ``polybius.store.Store``; the CLI and the web API call these same functions.
"""

from __future__ import annotations

from polybius.analysis.blocs import cooperation_graph, find_blocs
from polybius.analysis.dyads import dyad_series
from polybius.analysis.graph import edge_rows, graph_to_dict, relations_graph
from polybius.analysis.trends import trend_windows, trends

__all__ = [
    "cooperation_graph",
    "dyad_series",
    "edge_rows",
    "find_blocs",
    "graph_to_dict",
    "relations_graph",
    "trend_windows",
    "trends",
]
