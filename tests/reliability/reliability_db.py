"""Helpers for the reliability tests: a store's integrity, its fingerprint, and a corpus.

``integrity_problems`` lists every way a store breaks the "whole articles only" promise;
``fingerprint`` is everything an uninterrupted ingest decides (ids, links, counts, errors),
without timestamps, so two databases can be compared exactly; ``write_wire_corpus`` writes a
small folder of invented news (several formats, near-duplicates, a coding failure and a bad
file) that the stand-in coder codes.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

__all__ = [
    "fingerprint",
    "integrity_problems",
    "table_counts",
    "write_wire_corpus",
    "wire_records",
]

# Each check returns rows that should not exist: (what is wrong, an example id).
_CHECKS = {
    "event without its article": """
        SELECT e.event_id FROM events e LEFT JOIN articles a USING (article_id)
        WHERE a.article_id IS NULL""",
    "event whose actor rows are missing or extra": """
        SELECT e.event_id FROM events e
        LEFT JOIN (SELECT event_id, count(*) AS n FROM event_actors GROUP BY event_id) x
          USING (event_id)
        WHERE coalesce(x.n, 0) <> json_array_length(e.sources) + json_array_length(e.targets)""",
    "actor row without its event": """
        SELECT ea.event_id FROM event_actors ea LEFT JOIN events e USING (event_id)
        WHERE e.event_id IS NULL""",
    "mention row without its event": """
        SELECT m.event_id FROM event_mentions m LEFT JOIN events e USING (event_id)
        WHERE e.event_id IS NULL""",
    "mention row without its article": """
        SELECT m.article_id FROM event_mentions m LEFT JOIN articles a USING (article_id)
        WHERE a.article_id IS NULL""",
    "event whose mentions disagree with its mention rows": """
        SELECT e.event_id FROM events e
        LEFT JOIN (SELECT event_id, sum(mentions) AS n FROM event_mentions GROUP BY event_id) m
          USING (event_id)
        WHERE coalesce(m.n, 0) <> e.mentions""",
    "article whose event count disagrees with its mention rows": """
        SELECT a.article_id FROM articles a
        LEFT JOIN (SELECT article_id, count(*) AS n FROM event_mentions GROUP BY article_id) m
          USING (article_id)
        WHERE coalesce(m.n, 0) <> a.n_events""",
    "article without its near-duplicate index rows": """
        SELECT a.article_id FROM articles a
        LEFT JOIN (SELECT DISTINCT article_id FROM article_bands) b USING (article_id)
        WHERE b.article_id IS NULL""",
    "band row without its article": """
        SELECT b.article_id FROM article_bands b LEFT JOIN articles a USING (article_id)
        WHERE a.article_id IS NULL""",
    "duplicate link to a missing article": """
        SELECT a.article_id FROM articles a LEFT JOIN articles r ON r.article_id = a.duplicate_of
        WHERE a.duplicate_of IS NOT NULL AND r.article_id IS NULL""",
}


def _connect(path: str | Path, read_only: bool = True) -> Any:
    from polybius.store import Store

    return Store.open(path, read_only=read_only, lock_timeout=30)


def _tables(con: Any) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def _summary_checks(con: Any) -> dict[str, str]:
    """Checks of the derived summary tables the store keeps in step with its events: each
    must equal a fresh rebuild from the events (row for row; float sums are left out, their
    last digits depend on the order of addition)."""
    from polybius.store import schema

    selects = {
        "dyad_days": "DYAD_DAYS_SELECT",
        "pair_days": "PAIR_DAYS_SELECT",
        "actor_days": "ACTOR_DAYS_SELECT",
        "actor_kinds": "ACTOR_KINDS_SELECT",
        "actor_keys": "ACTOR_KEYS_SELECT",
    }
    present = set(_tables(con))
    checks: dict[str, str] = {}
    for table, name in selects.items():
        select = getattr(schema, name, None)
        if table not in present or select is None:
            continue
        cols = ", ".join(
            r[0]
            for r in con.execute(f"DESCRIBE {table}").fetchall()
            if r[1] not in ("DOUBLE", "FLOAT", "REAL")
        )
        fresh = select.format(where="TRUE") if "{where}" in select else select
        checks[f"{table} summary out of step with the events"] = f"""
            SELECT * FROM (
                (SELECT {cols} FROM {table} EXCEPT ALL SELECT {cols} FROM ({fresh}))
                UNION ALL
                (SELECT {cols} FROM ({fresh}) EXCEPT ALL SELECT {cols} FROM {table})
            )"""
    return checks


def integrity_problems(path: str | Path, *, read_only: bool = True) -> list[str]:
    """Everything that breaks "whole articles only" in the store at ``path`` (empty: sound)."""
    problems: list[str] = []
    with _connect(path, read_only) as store:
        for what, sql in {**_CHECKS, **_summary_checks(store.con)}.items():
            rows = store.con.execute(sql).fetchall()
            if rows:
                problems.append(f"{what}: {len(rows)} rows, e.g. {rows[0][0]}")
    return problems


def table_counts(path: str | Path) -> dict[str, int]:
    """Row count of every table."""
    with _connect(path) as store:
        return {
            t: int(store.con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
            for t in _tables(store.con)
        }


def fingerprint(path: str | Path) -> dict[str, Any]:
    """What an ingest decided, without timestamps: equal fingerprints mean equal databases.

    Every table, every column except timestamps (when a row was written), rows sorted.
    """
    out: dict[str, Any] = {}
    with _connect(path) as store:
        con = store.con
        for table in _tables(con):
            if table == "schema_migrations":
                continue
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "AND data_type NOT LIKE 'TIMESTAMP%' ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
            select = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'SELECT {select} FROM "{table}"').fetchall()
            out[table] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


# --------------------------------------------------------------------------- corpus

_NAMES = ["Norway", "Chile", "Kenya", "Vietnam", "Peru", "Ghana", "Finland", "Morocco"]
_VERBS = ["consulted", "supplied", "warned", "shelled"]
_FILLER = (
    "harbour lighthouse tariff orchard glacier railway census drought ferry quarry "
    "vineyard monsoon archive bridge reservoir turbine lagoon highway festival sawmill"
).split()


def wire_records(n: int, *, seed: int = 11, prefix: str = "w") -> list[dict[str, str]]:
    """``n`` invented, distinct, dated wire items the stand-in coder finds events in."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a, b, c = rng.sample(_NAMES, 3)
        d, e = rng.sample(_NAMES, 2)
        words = " ".join(rng.choice(_FILLER) for _ in range(25))
        text = (
            f"{a} {rng.choice(_VERBS)} {b} and {c} early on Monday, a spokesperson said. "
            f"{words}. Later {d} {rng.choice(_VERBS)} {e} too. Item {prefix}{i} of the "
            f"reliability wire."
        )
        out.append(
            {
                "id": f"{prefix}{i:03d}",
                "date": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "title": f"Reliability wire {prefix}{i}",
                "text": text,
            }
        )
    return out


