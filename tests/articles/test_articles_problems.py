"""Bad input: each case gives a clear ReadProblem naming the input, and reading goes on."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polybius.articles import PROBLEM_KINDS, ReadProblem, read_items
from polybius.records import Article

GOOD = (
    "The foreign ministers of Peru and Ghana met in Lima on Thursday and signed an "
    "agreement on fisheries, the ministry said."
)
GERMAN = (
    "Die Aussenminister von Peru und Ghana haben sich am Donnerstag in Lima getroffen und "
    "ein Abkommen über die Fischerei unterzeichnet, teilte das Ministerium mit. Die Gespräche "
    "sollen im nächsten Jahr in Accra fortgesetzt werden."
)
FRENCH = (
    "Les ministres des affaires étrangères du Pérou et du Ghana se sont rencontrés jeudi à "
    "Lima et ont signé un accord sur la pêche, a indiqué le ministère dans un communiqué."
)

CASES = [
    ("bad.txt", GOOD.encode()[:40] + b"\xff\xfe\xfa" + b" more", "encoding", "not valid UTF-8"),
    ("empty.txt", b"", "empty", "empty"),
    ("blank.jsonl", b"\n\n", "empty", "empty"),
    ("nobody.html", b"<html><head><title>Only a title</title></head></html>", "no_text",
     "no main text"),
    ("broken.rss", b"<?xml version='1.0'?><rss><channel><item><title>Cut off", "malformed",
     "broken feed"),
    ("nofeed.xml", b"<?xml version='1.0'?><catalog><book>A</book></catalog>", "unsupported",
     "not an RSS or Atom feed"),
    ("empty.rss", b"<?xml version='1.0'?><rss><channel><title>T</title></channel></rss>",
     "empty", "no entries"),
    ("nul.txt", b"abc\x00\x01\x02\x00binary", "binary", "binary"),
    ("bad.json", b'[{"text": "unterminated}', "malformed", "not valid JSON"),
    ("notext.csv", b"title,date\nSomething happened,2021-01-01\n", "missing_field",
     "no text column"),
    ("badgz.txt.gz", b"\x1f\x8b\x08\x00garbage that is not gzip", "unreadable",
     "could not read"),
    ("report.pdf", b"%PDF-1.4 not read", "unsupported", "unsupported"),
    ("german.txt", GERMAN.encode(), "not_english", "not English (detected 'de'"),
    ("french.txt", FRENCH.encode(), "not_english", "not English (detected 'fr'"),
    ("widgets.txt", b"Share this article\n\nAdvertisement\n", "no_text", "boilerplate"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "kind", "phrase"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_gives_problem_and_next_file_is_read(
    tmp_path: Path, name: str, data: bytes, kind: str, phrase: str
) -> None:
    bad = tmp_path / f"a_{name}"
    bad.write_bytes(data)
    (tmp_path / "b_good.txt").write_text(GOOD, encoding="utf-8")
    items = list(read_items([bad, tmp_path / "b_good.txt"]))
    assert len(items) == 2, items
    problem, article = items
    assert isinstance(problem, ReadProblem), problem
    assert problem.kind == kind and problem.kind in PROBLEM_KINDS
    assert str(bad) in problem.source
    assert phrase in problem.reason, problem.reason
    assert problem.skipped
    assert isinstance(article, Article) and article.text == GOOD


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Line one\nLine \xe9two\n")
    [problem] = list(read_items(path))
    assert isinstance(problem, ReadProblem)
    assert "byte 0xe9 at offset 14 (line 2, column 6)" in problem.reason


def test_jsonl_bad_lines_reported_good_lines_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"text": GOOD, "id": "ok-1"}).encode(),
        b"{not json",
        json.dumps({"text": "   ", "id": "blank"}).encode(),
        json.dumps({"title": None, "id": "none"}).encode(),
        b'["a", "list"]',
        json.dumps({"text": GOOD + " Extra.", "id": "ok-2"}).encode()[:-2] + b'\xff"}',
        json.dumps({"text": GOOD + " Again.", "id": "ok-3"}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = list(read_items(path))
    got = [(i.source, i.kind) if isinstance(i, ReadProblem) else i.doc_id for i in items]
    assert got == [
        "ok-1",
        (f"{path}:2", "malformed"),
        (f"{path}:3", "no_text"),
        (f"{path}:4", "no_text"),
        (f"{path}:5", "malformed"),
        (f"{path}:6", "encoding"),
        "ok-3",
    ]
    assert "looked for fields: text, body" in items[2].reason  # type: ignore[union-attr]


def test_csv_bad_record_reported_others_read(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes(
        b'id,text\n1,"'
        + GOOD.encode()
        + b'"\n2,"bad \xff byte\nacross lines"\n3,""\n4,"'
        + GOOD.encode()
        + b' More."\n'
    )
    items = list(read_items(path))
    got = [(i.source, i.kind) if isinstance(i, ReadProblem) else i.doc_id for i in items]
    assert got == ["1", (f"{path}:3", "encoding"), (f"{path}:5", "no_text"), "4"]


def test_csv_missing_column_names_the_columns_found(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("headline,when\nA,B\n")
    [problem] = list(read_items(path))
    assert isinstance(problem, ReadProblem)
    assert str(path) == problem.source
    assert "the file has columns headline, when" in problem.reason


def test_malformed_csv_quote_reported(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(f'text\n"{GOOD}"\n"unterminated\n')
    items = list(read_items(path))
    assert isinstance(items[0], Article)
    assert isinstance(items[1], ReadProblem) and items[1].kind == "malformed"


def test_too_long_article(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": GOOD * 20}) + "\n" + json.dumps({"text": GOOD}) + "\n")
    items = list(read_items(path, max_chars=1000))
    assert isinstance(items[0], ReadProblem) and items[0].kind == "too_long"
    assert "over the limit of 1,000 (max_chars)" in items[0].reason
    assert isinstance(items[1], Article)


def test_too_big_text_file_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(GOOD * 100)
    [problem] = list(read_items(path, max_chars=100))
    assert isinstance(problem, ReadProblem) and problem.kind == "too_long"


def test_missing_path_and_empty_glob(tmp_path: Path) -> None:
    items = list(read_items([tmp_path / "nope.txt", str(tmp_path / "*.jsonl")]))
    assert [(p.kind, p.reason) for p in items if isinstance(p, ReadProblem)] == [
        ("not_found", "no such file or directory"),
        ("not_found", "no files match this pattern"),
    ]


def test_bad_record_date_warns_but_keeps_article(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": GOOD, "date": "sometime soon"}) + "\n")
    problem, article = list(read_items(path, date="2021-08-10"))
    assert isinstance(problem, ReadProblem) and not problem.skipped
    assert problem.kind == "bad_date" and "using 2021-08-10" in problem.reason
    assert isinstance(article, Article) and article.date == "2021-08-10"


def test_short_texts_are_not_judged_for_language(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Peru and Ghana sign fisheries pact")
    (tmp_path / "b.txt").write_text("Modi meets Abe in Tokyo")
    assert all(isinstance(i, Article) for i in read_items(tmp_path))


def test_language_check_can_be_turned_off(tmp_path: Path) -> None:
    (tmp_path / "de.txt").write_text(GERMAN)
    [article] = list(read_items(tmp_path, language=None))
    assert isinstance(article, Article)


def test_gzip_truncated_midway(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    whole = gzip.compress((json.dumps({"text": GOOD}) + "\n").encode() * 200)
    path.write_bytes(whole[: len(whole) // 2])
    items = list(read_items(path))
    assert isinstance(items[-1], ReadProblem) and items[-1].kind == "unreadable"
    assert str(path) in items[-1].source


def test_unexpected_error_in_one_input_is_reported_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from polybius.articles import reading

    def explode(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    (tmp_path / "a.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "b.txt").write_text(GOOD)
    monkeypatch.setattr("polybius.articles.readers.extract_page", explode)
    problem, article = list(reading.read_items(tmp_path))
    assert isinstance(problem, ReadProblem) and problem.kind == "error"
    assert problem.source.endswith("a.html") and "RuntimeError: boom" in problem.reason
    assert isinstance(article, Article)


_NAMES = st.sampled_from(
    ["x.txt", "x.html", "x.jsonl", "x.json", "x.csv", "x.tsv", "x.rss", "x.txt.gz", "x.dat"]
)
_PREFIXES = st.sampled_from(
    [b"", b"<html><body>", b'{"text": ', b"[", b"text,date\n", b"<?xml version='1.0'?><rss>",
     b"\x1f\x8b", b"\xef\xbb\xbf", b"\xff\xfe"]
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=_NAMES, prefix=_PREFIXES, body=st.binary(max_size=300))
def test_any_bytes_give_articles_or_problems_never_an_exception(
    tmp_path: Path, name: str, prefix: bytes, body: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(prefix + body)
    for item in read_items(path):
        assert isinstance(item, Article | ReadProblem)
        if isinstance(item, ReadProblem):
            assert item.kind in PROBLEM_KINDS and item.kind != "error", item
            assert str(path) in item.source
