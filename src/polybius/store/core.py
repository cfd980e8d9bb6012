"""``Store``: one DuckDB file holding articles, events, their actors and mentions.

One writer, many short-lived readers (see docs/store.md, "Concurrency"): DuckDB lets only
one process hold a file read-write, and a read-only open fails while a writer holds it. So
the writer (ingest) opens the file per batch and closes it in between, and everyone opens
with a retry: ``Store.open`` waits up to ``lock_timeout`` seconds for a conflicting lock to
go away before giving up with a clear error.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import TracebackType

import duckdb

from polybius.store.schema import LATEST_VERSION, migrate, schema_version

__all__ = ["Store", "StoreError", "StoreLocked", "DEFAULT_DB"]

#: The database file used when none is named.
DEFAULT_DB = "polybius.duckdb"


class StoreError(RuntimeError):
    """A store that cannot be opened or used, with the path and the reason."""


class StoreLocked(StoreError):
    """Another process held the database file for longer than the lock timeout."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set" in text)


class Store:
    """An open polybius database. Use ``Store.open(path)`` (a context manager)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None, read_only: bool):
        self.con = con
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(
        cls,
        path: str | Path = DEFAULT_DB,
        *,
        read_only: bool = False,
        lock_timeout: float = 30.0,
    ) -> Store:
        """Open (and for writers create and migrate) the database at ``path``.

        ``":memory:"`` gives an in-memory store (tests). Readers (``read_only=True``) need
        an existing, fully migrated file. A file locked by another process is retried with
        back-off for ``lock_timeout`` seconds, then ``StoreLocked`` is raised.
        """
        memory = str(path) == ":memory:"
        p = None if memory else Path(path)
        if p is not None and read_only and not p.exists():
            raise StoreError(f"{p}: no such database (run `polybius ingest` to create it)")
        if p is not None and not read_only and p.parent and not p.parent.exists():
            raise StoreError(f"{p}: directory {p.parent} does not exist")
        deadline = time.monotonic() + lock_timeout
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(":memory:" if p is None else str(p), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if not _is_lock_error(exc):
                    raise StoreError(f"{p}: cannot open database: {exc}") from exc
                if time.monotonic() >= deadline:
                    raise StoreLocked(
                        f"{p}: another process holds the database (waited {lock_timeout:g}s); "
                        "see docs/store.md, Concurrency"
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 1.5, 0.5)
            except duckdb.Error as exc:
                raise StoreError(f"{p}: cannot open database: {exc}") from exc
        try:
            if read_only:
                version = schema_version(con)
                if version < LATEST_VERSION:
                    raise StoreError(
                        f"{p}: schema version {version}, this polybius needs {LATEST_VERSION}; "
                        "open it once read-write (e.g. `polybius ingest`) to migrate"
                    )
            else:
                migrate(con)
        except BaseException:
            con.close()
            raise
        return cls(con, p, read_only)

    def close(self) -> None:
        """Close the connection (releases the file lock)."""
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"Store({str(self.path or ':memory:')!r}, {mode})"
