"""`polybius watch DIR --every 0.5s` in a subprocess: new files are ingested as they arrive,
a reader can query meanwhile, and SIGTERM ends it cleanly with a summary."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_corpus import make_records, write_jsonl

from polybius.store import Store, StoreError

STORE_TESTS = Path(__file__).resolve().parents[1] / "store"


def _articles(db: Path) -> int:
    try:
        with Store.open(db, read_only=True, lock_timeout=10) as s:
            return s.con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except StoreError:
        return -1


def _wait_for(db: Path, n: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    got = -1
    while time.monotonic() < deadline:
        got = _articles(db) if db.exists() else -1
        if got >= n:
            return got
        time.sleep(0.2)
    return got


@pytest.mark.slow
def test_watch_picks_up_new_files_and_stops_on_sigterm(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    records = make_records(7)
    write_jsonl(inbox / "first.jsonl", records[:4])
    db = tmp_path / "watch.duckdb"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(STORE_TESTS), env.get("PYTHONPATH")]))
    env["POLYBIUS_INGEST_CODER"] = "polybius_store_fake_coder:code"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from polybius.cli import main; main()",
            "watch",
            str(inbox),
            "--every",
            "0.5s",
            "--db",
            str(db),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(db, 4) == 4
        write_jsonl(inbox / "second.jsonl", records[4:])
        (inbox / ".hidden.jsonl").write_text("ignored\n")
        assert _wait_for(db, 7) == 7
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "watch stopped" in out and "7 new articles" in out
    with Store.open(db, read_only=True) as s:
        files = s.con.execute("SELECT count(*) FROM ingest_files").fetchone()[0]
    assert files == 2
