"""A real ``polybius serve`` in a child process, and small stores for it to serve."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from reliability_proc import child_env, polybius_cmd

__all__ = ["build_small_store", "free_port", "serve"]


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(
    db: Path, *args: str, env: dict[str, str] | None = None, ready_s: float = 120
) -> Iterator[str]:
    """Run ``polybius serve --db DB --port P ARGS`` (default host) until the block ends;
    yields its base URL once /healthz answers."""
    port = free_port()
    proc = subprocess.Popen(
        polybius_cmd("serve", "--db", str(db), "--port", str(port), *args),
        env=env or child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_s
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"polybius serve exited with {proc.returncode}: {out[-2000:]}")
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("polybius serve did not answer /healthz in time")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


def build_small_store(path: Path, *, n: int = 30, huge_article_chars: int = 0) -> Path:
    """A store of ``n`` invented wire items coded by the stand-in coder (plus, optionally,
    one article of ``huge_article_chars`` characters)."""
    from polybius_reliability_coder import code_one
    from reliability_db import wire_records

    from polybius.pipeline import CodedArticle
    from polybius.records import Article
    from polybius.store import Store
    from polybius.store.writer import transaction, write_article

    arts = [
        Article.create(r["text"], doc_id=r["id"], title=r["title"], date=r["date"])
        for r in wire_records(n, seed=5, prefix="s")
    ]
    if huge_article_chars:
        body = "Finland consulted Morocco about ferries. "
        arts.append(
            Article.create(
                (body * (huge_article_chars // len(body) + 1))[:huge_article_chars],
                doc_id="huge",
                title="A very long article",
                date="2023-03-03",
            )
        )
    with Store.open(path) as store, transaction(store.con):
        for art in arts:
            coded = code_one(art)
            assert isinstance(coded, CodedArticle)
            write_article(store.con, coded.article, coded.events)
    return path
