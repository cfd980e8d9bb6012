"""code_docs: a batch of parsed articles coded together, typed in one model call."""

from __future__ import annotations

import pytest

import polybius.pipeline as pipeline
from polybius.events import learned
from polybius.pipeline import CodedArticle, CodingProblem, code_doc, code_docs, parse_for_coding
from polybius.records import Article

#: Invented reports, one per article.
_TEXTS = [
    "Norway criticised Finland over the fishing dispute on Monday.",
    "Chile and Peru signed a trade agreement in Lima.",
    "Kenya accused Ghana of blocking the talks.",
]


def _batch(nlp) -> tuple[list, list[Article]]:
    arts = [Article.create(t, doc_id=f"batch-{i}", date="2024-05-06") for i, t in enumerate(_TEXTS)]
    return list(parse_for_coding([a.full_text for a in arts], nlp)), arts


def _summary(results) -> list:
    return [
        [(e.event_type, e.sentence) for e in r.events] if isinstance(r, CodedArticle) else r.reason
        for r in results
    ]


def test_a_batch_codes_as_its_articles_do_one_by_one(nlp, monkeypatch) -> None:
    docs, arts = _batch(nlp)
    calls: list[int] = []
    real = learned.predict

    def spy(candidates):
        calls.append(len(candidates))
        return real(candidates)

    monkeypatch.setattr(learned, "predict", spy)
    together = list(code_docs(docs, arts))
    batch_calls = list(calls)
    alone = [code_doc(d, a) for d, a in zip(docs, arts, strict=True)]
    assert _summary(together) == _summary(alone)
    assert sum(len(r.events) for r in together) >= 3
    if learned.available():  # one model call for the batch, one per article alone
        assert len(batch_calls) == 1 and batch_calls[0] >= 3
        assert len(calls) - len(batch_calls) == 3


def test_a_failing_article_is_named_and_the_others_go_on(nlp, monkeypatch) -> None:
    docs, arts = _batch(nlp)
    real = pipeline.find_actors

    def find(doc, date):
        if "Kenya" in doc.text:
            raise ValueError("broken actor table")
        return real(doc, date)

    monkeypatch.setattr(pipeline, "find_actors", find)
    out = list(code_docs(docs, arts, typing="rules"))
    assert [type(r) for r in out] == [CodedArticle, CodedArticle, CodingProblem]
    assert out[2].article.doc_id == "batch-2" and "broken actor table" in out[2].reason


def test_when_the_shared_typing_call_fails_each_article_is_coded_alone(nlp, monkeypatch) -> None:
    docs, arts = _batch(nlp)

    def broken(items, **options):
        raise RuntimeError("batch typing failed")

    monkeypatch.setattr(pipeline, "extract_events_many", broken)
    out = list(code_docs(docs, arts, typing="rules"))
    assert all(isinstance(r, CodedArticle) for r in out)
    alone = [code_doc(d, a, typing="rules") for d, a in zip(docs, arts, strict=True)]
    assert _summary(out) == _summary(alone)


def test_bad_typing_option_is_reported_per_article(nlp) -> None:
    docs, arts = _batch(nlp)
    out = list(code_docs(docs, arts, typing="guess"))
    assert all(isinstance(r, CodingProblem) and "unknown typing" in r.reason for r in out)
    with pytest.raises(ValueError, match="unknown typing"):
        code_doc(docs[0], arts[0], typing="guess")
    # also for an article without any candidate for the model
    quiet = Article.create("The weather was mild all week.", doc_id="quiet")
    doc = next(parse_for_coding([quiet.full_text], nlp))
    with pytest.raises(ValueError, match="unknown typing"):
        code_doc(doc, quiet, typing="guess")
