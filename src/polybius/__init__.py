"""polybius: reads news and keeps an evidence-backed map of international politics.

The public Python API. Everything a user needs is importable from here::

    import polybius

    coded = polybius.code_text("Russian troops joined a Chinese exercise.", date="2021-08-10")
    for event in coded.events:
        print(event.to_json())

    polybius.ingest(["news.csv"], "polybius.duckdb")
    with polybius.open_store("polybius.duckdb", read_only=True) as store:
        rows = polybius.dyad_series(store, "USA", "IRQ", by="month")

Heavier parts (the store, analysis, exports) are imported on first use, so ``import polybius``
stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from polybius.records import Actor, ActorMention, Article, Attribution, Event, Quantity

__version__ = "0.1.0"

# name -> module that defines it; resolved lazily by __getattr__.
_LAZY: dict[str, str] = {
    "CodedArticle": "polybius.pipeline",
    "CodingProblem": "polybius.pipeline",
    "code_article": "polybius.pipeline",
    "code_articles": "polybius.pipeline",
    "code_text": "polybius.pipeline",
    "read_articles": "polybius.articles",
    "read_items": "polybius.articles",
    "ReadProblem": "polybius.articles",
    "find_actors": "polybius.actors",
    "find_place": "polybius.places",
    "resolve_place": "polybius.places",
    "Place": "polybius.places",
    "extract_events": "polybius.events",
    "Store": "polybius.store",
    "ingest": "polybius.ingest",
    "IngestReport": "polybius.ingest",
    "query_events": "polybius.store.queries",
    "get_event": "polybius.store.queries",
    "dyad_series": "polybius.analysis",
    "relations_graph": "polybius.analysis",
    "graph_to_dict": "polybius.analysis",
    "find_blocs": "polybius.analysis",
    "trends": "polybius.analysis",
    "export_jsonl": "polybius.exports",
    "export_csv": "polybius.exports",
    "export_parquet": "polybius.exports",
    "export_gdelt": "polybius.exports",
    "export": "polybius.exports",
}

__all__ = [
    "Actor",
    "ActorMention",
    "Article",
    "Attribution",
    "Event",
    "Quantity",
    "__version__",
    "open_store",
    *sorted(_LAZY),
]


def open_store(path: str = "polybius.duckdb", *, read_only: bool = False) -> Any:
    """Open (creating and migrating if needed) the DuckDB event store at ``path``."""
    from polybius.store import Store

    return Store.open(path, read_only=read_only)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'polybius' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
