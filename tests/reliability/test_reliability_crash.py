"""Crash safety: an ingest or a watch killed with SIGKILL at any moment loses nothing.

After every kill the database opens, holds whole articles only (every event has its article
and all its actor and mention rows; no row points at nothing), and rerunning the same command
gives exactly the database an uninterrupted run gives (``fingerprint``: every id, link,
count, error row and file mark, without timestamps).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_db import fingerprint, integrity_problems, table_counts, write_wire_corpus
from reliability_proc import HERE, child_env, polybius_cmd, run_polybius

pytestmark = pytest.mark.slow


def _drive(mode: str, src: Path, work: Path, kills: int, seed: int) -> dict:
    """Run the fork-based kill driver (see reliability_kill_driver.py) and load its results."""
    proc = subprocess.run(
        [
            sys.executable,
            str(HERE / "reliability_kill_driver.py"),
            mode,
            str(src),
            str(work),
            "--kills",
            str(kills),
            "--seed",
            str(seed),
            "--batch-size",
            "3",
        ],
        env=child_env(stand_in=False, delay=0.01),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((work / "results.json").read_text())


def _check_trials(result: dict, work: Path, *, min_killed: int, min_partial: int) -> None:
    baseline = fingerprint(work / "baseline.duckdb")
    assert integrity_problems(work / "baseline.duckdb") == []
    total = len(baseline["articles"])
    assert total >= 10 and baseline["ingest_errors"], "the corpus must exercise every table"
    partial = 0
    killed = 0
    for trial in result["trials"]:
        i = trial["trial"]
        assert trial["rerun"] == {"signal": None, "rc": 0}, trial
        killed_db = work / f"killed_{i}.duckdb"
        if trial["killed"]:
            killed += 1
            # The killed database opens (read-write, as a rerun opens it) and is whole.
            assert integrity_problems(killed_db, read_only=False) == [], trial
            # ... and a reader (the dashboard) can open it read-only too.
            assert integrity_problems(killed_db, read_only=True) == [], trial
            n = table_counts(killed_db)["articles"]
            partial += 0 < n < total
        assert integrity_problems(work / f"trial_{i}.duckdb") == [], trial
        assert fingerprint(work / f"trial_{i}.duckdb") == baseline, trial
    # The kills really landed while the ingest was working, at different moments.
    assert killed >= min_killed, result
    assert partial >= min_partial, result


def test_ingest_killed_at_twenty_random_moments_reruns_to_the_same_database(tmp_path: Path):
    src = write_wire_corpus(tmp_path / "news", n=12)
    work = tmp_path / "kills"
    result = _drive("ingest", src, work, kills=20, seed=20261129)
    _check_trials(result, work, min_killed=15, min_partial=3)


def test_watch_killed_while_ingesting_a_folder_reruns_to_the_same_database(tmp_path: Path):
    src = write_wire_corpus(tmp_path / "news", n=12)
    work = tmp_path / "kills"
    result = _drive("watch", src, work, kills=5, seed=7)
    _check_trials(result, work, min_killed=3, min_partial=1)
    # watch marks each finished file; a file cut short by the kill is not marked
    marks = fingerprint(work / "baseline.duckdb")["ingest_files"]
    assert len(marks) == len(list(src.iterdir()))


def _wait_for_articles(db: Path, proc: subprocess.Popen, at_least: int, limit: float) -> int:
    """Poll the store read-only (as the dashboard would) until it holds ``at_least`` articles."""
    from polybius.store import Store, StoreError

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with Store.open(db, read_only=True, lock_timeout=0.5) as store:
                n = int(store.con.execute("SELECT count(*) FROM articles").fetchone()[0])
            if n >= at_least:
                return n
        except StoreError:
            pass  # not created yet, not migrated yet, or the writer holds it right now
        time.sleep(0.05)
    return -1


def _kill_mid_run(args: list[str], db: Path, env: dict[str, str], seed: int) -> int:
    """Start ``polybius ARGS``, SIGKILL it a random moment after its first commit."""
    proc = subprocess.Popen(
        polybius_cmd(*args), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        seen = _wait_for_articles(db, proc, 1, limit=240)
        assert seen >= 1, f"no article was committed: {proc.stderr.read().decode()[-2000:]}"
        time.sleep(random.Random(seed).uniform(0.0, 0.3))
        assert proc.poll() is None, "the run ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        return proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_watch_killed_then_rerun_once(tmp_path: Path):
    src = write_wire_corpus(tmp_path / "news", n=12)
    base = tmp_path / "base.duckdb"
    r = run_polybius("watch", str(src), "--once", "--db", str(base), "--batch-size", "2")
    assert r.returncode == 0, r.stderr
    db = tmp_path / "watched.duckdb"
    rc = _kill_mid_run(
        ["watch", str(src), "--every", "1s", "--db", str(db), "--batch-size", "2"],
        db,
        child_env(delay=0.05),
        seed=3,
    )
    assert rc == -signal.SIGKILL
    assert integrity_problems(db, read_only=False) == []
    assert table_counts(db)["articles"] < table_counts(base)["articles"]
    r = run_polybius("watch", str(src), "--once", "--db", str(db), "--batch-size", "2")
    assert r.returncode == 0, r.stderr
    assert fingerprint(db) == fingerprint(base)


REAL_NEWS = [
    (
        "Russia accused Ukraine of shelling a border village on Monday, officials said.",
        "2024-02-05",
    ),
    ("France and Germany signed an agreement on border policing in Paris.", "2024-02-06"),
    ("China held talks with Japan about fishing rights near the disputed islands.", "2024-02-07"),
    ("The United States imposed sanctions on Iran over its missile programme.", "2024-02-08"),
    ("India sent emergency aid to Nepal after the earthquake, the ministry said.", "2024-02-09"),
    ("Turkey threatened Greece with military action over the islands.", "2024-02-10"),
    ("Brazil praised Argentina for its support during the trade talks.", "2024-02-11"),
    (
        "Egypt hosted Israeli and Palestinian negotiators in Cairo for ceasefire talks.",
        "2024-02-12",
    ),
    ("Poland expelled three Belarusian diplomats accused of spying.", "2024-02-13"),
    ("South Korea and Japan agreed to share military intelligence on North Korea.", "2024-02-14"),
]


def test_cli_ingest_with_the_real_coder_killed_mid_run_then_rerun(tmp_path: Path):
    # Four rounds of the sentences, each made distinct, so that the kill lands mid-run even
    # when coding is fast (a killed run must leave some, not all, articles stored).
    articles = [
        (f"{text} The desk filed this as item {r * len(REAL_NEWS) + i}.", d)
        for r in range(4)
        for i, (text, d) in enumerate(REAL_NEWS)
    ]
    lines = [
        json.dumps({"id": f"real{i}", "date": d, "title": f"Report {i}", "text": text})
        for i, (text, d) in enumerate(articles)
    ]
    src = tmp_path / "real.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = child_env(stand_in=False)
    base = tmp_path / "base.duckdb"
    r = run_polybius("ingest", str(src), "--db", str(base), "--batch-size", "1", env=env)
    assert r.returncode == 0, r.stderr
    assert table_counts(base)["events"] > 0, "the real coder should find events here"
    db = tmp_path / "killed.duckdb"
    rc = _kill_mid_run(["ingest", str(src), "--db", str(db), "--batch-size", "1"], db, env, seed=11)
    assert rc == -signal.SIGKILL
    assert integrity_problems(db, read_only=False) == []
    assert 0 < table_counts(db)["articles"] < len(articles)
    r = run_polybius("ingest", str(src), "--db", str(db), "--batch-size", "1", env=env)
    assert r.returncode == 0, r.stderr
    assert fingerprint(db) == fingerprint(base)


def _children(pid: int) -> list[int]:
    """Live child processes of ``pid`` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_killed_parallel_ingest_leaves_no_worker_process_behind(tmp_path: Path):
    src = write_wire_corpus(tmp_path / "news", n=12)
    db = tmp_path / "jobs.duckdb"
    args = ["ingest", str(src), "--db", str(db), "--jobs", "2", "--batch-size", "3"]
    proc = subprocess.Popen(
        polybius_cmd(*args),
        env=child_env(delay=0.5),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 240
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            time.sleep(0.1)
        assert len(workers) == 2, "the worker processes never started"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        deadline = time.monotonic() + 30
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [w for w in workers if _alive(w)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for w in workers:  # never leave them running, whatever the outcome
            if _alive(w):
                os.kill(w, signal.SIGKILL)
    assert left == [], "coding workers outlived their killed ingest (each holds a coder)"
    assert integrity_problems(db, read_only=False) == []
    r = run_polybius(*args)
    assert r.returncode == 0, r.stderr
    assert integrity_problems(db) == []
