"""polybius.fastner finds exactly the entities spaCy's own entity recogniser finds.

Each test parses invented text with the real model up to the recogniser, then runs spaCy's
component on one copy and the batched decoder on another, and compares every token's
ENT_IOB, ENT_TYPE and ENT_KB_ID. The texts reach the decoder's special cases: entities at the
first and last word, multi-word entities, entities next to a sentence start, whitespace
tokens, an empty document, a one-word document, and batches of very different lengths (the
live documents of a step are a prefix of the length-sorted batch).
"""

from __future__ import annotations

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.tokens import Doc, Span

from polybius.fastner import (
    FastEntityRecognizer,
    UnsupportedRecognizer,
    decode_entities,
    speed_up_ner,
)
from polybius.fastpipes import FAST_PIPES_ENV
from polybius.nlp import DEFAULT_MODEL

TEXTS = [
    "Angela Novak met the Prime Minister of Portugal in Lisbon on Tuesday.",
    "The United Nations Security Council voted 13 to 2 on a resolution about Sudan.",
    "Brazil",
    "",
    "They left.  Nothing happened.\n\nThe talks in Oslo ended on 4 March 2025",
    "Tokyo and Seoul agreed. Beijing objected. Moscow said nothing at all about it.",
    "Officials from the European Union, NATO and the African Union gathered in Addis Ababa "
    "for three days of meetings chaired by Kofi Mensah, who later flew to New York.",
    "  \n  ",
    "She paid $4.5 million to Northwind Holdings Ltd. and 30% of the rest to Ivan Petrov",
]


@pytest.fixture(scope="module")
def pipes():
    """spaCy's own pipeline (the reference recogniser) and the batched one adopting it."""
    nlp = spacy.load(DEFAULT_MODEL)
    ner = nlp.get_pipe("ner")
    return nlp, ner, FastEntityRecognizer().adopt(ner)


def _parsed(pipes, texts: list[str]) -> list[Doc]:
    nlp = pipes[0]
    with nlp.select_pipes(disable=["ner"]):
        return list(nlp.pipe(texts))


def _tags(doc: Doc) -> list[list[int]]:
    return doc.to_array([ENT_IOB, ENT_TYPE, ENT_KB_ID]).tolist()


def _compare(pipes, texts: list[str], batch_size: int = 8) -> list[Doc]:
    _, ner, fast = pipes
    docs = _parsed(pipes, texts)
    ref = list(ner.pipe([d.copy() for d in docs], batch_size=batch_size))
    ours = list(fast.pipe([d.copy() for d in docs], batch_size=batch_size))
    assert [d.text for d in ours] == texts  # same documents, same order
    for r, o in zip(ref, ours, strict=True):
        assert _tags(o) == _tags(r), o.text
        assert [(e.start, e.end, e.label_) for e in o.ents] == [
            (e.start, e.end, e.label_) for e in r.ents
        ]
    return ours


def test_same_entities_as_spacy_one_batch_and_many(pipes):
    ours = _compare(pipes, TEXTS, batch_size=64)
    _compare(pipes, TEXTS, batch_size=2)
    labels = {e.label_ for d in ours for e in d.ents}
    assert {"PERSON", "GPE", "ORG"} <= labels  # the texts really exercise the decoder


def test_no_entity_runs_across_a_sentence_start(pipes):
    """Sentence starts placed inside names the recogniser would join ("New York City Hall"):
    both decoders must split there (the documents are made by hand, without the parser)."""
    _, ner, fast = pipes
    vocab = pipes[0].vocab
    cases = [
        ("Officials met at New York City Hall on Friday morning .", 5),
        ("The envoy Maria Elena Gonzalez Ruiz arrived in Buenos Aires yesterday .", 4),
        ("Talks with the United Nations Security Council resumed in Geneva .", 5),
        ("Troops left Bosnia and Herzegovina after the Dayton Peace Agreement .", 8),
        ("Yesterday the police questioned Maria Gonzalez about the fire .", 5),
        ("The contract went to Northwind Logistics of Rotterdam last week .", 5),
        ("Voters in Sierra Leone went to the polls on Saturday .", 3),
    ]
    split = 0
    for text, k in cases:
        words = text.split(" ")
        starts = [i in (0, k) for i in range(len(words))]
        doc = Doc(vocab, words=words, sent_starts=starts)
        ref, ours = ner(doc.copy()), fast(doc.copy())
        assert _tags(ours) == _tags(ref), text
        assert not any(e.start < k < e.end for e in ours.ents)
        plain = Doc(vocab, words=words)
        plain[0].is_sent_start = True
        for i in range(1, len(words)):
            plain[i].is_sent_start = False
        split += any(e.start < k < e.end for e in fast(plain).ents)
    assert split >= 2  # without the sentence start, names do run across that word


