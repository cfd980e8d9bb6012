"""Sparse features of an event candidate, computed from the Candidate alone (no parse).

Typing runs after extraction at thousands of pairs per second, so the features use only what
a :class:`~polybius.events.candidates.Candidate` carries: the sentence, the source, target and
trigger spans, the trigger lemma, the pattern proposal (``rule_type``/``rule_cameo``) and the
extractor's extra ``features`` strings. Feature strings are hashed with CRC-32 into a fixed
space, so the shipped model holds weights only, never a vocabulary of training sentences.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

from polybius.events.candidates import Candidate

__all__ = [
    "FEATURE_VERSION",
    "N_BITS",
    "STOPWORDS",
    "sentence_tokens",
    "tokenize",
    "stem",
    "candidate_features",
    "hash_features",
]

#: Bumped whenever the feature strings change, so an old model file is refused.
FEATURE_VERSION = 3
#: Hash space is 2**N_BITS; the shipped model keeps only the columns it uses.
N_BITS = 20

_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[^\sA-Za-z\d]")
_NEGATORS = frozenset({"not", "n't", "never", "no", "without", "nor", "neither"})
_MODALS = frozenset(
    {"will", "would", "could", "may", "might", "shall", "should", "can", "must", "to"}
)
STOPWORDS = _STOP = frozenset(
    {
        "the",
        "a",
        "an",
        "of",
        "and",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "to",
        "from",
        "its",
        "their",
        "his",
        "her",
        "that",
        "this",
        "which",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        '"',
        "'",
        ",",
        ".",
        "-",
        "(",
        ")",
        ";",
        ":",
    }
)
_WINDOW = 4


def _split(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-cased token) for each token ("didn't" -> "did", "n't")."""
    out: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0).lower()
        a, b = m.span()
        if tok.endswith("n't") and len(tok) > 3:
            out += [(a, b - 3, tok[:-3]), (b - 3, b, "n't")]
        elif "'" in tok:
            out.append((a, b, tok.split("'")[0]))
        else:
            out.append((a, b, tok))
    return out


def tokenize(text: str) -> list[str]:
    """Lower-cased word, number and punctuation tokens ("didn't" -> "did", "n't")."""
    return [t for _, _, t in _split(text)]


_STEMS: dict[str, str] = {}
_SPLITS: dict[str, list[tuple[int, int, str]]] = {}


def stem(word: str) -> str:
    """A crude suffix stripper: "condemned", "condemns", "condemning" -> "condemn"."""
    got = _STEMS.get(word)
    if got is None:
        got = _stem(word)
        if len(_STEMS) < 500_000:
            _STEMS[word] = got
    return got


