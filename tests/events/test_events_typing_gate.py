"""The learned model types only the candidates that can become an event."""

from __future__ import annotations

import re

import pytest

from polybius.events import code_events
from polybius.events import learned as learned_module
from polybius.records import ActorMention, Article

#: Invented countries of the test sentences.
_COUNTRIES = {"Norway": "NOR", "Finland": "FIN"}


def _mentions(text: str) -> list[ActorMention]:
    out = []
    for name, code in _COUNTRIES.items():
        for m in re.finditer(name, text):
            out.append(
                ActorMention(text=name, start=m.start(), end=m.end(), country=code, kind="country")
            )
    return sorted(out, key=lambda m: m.start)


def _code(nlp, text: str, monkeypatch) -> tuple[list, list[str]]:
    seen: list[str] = []
    real = learned_module.predict

    def spy(candidates):
        seen.extend(
            c.sentence[c.trigger[0] : c.trigger[1]] if c.trigger else "" for c in candidates
        )
        return real(candidates)

    monkeypatch.setattr(learned_module, "predict", spy)
    art = Article.create(text, doc_id="gate", date="2023-04-20")
    doc = nlp(art.full_text)
    events = code_events(doc, _mentions(art.full_text), art, typing="hybrid")
    return events, seen


def test_only_candidates_with_actors_reach_the_model(nlp, monkeypatch) -> None:
    if not learned_module.available():
        pytest.skip("no typing model shipped")
    text = (
        "Norway criticised Finland over the fishing dispute. "
        "The neighbours later criticised the decision again."
    )
    events, seen = _code(nlp, text, monkeypatch)
    assert [e.event.sources[0].country for e in events] == ["NOR"]
    # the first sentence's candidate has two coded actors; the second names none
    assert seen == ["criticised"]


def test_candidate_without_a_target_is_not_typed_by_the_model(nlp, monkeypatch) -> None:
    if not learned_module.available():
        pytest.skip("no typing model shipped")
    _events, seen = _code(nlp, "Norway criticised the plan sharply on Monday.", monkeypatch)
    assert seen == []


def test_typing_candidates_are_what_the_model_reads(nlp, monkeypatch) -> None:
    """``typing_candidates`` lists exactly the candidates the hybrid typing sends the model,
    in order (the distillation script and typing evaluations rely on it)."""
    from polybius.events.extract import typing_candidates

    if not learned_module.available():
        pytest.skip("no typing model shipped")
    text = (
        "Norway criticised Finland over the fishing dispute. The neighbours later criticised "
        "the decision again. Finland thanked Norway for the rescue, and Norway praised Finland."
    )
    _events, seen = _code(nlp, text, monkeypatch)
    art = Article.create(text, doc_id="gate", date="2023-04-20")
    cands = typing_candidates(nlp(art.full_text), _mentions(art.full_text))
    assert [c.sentence[c.trigger[0] : c.trigger[1]] for c in cands] == seen
    assert seen == ["criticised", "thanked", "praised"]
