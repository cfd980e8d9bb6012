"""polybius.fastembed gives every token the input vector spaCy's own embedding stage gives it.

The real model's embedding stages (the shared tok2vec's and the entity recogniser's) are run
on invented text with their original forward pass and with the remembered one, cold and
warm; the vector table itself is checked on random feature rows, with a bound small enough
to be reached, and from several threads at once.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, TAG

from polybius.fastembed import (
    EmbeddingCache,
    clear_embedding_caches,
    embedding_stages,
    speed_up_embeddings,
)
from polybius.fastpipes import FAST_PIPES_ENV
from polybius.nlp import DEFAULT_MODEL

TEXTS = [
    "Delegates from Chile and Norway signed a fisheries accord in Valparaiso on Monday.",
    "The ministry denied that troops had crossed the border near Kessel.",
    "",
    "Word word word word word word.",
    "  \n\n  She said: 'We will not negotiate.'  ",
    "Protesters marched on the parliament in Vilnius; police detained 14 people.",
]


@pytest.fixture(scope="module")
def pipes():
    """A stock pipeline and one with remembered embeddings (nothing else changed)."""
    stock = spacy.load(DEFAULT_MODEL)
    fast = spacy.load(DEFAULT_MODEL)
    assert speed_up_embeddings(fast) == 2  # the shared tok2vec's and the recogniser's
    return stock, fast


def _original(stage):
    return stage._func.original


def test_vectors_equal_the_original_forward_cold_and_warm(pipes):
    _, fast = pipes
    docs = [fast.make_doc(t) for t in TEXTS]
    clear_embedding_caches(fast)
    for stage in embedding_stages(fast):
        want, _ = _original(stage)(stage, docs, False)
        for _run in ("cold", "warm"):
            got = stage.predict(docs)
            assert len(got) == len(want)
            for g, w in zip(got, want, strict=True):
                assert g.shape == w.shape
                assert np.array_equal(g, w)


def test_parses_and_entities_equal_the_stock_pipeline(pipes):
    stock, fast = pipes
    cols = [TAG, DEP, HEAD, ENT_IOB, ENT_TYPE]
    for _ in range(2):  # the second pass reads every vector from the table
        for a, b in zip(stock.pipe(TEXTS), fast.pipe(TEXTS), strict=True):
            assert a.to_array(cols).tolist() == b.to_array(cols).tolist()


def test_training_calls_run_the_original_forward(pipes):
    _, fast = pipes
    docs = [fast.make_doc(t) for t in TEXTS[:2]]
    stage = embedding_stages(fast)[0]
    out, backprop = stage.begin_update(docs)  # training: dropout applies, so values differ
    want, _ = _original(stage)(stage, docs, False)
    assert [o.shape for o in out] == [w.shape for w in want]
    backprop([np.zeros_like(o) for o in out])  # the original's backprop (ours would raise)


def test_switched_off_by_the_fast_pipes_variable(monkeypatch):
    monkeypatch.setenv(FAST_PIPES_ENV, "0")
    nlp = spacy.load(DEFAULT_MODEL)
    assert speed_up_embeddings(nlp) == 0
    assert all(getattr(s._func, "cache", None) is None for s in embedding_stages(nlp))


def test_speeding_up_twice_changes_nothing_more(pipes):
    _, fast = pipes
    assert speed_up_embeddings(fast) == 0


def _fake_vectors(rows: np.ndarray) -> np.ndarray:
    """A deterministic stand-in for an embedding stage: one float vector per feature row."""
    r = rows.astype(np.float64)
    return np.stack([r.sum(1), r[:, 0] * 3.0 + 1.0, (r % 7).sum(1)], axis=1).astype(np.float32)


@settings(max_examples=60, deadline=None)
@given(
    batches=st.lists(
        st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=30),
        min_size=1,
        max_size=6,
    ),
    max_rows=st.integers(1, 12),
)
def test_table_answers_like_the_function_and_stays_bounded(batches, max_rows):
    calls: list[int] = []

    def compute(rows: np.ndarray) -> np.ndarray:
        calls.append(len(rows))
        return _fake_vectors(rows)

    cache = EmbeddingCache(compute, max_rows=max_rows)
    widest = 0  # a batch with more distinct rows than the bound is kept whole
    for batch in batches:
        feats = np.array(batch, dtype=np.uint64).reshape(len(batch), 2)
        got = cache.vectors(feats)
        assert np.array_equal(got, _fake_vectors(feats))
        widest = max(widest, len(set(batch)))
        assert len(cache.rows) <= max(max_rows, widest)
    # each distinct row of a batch is computed at most once per batch
    assert all(c <= 24 for c in calls)


def test_rows_seen_before_are_not_computed_again():
    calls: list[int] = []

    def compute(rows: np.ndarray) -> np.ndarray:
        calls.append(len(rows))
        return _fake_vectors(rows)

    cache = EmbeddingCache(compute)
    feats = np.array([[1, 2], [3, 4], [1, 2]], dtype=np.uint64)
    cache.vectors(feats)
    cache.vectors(np.array([[3, 4], [5, 6]], dtype=np.uint64))
    assert calls == [2, 1]


def test_threads_share_the_table_safely():
    cache = EmbeddingCache(_fake_vectors, max_rows=50)
    rng = np.random.default_rng(7)
    batches = [rng.integers(0, 40, size=(200, 3)).astype(np.uint64) for _ in range(40)]
    errors: list[str] = []

    def work(part: list[np.ndarray]) -> None:
        for feats in part:
            if not np.array_equal(cache.vectors(feats), _fake_vectors(feats)):
                errors.append("wrong vectors")

    threads = [threading.Thread(target=work, args=(batches[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