def _stem(word: str) -> str:
    w = word
    if len(w) <= 4 or not w.isalpha():
        return w
    for suf, rep in (("ies", "y"), ("ied", "y"), ("ying", "y")):
        if w.endswith(suf) and len(w) - len(suf) >= 2:
            return w[: -len(suf)] + rep
    for suf in ("ing", "ed", "es", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            if suf == "s" and w.endswith("s"):
                return word  # "press", "across"
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # "committed" -> "commit"
            return w
    return w


def sentence_tokens(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of a sentence, cached for the few candidates that share it."""
    got = _SPLITS.get(sentence)
    if got is None:
        if len(_SPLITS) > 1024:
            _SPLITS.clear()
        got = _SPLITS[sentence] = _split(sentence)
    return got


def _span_tokens(text: str, start: int, end: int) -> list[str]:
    """Tokens of ``text`` that start inside [start, end)."""
    return [t for a, _b, t in sentence_tokens(text) if start <= a < end]


def _sequence(c: Candidate) -> list[str]:
    """The sentence as stems with the source collapsed to SRC and the target to TGT."""
    spans = [(c.source[0], c.source[1], "SRC")]
    if c.target is not None and not (
        c.target[0] < c.source[1] and c.source[0] < c.target[1]  # overlapping: keep source
    ):
        spans.append((c.target[0], c.target[1], "TGT"))
    seq: list[str] = []
    toks = sentence_tokens(c.sentence)
    k = 0
    for start, end, tag in sorted(spans):  # an empty (implicit) actor still marks its place
        while k < len(toks) and toks[k][0] < start:
            seq.append(stem(toks[k][2]))
            k += 1
        seq.append(tag)
        while k < len(toks) and toks[k][0] < end:
            k += 1
    seq += [stem(t) for _, _, t in toks[k:]]
    return seq


def candidate_features(c: Candidate, rule_features: bool = True) -> list[str]:
    """Feature strings for one candidate (order and duplicates do not matter).

    ``rule_features=False`` leaves out the pattern proposal (``rule:``/``rcam:``), for models
    that must not lean on the rules (whose accuracy on the training data is inflated).
    """
    feats: list[str] = ["bias"]
    seq = _sequence(c)
    # Bag of stems of the whole sentence, and n-grams over the SRC/TGT sequence.
    for t in seq:
        if t not in _STOP:
            feats.append("b:" + t)
    for i in range(len(seq) - 1):
        feats.append("2:" + seq[i] + "_" + seq[i + 1])
    for i in range(len(seq) - 2):
        if "SRC" in seq[i : i + 3] or "TGT" in seq[i : i + 3]:
            feats.append("3:" + "_".join(seq[i : i + 3]))
    # What lies between the source and the target (the predicate, usually).
    if "SRC" in seq and "TGT" in seq:
        i, j = seq.index("SRC"), seq.index("TGT")
        feats.append("ord:" + ("st" if i < j else "ts"))
        lo, hi = min(i, j), max(i, j)
        between = seq[lo + 1 : hi]
        feats.append(f"gap:{min(len(between), 8)}")
        for t in between[:12]:
            if t not in _STOP:
                feats.append("m:" + t)
            if t in _NEGATORS:
                feats.append("neg:between")
            if t in _MODALS:
                feats.append("mod:" + t)
        for a, b in zip(between, between[1:], strict=False):
            feats.append("m2:" + a + "_" + b)
        for t in seq[max(j - _WINDOW, 0) : j]:
            feats.append("tl:" + t)
        for t in seq[i + 1 : i + 1 + _WINDOW]:
            feats.append("sr:" + t)
        for t in seq[j + 1 : j + 1 + _WINDOW]:
            feats.append("tr:" + t)
    elif "SRC" in seq:
        i = seq.index("SRC")
        feats.append("ord:s")
        for t in seq[i + 1 : i + 1 + 2 * _WINDOW]:
            feats.append("sr:" + t)
    # The source and target words themselves (e.g. "troops", "protesters").
    for t in _span_tokens(c.sentence, *c.source)[-3:]:
        feats.append("sw:" + stem(t))
    if c.target is not None:
        for t in _span_tokens(c.sentence, *c.target)[-3:]:
            feats.append("tw:" + stem(t))
    # The trigger verb and the words right after it ("pull out", "back down").
    if c.trigger_lemma:
        lemma = c.trigger_lemma.lower()
        feats.append("trig:" + lemma)
        if c.trigger is not None:
            after = _span_tokens(c.sentence, c.trigger[1], len(c.sentence))[:2]
            for k, t in enumerate(after):
                feats.append(f"trig+{k}:{lemma}_{stem(t)}")
            before = _span_tokens(c.sentence, 0, c.trigger[0])[-3:]
            for t in before:
                if t in _NEGATORS:
                    feats.append("neg:trig")
                if t in _MODALS:
                    feats.append("mod:trig:" + t)
    # What the patterns proposed, if anything.
    if c.rule_type and rule_features:
        feats.append("rule:" + c.rule_type)
        if c.rule_cameo:
            feats.append("rcam:" + c.rule_cameo[:3])
    for f in c.features:
        feats.append("f:" + f)
    return feats


def hash_features(feats: Iterable[str], n_bits: int = N_BITS) -> dict[int, float]:
    """Hash feature strings into column -> count (CRC-32 modulo 2**n_bits; stable)."""
    mask = (1 << n_bits) - 1
    out: dict[int, float] = {}
    for f in feats:
        k = zlib.crc32(f.encode("utf-8")) & mask
        out[k] = out.get(k, 0.0) + 1.0
    return out
