"""Feed URLs (fetching replaced by a stand-in: tests use no network) and the shared corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polybius.articles import ReadProblem, read_items
from polybius.articles import readers as readers_module
from polybius.records import Article

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Stand-in Wire</title>
<item><title>Ghana and Peru sign a fisheries pact</title><guid>sw-1</guid>
<pubDate>Fri, 03 Sep 2021 08:00:00 GMT</pubDate>
<description>The two governments signed the pact in Accra on Friday, officials said.</description>
</item></channel></rss>"""


def test_feed_url(monkeypatch: pytest.MonkeyPatch) -> None:
    fetched: list[str] = []

    def fake_fetch(url: str) -> bytes:
        fetched.append(url)
        return RSS

    monkeypatch.setattr(readers_module, "fetch_url", fake_fetch)
    [article] = list(read_items("https://example.org/feed"))
    assert fetched == ["https://example.org/feed"]
    assert isinstance(article, Article)
    assert (article.doc_id, article.date, article.source) == ("sw-1", "2021-09-03", "Stand-in Wire")
    assert article.title == "Ghana and Peru sign a fisheries pact"


def test_unreachable_url_is_a_problem_and_reading_goes_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        readers_module,
        "fetch_url",
        lambda url: ReadProblem(url, "could not fetch: connection refused", "unreadable"),
    )
    good = tmp_path / "good.txt"
    good.write_text("Ghana and Peru signed a fisheries pact in Accra on Friday.")
    problem, article = list(read_items(["https://example.invalid/feed", good]))
    assert isinstance(problem, ReadProblem) and problem.source == "https://example.invalid/feed"
    assert isinstance(article, Article)


def test_html_in_a_json_text_field_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    body = "<p>Ghana and Peru signed a pact.</p><p>Talks go on &amp; on.</p><script>x=1</script>"
    path.write_text(json.dumps({"text": body}) + "\n")
    [article] = list(read_items(path))
    assert isinstance(article, Article)
    assert article.text == "Ghana and Peru signed a pact.\n\nTalks go on & on."


@pytest.mark.corpus
def test_guardian_sample_reads_with_defaults(shared_data: Path) -> None:
    path = shared_data / "corpus" / "guardian_sample.csv"
    items = list(read_items(path))
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == len(items) == 249
    assert all(a.date and len(a.date) == 10 for a in articles)
    assert all(a.doc_id.isdigit() for a in articles)
    assert len({a.article_id for a in articles}) > 240


@pytest.mark.corpus
def test_india_police_events_read_with_defaults(shared_data: Path) -> None:
    path = shared_data / "corpus" / "indiapoliceevents_docs.jsonl"
    items = list(read_items(path))
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == len(items) == 1257
    assert not any("\u00e2\u20ac" in a.text for a in articles)  # mojibake repaired
    assert not any(a.text.startswith("This story is from") for a in articles)
    assert sum(a.date is not None for a in articles) > 600


@pytest.mark.corpus
def test_seed_article_headline_once_and_no_widget(shared_data: Path) -> None:
    [article] = list(read_items(shared_data / "corpus" / "seed_article.txt"))
    assert isinstance(article, Article)
    assert article.title and article.title not in article.text
    assert "comments powered by" not in article.full_text.lower()


PAGE = """<html><head><title>Ghana and Peru sign a fisheries pact</title></head><body>
<nav><a href="/">Home</a></nav><article><h1>Ghana and Peru sign a fisheries pact</h1>
<p>The two governments signed a fisheries pact in Accra on Friday, setting catch limits for
the next five years and opening their ports to each other's fleets, officials said.</p>
<p>Negotiators from both ministries had met six times since the spring, a spokesman said.</p>
</article></body></html>"""

LINKED_RSS = RSS.replace(b"<guid>", b"<link>https://example.org/pact</link><guid>")


def test_follow_links_replaces_summary_with_page_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from polybius.articles import feeds as feeds_module

    pages = {"https://example.org/feed": LINKED_RSS, "https://example.org/pact": PAGE.encode()}
    monkeypatch.setattr(readers_module, "fetch_url", pages.__getitem__)
    monkeypatch.setattr(feeds_module, "fetch_url", pages.__getitem__)
    [summary] = list(read_items("https://example.org/feed"))
    [full] = list(read_items("https://example.org/feed", follow_links=True))
    assert isinstance(summary, Article) and isinstance(full, Article)
    assert summary.text.startswith("The two governments signed the pact in Accra")
    assert "Negotiators from both ministries" in full.text
    assert (full.doc_id, full.date, full.title) == ("sw-1", "2021-09-03", summary.title)


def test_follow_links_failure_keeps_summary_with_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from polybius.articles import feeds as feeds_module

    monkeypatch.setattr(readers_module, "fetch_url", lambda url: LINKED_RSS)
    monkeypatch.setattr(
        feeds_module,
        "fetch_url",
        lambda url: ReadProblem(url, "could not fetch: HTTP 404 Not Found", "unreadable"),
    )
    warning, article = list(read_items("https://example.org/feed", follow_links=True))
    assert isinstance(warning, ReadProblem) and not warning.skipped
    assert "HTTP 404" in warning.reason and "https://example.org/pact" in warning.reason
    assert isinstance(article, Article) and "signed the pact in Accra" in article.text
