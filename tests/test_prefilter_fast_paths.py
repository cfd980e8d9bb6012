"""The pre-filter's fast paths give what the plain ones give: the pieces (runs of kept
sentences) are the Docs ``Span.as_doc`` gives, and the trigger test fires as slot by slot."""

from __future__ import annotations

import random

from polybius.prefilter import (
    _COPY_ATTRS,
    _Cutter,
    _set_sentences,
    _slot_ok,
    sentence_starts,
    trigger_index,
)

TEXT = (
    "Mr. Okafor arrived in Accra on Monday. Ghana's cabinet didn't meet him.\n\n"
    "Officials said   the talks would resume; \u201cWe are ready,\u201d he added. "
    "Nigeria's U.S.-trained troops weren't sent. Rain fell in Lagos."
)


def test_pieces_equal_as_doc_before_and_after_parsing(nlp) -> None:
    doc0 = nlp.make_doc(TEXT)
    starts = sentence_starts(doc0, TEXT)
    assert len(starts) >= 5
    bounds = [*starts, len(doc0)]
    cut = _Cutter(doc0, TEXT)
    attrs = list(doc0._get_array_attrs())
    ours, refs = [], []
    for b, e in zip(bounds[:-1], bounds[1:], strict=True):
        piece, ref = cut.piece(b, e), doc0[b:e].as_doc()
        assert piece.text == ref.text == doc0[b:e].text_with_ws
        assert (piece.to_array(attrs) == ref.to_array(attrs)).all()
        assert [t.norm_ for t in piece] == [t.norm_ for t in ref]
        _set_sentences(piece, [0])
        _set_sentences(ref, [0])
        ours.append(piece)
        refs.append(ref)
    for a, b in zip(nlp.pipe(ours), nlp.pipe(refs), strict=True):
        assert (a.to_array(_COPY_ATTRS) == b.to_array(_COPY_ATTRS)).all()
        assert [t.dep_ for t in a] == [t.dep_ for t in b]


def test_parsed_doc_falls_back_to_as_doc(nlp) -> None:
    doc = nlp("Ghana thanked Togo. Togo replied.")
    cut = _Cutter(doc, doc.text)
    assert not cut.plain
    piece = cut.piece(0, 4)
    assert piece.text == doc[0:4].as_doc().text
    assert [t.dep_ for t in piece] == [t.dep_ for t in doc[0:4]]


def _fires_slot_by_slot(index, words: list[str]) -> bool:
    """TriggerIndex.fires as first written: every slot tested word by word."""
    weak: set[str] = set()
    for w in words:
        if w in index.strong:
            return True
        weak |= index.weak.get(w, set())
    if not weak:
        return False
    forms, prefixes = index.sentence_words(words)
    return any(
        all(_slot_ok(slot, forms, prefixes) for slot in req)
        for lemma in weak
        for req in index.needs.get(lemma, ())
    )


def test_fires_equals_slot_by_slot_test() -> None:
    index = trigger_index()
    rng = random.Random(3)
    weak_forms = sorted(index.weak)
    slot_words = sorted(
        {
            w
            for reqs in index.needs.values()
            for req in reqs
            for slot in req
            for alt in slot
            for w in alt.split()
        }
    )
    phrases = sorted(
        {alt for reqs in index.needs.values() for req in reqs for slot in req for alt in slot}
    )
    phrases = [p for p in phrases if " " in p]
    assert phrases
    fired = 0
    for _ in range(3000):
        words = [rng.choice(weak_forms)]
        if rng.random() < 0.3:
            words += rng.choice(phrases).split()
        for w in rng.sample(slot_words, rng.randint(0, 4)):
            words.append(w + rng.choice(["", "", "s", "ed", "ing", "ations"]))
        words += rng.sample(["the", "said", "on", "a", "us", "up", "off"], 2)
        rng.shuffle(words)
        got = index.fires(words)
        assert got == _fires_slot_by_slot(index, words), words
        fired += got
    assert 300 < fired < 2900  # both outcomes were exercised