def test_action_masks_follow_spacys_biluo_rules(pipes):
    """The validity tables, rule by rule (category bits: 4 last word, 2 next word opens a
    sentence, 1 whitespace)."""
    from polybius.fastner import _Actions

    acts = _Actions(pipes[1])
    names = [pipes[1].moves.get_class_name(i) for i in range(len(acts.kind))]
    ok_closed = {
        cat: {n for n, m in zip(names, acts.closed_mask[cat], strict=True) if m == 0}
        for cat in range(8)
    }
    assert ok_closed[0] == {n for n in names if n[:2] in ("B-", "U-") and n != "U-"} | {"O"}
    assert ok_closed[1] == {"O"}  # whitespace: no entity starts there
    assert ok_closed[2] == ok_closed[4] == {n for n in names if n[:2] == "U-" and n != "U-"} | {"O"}
    person = acts.names.index("PERSON")
    ok_open = [
        {n for n, m in zip(names, acts.open_mask[person, g], strict=True) if m == 0} for g in (0, 1)
    ]
    assert ok_open[0] == {"L-PERSON"}  # last word or sentence start next: must close
    assert ok_open[1] == {"I-PERSON", "L-PERSON"}


def test_decode_entities_gives_spans_in_order(pipes):
    _, ner, _ = pipes
    docs = _parsed(pipes, [TEXTS[0], TEXTS[1]])
    got = decode_entities(ner, docs)
    assert len(got) == 2
    for doc, ents in zip(docs, got, strict=True):
        assert ents == sorted(ents)
        for start, end, label in ents:
            assert 0 <= start < end <= len(doc)
            assert label in ner.labels
    assert decode_entities(ner, []) == []
    assert decode_entities(ner, _parsed(pipes, [""])) == [[]]


def test_preset_entities_go_to_spacys_component(pipes):
    _, ner, fast = pipes
    (doc,) = _parsed(pipes, ["Maria Lopez flew from Quito to Lima with Andes Freight."])
    preset = doc.copy()
    preset.set_ents([Span(preset, 6, 7, label="ORG")], default="missing")  # "Lima" as ORG
    ref = ner(preset.copy())
    ours = fast(preset.copy())
    assert _tags(ours) == _tags(ref)
    assert any(e.text == "Lima" and e.label_ == "ORG" for e in ours.ents)


WORDS = (
    "the minister of Kenya met Ruto and Odinga in Nairobi Mombasa . , ; Police said 12 "
    "people Monday UN NATO Red Cross Al Shabaab fled north toward Somalia \n  $ 40 million "
    "percent who the Security Council General Assembly Dr. Wanjiru"
).split(" ")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=30), min_size=1, max_size=6))
def test_same_entities_on_random_batches(pipes, batches):
    _compare(pipes, [" ".join(words) for words in batches], batch_size=4)


def test_load_nlp_uses_it_and_the_switch_turns_it_off(monkeypatch):
    from polybius.nlp import load_nlp

    fast = load_nlp().get_pipe("ner")
    assert isinstance(fast, FastEntityRecognizer)
    assert fast.labels and fast.model is fast.original.model
    monkeypatch.setenv(FAST_PIPES_ENV, "0")
    plain = spacy.load(DEFAULT_MODEL)
    assert speed_up_ner(plain) == []
    monkeypatch.delenv(FAST_PIPES_ENV)
    assert speed_up_ner(plain) == ["ner"]
    assert isinstance(plain.get_pipe("ner"), FastEntityRecognizer)


def test_a_recogniser_on_another_backend_is_left_alone(monkeypatch):
    from thinc.api import Ops

    monkeypatch.delenv(FAST_PIPES_ENV, raising=False)
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.get_pipe("ner").model.ops = Ops()  # stands for a GPU backend (CupyOps)
    assert speed_up_ner(nlp) == []


def test_a_recogniser_of_another_shape_is_left_alone(monkeypatch):
    monkeypatch.delenv(FAST_PIPES_ENV, raising=False)
    nlp = spacy.blank("en")
    tok2vec = {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": 16,
        "depth": 1,
        "embed_size": 100,
        "window_size": 1,
        "maxout_pieces": 2,
        "subword_features": True,
    }
    model = {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 16,
        "maxout_pieces": 2,
        "use_upper": False,  # no output layer: not the shape the decoder reproduces
        "tok2vec": tok2vec,
    }
    nlp.add_pipe("ner", config={"model": model})
    nlp.get_pipe("ner").add_label("ORG")
    nlp.initialize()
    assert speed_up_ner(nlp) == []
    with pytest.raises(UnsupportedRecognizer):
        FastEntityRecognizer().adopt(nlp.get_pipe("ner"))
    with pytest.raises(UnsupportedRecognizer):
        FastEntityRecognizer().adopt(object())  # type: ignore[arg-type]
