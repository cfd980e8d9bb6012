"""PLV pair typing goes through events/decide.py, so a learned model types every row."""

from __future__ import annotations

import pytest

from polybius.evaluate.plv import PlvRow, type_pairs
from polybius.events import learned
from polybius.events.candidates import TypeDecision


def _row(uid: str, sentence: str, src: str, tgt: str) -> PlvRow:
    s, t = sentence.index(src), sentence.index(tgt)
    return PlvRow(uid, uid, sentence, (s, s + len(src)), (t, t + len(tgt)), "AID", 3)


ROWS = [
    _row("1", "Norway attacked Finland.", "Norway", "Finland"),
    _row("2", "Chile and Peru are neighbours.", "Chile", "Peru"),  # no pattern at all
]


@pytest.fixture
def fake_model(monkeypatch):
    calls: dict[str, int] = {"predict": 0, "combine": 0}

    def predict(cands):
        calls["predict"] += len(cands)
        return [TypeDecision("AID", 0.99, "070", "model") for _ in cands]

    def combine(cands, rules, model):
        calls["combine"] += len(cands)
        assert len(rules) == len(model) == len(cands)
        return [TypeDecision(m.event_type, m.confidence, m.cameo, "hybrid:model") for m in model]

    monkeypatch.setattr(learned, "available", lambda: True)
    monkeypatch.setattr(learned, "predict", predict)
    monkeypatch.setattr(learned, "combine", combine)
    return calls


@pytest.mark.parametrize("typing", ["model", "hybrid"])
def test_model_and_hybrid_type_every_row_with_the_learned_module(nlp, fake_model, typing):
    typed = type_pairs(ROWS, typing=typing, nlp=nlp)
    assert [t.event_type for t in typed] == ["AID", "AID"]
    assert fake_model["predict"] == 2
    assert fake_model["combine"] == (2 if typing == "hybrid" else 0)
    assert all(t.evidence for t in typed)  # the model's decision counts as evidence


def test_rules_typing_never_calls_the_model(nlp, fake_model):
    typed = type_pairs(ROWS, typing="rules", nlp=nlp)
    assert typed[0].event_type == "ASSAULT"
    assert fake_model["predict"] == 0


def test_hybrid_without_a_model_falls_back_to_rules(nlp, monkeypatch):
    monkeypatch.setattr(learned, "available", lambda: False)
    typed = type_pairs(ROWS[:1], typing="hybrid", nlp=nlp)
    assert typed[0].event_type == "ASSAULT"
    assert typed[0].how.startswith("rules (model unavailable)")
