"""Static word vectors from a distilled word-piece table, and dense candidate features.

``wordpiece_vectors.npz`` (made by ``scripts/distill_word_vectors.py`` from all-MiniLM-L6-v2)
holds one vector per word piece of the BERT uncased vocabulary. A word's vector is the mean of
its pieces (greedy longest match, as BERT tokenises), so unseen verbs such as "denounce" land
near "condemn". Lookups are cached per word; no transformer runs at typing time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from polybius.events.candidates import Candidate
from polybius.events.model.features import STOPWORDS, sentence_tokens

__all__ = ["WordVectors", "greedy_pieces", "dense_features", "DENSE_BLOCKS"]

#: The dense blocks, in order: words between source and target, trigger word, whole
#: sentence, target words. Each block is an L2-normalised mean of word vectors.
DENSE_BLOCKS: tuple[str, ...] = ("between", "trigger", "sentence", "target")


def greedy_pieces(word: str, vocab: dict[str, int]) -> list[int] | None:
    """BERT word-piece ids of one word by greedy longest match ("##" marks a piece inside a
    word), or None when some part of it matches no piece."""
    ids: list[int] = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            found = vocab.get(piece)
            if found is not None:
                break
            end -= 1
        if found is None:
            return None
        ids.append(found)
        start = end
    return ids


@dataclass
class WordVectors:
    """Word-piece vocabulary and vectors; ``word(w)`` gives a word's (cached) vector."""

    vocab: dict[str, int]
    vectors: np.ndarray  # (n_pieces, dims) float32
    _cache: dict[str, np.ndarray | None] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path) -> WordVectors:
        """Read a table written by ``scripts/distill_word_vectors.py``."""
        with np.load(path, allow_pickle=False) as z:
            vocab = {p: i for i, p in enumerate(z["vocab"].tolist())}
            return cls(vocab=vocab, vectors=z["vectors"].astype(np.float32))

    @property
    def dims(self) -> int:
        """Vector length."""
        return int(self.vectors.shape[1])

    def pieces(self, word: str) -> list[int]:
        """BERT word-piece ids of one lower-cased word (greedy longest match; [] if none)."""
        word = "".join(
            ch for ch in unicodedata.normalize("NFD", word) if unicodedata.category(ch) != "Mn"
        )
        return greedy_pieces(word, self.vocab) or []

    def word(self, word: str) -> np.ndarray | None:
        """The mean vector of a word's pieces, or None when it cannot be split."""
        if word in self._cache:
            return self._cache[word]
        ids = self.pieces(word)
        vec = None
        if len(ids) == 1:
            vec = self.vectors[ids[0]]
        elif ids:
            vec = self.vectors[ids].mean(axis=0)
        if len(self._cache) < 200_000:
            self._cache[word] = vec
        return vec

    def mean(self, words: Sequence[str]) -> np.ndarray:
        """L2-normalised mean vector of the content words (zeros when there are none)."""
        total: np.ndarray | None = None
        for w in words:
            if w in STOPWORDS:
                continue
            v = self.word(w)
            if v is not None:
                total = v.copy() if total is None else total + v
        if total is None:
            return np.zeros(self.dims, dtype=np.float32)
        n = float(np.sqrt(total @ total))
        return total / n if n > 0 else total


def _words(c: Candidate, start: int, end: int) -> list[str]:
    """Tokens of the candidate's sentence that start inside [start, end)."""
    return [t for a, _b, t in sentence_tokens(c.sentence) if start <= a < end]


def _between(c: Candidate) -> list[str]:
    if c.target is None:
        return _words(c, c.source[1], c.source[1] + 80)
    a, b = sorted([c.source, c.target])
    return _words(c, a[1], b[0])


def dense_features(cands: Sequence[Candidate], wv: WordVectors) -> np.ndarray:
    """(n, len(DENSE_BLOCKS) * dims) dense features of candidates."""
    out = np.zeros((len(cands), len(DENSE_BLOCKS) * wv.dims), dtype=np.float32)
    d = wv.dims
    for i, c in enumerate(cands):
        out[i, 0:d] = wv.mean(_between(c))
        if c.trigger is not None:
            trig = _words(c, c.trigger[0], c.trigger[1])
            after = _words(c, c.trigger[1], c.trigger[1] + 30)[:2]
            out[i, d : 2 * d] = wv.mean(trig + after)
        out[i, 2 * d : 3 * d] = wv.mean([t for _, _, t in sentence_tokens(c.sentence)])
        if c.target is not None:
            out[i, 3 * d : 4 * d] = wv.mean(_words(c, c.target[0], c.target[1]))
    return out
