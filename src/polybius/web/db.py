"""Short-lived read-only access to the store, one connection per request.

Why per request: DuckDB lets one process write a database file while no other process has it
open, so a web server that kept a connection open would lock out ``polybius ingest`` and
``polybius watch``. Each request opens the store read-only, runs its queries and closes it.
This follows the store's concurrency design (docs/store.md, "Concurrency"): the writer opens
the file per batch and closes it in between; when it holds the file at that moment the open
is retried for a short while (``WebSettings.lock_retry_seconds``); if the store is still busy
the request ends with a clear 503 and a ``Retry-After`` header. See docs/web.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import duckdb

from polybius.web.settings import WebSettings

if TYPE_CHECKING:
    from polybius.store import Store

__all__ = ["StoreUnavailable", "open_reader"]

log = logging.getLogger(__name__)


class StoreUnavailable(Exception):
    """The store cannot be read right now (missing, locked by a writer, or unreadable)."""

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _open_with_retry(settings: WebSettings) -> Store:
    from polybius.store import Store, StoreError, StoreLocked

    if not settings.db_path.exists():
        raise StoreUnavailable("the event store does not exist yet: run `polybius ingest` first")
    try:
        return Store.open(
            settings.db_path, read_only=True, lock_timeout=settings.lock_retry_seconds
        )
    except StoreLocked as exc:
        raise StoreUnavailable(
            "the event store is busy (a writer holds it); retry shortly", retry_after=1
        ) from exc
    except StoreError as exc:
        log.warning("cannot open store %s: %s", settings.db_path, exc)
        raise StoreUnavailable("the event store cannot be opened") from exc


@contextmanager
def open_reader(settings: WebSettings) -> Iterator[Store]:
    """Open the store read-only for the length of one request, then close it.

    Raises ``StoreUnavailable`` (turned into HTTP 503 by the app) when the store is missing or
    stays locked by a writer for longer than ``settings.lock_retry_seconds``.
    """
    store = _open_with_retry(settings)
    try:
        yield store
    except duckdb.IOException as exc:
        # A writer may checkpoint while we read; report it like a busy store.
        log.warning("reading store %s failed: %s", settings.db_path, exc)
        raise StoreUnavailable(
            "the event store could not be read; retry shortly", retry_after=1
        ) from exc
    finally:
        store.close()
