"""Reading each format, gzip, directories, globs, lists, field maps and dates."""

from __future__ import annotations

import csv
import gzip
import json
import logging
from pathlib import Path

import pytest

from polybius.articles import FieldMap, ReadProblem, read_articles, read_items
from polybius.records import Article, article_id_for

HEADLINE = "Chile and Norway agree polar patrols"
PARA1 = (
    "The defence ministers of Chile and Norway agreed on Monday to send navy ships on joint "
    "patrols in polar waters, officials in both capitals said."
)
PARA2 = "The first patrol is planned for the southern summer, a spokesman for the ministry said."
STORY = f"{HEADLINE}\n\n{PARA1}\n\n{PARA2}\n"


def _articles(source: object, **kw: object) -> list[Article]:
    items = list(read_items(source, **kw))  # type: ignore[arg-type]
    problems = [i for i in items if isinstance(i, ReadProblem)]
    assert not problems, problems
    return [i for i in items if isinstance(i, Article)]


def test_txt_headline_body_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "patrols.txt"
    path.write_text(STORY, encoding="utf-8")
    [art] = _articles(path)
    assert art.title == HEADLINE
    assert art.text == f"{PARA1}\n\n{PARA2}"
    assert art.doc_id == "patrols.txt"
    assert art.article_id == article_id_for(f"{HEADLINE}\n\n{PARA1}\n\n{PARA2}")
    assert art.date is None and art.language == "en"


def test_date_argument_used_when_no_metadata(tmp_path: Path) -> None:
    path = tmp_path / "patrols.txt"
    path.write_text(STORY, encoding="utf-8")
    [art] = _articles(str(path), date="2021-08-10")
    assert art.date == "2021-08-10"


def test_bad_date_argument_raises() -> None:
    with pytest.raises(ValueError, match="not a date"):
        list(read_items([], date="next week"))


def test_utf8_bom_and_curly_quotes(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "\u201cWe agree,\u201d the minister said.".encode())
    [art] = _articles(path)
    assert art.text == '"We agree," the minister said.'


HTML = f"""<!DOCTYPE html><html><head><title>{HEADLINE} | Example News</title>
<meta property="og:title" content="{HEADLINE}">
<meta property="article:published_time" content="2021-08-10T09:30:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{HEADLINE}</h1><p>{PARA1}</p><p>{PARA2}</p>
<p>Share this article</p></article>
<footer><p>&copy; 2021 Example News. All rights reserved.</p></footer>
</body></html>"""


def test_html_main_text_title_and_date(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    [art] = _articles(path, date="1999-01-01")
    assert art.title == HEADLINE
    assert art.text == f"{PARA1}\n\n{PARA2}"
    assert art.date == "2021-08-10"  # metadata wins over the argument
    assert "Home" not in art.text and "rights reserved" not in art.text


def test_jsonl_defaults_and_record_ids(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    rows = [
        {"id": "w-1", "title": HEADLINE, "text": f"{PARA1}\n\n{PARA2}", "date": "2021-08-10",
         "url": "https://example.org/1", "source": "Example Wire"},
        {"doc_text": PARA2, "published": "Tue, 10 Aug 2021 09:00:00 GMT"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    first, second = _articles(path)
    assert (first.doc_id, first.title, first.date) == ("w-1", HEADLINE, "2021-08-10")
    assert (first.url, first.source) == ("https://example.org/1", "Example Wire")
    assert second.doc_id == "wire.jsonl:2" and second.date == "2021-08-10"
    assert second.text == PARA2


def test_json_list_and_wrapped_list(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"body": PARA1}, {"body": PARA2}]))
    (tmp_path / "b.json").write_text(json.dumps({"articles": [{"content": PARA1, "uid": 7}]}))
    arts = _articles(tmp_path)
    assert [a.doc_id for a in arts] == ["a.json:1", "a.json:2", "7"]


def test_csv_with_unnamed_index_column(tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["", "date", "text", "source"])
        writer.writerow(["12", "2019-04-10", f"{PARA1}\n\n{PARA2}", "Example"])
        writer.writerow(["15", "2019-04-11", PARA2, "Example"])
    first, second = _articles(path)
    assert (first.doc_id, first.date, first.source) == ("12", "2019-04-10", "Example")
    assert first.text == f"{PARA1}\n\n{PARA2}"
    assert second.doc_id == "15"


def test_csv_huge_field(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    long_text = (PARA1 + " ") * 2000  # well over the csv module's default 131,072 limit
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["text"], [long_text]])
    [art] = _articles(path)
    assert len(art.text) > 131_072


