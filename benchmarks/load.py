"""Load test: many concurrent clients against a real ``polybius serve`` over a big store.

    python benchmarks/load.py                      # 1,000,000 synthetic events, 50 clients, 60 s
    python benchmarks/load.py --seconds 20 --clients 10 --events 200000
    python benchmarks/load.py --url http://127.0.0.1:8000   # a server you started (loopback only)

It builds (once) a store of SYNTHETIC events straight into the store's schema with DuckDB SQL
(every synthetic row says so: source "synthetic", rule "synthetic", texts "SYNTHETIC ..."),
starts ``polybius serve`` on a free loopback port, and drives ``--clients`` concurrent httpx
clients for ``--seconds`` at three endpoints: ``/api/events`` (actor filter, page of 50),
``/api/dyad`` (two actors, by month) and ``/api/relations`` (a one-year window). It prints,
per endpoint and overall, requests, requests/s, p50 and p99 latency and the error count
(any non-2xx answer or transport failure). It refuses any target that is not loopback.
It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["ACTORS", "build_synthetic_store", "is_loopback_url", "run_load"]

HERE = Path(__file__).resolve().parent
DEFAULT_DB = HERE / "out" / "load-synthetic.duckdb"

#: Actor codes used by the synthetic events: ISO3 countries and a few organisations.
ACTORS: tuple[str, ...] = (
    "USA", "CHN", "RUS", "GBR", "FRA", "DEU", "JPN", "IND", "BRA", "ZAF", "TUR", "IRN",
    "ISR", "SAU", "EGY", "NGA", "KEN", "ETH", "PAK", "AFG", "IRQ", "SYR", "UKR", "POL",
    "ITA", "ESP", "CAN", "MEX", "ARG", "CHL", "COL", "VEN", "PER", "AUS", "NZL", "IDN",
    "MYS", "PHL", "VNM", "THA", "KOR", "PRK", "TWN", "MMR", "BGD", "LKA", "NPL", "KAZ",
    "UZB", "AZE", "ARM", "GEO", "BLR", "SRB", "HUN", "ROU", "GRC", "SWE", "NOR", "FIN",
    "NATO", "EU", "UN", "ASEAN", "AU", "SCO", "QUAD", "OPEC",
)  # fmt: skip
_ORGS = {"NATO", "EU", "UN", "ASEAN", "AU", "SCO", "QUAD", "OPEC"}


def _type_table() -> list[tuple[int, str, str, float, int]]:
    from polybius.ontology import PLOVER_TYPES, goldstein, plover_to_cameo, quad_class

    rows = []
    for i, t in enumerate(PLOVER_TYPES):
        cameo = plover_to_cameo(t)
        rows.append((i, t, cameo, float(goldstein(cameo, t) or 0.0), int(quad_class(t))))
    return rows


def _refresh_summaries(con: Any) -> None:
    """Rebuild the summary tables the store derives from events (when its schema has any):
    rows written straight into ``events`` bypass the writer that keeps them in step. Uses
    the migrations' own SQL (``polybius.store.schema``)."""
    from polybius.store import schema

    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    if "dyad_days" in tables:
        con.execute("DELETE FROM dyad_days")
        con.execute(
            "INSERT INTO dyad_days "
            + schema.DYAD_DAYS_SELECT.format(where="TRUE")
            + " ORDER BY src_key, tgt_key, day"
        )
    for table in ("pair_days", "actor_days", "actor_kinds"):
        if table in tables:
            con.execute(f"DELETE FROM {table}")
    if "pair_days" in tables:
        for statement in schema.SUMMARY_BACKFILL:
            con.execute(statement)
    if "actor_keys" in tables:
        con.execute("DELETE FROM actor_keys")
        con.execute(schema.ACTOR_KEYS_BACKFILL)


