"""`polybius ingest --dask local:2` (a real LocalCluster) stores the same events as a
single-process ingest, writes a date-partitioned Parquet dataset and is idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from polybius.cli import app
from polybius.ingest import ingest

pytestmark = pytest.mark.slow

# Invented articles (not real news), on two dates.
ARTICLES = [
    ("d1", "2021-08-10", "Russia and China hold joint drills",
     "Russia and China will hold joint naval exercises next month, the Russian defence "
     "ministry said. The weather is usually calm in September."),
    ("d2", "2021-08-10", "Japan protests",
     "Japan condemned the exercises. Tokyo also criticised Beijing for its silence."),
    ("d3", "2021-08-11", "Talks in Geneva",
     "Iran and France held talks in Geneva on Wednesday. Both sides praised the tone."),
    ("d4", "2021-08-11", "Aid announced",
     "Germany pledged humanitarian aid to Afghanistan. Officials gave no figure."),
    ("d5", "2021-08-11", "Sanctions",
     "The United States imposed sanctions on Venezuela. Markets were quiet."),
    ("d6", "2021-08-11", "Nothing here",
     "The festival opened with music and dancing. Tickets sold out quickly."),
]  # fmt: skip


def _corpus(tmp_path: Path) -> Path:
    path = tmp_path / "news.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for doc_id, date, title, text in ARTICLES:
            fh.write(json.dumps({"id": doc_id, "date": date, "title": title, "text": text}) + "\n")
    return path


def _events(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT event_id, article_id, event_type, source_codes, target_codes, day, "
            "sentence_index, span_start, mentions FROM events ORDER BY event_id"
        ).fetchall()
    finally:
        con.close()


def _count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_dask_local_cluster_matches_single_process(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    single_db = tmp_path / "single.duckdb"
    ingest([str(src)], single_db, batch_size=4)
    expected = _events(single_db)
    assert expected, "the invented corpus must code some events"

    dask_db = tmp_path / "dask.duckdb"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(src), "--db", str(dask_db), "--dask", "local:2"])
    assert result.exit_code == 0, result.output
    assert _events(dask_db) == expected
    assert _count(dask_db, "articles") == _count(single_db, "articles") == len(ARTICLES)
    assert _count(dask_db, "event_actors") == _count(single_db, "event_actors")

    # the Parquet dataset: hive-partitioned by date, the store's shapes
    out = Path(f"{dask_db}.parquet")
    days = sorted(p.name for p in (out / "events").iterdir())
    assert days and all(d.startswith("day=") for d in days)
    con = duckdb.connect()
    n = con.execute(
        f"SELECT count(DISTINCT event_id) FROM read_parquet('{out}/events/**/*.parquet', "
        "hive_partitioning = true)"
    ).fetchone()[0]
    assert n == len(expected)

    # re-running adds nothing and codes nothing
    again = runner.invoke(app, ["ingest", str(src), "--db", str(dask_db), "--dask", "local:2"])
    assert again.exit_code == 0, again.output
    assert "0 partitions" in again.output
    assert _events(dask_db) == expected
    assert _count(dask_db, "articles") == len(ARTICLES)


def test_bad_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    result = CliRunner().invoke(
        app, ["ingest", str(src), "--db", str(tmp_path / "x.duckdb"), "--dask", "local:two"]
    )
    assert result.exit_code == 2
    assert "local:N" in result.output
