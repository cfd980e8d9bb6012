"""Kill an ingest (or a watch) with SIGKILL at seeded random moments, then rerun it.

Run as a script by the crash tests::

    python reliability_kill_driver.py ingest SRC WORK --kills 20 --seed 8 --batch-size 3

It imports polybius once, then forks: one child runs an uninterrupted ingest into
``WORK/baseline.duckdb`` and reports each progress step (after every coded article and every
committed batch) down a pipe, so the parent knows how many steps a whole run takes (N).
Then, for each trial, a child ingests into ``WORK/trial_<i>.duckdb`` and is SIGKILLed at a
seeded random moment: after a random number of steps in [0, N], plus a random delay of up to
50 ms (so kills land inside commits, opens and coding alike, however loaded the machine
is); the killed database (with its WAL, if any) is copied to ``WORK/killed_<i>.duckdb`` for
inspection, and another child reruns the ingest on ``trial_<i>.duckdb`` to the end. Forked
children skip the interpreter start-up, so twenty kills cost little more than twenty
ingests. The parent never opens a database. ``WORK/results.json`` records what happened;
the test then checks every database.

``watch`` mode runs ``polybius.watch.watch([SRC], once=True)`` instead of ``ingest``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _run(mode: str, src: str, db: Path, batch_size: int, report_fd: int | None) -> None:
    import polybius_reliability_coder as coder

    def progress(_: object) -> None:
        if report_fd is not None:
            os.write(report_fd, b".")

    if mode == "watch":
        from polybius.watch import watch

        watch([src], db, once=True, coder=coder.code, batch_size=batch_size, progress=progress)
    else:
        from polybius.ingest import ingest

        ingest([src], db, coder=coder.code, batch_size=batch_size, progress=progress)


def _spawn(mode: str, src: str, db: Path, batch_size: int, report_fd: int | None = None) -> int:
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            _run(mode, src, db, batch_size, report_fd)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return pid


def _wait(pid: int) -> dict[str, int | None]:
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status), "rc": None}
    return {"signal": None, "rc": os.WEXITSTATUS(status)}


def _copy_db(db: Path, dest: Path) -> None:
    for suffix in ("", ".wal"):
        src = Path(str(db) + suffix)
        if src.exists():
            shutil.copy2(src, Path(str(dest) + suffix))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mode", choices=["ingest", "watch"])
    ap.add_argument("src")
    ap.add_argument("work", type=Path)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--batch-size", type=int, default=3)
    args = ap.parse_args(argv)
    import polybius.ingest  # noqa: F401  (import once, before forking)
    import polybius.watch  # noqa: F401

    args.work.mkdir(parents=True, exist_ok=True)
    read_fd, write_fd = os.pipe()
    pid = _spawn(args.mode, args.src, args.work / "baseline.duckdb", args.batch_size, write_fd)
    os.close(write_fd)
    steps = 0
    while chunk := os.read(read_fd, 4096):
        steps += len(chunk)
    os.close(read_fd)
    baseline = _wait(pid)
    if baseline["rc"] != 0:
        print(f"baseline run failed: {baseline}", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    trials = []
    for i in range(args.kills):
        db = args.work / f"trial_{i}.duckdb"
        after_steps = rng.randint(0, steps)
        delay = rng.uniform(0.0, 0.05)
        read_fd, write_fd = os.pipe()
        pid = _spawn(args.mode, args.src, db, args.batch_size, write_fd)
        os.close(write_fd)
        seen = 0
        while seen < after_steps and (chunk := os.read(read_fd, after_steps - seen)):
            seen += len(chunk)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        first = _wait(pid)
        os.close(read_fd)
        _copy_db(db, args.work / f"killed_{i}.duckdb")
        rerun = _wait(_spawn(args.mode, args.src, db, args.batch_size))
        trials.append(
            {
                "trial": i,
                "kill_after_steps": after_steps,
                "then_s": round(delay, 4),
                "killed": first["signal"] == signal.SIGKILL,
                "first": first,
                "rerun": rerun,
            }
        )
    result = {"mode": args.mode, "steps": steps, "trials": trials}
    (args.work / "results.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
