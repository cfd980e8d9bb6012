"""Watch feeds and folders: ingest what is new, again every interval, until stopped.

Each round expands the watched paths into files (directories recursively, hidden files
skipped, sorted) and URLs, and calls ``ingest`` with ``skip_seen_files=True``: a file whose
size and mtime match a completed earlier ingest (``ingest_files``) is not even read, and
everything else is idempotent by article id, so only new articles are coded. Feeds are
re-fetched each round; their old entries are recognised by id and skipped before coding.

Ctrl-C or SIGTERM (``graceful_stop``) asks the running ingest to stop: the articles coded
so far are committed, nothing partial is written, and the loop ends.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from polybius.ingest import IngestReport, ingest
from polybius.store.core import DEFAULT_DB

__all__ = ["WatchReport", "graceful_stop", "parse_interval", "watch_targets", "watch"]

_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?", re.IGNORECASE)
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_interval(text: str | float | int) -> float:
    """Seconds from "15m", "30s", "1h30m", "0.5s", "2d" or a bare number of seconds.

    Raises ValueError naming the text when it is not an interval or is not positive."""
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        s = str(text).strip().replace(" ", "")
        pos, seconds = 0, 0.0
        for m in _INTERVAL.finditer(s):
            if m.start() != pos:
                break
            seconds += float(m.group(1)) * _UNIT[m.group(2).lower() if m.group(2) else None]
            pos = m.end()
        if not s or pos != len(s):
            raise ValueError(f"{text!r} is not an interval (examples: 30s, 15m, 1h, 1h30m)")
    if seconds <= 0:
        raise ValueError(f"{text!r}: the interval must be more than zero")
    return seconds


def watch_targets(paths: Sequence[str | Path]) -> list[str]:
    """URLs as given; directories as their files (recursive, sorted, hidden ones skipped);
    files and missing paths as given (a missing path is reported by the reader)."""
    out: list[str] = []
    for raw in paths:
        s = str(raw)
        p = Path(s)
        if s.startswith(("http://", "https://")) or not p.is_dir():
            out.append(s)
            continue
        for f in sorted(p.rglob("*")):
            rel = f.relative_to(p).parts
            if f.is_file() and not any(part.startswith(".") for part in rel):
                out.append(str(f))
    return out


@dataclass(slots=True)
class WatchReport:
    """Totals over all rounds of a watch."""

    rounds: int = 0
    articles_new: int = 0
    articles_duplicate: int = 0
    events_new: int = 0
    events_merged: int = 0
    files_skipped: int = 0
    errors: list[str] = field(default_factory=list)
    stopped: bool = False

    def add(self, r: IngestReport) -> None:
        self.rounds += 1
        self.articles_new += r.articles_new
        self.articles_duplicate += r.articles_duplicate
        self.events_new += r.events_new
        self.events_merged += r.events_merged
        self.files_skipped += r.files_skipped
        self.errors += [str(e) for e in r.errors if str(e) not in self.errors]


@contextmanager
def graceful_stop() -> Iterator[Callable[[], bool]]:
    """While active, SIGINT and SIGTERM set a flag instead of killing; yields a function
    that says whether a stop was asked. A second Ctrl-C raises KeyboardInterrupt (the open
    transaction is rolled back). Outside the main thread it only yields the flag."""
    flag = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield flag.is_set
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if flag.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        flag.set()

    old = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield flag.is_set
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


def watch(
    paths: Sequence[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    every: float | str = "15m",
    once: bool = False,
    should_stop: Callable[[], bool] | None = None,
    on_round: Callable[[IngestReport], None] | None = None,
    max_rounds: int | None = None,
    **ingest_options: Any,
) -> WatchReport:
    """Poll ``paths`` (files, directories, feed URLs) and ingest what is new into ``db``.

    ``every``: seconds or an interval string; ``once``: one round only; ``max_rounds``: stop
    after that many rounds; ``should_stop``: polled between articles and while waiting.
    Other keyword arguments go to ``ingest``."""
    interval = parse_interval(every)
    stop = should_stop or (lambda: False)
    report = WatchReport()
    own = {str(Path(db).resolve()), str(Path(db).resolve()) + ".wal"}
    while True:
        targets = [t for t in watch_targets(paths) if str(Path(t).resolve()) not in own]
        r = ingest(targets, db, skip_seen_files=True, should_stop=stop, **ingest_options)
        report.add(r)
        if on_round:
            on_round(r)
        if r.stopped or stop():
            report.stopped = True
            break
        if once or (max_rounds is not None and report.rounds >= max_rounds):
            break
        deadline = time.monotonic() + interval
        while time.monotonic() < deadline and not stop():
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        if stop():
            report.stopped = True
            break
    return report
