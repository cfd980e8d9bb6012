"""polybius.fastparser gives exactly the parses spaCy's own dependency parser gives.

Each test tokenises invented text, fixes its sentence starts as coding does
(``polybius.prefilter.parse_inputs``) or by hand, runs the real model up to the parser,
then runs spaCy's component on one copy and the sentence-batched decoder on another, and
compares every token's head, label and sentence start. The texts reach the decoder's
special cases: one-word sentences and documents, an empty document, long sentences next to
short ones (the live sentences of a step shrink unevenly), and words the parser puts back
on the buffer or re-attaches (non-monotonic arcs).
"""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, HEAD, SENT_START
from spacy.tokens import Doc

import polybius.fastparser as fastparser
from polybius.fastparser import (
    FastDependencyParser,
    UnsupportedParser,
    parse_arcs,
    speed_up_parser,
)
from polybius.fastpipes import FAST_PIPES_ENV
from polybius.nlp import DEFAULT_MODEL
from polybius.prefilter import parse_inputs

TEXTS = [
    "Norway's foreign minister criticised Finland on Monday over the fishing dispute.",
    "Ok.",
    "",
    "Brazil and Argentina signed a trade pact in Montevideo. Chile, which was not invited, "
    "said it would protest. Peru stayed silent.",
    "The envoy, who had flown in from Nairobi late on Sunday after talks that the hosts "
    "described as frank and at times tense, told reporters that neither side expected a "
    "deal before the rains, and that the refugees camped near the border would have to wait "
    "while the two governments argued over who should pay for the road, the clinic and the "
    "water pipes.",
    "Police arrested 14 people after clashes in the old town.\n\nThree officers were hurt.",
    "What did the minister say? Nothing. She left.",
    "Tanks rolled in; the city fell; the mayor fled north, then east, then nowhere at all.",
]


@pytest.fixture(scope="module")
def pipes():
    """spaCy's own pipeline (the reference parser) and the batched one adopting it."""
    nlp = spacy.load(DEFAULT_MODEL)
    parser = nlp.get_pipe("parser")
    return nlp, parser, FastDependencyParser().adopt(parser)


def _before_parser(nlp, docs: list[Doc]) -> list[Doc]:
    with nlp.select_pipes(enable=["tok2vec", "tagger"]):
        return list(nlp.pipe(docs))


def _inputs(pipes, texts: list[str]) -> list[Doc]:
    nlp = pipes[0]
    return _before_parser(nlp, [p for t in texts for p in parse_inputs(t, nlp, prefilter=False)])


def _arcs(doc: Doc) -> list[list[int]]:
    return doc.to_array([HEAD, DEP, SENT_START]).tolist()


def _compare(pipes, docs: list[Doc], batch_size: int = 8) -> list[Doc]:
    _, parser, fast = pipes
    ref = list(parser.pipe([d.copy() for d in docs], batch_size=batch_size))
    ours = list(fast.pipe([d.copy() for d in docs], batch_size=batch_size))
    assert [d.text for d in ours] == [d.text for d in docs]  # same documents, same order
    for r, o in zip(ref, ours, strict=True):
        assert _arcs(o) == _arcs(r), o.text
        assert [t.dep_ for t in o] == [t.dep_ for t in r]
    return ours


@pytest.fixture
def calls(monkeypatch):
    """How many times the batched decoder ran (to tell it from spaCy's fallback)."""
    seen = {"docs": 0}
    real = fastparser.parse_arcs

    def spy(parser, docs, *args, **kwargs):
        seen["docs"] += len(docs)
        return real(parser, docs, *args, **kwargs)

    monkeypatch.setattr(fastparser, "parse_arcs", spy)
    return seen


def test_same_parses_as_spacy_one_batch_and_many(pipes, calls):
    docs = _inputs(pipes, TEXTS)
    ours = _compare(pipes, docs, batch_size=64)
    _compare(pipes, docs, batch_size=2)
    assert calls["docs"] == 2 * len(docs)  # the decoder, not the fallback, parsed them all
    labels = {t.dep_ for d in ours for t in d}
    assert {"nsubj", "dobj", "prep", "pobj", "ROOT", "punct", "relcl"} <= labels


def test_a_batch_larger_than_a_group_is_parsed_group_by_group(pipes, calls, monkeypatch):
    docs = _inputs(pipes, TEXTS)
    monkeypatch.setattr(fastparser, "GROUP", 4)  # sub-batches of 2, groups of 4 documents
    _compare(pipes, docs, batch_size=8)
    assert calls["docs"] == len(docs)


def test_sentence_starts_are_kept_and_only_the_roots_start_sentences(pipes):
    (doc,) = _inputs(pipes, ["Rain fell. Rivers rose across the plain. Towns flooded."])
    (parsed,) = _compare(pipes, [doc])
    assert [s.text for s in parsed.sents] == [
        "Rain fell.",
        "Rivers rose across the plain.",
        "Towns flooded.",
    ]
    for sent in parsed.sents:
        assert sum(t.head == t for t in sent) == 1


