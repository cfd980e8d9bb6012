"""Bad input: nasty files beside good ones, and property-based tests of readers and coder.

The corpus (reliability_nasty.py) is written by the tests: binary, invalid UTF-8, a 50 MB
single line, gzip bombs, deeply nested HTML, a feed with broken entities, control
characters, right-to-left text, an empty JSONL record, a CSV without a text column, a lone
surrogate. A real ``polybius ingest`` over the folder must store every good article and
record, for every bad input, an ``ingest_errors`` row naming it and the reason; nothing
stops the run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_nasty import GOOD_TEXTS, gzip_bomb, write_nasty_corpus
from reliability_proc import child_env, run_polybius

from polybius.articles import PROBLEM_KINDS, ReadProblem, read_items
from polybius.records import MODALITIES, Article, Event, article_id_for

# C0 controls other than newline, DEL, C1 controls, lone surrogates: never in stored text.
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _problems_for(rows: list[tuple[str, str, str]], path: Path) -> list[tuple[str, str, str]]:
    name = str(path)
    return [r for r in rows if r[0] == name or r[0].startswith(name + ":")]


@pytest.mark.slow
def test_ingest_over_nasty_folder_stores_good_articles_and_names_each_bad_file(tmp_path: Path):
    folder = tmp_path / "inbox"
    expected = write_nasty_corpus(folder, bomb_bytes=1 << 30)
    db = tmp_path / "nasty.duckdb"
    # The real coder: every readable article is really coded.
    r = run_polybius("ingest", str(folder), "--db", str(db), env=child_env(stand_in=False))
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    assert "errors" in r.stdout

    from polybius.store import Store

    with Store.open(db, read_only=True) as store:
        con = store.con
        rows = con.execute("SELECT article_id, text FROM articles").fetchall()
        stored = {row[0]: row[1] for row in rows}
        errors = con.execute("SELECT source, kind, reason FROM ingest_errors").fetchall()
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]

    for name, want in expected.items():
        path = folder / name
        problems = _problems_for(errors, path)
        kinds = Counter(k for _, k, _ in problems)
        for kind, n in Counter(want.kinds).items():
            assert kinds[kind] >= n, (name, problems)
        for _source, kind, reason in problems:
            assert kind in PROBLEM_KINDS and kind != "error", (name, kind, reason)
            assert len(reason) > 10, (name, reason)
        if want.articles:
            ids = [i.article_id for i in read_items(path) if isinstance(i, Article)]
            coded = len(ids) == want.articles and all(i in stored for i in ids)
            alternative = any(kinds[k] for k in want.also)
            assert coded or alternative, (name, ids, problems)
        else:
            assert problems, f"{name}: no error recorded"
    # every recorded error names a file of the folder
    assert all(src.startswith(str(folder)) for src, _, _ in errors), errors
    # the good files' articles are all there, and were coded
    good_ids = {
        a.article_id
        for name in expected
        if name.startswith("good_")
        for a in read_items(folder / name)
        if isinstance(a, Article)
    }
    assert len(good_ids) == 6 and good_ids <= set(stored)
    assert n_events >= 3
    for text in stored.values():
        assert not _FORBIDDEN.search(text), repr(text[:200])
        assert len(text) <= 1_000_000


_BOMB_READER = textwrap.dedent(
    """
    import json, resource, sys
    from polybius.articles import read_items
    out = []
    for path in sys.argv[1:]:
        out.append([[type(i).__name__, getattr(i, "kind", None), str(i)[:300]]
                    for i in read_items(path)])
    # the peak of this process's own memory (VmHWM): ru_maxrss would also count the parent's
    # pages at fork time on Linux, and the parent is a pytest process with models loaded
    try:
        with open("/proc/self/status") as fh:
            rss_mb = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"items": out, "max_rss_mb": rss_mb}))
    """
)


@pytest.mark.slow
def test_gzip_bombs_are_stopped_by_the_size_limit_without_exhausting_memory(tmp_path: Path):
    expanded = 3 << 30  # 3 GiB each, from about 3 MB on disk
    bombs = [
        gzip_bomb(tmp_path / "story.txt.gz", expanded),
        gzip_bomb(tmp_path / "wire.jsonl.gz", expanded, prefix=b'{"text": "'),
        gzip_bomb(tmp_path / "list.json.gz", expanded, prefix=b'[{"text": "'),
        gzip_bomb(tmp_path / "feed.rss.gz", expanded, prefix=b"<rss><channel><item><title>"),
        gzip_bomb(tmp_path / "table.csv.gz", expanded, prefix=b'text\n"'),
        # one quoted CSV field over millions of short lines
        gzip_bomb(tmp_path / "lines.csv.gz", 256 << 20, prefix=b'text\n"', fill=b"a\n"),
    ]
    assert all(b.stat().st_size < 5_000_000 for b in bombs)
    proc = subprocess.run(
        [sys.executable, "-c", _BOMB_READER, *map(str, bombs)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    for path, items in zip(bombs, result["items"], strict=True):
        assert len(items) == 1, (path.name, items)
        _, kind, text = items[0]
        assert path.name in text, items
        if path.name == "lines.csv.gz":
            assert kind == "malformed" and "field limit" in text, items
        else:
            assert kind == "too_long", items
            assert re.search(r"larger than|over the limit", text), items
    # Far below what a reader that decompresses everything would need (3 GiB per bomb).
    assert result["max_rss_mb"] < 1024, result["max_rss_mb"]


def test_ingest_max_chars_flag_refuses_long_articles_with_a_clear_message(tmp_path: Path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    short = "Norway consulted Chile about salmon quotas on Monday, officials said."
    long = "Kenya supplied Ghana with grain. " + "The harbour was busy that week. " * 40
    (folder / "a_short.txt").write_text(short, encoding="utf-8")
    (folder / "b_long.txt").write_text(long, encoding="utf-8")
    db = tmp_path / "limit.duckdb"
    r = run_polybius("ingest", str(folder), "--db", str(db), "--max-chars", "500")
    assert r.returncode == 0, r.stderr
    from polybius.store import Store

    with Store.open(db, read_only=True) as store:
        texts = [row[0] for row in store.con.execute("SELECT text FROM articles").fetchall()]
        errors = store.con.execute("SELECT source, kind, reason FROM ingest_errors").fetchall()
    assert texts == [short]
    assert len(errors) == 1
    source, kind, reason = errors[0]
    assert source == str(folder / "b_long.txt") and kind == "too_long"
    assert "500" in reason, reason
    assert "b_long.txt" in r.stdout and "500" in r.stdout
    bad = run_polybius("ingest", str(folder), "--db", str(db), "--max-chars", "0")
    assert bad.returncode == 2 and "max-chars" in bad.stderr


# --------------------------------------------------------------------------- properties

# Text no sane reader expects: every plane, controls, bidi marks, combining marks, surrogates.
_WEIRD = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=200
) | st.lists(
    st.sampled_from(
        [
            "Chile consulted Peru.", "\u202e", "\u2067", "\u200f", "\x00", "\x07", "\x1b[0m",
            "\ufeff", "\u0301\u0301\u0301", "&amp;", "&bogus;", "<b>", "</p>", "]]>", '"', ",",
            "\n", "\r\n", "\u2028", "\ud83d\ude00", "\ud800", "\U0001f600", "\u0645\u0631\u062d",
            " ", "\t", "\\", "{}", "[]", "NaN",
        ]
    ),
    max_size=20,
).map("".join)  # fmt: skip


def _json_file(recs: list[dict[str, str]], fmt: str) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps(r) + "\n" for r in recs).encode()
    return json.dumps(recs).encode()


def _csv_file(recs: list[dict[str, str]]) -> bytes:
    import csv
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["title", "text", "date"])
    w.writeheader()
    w.writerows(recs)
    return buf.getvalue().encode("utf-8", "surrogatepass")


def _markup_file(recs: list[dict[str, str]], fmt: str) -> bytes:
    from html import escape

    if fmt == "html":
        r = recs[0]
        doc = f"<html><head><title>{escape(r['title'])}</title></head><body><article>"
        doc += f"<p>{escape(r['text'])}</p></article></body></html>"
    else:
        items = "".join(
            f"<item><title>{escape(r['title'])}</title><description>{escape(r['text'])}"
            "</description></item>"
            for r in recs
        )
        doc = f"<?xml version='1.0'?><rss><channel><title>x</title>{items}</channel></rss>"
    return doc.encode("utf-8", "surrogatepass")


_RECORD = st.fixed_dictionaries(
    {
        "title": _WEIRD,
        "text": _WEIRD,
        "date": st.sampled_from(["", "2024-02-30", "yesterday", "2024-01-05"]),
    }
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fmt=st.sampled_from(["jsonl", "json", "csv", "html", "rss"]),
    recs=st.lists(_RECORD, min_size=1, max_size=4),
    max_chars=st.sampled_from([50, 1_000_000]),
)
def test_weird_records_in_every_format_give_clean_articles_or_named_problems(
    tmp_path: Path, fmt: str, recs: list[dict[str, str]], max_chars: int
) -> None:
    path = tmp_path / f"input.{fmt}"
    if fmt in ("jsonl", "json"):
        data = _json_file(recs, fmt)
    elif fmt == "csv":
        data = _csv_file(recs)
    else:
        data = _markup_file(recs, fmt)
    path.write_bytes(data)
    for item in read_items(path, max_chars=max_chars, language=None):
        if isinstance(item, ReadProblem):
            assert item.kind in PROBLEM_KINDS and item.kind != "error", item
            assert str(path) in item.source and item.reason
            continue
        assert isinstance(item, Article)
        assert item.text.strip()
        assert not _FORBIDDEN.search(item.text) and not _FORBIDDEN.search(item.title), item
        assert item.article_id == article_id_for(f"{item.title}\n\n{item.text}")
        item.full_text.encode("utf-8")  # storable


# Sentences the real coder codes, mixed with hostile characters.
_CODER_TEXT = st.lists(
    st.sampled_from(
        [
            "Russia accused Ukraine of shelling a village.", "France met Germany in Paris.",
            "China will send aid to Nepal next week.", "The United States did not attack Iran.",
            "Japan may sanction North Korea, officials said.", "NATO warned Moscow.",
            "\u202eIndia praised Brazil\u202c.", "Egypt\x07 hosted\x1b talks.",
            "\u0645\u0631\u062d\u0628\u0627",
            "\ufeffTurkey\u200b threatened Greece.", "\n\n", "  ", "\U0001f600", "e\u0301",
            "He said they would.", "Officials met.", "Poland expelled 3 Belarusian diplomats.",
        ]
    )
    | st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60),
    min_size=0,
    max_size=8,
).map(" ".join)  # fmt: skip


def _check_coded_and_stored(coded) -> None:
    """Every event is valid, round-trips through JSON, and the store keeps it unchanged."""
    from polybius.ontology import PLOVER_TYPES
    from polybius.store import Store, queries
    from polybius.store.writer import transaction, write_article

    full = coded.article.full_text
    for ev in coded.events:
        assert isinstance(ev, Event)
        assert ev.article_id == coded.article.article_id
        assert ev.event_type in PLOVER_TYPES
        assert ev.quad_class in (1, 2, 3, 4)
        assert ev.goldstein is None or -10.0 <= ev.goldstein <= 10.0
        assert ev.modality in MODALITIES
        assert 0.0 <= ev.confidence <= 1.0
        assert 0 <= ev.span[0] <= ev.span[1] <= len(full)
        assert ev.sentence.strip() and ev.rule
        assert ev.sources, ev
        assert Event.from_dict(json.loads(ev.to_json())) == ev
    with Store.open(":memory:") as store:
        with transaction(store.con):
            write_article(store.con, coded.article, coded.events)
        back = queries.query_events(store, limit=1000)
    assert sorted(e.event_id for e in back) == sorted({e.event_id for e in coded.events})
    by_id = {e.event_id: e for e in back}
    for ev in coded.events:
        assert by_id[ev.event_id].sentence == ev.sentence
        assert by_id[ev.event_id].sources == ev.sources


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_CODER_TEXT, date=st.sampled_from([None, "2024-02-05", "1999-12-31"]))
def test_code_text_never_raises_and_gives_valid_events_that_the_store_keeps(
    nlp, text: str, date: str | None
) -> None:
    from polybius import code_text

    _check_coded_and_stored(code_text(text, date=date))


def test_hostile_characters_around_clear_sentences_still_code(nlp) -> None:
    from polybius import code_text

    text = (
        "\ufeff\u202eRussia\u202c accused\u200b Ukraine of shelling\x07 a village. "
        "\u2067\u0645\u0631\u062d\u0628\u0627\u2069 France\x1b[1m signed an agreement with "
        "Germany in Paris. \U0001f600"
    )
    coded = code_text(text, date="2024-02-05")
    assert coded.events, "the coder should still find events among hostile characters"
    _check_coded_and_stored(coded)


def test_good_texts_are_distinct() -> None:
    # the nasty corpus relies on each good text being its own article
    assert len({article_id_for(t) for t in GOOD_TEXTS}) == len(GOOD_TEXTS)
