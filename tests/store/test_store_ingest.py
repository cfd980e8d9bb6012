"""ingest(): idempotence, errors recorded once, near-duplicates, stopping, file skipping."""

from __future__ import annotations

from store_corpus import make_records, near_dup_pair, write_jsonl

from polybius.ingest import ingest, load_coder
from polybius.store import Store
from polybius.store.queries import query_events, summary


def _counts(db):
    with Store.open(db, read_only=True) as s:
        return {
            t: s.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "events", "event_actors", "event_mentions", "ingest_errors")
        }


def test_ingest_twice_adds_nothing_the_second_time(tmp_path, fake_coder):
    src = write_jsonl(tmp_path / "news.jsonl", make_records(12), broken_line=True)
    db = tmp_path / "n.duckdb"
    first = ingest([src], db, coder=fake_coder, batch_size=5)
    assert (first.articles_read, first.articles_new, first.articles_already) == (12, 12, 0)
    assert first.events_new == 24 and first.batches == 3
    assert [e.kind for e in first.errors] == ["malformed"] and first.errors_new == 1
    before = _counts(db)
    assert before["articles"] == 12 and before["events"] == 24 and before["ingest_errors"] == 1
    second = ingest([src], db, coder=fake_coder, batch_size=5)
    assert (second.articles_new, second.articles_already, second.events_new) == (0, 12, 0)
    assert second.errors_new == 0 and len(second.errors) == 1  # listed, not stored again
    assert _counts(db) == before


def test_coding_failures_are_recorded_and_retried(tmp_path, fake_coder):
    recs = make_records(3)
    recs[1]["text"] += " EXPLODE"
    src = write_jsonl(tmp_path / "n.jsonl", recs)
    db = tmp_path / "n.duckdb"
    report = ingest([src], db, coder=fake_coder)
    assert report.coding_failed == 1 and report.articles_new == 2
    assert report.errors[0].kind == "coding" and report.errors[0].source == "doc001"
    again = ingest([src], db, coder=fake_coder)
    assert again.coding_failed == 1 and again.errors_new == 0
    assert _counts(db)["ingest_errors"] == 1


def test_near_duplicate_copies_give_one_event_with_two_mentions(tmp_path, fake_coder):
    src = write_jsonl(tmp_path / "wire.jsonl", near_dup_pair())
    db = tmp_path / "w.duckdb"
    report = ingest([src], db, coder=fake_coder)
    assert (report.articles_new, report.articles_duplicate) == (1, 1)
    assert (report.events_new, report.events_merged) == (1, 1)
    with Store.open(db, read_only=True) as s:
        events = query_events(s)
        dup_of = s.con.execute(
            "SELECT duplicate_of FROM articles WHERE doc_id = 'wire-1-update'"
        ).fetchone()[0]
        first_id = s.con.execute(
            "SELECT article_id FROM articles WHERE doc_id = 'wire-1'"
        ).fetchone()[0]
        assert summary(s)["duplicates"] == 1
    assert dup_of == first_id
    assert len(events) == 1 and events[0].mentions == 2 and events[0].event_type == "CONSULT"


def test_stop_request_commits_whole_articles_only(tmp_path, fake_coder):
    src = write_jsonl(tmp_path / "n.jsonl", make_records(20))
    db = tmp_path / "n.duckdb"
    seen = []

    def progress(p):
        seen.append(p.done)

    report = ingest(
        [src],
        db,
        coder=fake_coder,
        batch_size=50,
        progress=progress,
        should_stop=lambda: len(seen) >= 7,
    )
    assert report.stopped and report.articles_new == 7
    c = _counts(db)
    assert c["articles"] == 7
    with Store.open(db, read_only=True) as s:
        orphans = s.con.execute(
            "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT article_id FROM articles)"
        ).fetchone()[0]
        files = s.con.execute("SELECT count(*) FROM ingest_files").fetchone()[0]
    assert orphans == 0 and files == 0  # the file is not marked done
    rest = ingest([src], db, coder=fake_coder)
    assert (rest.articles_new, rest.articles_already) == (13, 7)
    assert _counts(db)["articles"] == 20


def test_progress_total_counts_only_new_articles(tmp_path, fake_coder):
    src = write_jsonl(tmp_path / "n.jsonl", make_records(6))
    db = tmp_path / "n.duckdb"
    ingest([src], db, coder=fake_coder)
    write_jsonl(tmp_path / "n.jsonl", make_records(9))
    totals = []
    ingest([src], db, coder=fake_coder, progress=lambda p: totals.append((p.done, p.total)))
    assert totals[-1] == (3, 3)


def test_skip_seen_files_by_size_and_mtime(tmp_path, fake_coder):
    src = write_jsonl(tmp_path / "n.jsonl", make_records(4))
    db = tmp_path / "n.duckdb"
    ingest([src], db, coder=fake_coder, skip_seen_files=True)
    again = ingest([src], db, coder=fake_coder, skip_seen_files=True)
    assert again.files_skipped == 1 and again.articles_read == 0
    write_jsonl(src, make_records(5))
    third = ingest([src], db, coder=fake_coder, skip_seen_files=True)
    assert third.files_skipped == 0 and third.articles_new == 1


def test_load_coder_by_name(fake_coder, monkeypatch):
    monkeypatch.setenv("POLYBIUS_INGEST_CODER", "polybius_store_fake_coder:code")
    assert load_coder() is fake_coder
    import pytest

    with pytest.raises(ValueError, match="cannot load coder"):
        load_coder("no_such_module_xyz:code")


def test_parallel_jobs_give_the_same_database(tmp_path, fake_coder):
    src = write_jsonl(tmp_path / "n.jsonl", make_records(16))
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    ingest([src], one, coder=fake_coder, batch_size=4)
    report = ingest([src], two, coder=fake_coder, batch_size=4, jobs=2)
    assert report.articles_new == 16
    q = "SELECT event_id, article_id, mentions FROM events ORDER BY event_id"
    with Store.open(one, read_only=True) as a, Store.open(two, read_only=True) as b:
        assert a.con.execute(q).fetchall() == b.con.execute(q).fetchall()