def test_tsv_and_field_overrides(tmp_path: Path) -> None:
    path = tmp_path / "custom.tsv"
    path.write_text(f"story_id\twhen\thed\tstory\nk9\t10/08/2021\t{HEADLINE}\t{PARA1}\n")
    fields = FieldMap(text="story", date="when", title="hed", id="story_id")
    [art] = _articles(path, fields=fields)
    assert (art.doc_id, art.title, art.text) == ("k9", HEADLINE, PARA1)
    assert art.date is not None and art.date.startswith("2021-")
    [again] = _articles(path, fields={"text": "story", "id": "story_id"})
    assert again.doc_id == "k9" and again.title == ""


def test_fieldmap_nested_and_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "nested.jsonl"
    path.write_text(json.dumps({"Body": PARA1, "meta": {"date": "2020-02-02"}}) + "\n")
    [art] = _articles(path, fields={"date": "meta.date"})
    assert art.date == "2020-02-02" and art.text == PARA1


def test_fieldmap_rejects_unknown_role() -> None:
    with pytest.raises(ValueError, match="unknown field role"):
        FieldMap.coerce({"txt": "story"})


RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://example.org</link>
<item><title>{HEADLINE}</title><link>https://example.org/1</link><guid>wire-1</guid>
<pubDate>Tue, 10 Aug 2021 09:00:00 GMT</pubDate>
<description>&lt;p&gt;{PARA1}&lt;/p&gt;&lt;p&gt;{PARA2}&lt;/p&gt;</description></item>
<item><title>Talks resume in Santiago</title><link>https://example.org/2</link></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><title>{HEADLINE}</title><id>urn:atom:1</id><link href="https://example.org/a1"/>
<updated>2021-08-11T10:00:00Z</updated><content type="html">&lt;p&gt;{PARA1}&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_feed_file(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second = _articles(path)
    assert (first.doc_id, first.title, first.date) == ("wire-1", HEADLINE, "2021-08-10")
    assert first.text == f"{PARA1}\n\n{PARA2}"
    assert (first.url, first.source) == ("https://example.org/1", "Example Wire")
    assert second.text == "Talks resume in Santiago" and second.doc_id == "https://example.org/2"


def test_atom_feed_sniffed_without_feed_suffix(tmp_path: Path) -> None:
    path = tmp_path / "atom.data"
    path.write_text(ATOM, encoding="utf-8")
    [art] = _articles(path)
    assert (art.doc_id, art.date, art.title, art.text) == (
        "urn:atom:1", "2021-08-11", HEADLINE, PARA1,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content"),
    [("story.txt.gz", STORY), ("wire.jsonl.gz", json.dumps({"text": PARA1}) + "\n"),
     ("wire.xml.gz", RSS), ("page.html.gz", HTML)],
)  # fmt: skip
def test_gzipped_inputs(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(content.encode("utf-8")))
    arts = _articles(path)
    assert arts and PARA1 in arts[0].text


def test_directory_walk_is_recursive_sorted_and_skips_others(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "two.txt").write_text(PARA2)
    (tmp_path / "a" / "one.txt").write_text(PARA1)
    (tmp_path / "z.txt").write_text("Talks resumed in Santiago on Friday, the ministry said.")
    (tmp_path / "notes.md").write_text("not news")
    (tmp_path / ".hidden.txt").write_text("not read")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    arts = _articles(tmp_path)
    assert [a.doc_id for a in arts] == ["a/one.txt", "b/two.txt", "z.txt"]
    assert [a.doc_id for a in _articles(tmp_path)] == ["a/one.txt", "b/two.txt", "z.txt"]


def test_glob_and_list_sources(tmp_path: Path) -> None:
    for i, text in enumerate([PARA1, PARA2]):
        (tmp_path / f"n{i}.txt").write_text(text)
    (tmp_path / "other.jsonl").write_text(json.dumps({"text": PARA1}) + "\n")
    assert [a.doc_id for a in _articles(str(tmp_path / "n*.txt"))] == ["n0.txt", "n1.txt"]
    listed = _articles([tmp_path / "other.jsonl", str(tmp_path / "n1.txt")])
    assert [a.doc_id for a in listed] == ["other.jsonl:1", "n1.txt"]


def test_same_text_same_article_id_across_formats(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(STORY)
    (tmp_path / "y.jsonl").write_text(json.dumps({"title": HEADLINE, "text": STORY}) + "\n")
    one, two = _articles(tmp_path)
    assert one.article_id == two.article_id  # nothing is deduplicated here: both come out


def test_read_articles_logs_problems(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "a.txt").write_text(PARA1)
    (tmp_path / "b.txt").write_text("")
    with caplog.at_level(logging.WARNING, logger="polybius.articles"):
        arts = list(read_articles(tmp_path))
    assert [a.doc_id for a in arts] == ["a.txt"]
    assert any("b.txt" in r.getMessage() and "empty" in r.getMessage() for r in caplog.records)


def test_read_articles_on_problem_callback(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PARA1)
    (tmp_path / "b.txt").write_text("   \n")
    seen: list[ReadProblem] = []
    arts = list(read_articles(tmp_path, on_problem=seen.append))
    assert len(arts) == 1
    assert [p.kind for p in seen] == ["empty"]
    assert ReadProblem.from_dict(seen[0].to_dict()) == seen[0]


def test_dateline_used_when_record_has_no_date(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps({"doc_text": f"This story is from March 10, 2002\n\n{PARA1}"}) + "\n"
    )
    [art] = _articles(path, date="2021-01-01")
    assert art.date == "2002-03-10" and art.text == PARA1


def test_stdin_source(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    fake = io.TextIOWrapper(io.BytesIO(json.dumps({"text": PARA1, "id": "s1"}).encode()))
    monkeypatch.setattr(sys, "stdin", fake)
    [art] = _articles("-")
    assert (art.doc_id, art.text) == ("s1", PARA1)


def test_sniffed_html_and_utf16_text(tmp_path: Path) -> None:
    (tmp_path / "page").write_text(HTML, encoding="utf-8")
    (tmp_path / "wide.txt").write_bytes(STORY.encode("utf-16"))
    page, wide = _articles([tmp_path / "page", tmp_path / "wide.txt"])
    assert page.title == HEADLINE and page.date == "2021-08-10"
    assert wide.title == HEADLINE and wide.text == f"{PARA1}\n\n{PARA2}"


def test_html_declaring_another_charset(tmp_path: Path) -> None:
    page = HTML.replace("<head>", '<head><meta charset="windows-1252">').replace(
        "joint", "caf\u00e9-side joint"
    )
    (tmp_path / "old.html").write_bytes(page.encode("cp1252"))
    [art] = _articles(tmp_path / "old.html")
    assert "caf\u00e9-side joint" in art.text


def test_single_json_object_file(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"headline": HEADLINE, "body": PARA1}))
    [art] = _articles(tmp_path / "one.json")
    assert (art.doc_id, art.title, art.text) == ("one.json", HEADLINE, PARA1)


def test_language_recorded_when_not_filtering(tmp_path: Path) -> None:
    german = (
        "Die Verteidigungsminister von Chile und Norwegen haben am Montag gemeinsame "
        "Patrouillen in den Polargewässern vereinbart, teilten Beamte in beiden Hauptstädten mit."
    )
    (tmp_path / "de.txt").write_text(german)
    (tmp_path / "en.txt").write_text(PARA1 + " " + PARA2)
    de, en = _articles(tmp_path, language=None)
    assert (de.language, en.language) == ("de", "en")


def test_text_field_as_list_of_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "paras.jsonl"
    path.write_text(json.dumps({"text": [PARA1, PARA2], "title": HEADLINE}) + "\n")
    [art] = _articles(path)
    assert art.text == f"{PARA1}\n\n{PARA2}" and art.title == HEADLINE


def test_headline_only_record_is_read_as_its_headline(tmp_path: Path) -> None:
    path = tmp_path / "heads.jsonl"
    path.write_text(json.dumps({"title": HEADLINE, "text": ""}) + "\n")
    [art] = _articles(path)
    assert (art.title, art.text) == ("", HEADLINE)
