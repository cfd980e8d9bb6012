"""polybius.fastpipes gives exactly what spaCy's attribute ruler and lemmatizer give.

Each test parses text with the real model up to the ruler, then runs spaCy's own two
components on one copy and the array-based ones on another, and compares every token's TAG,
POS, MORPH, LEMMA and DEP. The sentences are invented, and chosen to reach the ruler's
special cases: two-token rules (gonna, gotta, let's, y'all, c'mon, ain't), rules on the
dependency label (I/you/it as subject or object, "but" as adverb, auxiliaries, "there is"),
and whitespace tokens.
"""

from __future__ import annotations

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from polybius.fastpipes import (
    FAST_PIPES_ENV,
    FastAttributeRuler,
    FastRuleLemmatizer,
    speed_up,
)
from polybius.nlp import DEFAULT_MODEL

COLS = ["TAG", "POS", "MORPH", "LEMMA", "DEP"]

TEXTS = [
    "The ministers met in Geneva on Tuesday and agreed to resume talks.",
    "I told you it was gonna rain, but they gotta leave anyway.",
    "Let's see what y'all think; c'mon, it ain't over.",
    "There is no deal yet, and there were protests outside the embassy.",
    "They gave it to me, and I gave it back to you.",
    "He does not know. She did it. They have had enough, but still, he has.",
    "Police arrested 12 protesters after clashes near the border.\n\n  Officials said",
    "Which side fired first?  That is what the inquiry must decide.",
    "got it.  Gets worse every year, but the mayor got re-elected.",
    "",
]


@pytest.fixture(scope="module")
def pipes():
    """spaCy's own pipeline (the reference) and the two array-based components."""
    nlp = spacy.load(DEFAULT_MODEL)
    ruler, lemm = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    return nlp, ruler, lemm, FastAttributeRuler().adopt(ruler), FastRuleLemmatizer().adopt(lemm)


def _both(pipes, text: str) -> tuple[Doc, Doc]:
    nlp, ruler, lemm, fast_ruler, fast_lemm = pipes
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        doc = nlp(text)
    ref, ours = doc.copy(), doc.copy()
    return lemm(ruler(ref)), fast_lemm(fast_ruler(ours))


def _table(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_spacy(pipes, text):
    ref, ours = _both(pipes, text)
    assert _table(ours) == _table(ref)
    assert (ours.to_array(COLS) == ref.to_array(COLS)).all()


def test_the_special_rules_fire(pipes):
    """The comparison above is not vacuous: the two-token and dependency rules change tokens."""
    _, ours = _both(pipes, "I told you it was gonna rain. Let's go. Y'all know it ain't so.")
    lemmas = {t.text.lower(): t.lemma_ for t in ours}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to"
    assert lemmas["'s"] == "us" and lemmas["ai"] == "be"
    subject_i = next(t for t in ours if t.text == "I")
    assert "Case=Nom" in str(subject_i.morph)


WORDS = (
    "i you it they he she we the a an but and or there is are was were 's 're gon na got ta "
    "let c'm on y' all ai n't do does did 'd have has had gets got to of in on minister army "
    "talks signed agreed attacked protest protests Russia China Geneva said will not ,".split()
) + [".", "\n", "  ", "\n\n"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
def test_same_annotations_on_random_word_strings(pipes, words):
    text = " ".join(words)
    ref, ours = _both(pipes, text)
    assert _table(ours) == _table(ref)


def test_load_nlp_uses_them_and_the_switch_turns_them_off(monkeypatch):
    from polybius.nlp import load_nlp

    kinds = {name: type(p).__name__ for name, p in load_nlp().pipeline}
    assert kinds["attribute_ruler"] == "FastAttributeRuler"
    assert kinds["lemmatizer"] == "FastRuleLemmatizer"
    monkeypatch.setenv(FAST_PIPES_ENV, "0")
    plain = spacy.load(DEFAULT_MODEL)
    assert speed_up(plain) == []
    assert type(plain.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_a_pattern_it_cannot_reproduce_leaves_the_ruler_alone(monkeypatch):
    monkeypatch.delenv(FAST_PIPES_ENV, raising=False)
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LENGTH": 3}]], {"POS": "NOUN"})
    assert speed_up(nlp) == []
    assert nlp("the cat sat")[1].pos_ == "NOUN"


def test_caches_stay_bounded_and_answers_stay_the_same(pipes, monkeypatch):
    import polybius.fastpipes as fp

    _, _, _, fast_ruler, fast_lemm = pipes
    monkeypatch.setattr(fp, "MAX_CACHE", 5)
    for text in [t for t in TEXTS if t]:
        ref, ours = _both(pipes, text)
        assert _table(ours) == _table(ref)
        assert len(fast_ruler._sig_rules) <= 5 + len(ours)
        assert len(fast_lemm._cache) <= 5 + len(ours)
