"""Dedup within an article, JSON round trip, evidence fields, triggers, patterns."""

from __future__ import annotations

import json

from polybius.events import has_trigger, trigger_spans
from polybius.events.decide import decide_types
from polybius.events.dedup import dedup_events
from polybius.events.patterns import WordBag, lexicon
from polybius.records import Event


def test_headline_and_body_merge_with_mentions(code):
    events = code("Chile attacked Peru on Monday.", title="Chile attacked Peru")
    # headline (article date) and body (Monday) differ in date: two events
    assert len(events) == 2
    same = code(
        "Chile attacked Peru. Later, Chile attacked Peru again.", title="Chile attacked Peru"
    )  # noqa: E501
    assert len(same) == 1
    assert same[0].event.mentions == 3


def test_dedup_keeps_attribution_from_a_duplicate(code):
    events = code("Chile attacked Peru. Chile attacked Peru, Lars Berg said.")
    assert len(events) == 1
    assert events[0].event.attribution is not None
    assert events[0].event.mentions == 2


def test_evidence_and_json_round_trip(code):
    text = "Norway accused Finland of spying."
    item = code(text, title="A headline without actors")[0]
    ev = item.event
    full = "A headline without actors\n\n" + text
    assert full[ev.span[0] : ev.span[1]] == ev.trigger == "accused"
    assert ev.sentence == text and ev.sentence_index == 1
    assert ev.rule.startswith("rules:") and 0 < ev.confidence <= 1
    assert ev.article_id and ev.doc_id == "test"
    assert ev.goldstein is not None and ev.quad_class == 3 and ev.cameo.startswith("11")
    back = Event.from_dict(json.loads(ev.to_json()))
    assert back == ev
    keys = set(ev.to_dict())
    for key in ("event_id", "mode", "context", "modality", "attribution", "date_precision",
                "location", "quantity", "span", "rule", "confidence", "mentions"):  # fmt: skip
        assert key in keys


def test_dedup_function_counts_mentions(code):
    ev = code("Chile attacked Peru.")[0].event
    merged = dedup_events([ev, ev.with_mentions(2)])
    assert len(merged) == 1 and merged[0].mentions == 3


def test_trigger_check_without_parser():
    assert has_trigger("Chile attacked Peru.")
    assert has_trigger("They held talks.")
    assert not has_trigger("The weather was mild.")
    text = "Oslo visited Lima"
    assert [text[a:b] for a, b in trigger_spans(text)] == ["visited"]


def test_pattern_lexicon_matches():
    lex = lexicon()
    m = lex.match_verb("visit", WordBag())
    assert m is not None and m.event_type == "CONSULT" and m.mode == "visit"
    bag = WordBag(post=frozenset({"joint", "exercise"}), post_seq=("joint", "exercise"))
    m = lex.match_verb("host", bag)
    assert m is not None and m.event_type == "COOPERATE" and m.cameo == "062"
    assert lex.match_verb("take", WordBag()) is None  # too generic alone
    assert lex.noun_patterns("sanctions")


def test_decide_types_rules_and_fallback():
    from polybius.events.candidates import Candidate

    c = Candidate(
        sentence="x",
        source=(0, 1),
        target=None,
        rule_type="AID",
        rule_cameo="070",
        rule_confidence=0.7,
    )  # noqa: E501
    assert decide_types([c], "rules")[0].event_type == "AID"
    hybrid = decide_types([c], "hybrid")[0]
    assert hybrid.event_type is not None
    assert decide_types([], "model") == []
