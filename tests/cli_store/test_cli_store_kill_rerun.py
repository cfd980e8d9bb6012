"""`polybius ingest` killed with SIGKILL part way, then rerun, gives exactly the database of
an uninterrupted run: same rows in every table, no duplicates, nothing half-written.

The fake coder (tests/store/polybius_store_fake_coder.py) kills its own process after a
given number of articles, so the kill points are deterministic; one more test kills the
process from outside at whatever point it has reached.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_corpus import make_records, near_dup_pair, write_jsonl

from polybius.store import Store

STORE_TESTS = Path(__file__).resolve().parents[1] / "store"
CLI = [sys.executable, "-c", "from polybius.cli import main; main()"]

# Every table with the columns that must match (timestamps excluded), ordered.
TABLES = {
    "articles": "article_id, doc_id, title, text, date, url, source, language, minhash, "
    "duplicate_of, similarity, n_events, seq",
    "article_bands": "hash, article_id",
    "events": "* EXCLUDE (ingested_at)",
    "event_actors": "*",
    "event_mentions": "*",
    "ingest_errors": "source, kind, reason",
    "ingest_files": "path, size, mtime, articles, problems",
}


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(STORE_TESTS), env.get("PYTHONPATH")]))
    env["POLYBIUS_INGEST_CODER"] = "polybius_store_fake_coder:code"
    env.pop("POLYBIUS_FAKE_KILL_AFTER", None)
    env.pop("POLYBIUS_FAKE_DELAY", None)
    env.update(extra)
    return env


def _ingest(src: Path, db: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "ingest", str(src), "--db", str(db), "--batch-size", "8"],
        env=_env(**extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _dump(db: Path) -> dict[str, list[tuple]]:
    with Store.open(db, read_only=True) as store:
        return {
            t: store.con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall()
            for t, cols in TABLES.items()
        }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("kill")
    records = make_records(50)
    records[20:20] = near_dup_pair()  # near-duplicates in the middle of the stream
    records[33]["text"] += " EXPLODE"  # one coding failure
    return write_jsonl(d / "corpus.jsonl", records, broken_line=True)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict[str, list[tuple]]:
    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    done = _ingest(corpus, db)
    assert done.returncode == 0, done.stderr
    dump = _dump(db)
    assert len(dump["articles"]) == 51 and len(dump["ingest_errors"]) == 2
    return dump


def _check_same(db: Path, reference: dict[str, list[tuple]]) -> None:
    dump = _dump(db)
    for table in TABLES:
        assert dump[table] == reference[table], f"table {table} differs"
    with Store.open(db, read_only=True) as s:
        dup_ids = s.con.execute(
            "SELECT count(*) - count(DISTINCT article_id) FROM articles"
        ).fetchone()[0]
        orphans = s.con.execute(
            "SELECT count(*) FROM event_mentions "
            "WHERE event_id NOT IN (SELECT event_id FROM events)"
        ).fetchone()[0]
    assert dup_ids == 0 and orphans == 0


@pytest.mark.slow
@pytest.mark.parametrize("kills", [(0,), (11,), (30, 5)])
def test_sigkill_then_rerun_equals_uninterrupted(corpus, reference, tmp_path, kills):
    db = tmp_path / "killed.duckdb"
    for after in kills:
        killed = _ingest(corpus, db, POLYBIUS_FAKE_KILL_AFTER=str(after))
        assert killed.returncode == -signal.SIGKILL, killed.stderr
    rerun = _ingest(corpus, db)
    assert rerun.returncode == 0, rerun.stderr
    _check_same(db, reference)
    again = _ingest(corpus, db)  # and a further run adds nothing
    assert again.returncode == 0
    _check_same(db, reference)


@pytest.mark.slow
def test_sigkill_from_outside_then_rerun(corpus, reference, tmp_path):
    db = tmp_path / "outside.duckdb"
    proc = subprocess.Popen(
        [*CLI, "ingest", str(corpus), "--db", str(db), "--batch-size", "8"],
        env=_env(POLYBIUS_FAKE_DELAY="0.05"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not db.exists() and time.monotonic() < deadline:  # wait until it is writing
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    rerun = _ingest(corpus, db)
    assert rerun.returncode == 0, rerun.stderr
    _check_same(db, reference)


@pytest.mark.slow
def test_sigterm_stops_cleanly_with_a_summary(corpus, tmp_path):
    db = tmp_path / "term.duckdb"
    proc = subprocess.Popen(
        [*CLI, "ingest", str(corpus), "--db", str(db), "--batch-size", "8"],
        env=_env(POLYBIUS_FAKE_DELAY="0.1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not db.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert "stopped early" in out
    with Store.open(db, read_only=True) as s:
        n = s.con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < n < 51
