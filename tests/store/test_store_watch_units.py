"""watch(): interval parsing, target expansion, rounds and stopping (in process)."""

from __future__ import annotations

import pytest
from store_corpus import make_records, write_jsonl

from polybius.watch import parse_interval, watch, watch_targets


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("15m", 900.0),
        ("30s", 30.0),
        ("1h30m", 5400.0),
        ("0.5s", 0.5),
        ("2d", 172800.0),
        ("90", 90.0),
        (45, 45.0),
        ("250ms", 0.25),
    ],
)
def test_parse_interval(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "15x", "0s", "-5", "m15"])
def test_parse_interval_rejects(text):
    with pytest.raises(ValueError):
        parse_interval(text)


def test_watch_targets_expand_dirs_and_skip_hidden(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.jsonl").write_text("{}\n")
    (tmp_path / "sub" / "a.txt").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text("x")
    got = watch_targets([tmp_path, "https://example.org/feed.xml", tmp_path / "nope.csv"])
    assert got == [
        str(tmp_path / "b.jsonl"),
        str(tmp_path / "sub" / "a.txt"),
        "https://example.org/feed.xml",
        str(tmp_path / "nope.csv"),
    ]


def test_watch_rounds_ingest_only_new_files(tmp_path, fake_coder):
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_jsonl(inbox / "a.jsonl", make_records(3))
    db = tmp_path / "w.duckdb"
    rounds = []

    def on_round(r):
        rounds.append(r)
        if len(rounds) == 1:  # a new file arrives between rounds
            write_jsonl(inbox / "b.jsonl", make_records(5)[3:])

    report = watch([inbox], db, every=0.01, max_rounds=3, on_round=on_round, coder=fake_coder)
    assert report.rounds == 3 and report.articles_new == 5
    assert [r.articles_new for r in rounds] == [3, 2, 0]
    assert rounds[2].files_skipped == 2 and rounds[2].articles_read == 0


def test_watch_stops_when_asked(tmp_path, fake_coder):
    report = watch(
        [tmp_path], tmp_path / "w.duckdb", every="1h", should_stop=lambda: True, coder=fake_coder
    )
    assert report.stopped and report.rounds == 1


def test_watch_never_reads_its_own_database(tmp_path, fake_coder):
    write_jsonl(tmp_path / "a.jsonl", make_records(2))
    db = tmp_path / "inside.duckdb"
    report = watch([tmp_path], db, every=0.01, max_rounds=2, coder=fake_coder)
    assert report.articles_new == 2 and report.errors == []
