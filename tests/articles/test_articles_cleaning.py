"""Cleaning rules: headline apart, paragraphs, repeats, boilerplate, characters."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from polybius.articles import (
    BOILERPLATE_PATTERNS,
    article_from_text,
    clean_document,
    clean_text,
    is_boilerplate,
    normalise_text,
)
from polybius.articles.cleaning import looks_like_headline

BODY = (
    "The defence ministers of Norway and Chile met in Oslo on Monday to discuss naval "
    "cooperation in polar waters.\n\n"
    "Officials said a joint patrol could begin next spring."
)


def test_headline_without_full_stop_is_kept_apart() -> None:
    title, body = clean_text("Norway and Chile plan polar patrols\n\n" + BODY)
    assert title == "Norway and Chile plan polar patrols"
    assert body.startswith("The defence ministers")
    assert "patrols The defence" not in body


def test_headline_followed_by_single_newline_still_not_merged() -> None:
    title, body = clean_text("Norway and Chile plan polar patrols\n" + BODY)
    assert title == "Norway and Chile plan polar patrols"
    assert body.startswith("The defence ministers")


def test_first_line_with_full_stop_is_body_not_headline() -> None:
    title, body = clean_text("Norway and Chile plan polar patrols.\n\n" + BODY)
    assert title == ""
    assert body.startswith("Norway and Chile plan polar patrols.\n\nThe defence")


def test_single_paragraph_has_no_headline() -> None:
    assert clean_text("Talks in Oslo ended without a deal") == (
        "",
        "Talks in Oslo ended without a deal",
    )


def test_repeated_headline_counted_once() -> None:
    raw = "Norway and Chile plan polar patrols\n\nNorway and Chile plan polar patrols\n\n" + BODY
    title, body = clean_text(raw)
    assert title == "Norway and Chile plan polar patrols"
    assert "plan polar patrols" not in body


def test_headline_repeated_later_with_other_case_and_spacing_dropped() -> None:
    raw = (
        "Norway and Chile plan polar patrols\n\n"
        + BODY
        + "\n\nNORWAY  and Chile plan polar patrols."
    )
    title, body = clean_text(raw)
    assert title == "Norway and Chile plan polar patrols"
    assert "NORWAY" not in body


def test_repeated_paragraph_dropped_and_order_kept() -> None:
    raw = "First paragraph here.\n\nSecond paragraph here.\n\nFirst paragraph here."
    assert clean_text(raw) == ("", "First paragraph here.\n\nSecond paragraph here.")


def test_given_title_removes_its_copy_from_body() -> None:
    title, body = clean_text("Polar patrols agreed\n\n" + BODY, title="Polar  patrols agreed")
    assert title == "Polar patrols agreed"
    assert body.startswith("The defence ministers")


@pytest.mark.parametrize(
    "line",
    [
        "comments powered by Disqus",
        "Comments powered by HyperComments",
        "Share this article",
        "Sign up for our newsletter",
        "Sign up to our daily briefing emails",
        "We use cookies to improve your experience on our site.",
        "This website uses cookies.",
        "Click here to read the full report",
        "Follow us on Twitter and Facebook",
        "© 2021 Example Media. All rights reserved.",
        "Copyright 2020 Example Wire",
        "Advertisement",
        "Read more: Oslo summit ends early",
        "Also read",
        "Facebook Twitter Email",
        "(Reporting by A. Writer; Editing by B. Editor)",
        "Skip to main content",
        "This story is from March 10, 2002",
    ],
)
def test_boilerplate_lines_dropped(line: str) -> None:
    assert is_boilerplate(line), line
    title, body = clean_text("Polar patrols agreed\n\n" + BODY + "\n\n" + line)
    assert line not in body and line != title


@pytest.mark.parametrize(
    "line",
    [
        "Copyright law reform was approved by the parliament in Oslo on Tuesday.",
        "Read more about the talks in the ministry's statement, officials said.",
        "Sharing intelligence is central to the pact, the minister said.",
        "The cookies were served at the state banquet.",
        "Comments by the minister angered the opposition.",
    ],
)
def test_news_lines_resembling_boilerplate_are_kept(line: str) -> None:
    assert not is_boilerplate(line)
    assert line in clean_text(BODY + "\n\n" + line)[1]


def test_long_paragraph_starting_like_boilerplate_is_kept() -> None:
    line = "Read more: " + "the ministers agreed on patrols and exercises " * 6
    assert not is_boilerplate(line)


def test_boilerplate_inside_a_paragraph_ends_it() -> None:
    raw = "Officials met in Oslo.\nShare this article\nThey agreed on patrols."
    assert clean_text(raw) == ("", "Officials met in Oslo.\n\nThey agreed on patrols.")


def test_patterns_listed_in_one_place_compile() -> None:
    assert len(BOILERPLATE_PATTERNS) > 20
    assert all(isinstance(name, str) and pattern for name, pattern in BOILERPLATE_PATTERNS)


def test_quotes_dashes_and_spaces_normalised() -> None:
    raw = "\u201cWe agree,\u201d said the minister \u2014 twice.\u00a0 It\u2019s\tdone\u200b."
    assert normalise_text(raw) == '"We agree," said the minister - twice. It\'s done.'


def test_control_characters_removed_and_line_endings_unified() -> None:
    assert normalise_text("One\r\nTwo\x07\rThree\x00") == "One\nTwo\nThree"


def test_mojibake_repaired() -> None:
    assert normalise_text("the so-called \u00e2\u20ac\u02dcpeace plan\u00e2\u20ac\u2122") == (
        "the so-called 'peace plan'"
    )


def test_hard_wrapped_lines_are_joined() -> None:
    raw = (
        "The delegation from Chile arrived in Oslo late on Sunday evening after\n"
        "a long flight, officials said.\n"
    )
    _, body = clean_text(raw)
    assert body == (
        "The delegation from Chile arrived in Oslo late on Sunday evening after a long "
        "flight, officials said."
    )


def test_dateline_is_read_and_dropped() -> None:
    cleaned = clean_document("This story is from March 10, 2002\n\nlucknow: talks were held.")
    assert cleaned.dateline == "March 10, 2002"
    assert "This story" not in cleaned.body


def test_looks_like_headline() -> None:
    assert looks_like_headline("Chile joins polar patrols")
    assert looks_like_headline('Minister calls pact "historic"')
    assert not looks_like_headline("Chile joins polar patrols.")
    assert not looks_like_headline("Oslo")
    assert not looks_like_headline("word " * 60)


def test_article_from_text_cleans_and_dates() -> None:
    article = article_from_text(
        "Polar patrols agreed\n\nPolar patrols agreed\n\n" + BODY + "\n\nShare this article",
        date="10 August 2021",
        doc_id="api",
    )
    assert article.title == "Polar patrols agreed"
    assert article.text == BODY
    assert article.date == "2021-08-10"
    assert article.doc_id == "api"
    again = article_from_text(article.full_text, date="2021-08-10", doc_id="other")
    assert again.article_id == article.article_id


def test_article_from_text_with_title_and_bad_date() -> None:
    article = article_from_text(BODY, title="Given headline")
    assert article.title == "Given headline" and article.text == BODY
    with pytest.raises(ValueError, match="not a date"):
        article_from_text(BODY, date="soon")


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400
) | st.lists(
    st.sampled_from(
        [
            "Chile joins polar patrols", "Share this article", "", "", "\n", "Officials met.",
            "they said", "\u201cQuoted\u201d \u2014 words", "Read more: x", "A B", "  ",
            "Advertisement", "\u00e2\u20ac\u2122", "Click here", "x" * 70, "lower case line",
        ]
    ),
    max_size=12,
).map("\n".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_TEXT)
@example("\u00b2\u00c2\u009a")  # mojibake repair uncovering more mojibake (found by hypothesis)
def test_clean_text_never_raises_and_is_idempotent(raw: str) -> None:
    title, body = clean_text(raw)
    joined = f"{title}\n\n{body}" if title else body
    assert clean_text(joined) == (title, body)
    assert clean_text(body, title=title or None) == (title, body)
    assert "\n\n\n" not in body and not body.startswith("\n")
