"""Concurrency: the dashboard keeps answering while an ingest or a watch writes the store.

A real ``polybius serve`` over a store; a real ``polybius ingest`` (or ``watch --once``) into
the same file in another process, with small batches so the writer takes and releases the
file dozens of times; several clients poll the API all along. Every answer must be a valid
2xx (no 5xx, no 503 "busy", no dropped connection), the event count the API reports never
goes down, and the writer finishes with everything stored (readers do not starve it).
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from reliability_db import integrity_problems, table_counts, wire_records
from reliability_proc import child_env, polybius_cmd
from reliability_server import build_small_store, serve

pytestmark = pytest.mark.slow

_POLLS = [
    ("/api/events", {"limit": 20}),
    ("/healthz", {}),
    ("/api/summary", {}),
    ("/api/events", {"actor": "NOR", "limit": 5}),
    ("/api/relations", {}),
    ("/api/dyad", {"a": "NOR", "b": "CHL"}),
]


def _poller(url: str, stop: threading.Event, seed: int, out: list[dict[str, Any]]) -> None:
    i = seed
    with httpx.Client(base_url=url, timeout=60) as client:
        while not stop.is_set():
            path, params = _POLLS[i % len(_POLLS)]
            i += 1
            t0 = time.monotonic()
            rec: dict[str, Any] = {"path": path, "t": t0}
            try:
                r = client.get(path, params=params)
                rec["status"] = r.status_code
                rec["body"] = r.json()
            except (httpx.HTTPError, json.JSONDecodeError) as exc:
                rec["status"] = type(exc).__name__
            rec["t_end"] = time.monotonic()
            out.append(rec)


def _check_response(rec: dict[str, Any]) -> str | None:
    """Why one polled answer is not acceptable, or None."""
    if rec["status"] != 200:
        return f"{rec['path']}: {rec['status']} {str(rec.get('body'))[:200]}"
    body = rec["body"]
    if rec["path"] == "/healthz" and (body.get("status") != "ok" or body.get("store") != "ok"):
        return f"/healthz: {body}"
    if rec["path"] == "/api/events" and not (
        isinstance(body.get("items"), list) and isinstance(body.get("total"), int)
    ):
        return f"/api/events: {str(body)[:200]}"
    if rec["path"] == "/api/summary" and not isinstance(body.get("events"), int):
        return f"/api/summary: {body}"
    return None


def _write_feed_folder(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    recs = wire_records(n, seed=99, prefix="live")
    for k in range(0, n, 10):
        with (folder / f"batch_{k:03d}.jsonl").open("w", encoding="utf-8") as fh:
            for r in recs[k : k + 10]:
                fh.write(json.dumps(r) + "\n")
    return folder


@pytest.mark.parametrize(
    ("writer", "articles", "batch"),
    [
        ("ingest", 24, "2"),  # many short writes: the file changes hands a dozen times
        ("watch", 60, "50"),  # the default batch size: fewer, longer writes
    ],
)
def test_dashboard_keeps_answering_while_a_writer_fills_the_store(
    tmp_path: Path, writer: str, articles: int, batch: str
):
    db = build_small_store(tmp_path / "live.duckdb", n=20)
    start_counts = table_counts(db)
    folder = _write_feed_folder(tmp_path / "incoming", articles)
    args = [writer, str(folder), "--db", str(db), "--batch-size", batch]
    if writer == "watch":
        args.append("--once")
    results: list[dict[str, Any]] = []
    stop = threading.Event()
    with serve(db) as url:
        pollers = [
            threading.Thread(target=_poller, args=(url, stop, k, results), daemon=True)
            for k in range(4)
        ]
        for t in pollers:
            t.start()
        time.sleep(1.0)  # the readers are busy before the writer starts
        proc = subprocess.run(
            polybius_cmd(*args),
            env=child_env(delay=0.02),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        time.sleep(1.0)
        stop.set()
        for t in pollers:
            t.join(timeout=120)
        final = httpx.get(url + "/api/summary").json()
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    counts = table_counts(db)
    assert counts["articles"] == start_counts["articles"] + articles, counts
    assert integrity_problems(db) == []
    assert final["events"] == counts["events"]
    bad = [why for rec in results if (why := _check_response(rec))]
    assert not bad, f"{len(bad)} of {len(results)} answers failed: {bad[:5]}"
    assert len(results) > 40, len(results)
    print(f"{len(results)} answers while the {writer} wrote, none failed")
    # the readers saw the writer's progress, and never saw it go backwards: an answer to a
    # request sent after another answer arrived never counts fewer events. (Requests in
    # flight at the same time may be served in either order, so start times alone do not
    # order them on a loaded machine.)
    summaries = sorted(
        (rec for rec in results if rec["path"] == "/api/summary"), key=lambda r: r["t"]
    )
    seen = [rec["body"]["events"] for rec in summaries]
    backwards = [
        (a["body"]["events"], b["body"]["events"])
        for a in summaries
        for b in summaries
        if a["t_end"] <= b["t"] and b["body"]["events"] < a["body"]["events"]
    ]
    assert not backwards, backwards[:5]
    assert seen[0] == start_counts["events"] and seen[-1] == counts["events"], seen
