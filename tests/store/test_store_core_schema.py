"""Store opening, migrations and the lock behaviour readers and writers rely on."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from polybius.store import Store, StoreError, StoreLocked
from polybius.store.schema import LATEST_VERSION, MIGRATIONS


def test_migrations_are_recorded_once(tmp_path):
    db = tmp_path / "s.duckdb"
    with Store.open(db) as store:
        rows = store.con.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert [r[0] for r in rows] == [m.version for m in MIGRATIONS]
    with Store.open(db) as store:  # reopening applies nothing again
        n = store.con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert n == len(MIGRATIONS) == LATEST_VERSION


def test_schema_has_the_documented_tables(tmp_path):
    with Store.open(tmp_path / "s.duckdb") as store:
        tables = {r[0] for r in store.con.execute("SHOW TABLES").fetchall()}
    assert {
        "schema_migrations",
        "articles",
        "article_bands",
        "events",
        "event_actors",
        "event_mentions",
        "ingest_errors",
        "ingest_files",
    } <= tables


def test_read_only_needs_an_existing_file(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        Store.open(tmp_path / "missing.duckdb", read_only=True)


def test_read_only_store_refuses_writes(tmp_path):
    db = tmp_path / "s.duckdb"
    Store.open(db).close()
    with Store.open(db, read_only=True) as store:
        assert store.read_only
        with pytest.raises(Exception, match="read-only"):
            store.con.execute("DELETE FROM articles")


def test_reader_waits_for_writer_then_gives_up_clearly(tmp_path):
    db = tmp_path / "s.duckdb"
    Store.open(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
            " time.sleep(float(sys.argv[2]))",
            str(db),
            "1.5",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLocked, match="another process holds"):
            Store.open(db, read_only=True, lock_timeout=0.2)
        t0 = time.monotonic()
        with Store.open(db, read_only=True, lock_timeout=20) as store:  # waits for release
            assert store.con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        assert time.monotonic() - t0 > 0.3
    finally:
        holder.wait(timeout=20)
