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


def test_migration_5_adds_the_resolved_place_to_a_store_with_events(tmp_path):
    # a store with events, taken back to before migration 5 (the indexes on events must go
    # for DuckDB to drop columns), then opened again: its events gain empty place columns
    # and new events are written with them
    from polybius.records import Actor, Article, Event
    from polybius.store.queries import query_events
    from polybius.store.writer import transaction, write_article

    def event(art: Article, country: str | None) -> Event:
        return Event(
            event_id=Event.make_id(art.article_id, "CONSULT", (), (), "2021-06-01"),
            article_id=art.article_id, doc_id=art.doc_id, event_type="CONSULT",
            sources=(Actor("Norway", country="NOR"),), targets=(Actor("Chile", country="CHL"),),
            sentence="Norway held talks with Chile in Oslo.", sentence_index=0, span=(13, 18),
            rule="test", confidence=0.9, date="2021-06-01", location="Oslo",
            location_country=country, location_lat=59.9 if country else None,
            location_lon=10.7 if country else None,
        )  # fmt: skip

    path = tmp_path / "old.duckdb"
    old = Article.create("Norway held talks with Chile in Oslo.", doc_id="a", date="2021-06-01")
    with Store.open(path) as store:
        with transaction(store.con):
            write_article(store.con, old, [event(old, "NOR")])
        for index in ("events_cluster_key", "events_day"):
            store.con.execute(f"DROP INDEX {index}")
        for column in ("location_country", "location_lat", "location_lon"):
            store.con.execute(f"ALTER TABLE events DROP COLUMN {column}")
        store.con.execute("CREATE INDEX events_cluster_key ON events (cluster_id, event_key)")
        store.con.execute("CREATE INDEX events_day ON events (day)")
        store.con.execute("DELETE FROM schema_migrations WHERE version = 5")
    new = Article.create("Chile held talks with Norway in Oslo.", doc_id="b", date="2021-06-02")
    with Store.open(path) as store:
        assert LATEST_VERSION == 5 and MIGRATIONS[-1].version == 5
        (before,) = query_events(store)
        assert before.location == "Oslo" and before.location_country is None
        with transaction(store.con):
            write_article(store.con, new, [event(new, "NOR")])
        got = {e.article_id: e for e in query_events(store)}
        assert got[new.article_id].location_country == "NOR"
        assert got[new.article_id].location_lat == 59.9
