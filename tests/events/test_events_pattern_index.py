"""The indexed pattern matcher gives exactly what a full scan of every pattern gives.

``Lexicon.match_verb`` uses set lookups per word bag (``_BagMatcher``) and an index on each
pattern's first requirement (``_BlockGate``); a reference lexicon here scans every pattern
with the plain ``_score``/``_head_ok`` functions. Bags are drawn from the lexicon's own
pattern words, with stems, plurals and phrases, so that every matching rule is exercised.
"""

from __future__ import annotations

import random

import pytest

from polybius.events.patterns import Lexicon, WordBag, _BagMatcher, lexicon


class _AllPatterns:
    def __init__(self, n: int) -> None:
        self.n = n

    def candidates(self, m: object) -> range:
        return range(self.n)


class _ScanLexicon(Lexicon):
    """match_verb as it was before indexing: every pattern, linear word matching."""

    def __init__(self, base: Lexicon) -> None:  # share the loaded patterns
        self.__dict__.update(base.__dict__)

    def _fast_score(self, pat, m):  # type: ignore[override]
        return self._score(pat, m.bag)

    def _fast_head_ok(self, pat, m, base_quad):  # type: ignore[override]
        return self._head_ok(pat, m.bag, base_quad)

    def _gate(self, block, pats):  # type: ignore[override]
        return _AllPatterns(len(pats))


def _vary(word: str, rng: random.Random) -> str:
    """The word itself, an inflected form (stem matching) or a near miss."""
    choice = rng.random()
    if choice < 0.4:
        return word
    if choice < 0.6:
        return word + rng.choice(["s", "es", "ed", "ing", "ation", "al"])
    if choice < 0.7 and len(word) > 4:
        return word[:-1]  # a shorter word: no stem of it
    return rng.choice(["the", "s", "x", "talks", "government", "military", "aid"])


def _words(lex: Lexicon) -> list[str]:
    out: set[str] = set()
    for pats in lex.block_patterns.values():
        for pat in pats:
            for slot in (*pat.pre, *pat.post, *(s for _, ss in pat.preps for s in ss)):
                out |= slot
    for pats in lex.curated_verbs.values():
        for _, pat in pats:
            for slot in pat.post:
                out |= slot
    return sorted(out)


def _bag(vocab: list[str], preps: list[str], rng: random.Random) -> WordBag:
    def some(k: int) -> list[str]:
        got: list[str] = []
        for w in rng.sample(vocab, k):
            got += [_vary(p, rng) for p in w.split()] if " " in w else [_vary(w, rng)]
        return got

    post_seq = tuple(some(rng.randint(0, 6)))
    return WordBag(
        pre=frozenset(some(rng.randint(0, 3))),
        post=frozenset(post_seq) | frozenset(some(rng.randint(0, 2))),
        post_seq=post_seq,
        preps={p: frozenset(some(rng.randint(0, 3))) for p in rng.sample(preps, 2)},
        particles=frozenset(rng.sample(["up", "off", "out", "down"], rng.randint(0, 1))),
        heads=frozenset(some(rng.randint(0, 2))),
    )


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return lexicon()


def test_indexed_match_verb_equals_full_scan(lex):
    rng = random.Random(7)
    vocab = _words(lex)
    preps = sorted({p for ps in lex.block_patterns.values() for pt in ps for p, _ in pt.preps})
    preps = preps[:20] + ["with", "to", "against", "on"]
    lemmas = sorted(set(lex.verb_blocks) | set(lex.curated_verbs))
    slow = _ScanLexicon(lex)
    fired = 0
    for lemma in rng.sample(lemmas, 300):
        for _ in range(15):
            bag = _bag(vocab, preps, rng)
            got = lex.match_verb(lemma, bag)
            assert got == slow.match_verb(lemma, bag), (lemma, bag)
            fired += got is not None and got.specificity > 0
    assert fired > 50  # the bags did select specific patterns, not only defaults


def test_prepared_bag_scores_every_pattern_like_the_plain_functions(lex):
    rng = random.Random(11)
    vocab = _words(lex)
    blocks = sorted(lex.block_patterns)
    for block in rng.sample(blocks, 150):
        pats = lex.block_patterns[block]
        for _ in range(4):
            bag = _bag(vocab, ["with", "to", "against", "on", "of"], rng)
            m = _BagMatcher(bag)
            scored = set()
            for j, pat in enumerate(pats):
                score = lex._fast_score(pat, m)
                assert score == lex._score(pat, bag)
                for quad in (None, 1, 4):
                    assert lex._fast_head_ok(pat, m, quad) == lex._head_ok(pat, bag, quad)
                if score is not None:
                    scored.add(j)
            # the gate never drops a pattern that can score
            assert scored <= set(lex._gate(block, pats).candidates(m))


def test_stems_plurals_and_phrases_match():
    lex = lexicon()
    m = _BagMatcher(
        WordBag(
            post=frozenset({"militarys", "joint", "exercises", "uns"}),
            post_seq=("joint", "exercises"),
        )
    )
    post = m.post
    assert post.slot(frozenset({"military"}))  # exact prefix, one letter more
    assert post.slot(frozenset({"exercis"}))  # stem of 4+ letters, 2 left over
    assert not post.slot(frozenset({"exe"}))  # short words match only exactly or + "s"
    assert post.slot(frozenset({"un"}))  # a short word matches its plural ("uns")
    assert not post.slot(frozenset({"u"}))
    assert not post.slot(frozenset({"joint exercise program"}))
    assert post.slot(frozenset({"joint exercise"}))
    assert not post.slot(frozenset({"exercise joint"}))  # phrases keep their order
    assert lex.match_verb("take", WordBag()) is None
