"""The sentence pre-filter: what it keeps, that offsets hold, that results do not change."""

from __future__ import annotations

import pytest

from polybius.pipeline import code_articles, code_text, parse_for_coding
from polybius.prefilter import keep_flags, prefiltered_docs, sentence_starts, trigger_index
from polybius.records import Article

# An invented article: two filler sentences that cannot hold an event, the rest can.
TITLE = "Russia and China to hold joint naval drills"
TEXT = (
    "Russia and China will hold joint naval exercises in the Sea of Japan next month, the "
    "Russian defence ministry said on Tuesday. The weather in the region is usually calm in "
    "September. Officials expect about twenty ships to take part. Russian President Vladimir "
    "Putin praised the partnership with Beijing. He also criticised NATO for its expansion.\n\n"
    "Japan condemned the exercises and urged China to show restraint. Tickets for the autumn "
    "festival sold out quickly."
)
FULL = f"{TITLE}\n\n{TEXT}"


def _flags(*sentences: str) -> list[bool]:
    text = " ".join(sentences)
    bounds, pos = [], 0
    for s in sentences:
        bounds.append((pos, pos + len(s)))
        pos += len(s) + 1
    return keep_flags(text, bounds)


def test_sentence_with_actor_and_trigger_is_kept() -> None:
    assert _flags("Germany condemned the Iranian missile test.") == [True]


def test_sentence_without_actor_or_trigger_is_dropped() -> None:
    assert _flags(
        "The weather was warm and sunny all week.",  # neither
        "Germany and France are large countries.",  # actors, no trigger
        "Prices fell sharply.",  # no actor
    ) == [False, False, False]


def test_weak_trigger_needs_its_pattern_words() -> None:
    index = trigger_index()
    assert "said" not in index.strong  # "say" alone makes no event
    assert index.fires(["iran", "attacked", "the", "convoy"])
    assert not index.fires(["the", "minister", "said", "it", "was", "late"])


def test_sentence_starts_split_lower_case_and_paragraphs(nlp) -> None:
    doc = nlp.make_doc("police arrested two men. they were released.\n\nA new paragraph")
    starts = [doc[i].text for i in sentence_starts(doc)]
    assert starts == ["police", "they", "A"]


def test_offsets_and_text_are_preserved(nlp) -> None:
    filtered, stats = next(prefiltered_docs([FULL], nlp))
    plain = nlp.make_doc(FULL)
    assert filtered.text == FULL
    assert [(t.idx, t.text) for t in filtered] == [(t.idx, t.text) for t in plain]
    assert 0 < stats.kept_sentences < stats.sentences
    sents = list(filtered.sents)
    assert len(sents) == stats.sentences
    weather = next(s for s in sents if s.text.startswith("The weather"))
    praised = next(s for s in sents if "praised" in s.text)
    assert not any(t.pos_ for t in weather)  # never tagged or parsed
    assert any(t.dep_ == "nsubj" for t in praised)  # parsed
    assert FULL[praised.start_char : praised.end_char] == praised.text


def test_same_sentences_with_and_without_filter(nlp) -> None:
    on = next(parse_for_coding([FULL], nlp, prefilter=True))
    off = next(parse_for_coding([FULL], nlp, prefilter=False))
    assert [(s.start_char, s.end_char) for s in on.sents] == [
        (s.start_char, s.end_char) for s in off.sents
    ]


def test_events_identical_with_and_without_filter(nlp) -> None:
    on = code_text(TEXT, title=TITLE, date="2021-08-10", prefilter=True)
    off = code_text(TEXT, title=TITLE, date="2021-08-10", prefilter=False)
    assert on.events, "the invented article must code at least one event"
    assert [e.to_dict() for e in on.events] == [e.to_dict() for e in off.events]


def test_env_switch_turns_filter_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from polybius.pipeline import prefilter_default

    monkeypatch.setenv("POLYBIUS_PREFILTER", "0")
    assert prefilter_default() is False
    monkeypatch.setenv("POLYBIUS_PREFILTER", "1")
    assert prefilter_default() is True


def test_code_articles_keeps_order_and_reports_bad_input(nlp) -> None:
    good = Article.create(TEXT, doc_id="a", title=TITLE, date="2021-08-10")
    empty = Article.create("", doc_id="empty")
    results = list(code_articles([good, empty], nlp))
    assert [r.article.doc_id for r in results] == ["a", "empty"]
    assert results[0].events


@pytest.mark.slow
def test_parallel_jobs_give_same_events(nlp) -> None:
    arts = [
        Article.create(TEXT + f" Story {i}.", doc_id=f"d{i}", title=TITLE, date="2021-08-10")
        for i in range(4)
    ]
    one = [[e.event_id for e in r.events] for r in code_articles(arts, nlp, batch_size=2)]
    two = [[e.event_id for e in r.events] for r in code_articles(arts, batch_size=2, jobs=2)]
    assert one == two and all(one)