def build_synthetic_store(
    path: str | Path, *, events: int = 1_000_000, per_article: int = 10, seed: int = 1
) -> dict[str, int]:
    """Write ``events`` SYNTHETIC events (``per_article`` per article) into a new store.

    All in SQL, in one transaction: a million events take seconds. Actor choice is skewed
    (a few busy pairs, a long tail), dates spread over 2015-2024, event types over all of
    PLOVER with their CAMEO code, Goldstein score and quad class. Returns the row counts.
    """
    from polybius.store import Store

    path = Path(path)
    if path.exists():
        raise FileExistsError(f"{path}: already exists (the generator only writes new stores)")
    path.parent.mkdir(parents=True, exist_ok=True)
    actors = list(ACTORS)
    with Store.open(path) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE TEMP TABLE syn_types (i INTEGER, t VARCHAR, cameo VARCHAR, "
                    "gold DOUBLE, quad TINYINT)")  # fmt: skip
        con.executemany("INSERT INTO syn_types VALUES (?, ?, ?, ?, ?)", _type_table())
        con.execute("CREATE TEMP TABLE syn_actors (i INTEGER, code VARCHAR, is_org BOOLEAN)")
        con.executemany(
            "INSERT INTO syn_actors VALUES (?, ?, ?)",
            [(i, a, a in _ORGS) for i, a in enumerate(actors)],
        )
        n_actors = len(actors)
        n_types = len(_type_table())
        # Deterministic pseudo-random numbers in [0, 1) from hash(i, salt).
        con.execute(
            f"""
            CREATE TEMP TABLE syn_events AS
            SELECT i,
                   i // {per_article} AS art,
                   CAST(floor(pow((hash(i, {seed}, 1) % 1000000) / 1e6, 2.2) * {n_actors})
                        AS INTEGER) AS s,
                   CAST(floor(pow((hash(i, {seed}, 2) % 1000000) / 1e6, 1.6) * {n_actors})
                        AS INTEGER) AS t0,
                   CAST(hash(i, {seed}, 3) % {n_types} AS INTEGER) AS ty,
                   DATE '2015-01-01' + CAST(hash(i // {per_article}, {seed}, 4) % 3650 AS INTEGER)
                        AS day
            FROM range({events}) r(i)
            """
        )
        con.execute(
            f"UPDATE syn_events SET t0 = (t0 + 1 + CAST(hash(i, {seed}, 5) % 3 AS INTEGER)) "
            f"% {n_actors} WHERE t0 = s"
        )
        now = "TIMESTAMP '2026-01-01 00:00:00'"
        con.execute(
            f"""
            INSERT INTO articles
            SELECT 'syn' || lpad(CAST(a AS VARCHAR), 13, '0'), 'synthetic-' || a,
                   'SYNTHETIC article ' || a,
                   'SYNTHETIC text for load tests; not news. Article ' || a || '.',
                   day, NULL, 'synthetic', 'en', NULL, NULL, NULL, n, a + 1, {now}
            FROM (SELECT art AS a, min(day) AS day, count(*) AS n FROM syn_events GROUP BY art)
            """
        )
        con.execute(
            f"""
            INSERT INTO events
            SELECT 'se' || lpad(CAST(e.i AS VARCHAR), 14, '0'),
                   'syn' || lpad(CAST(e.art AS VARCHAR), 13, '0'),
                   'syn' || lpad(CAST(e.art AS VARCHAR), 13, '0'),
                   md5(CAST(e.i AS VARCHAR))[:16],
                   'synthetic-' || e.art,
                   ty.t, NULL, NULL, ty.cameo, ty.gold, ty.quad, 'asserted',
                   CAST(e.day AS VARCHAR), 'day', e.day, NULL,
                   'SYNTHETIC: ' || sa.code || ' ' || lower(ty.t) || ' ' || ta.code || '.',
                   0, 11, 11 + length(ty.t), lower(ty.t), 'synthetic', 1.0, 1,
                   sa.code, ta.code,
                   CAST(json_array(CASE WHEN sa.is_org
                        THEN json_object('text', sa.code, 'country', NULL, 'sector', NULL,
                                         'org', sa.code, 'name', NULL)
                        ELSE json_object('text', sa.code, 'country', sa.code, 'sector', 'GOV',
                                         'org', NULL, 'name', NULL) END) AS JSON),
                   CAST(json_array(CASE WHEN ta.is_org
                        THEN json_object('text', ta.code, 'country', NULL, 'sector', NULL,
                                         'org', ta.code, 'name', NULL)
                        ELSE json_object('text', ta.code, 'country', ta.code, 'sector', NULL,
                                         'org', NULL, 'name', NULL) END) AS JSON),
                   NULL, NULL, {now}, NULL, NULL, NULL
            FROM syn_events e
            JOIN syn_types ty ON ty.i = e.ty
            JOIN syn_actors sa ON sa.i = e.s
            JOIN syn_actors ta ON ta.i = e.t0
            """
        )
        for role, col in (("source", "s"), ("target", "t0")):
            con.execute(
                f"""
                INSERT INTO event_actors
                SELECT 'se' || lpad(CAST(e.i AS VARCHAR), 14, '0'), '{role}', 0, a.code,
                       CASE WHEN a.is_org THEN NULL ELSE a.code END,
                       CASE WHEN '{role}' = 'source' AND NOT a.is_org THEN 'GOV' END,
                       CASE WHEN a.is_org THEN a.code END, NULL, a.code
                FROM syn_events e JOIN syn_actors a ON a.i = e.{col}
                """
            )
        con.execute(
            """
            INSERT INTO event_mentions
            SELECT event_id, article_id, 1 FROM events WHERE rule = 'synthetic'
            """
        )
        _refresh_summaries(con)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        counts = {
            t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("articles", "events", "event_actors", "event_mentions")
        }
    return counts


