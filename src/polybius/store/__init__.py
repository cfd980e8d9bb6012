"""The event store: a DuckDB file with articles, events, actors, mentions and ingest errors.

``Store.open(path, read_only=...)`` is the entry point; ``polybius.store.queries`` reads,
``polybius.store.writer`` writes, ``polybius.store.dedup`` finds near-duplicate articles.
Schema and concurrency are documented in docs/store.md.
"""

from __future__ import annotations

from polybius.store.core import DEFAULT_DB, Store, StoreError, StoreLocked

__all__ = ["DEFAULT_DB", "Store", "StoreError", "StoreLocked"]
