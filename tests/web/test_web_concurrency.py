"""The API keeps answering while another process writes to the same store.

DuckDB lets one process hold a file read-write; the store's writer opens it per batch and
closes it in between, and the web app opens it read-only per request with a short retry
(docs/store.md "Concurrency", docs/web.md). A writer that holds the file for longer than
the retry gets a clear 503 with Retry-After, never a 500.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from polybius.store import Store
    store = Store.open(sys.argv[1])
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    store.close()
    """
)

BATCH_WRITER = textwrap.dedent(
    """
    import sys, time
    from polybius.records import Article
    from polybius.store import Store
    from polybius.store.writer import transaction, write_article
    path, seconds = sys.argv[1], float(sys.argv[2])
    end = time.monotonic() + seconds
    n = 0
    print("writing", flush=True)
    while time.monotonic() < end:
        with Store.open(path, lock_timeout=30) as store, transaction(store.con):
            for _ in range(3):
                n += 1
                text = f"Batch article number {n} about harbour dredging contract {n * 7919}."
                art = Article.create(text, doc_id=f"batch-{n}", date="2024-07-01")
                write_article(store.con, art, [], dedup=False)
        time.sleep(0.25)  # an ingest codes the next batch (spaCy) between writes
    print(n, flush=True)
    """
)


def _copy_store(web_store: dict[str, Any], tmp_path: Path) -> Path:
    dest = tmp_path / "copy.duckdb"
    shutil.copy(web_store["path"], dest)
    return dest


def _spawn(script: str, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if not first:
        proc.wait(timeout=30)
        raise AssertionError(proc.stderr.read() if proc.stderr else "writer failed")
    return proc


@pytest.mark.slow
def test_a_writer_holding_the_store_gives_503_then_recovers(
    web_store: dict[str, Any], tmp_path: Path, make_api: Any
) -> None:
    from polybius.web import create_app

    path = _copy_store(web_store, tmp_path)
    api = make_api(create_app(path, lock_retry_seconds=0.3))
    assert api.get("/api/events?limit=1").status_code == 200
    proc = _spawn(HOLD_LOCK, str(path), "4")
    try:
        r = api.get("/api/events?limit=1")
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"] == "1"
        assert "busy" in r.json()["detail"]
        health = api.get("/healthz")
        assert health.status_code == 200
        assert health.json()["store"] == "busy"
    finally:
        proc.wait(timeout=30)
    assert api.get("/api/events?limit=1").status_code == 200


@pytest.mark.slow
def test_reads_keep_succeeding_while_an_ingest_writes_in_batches(
    web_store: dict[str, Any], tmp_path: Path, make_api: Any
) -> None:
    from polybius.web import create_app

    path = _copy_store(web_store, tmp_path)
    api = make_api(create_app(path, lock_retry_seconds=5.0))
    proc = _spawn(BATCH_WRITER, str(path), "4")
    statuses = []
    articles_seen = []
    try:
        end = time.monotonic() + 3.5
        while time.monotonic() < end:
            r = api.get("/api/summary")
            statuses.append(r.status_code)
            if r.status_code == 200:
                articles_seen.append(r.json()["articles"])
            statuses.append(api.get("/api/events", params={"actor": "USA"}).status_code)
    finally:
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    written = int(out.strip().splitlines()[-1])
    assert written > 0
    assert len(statuses) >= 10
    assert set(statuses) == {200}, statuses
    assert articles_seen == sorted(articles_seen)  # reads see committed batches only, in order
    final = api.get("/api/summary").json()
    assert final["articles"] == len(web_store["articles"]) + written