def is_loopback_url(url: str) -> bool:
    """True when ``url`` is http(s) to a loopback address (what this script may target)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(
                ipaddress.ip_address(info[4][0]).is_loopback
                for info in socket.getaddrinfo(host, None)
            )
        except OSError:
            return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    boot = "import sys; sys.argv[0] = 'polybius'; from polybius.cli import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", boot, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_ready(url: str, proc: subprocess.Popen[bytes] | None, limit: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"polybius serve exited: {err[-2000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer /healthz within {limit:.0f}s")


def _requests(rng: random.Random) -> tuple[str, str, dict[str, str | int]]:
    """One request: (endpoint name, path, params), busy actors more often than others."""
    busy = list(ACTORS[:20])
    kind = rng.choice(("events", "dyad", "graph"))
    if kind == "events":
        return kind, "/api/events", {"actor": rng.choice(busy), "limit": 50,
                                     "offset": rng.choice((0, 0, 50, 500))}  # fmt: skip
    if kind == "dyad":
        a, b = rng.sample(busy, 2)
        return kind, "/api/dyad", {"a": a, "b": b, "by": "month"}
    year = rng.randint(2015, 2024)
    return kind, "/api/relations", {"since": f"{year}-01-01", "until": f"{year}-12-31"}


async def _client(
    base: str, stop_at: float, seed: int, out: list[tuple[str, float, int | str]]
) -> None:
    import httpx

    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=120.0) as client:
        while time.monotonic() < stop_at:
            name, path, params = _requests(rng)
            t0 = time.perf_counter()
            try:
                r = await client.get(path, params=params)
                await r.aread()
                status: int | str = r.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            out.append((name, time.perf_counter() - t0, status))


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def run_load(base: str, *, clients: int, seconds: float, seed: int = 1) -> dict[str, object]:
    """Drive ``clients`` concurrent clients at ``base`` for ``seconds``; return the figures."""
    if not is_loopback_url(base):
        raise SystemExit(f"{base}: only loopback targets are allowed")
    out: list[tuple[str, float, int | str]] = []

    async def main() -> float:
        t0 = time.monotonic()
        stop_at = t0 + seconds
        await asyncio.gather(
            *(_client(base, stop_at, seed * 1000 + i, out) for i in range(clients))
        )
        return time.monotonic() - t0

    wall = asyncio.run(main())
    figures: dict[str, object] = {"clients": clients, "seconds": round(wall, 1), "endpoints": {}}
    groups = {"all": out} | {k: [r for r in out if r[0] == k] for k in ("events", "dyad", "graph")}
    for name, rows in groups.items():
        lat = [r[1] for r in rows]
        errors = [r[2] for r in rows if not (isinstance(r[2], int) and 200 <= r[2] < 300)]
        entry = {
            "requests": len(rows),
            "rps": round(len(rows) / wall, 1) if wall else 0.0,
            "p50_ms": round(_pct(lat, 0.50) * 1000, 1),
            "p99_ms": round(_pct(lat, 0.99) * 1000, 1),
            "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else float("nan"),
            "errors": len(errors),
            "error_kinds": sorted({str(e) for e in errors}),
        }
        if name == "all":
            figures.update({k: v for k, v in entry.items()})
        else:
            figures["endpoints"][name] = entry  # type: ignore[index]
    return figures


def _print(figures: dict[str, object]) -> None:
    print(f"{figures['clients']} clients for {figures['seconds']} s")
    print(f"{'endpoint':<10}{'requests':>10}{'req/s':>9}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    rows = [("all", figures)] + list(figures["endpoints"].items())  # type: ignore[union-attr]
    for name, e in rows:
        print(
            f"{name:<10}{e['requests']:>10}{e['rps']:>9}{e['p50_ms']:>10}{e['p99_ms']:>10}"
            f"{e['errors']:>8}"
        )
    if figures["error_kinds"]:
        print("error kinds:", ", ".join(figures["error_kinds"]))  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", type=Path, default=DEFAULT_DB, help="store to serve (built if absent)")
    ap.add_argument("--events", type=int, default=1_000_000, help="synthetic events to build")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--url", help="a running server to target instead (loopback only)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    if args.url and not is_loopback_url(args.url):
        print(f"{args.url}: only loopback targets are allowed", file=sys.stderr)
        return 2
    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        if not args.db.exists():
            t0 = time.monotonic()
            print(f"building {args.events:,} synthetic events in {args.db} ...", flush=True)
            counts = build_synthetic_store(args.db, events=args.events, seed=args.seed)
            print(f"  {counts} in {time.monotonic() - t0:.1f}s", flush=True)
        from polybius.store import Store

        with Store.open(args.db):  # brings an older store up to this schema (read-only can't)
            pass
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        proc = _start_server(args.db, port)
    try:
        _wait_ready(base, proc)
        figures = run_load(base, clients=args.clients, seconds=args.seconds, seed=args.seed)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    if not args.url:
        figures["db"] = str(args.db)
        figures["db_mb"] = round(os.path.getsize(args.db) / 1e6, 1)
    _print(figures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