def test_the_parser_re_attaches_and_re_buffers_words(pipes, monkeypatch):
    """Non-monotonic moves happen in these texts (a word's head replaced by a LEFT arc, a
    headless word put back on the buffer), and the parses still match."""
    deleted = {"n": 0}
    real = fastparser._add_arcs

    def spy(h, c, classes, head, *rest):
        deleted["n"] += int((head[c] >= 0).sum())
        return real(h, c, classes, head, *rest)

    monkeypatch.setattr(fastparser, "_add_arcs", spy)
    _compare(pipes, _inputs(pipes, TEXTS + [TEXTS[4].upper(), TEXTS[3].lower()]))
    assert deleted["n"] > 0


def test_documents_with_open_sentence_starts_go_to_spacys_component(pipes, calls):
    nlp = pipes[0]
    docs = _before_parser(nlp, [nlp.make_doc(t) for t in TEXTS[:4]])  # starts not fixed
    ours = _compare(pipes, docs)
    assert calls["docs"] == 0
    assert any(len(list(d.sents)) > 1 for d in ours)


def test_a_parsed_document_goes_to_spacys_component(pipes, calls):
    (doc,) = _inputs(pipes, [TEXTS[0]])
    _compare(pipes, [pipes[1](doc.copy())])
    assert calls["docs"] == 0


def test_parse_arcs_gives_heads_and_labels_per_document(pipes):
    _, parser, _ = pipes
    docs = _inputs(pipes, [TEXTS[0], "Ok."])
    got = parse_arcs(parser, docs)
    assert len(got) == 2
    for doc, (heads, labels) in zip(docs, got, strict=True):
        assert len(heads) == len(labels) == len(doc)
        assert all(0 <= h < len(doc) for h in heads)
        assert sum(lab == "ROOT" for lab in labels) == sum(h == i for i, h in enumerate(heads))
    assert parse_arcs(parser, []) == []
    assert [len(h) for h, _ in parse_arcs(parser, [Doc(pipes[0].vocab, words=[])])] == [0]


def test_feature_rows_are_summed_in_spacys_order():
    """numpy's reduction over a middle axis adds the rows one after another, as spaCy's
    loop does: the same float32 sums bit for bit, where a pairwise sum would differ."""
    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(1, 300))
        scale = rng.choice([1e-4, 1.0, 1e4], size=(n, 8, 128))
        g = (rng.standard_normal((n, 8, 128)) * scale).astype(np.float32)
        seq = g[:, 0].copy()
        for f in range(1, 8):
            seq += g[:, f]
        assert np.array_equal(fastparser._sum_rows(g), seq)


WORDS = (
    "the minister of Kenya met Ruto and Odinga in Nairobi . , ; police said 12 people who "
    "fled north toward Somalia would not return and that it was over but they left"
).split(" ")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(WORDS), min_size=1, max_size=40),
            st.lists(st.booleans(), min_size=40, max_size=40),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_same_parses_on_random_batches(pipes, calls, batches):
    nlp = pipes[0]
    docs = []
    for words, starts in batches:
        fixed = [True] + [starts[i] for i in range(1, len(words))]
        docs.append(Doc(nlp.vocab, words=words, sent_starts=fixed))
    before = calls["docs"]
    _compare(pipes, _before_parser(nlp, docs), batch_size=4)
    assert calls["docs"] == before + len(docs)


def test_load_nlp_uses_it_and_the_switch_turns_it_off(monkeypatch):
    from polybius.nlp import load_nlp

    fast = load_nlp().get_pipe("parser")
    assert isinstance(fast, FastDependencyParser)
    assert fast.labels and fast.model is fast.original.model
    monkeypatch.setenv(FAST_PIPES_ENV, "0")
    plain = spacy.load(DEFAULT_MODEL)
    assert speed_up_parser(plain) == []
    monkeypatch.delenv(FAST_PIPES_ENV)
    assert speed_up_parser(plain) == ["parser"]
    assert isinstance(plain.get_pipe("parser"), FastDependencyParser)
    doc = plain("The talks ended. Both sides left Geneva.")
    assert [t.dep_ for t in doc][:3] == ["det", "nsubj", "ROOT"]


def test_a_parser_on_another_backend_is_left_alone(monkeypatch):
    from thinc.api import Ops

    monkeypatch.delenv(FAST_PIPES_ENV, raising=False)
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.get_pipe("parser").model.ops = Ops()  # stands for a GPU backend (CupyOps)
    assert speed_up_parser(nlp) == []
    with pytest.raises(UnsupportedParser):
        FastDependencyParser().adopt(nlp.get_pipe("parser"))