_DUP_BODY = (
    "Norway consulted Chile in Oslo about salmon quotas, the ministry said on Friday. "
    "The delegations also discussed a ferry route, a glacier survey and a new archive. "
    "Both sides called the talks useful and agreed to meet again before the monsoon season. "
    "Observers expect a fisheries accord to follow within months, officials added. "
    "The Chilean minister toured a sawmill, a reservoir and a turbine plant near Bergen. "
    "Norwegian officials presented a census of coastal towns and a plan for a new railway. "
    "A joint statement promised cooperation on lighthouses, harbours and vineyard exports."
)


def write_wire_corpus(folder: Path, *, n: int = 24, seed: int = 11) -> Path:
    """A folder of invented news in several formats that ingest reads in a fixed order.

    Holds ``n`` wire items split over JSONL, CSV and .txt files, two near-duplicate copies of
    one story (linked, their event counted once with two mentions), an article the stand-in
    coder refuses (KABOOM) and a broken JSONL line, so a run touches every table.
    """
    folder.mkdir(parents=True, exist_ok=True)
    recs = wire_records(n, seed=seed)
    third = n // 3
    with (folder / "a_wire.jsonl").open("w", encoding="utf-8") as fh:
        for r in recs[:third]:
            fh.write(json.dumps(r) + "\n")
        fh.write("{broken json line\n")
    import csv

    with (folder / "b_wire.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "date", "title", "text"])
        w.writeheader()
        for r in recs[third : 2 * third]:
            w.writerow(r)
    for r in recs[2 * third :]:
        (folder / f"c_{r['id']}.txt").write_text(f"{r['title']}\n\n{r['text']}\n", encoding="utf-8")
    dup = [
        {"id": "dup-1", "date": "2023-05-05", "title": "Oslo talks", "text": _DUP_BODY},
        {
            "id": "dup-2",
            "date": "2023-05-05",
            "title": "Oslo talks",
            "text": _DUP_BODY.replace("on Friday", "on Friday evening"),
        },
        {
            "id": "boom",
            "date": "2023-06-01",
            "title": "KABOOM",
            "text": "Peru warned Ghana. KABOOM went the stand-in coder on this one.",
        },
    ]
    with (folder / "d_dups.jsonl").open("w", encoding="utf-8") as fh:
        for r in dup:
            fh.write(json.dumps(r) + "\n")
    return folder
