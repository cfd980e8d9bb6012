"""The pieces of the Dask ingest without a cluster: scheduler strings, and a partition
written as Parquet by a worker task and served back to ingest unchanged."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from polybius.distributed import check_scheduler, code_partition, parquet_coder
from polybius.pipeline import CodedArticle, code_articles
from polybius.records import Article


@pytest.mark.parametrize(
    ("value", "workers"),
    [
        ("local:3", 3),
        ("local", 0),
        ("tcp://10.0.0.5:8786", None),
        ("10.0.0.5:8786", None),
        ("localhost:8786", None),
        ("sched.json", None),
    ],  # fmt: skip
)
def test_scheduler_strings(value: str, workers: int | None) -> None:
    assert check_scheduler(value) == workers


@pytest.mark.parametrize("value", ["local:x", "localhost", "my scheduler", ""])
def test_bad_scheduler_strings_are_named(value: str) -> None:
    with pytest.raises(ValueError, match="--dask"):
        check_scheduler(value)


def _articles() -> list[Article]:
    return [
        Article.create(
            "Russia and China will hold joint naval exercises next month. "
            "Russia praised China for its help.",
            doc_id="a", title="Drills", date="2021-08-10",
        ),
        Article.create(
            "Brazil criticised Argentina over trade. Argentina condemned Brazil.",
            doc_id="b", date="2021-09-02",
        ),
        Article.create("The festival opened with music.", doc_id="c", date="2021-09-02"),
    ]  # fmt: skip


def test_partition_round_trip_through_parquet(tmp_path: Path, nlp) -> None:
    arts = _articles()
    out = tmp_path / "ds"
    summary = code_partition(arts, str(out), 0)
    direct = list(code_articles(arts, nlp))
    n_events = sum(len(r.events) for r in direct if isinstance(r, CodedArticle))
    assert n_events > 0
    assert summary["articles"] == 3 and summary["events"] == n_events
    # hive partitions by date, readable by DuckDB
    assert {p.name for p in (out / "events").iterdir()} >= {"day=2021-08-10"}
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT count(*) FROM read_parquet('{out}/events/**/*.parquet', hive_partitioning = true)"
    ).fetchone()
    assert rows[0] == n_events
    # served back: same events, same order, for each article
    served = list(parquet_coder(out)(arts))
    assert [r.article.article_id for r in served] == [a.article_id for a in arts]
    assert [[e.to_dict() for e in r.events] for r in served] == [
        [e.to_dict() for e in r.events] for r in direct
    ]
    # writing the same partition again adds no file
    again = code_partition(arts, str(out), 0)
    assert sorted(again["files"]) == sorted(summary["files"])
    assert len(list(out.rglob("*.parquet"))) == len(summary["files"])


def test_coding_options_reach_the_workers_and_the_fallback(tmp_path: Path, nlp) -> None:
    """`ingest --dask ... --typing rules`: the partition coder and the load's fallback (an
    article the dataset lacks is coded at load time) both type with the patterns alone."""
    arts = _articles()
    out = tmp_path / "ds"
    code_partition(arts[:1], str(out), 0, {"typing": "rules"})
    served = list(parquet_coder(out, {"typing": "rules"})(arts[:2]))  # "b" is not in it
    rules = [e.rule for r in served if isinstance(r, CodedArticle) for e in r.events]
    assert {r.article.doc_id for r in served if r.events} == {"a", "b"}
    assert rules and all(rule.startswith("rules:") for rule in rules)
    hybrid = list(parquet_coder(tmp_path / "empty")(arts[1:2]))  # default: hybrid typing
    assert hybrid[0].events and all(e.rule.startswith("hybrid:") for e in hybrid[0].events)


def test_partitions_written_before_the_place_columns_are_still_served(tmp_path: Path) -> None:
    """A dataset begun by an older polybius (no location_country/lat/lon columns) mixed
    with new partitions: both are served, the old events with no resolved place, the new
    ones with theirs."""
    import pyarrow.parquet as pq

    old_art = _articles()[0]
    new_art = Article.create(
        "Brazil criticised Argentina at talks in Geneva.", doc_id="g", date="2021-09-03"
    )
    out = tmp_path / "ds"
    code_partition([old_art], str(out), 0)
    code_partition([new_art], str(out), 1)
    for path in (out / "events").rglob("*.parquet"):
        if "2021-08-10" in str(path):  # the older partition, rewritten as before
            table = pq.read_table(path)
            pq.write_table(
                table.drop_columns(["location_country", "location_lat", "location_lon"]), path
            )
    served = {r.article.article_id: r for r in parquet_coder(out)([old_art, new_art])}
    assert served[old_art.article_id].events
    assert all(e.location_country is None for e in served[old_art.article_id].events)
    (placed,) = served[new_art.article_id].events
    assert (placed.location, placed.location_country) == ("Geneva", "CHE")
