"""Remember each word's input vector in spaCy's tok2vec layers instead of recomputing it.

Why: the first half of a spaCy CNN ``tok2vec`` (``MultiHashEmbed``) turns every token into a
vector from its lexical features alone: the NORM, PREFIX, SUFFIX and SHAPE hashes (and, in
the shared ``tok2vec`` of ``en_core_web_sm``, SPACY and IS_SPACE) are looked up in hash
tables, concatenated and mixed by a maxout layer with layer normalisation. Nothing about the
token's neighbours enters until the CNN that follows. News repeats its words, so most of that
work is done again for a row of features already seen: on 200 news articles the two
embedding stages (the shared ``tok2vec`` and the entity recogniser's own) cost about 0.86 of
the 6.1 CPU seconds of polybius's parse (docs/performance.md).

:func:`speed_up_embeddings` changes the forward pass of each such embedding stage, at
inference only: the stage's own feature extractor reads the feature rows, the rows not yet
seen go through the stage's own hash tables and mixer (all at once), their vectors are kept
in a table keyed by the row, and every token's vector is gathered from that table. The
result is a function of the feature row alone, as before; only the number of rows in each
matrix product changes, which could change float rounding in the last bit
(``benchmarks/fastembed_check.py`` compares tags, parses and entities on every token of real
news, and tests/test_fastembed.py the vectors themselves). Training calls (``is_train``) run
the original forward pass. The table is bounded (:data:`MAX_ROWS` rows per stage, about 38
MB at width 96) and emptied when full. ``POLYBIUS_FAST_PIPES=0`` leaves the pipeline alone,
with the other spaCy speed-ups.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from spacy.language import Language
from thinc.api import Model

from polybius.fastpipes import fast_pipes_on, pipeline_layers

__all__ = [
    "EmbeddingCache",
    "MAX_ROWS",
    "clear_embedding_caches",
    "embedding_stages",
    "speed_up_embeddings",
]

#: Most feature rows whose vectors one embedding stage keeps before it starts afresh.
MAX_ROWS = 100_000


class EmbeddingCache:
    """The vectors of the feature rows one embedding stage has seen, keyed by the row's bytes.

    ``rows`` maps a row's bytes to its index in ``table``; ``compute`` gives the vectors of
    new rows (an array of feature rows in, one float vector per row out). Thread-safe: the web
    server codes requests in threads, so lookups and insertions share one lock.
    """

    def __init__(self, compute: Callable[[np.ndarray], np.ndarray], max_rows: int = MAX_ROWS):
        self.compute = compute
        self.max_rows = max_rows
        self.rows: dict[bytes, int] = {}
        self.table: np.ndarray | None = None
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every vector (the next calls compute them again)."""
        with self._lock:
            self.rows.clear()
            self.table = None

    def vectors(self, features: np.ndarray) -> np.ndarray:
        """One vector per row of ``features`` (n x k unsigned ints): cached or computed."""
        n, k = features.shape
        if n == 0:
            return self.compute(features)
        feats = np.ascontiguousarray(features, dtype=np.uint64)
        keys = feats.view(np.dtype((np.void, 8 * k))).ravel()
        uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        with self._lock:
            index = np.empty(len(uniq), dtype=np.int64)
            missing: list[int] = []
            key_list = uniq.tolist()
            for i, key in enumerate(key_list):
                at = self.rows.get(key)
                if at is None:
                    missing.append(i)
                else:
                    index[i] = at
            if missing:
                if len(self.rows) + len(missing) > self.max_rows:
                    self.rows.clear()
                    self.table = None
                    missing = list(range(len(uniq)))
                new = self.compute(feats[first[missing]])
                start = len(self.rows)
                self._store(start, new)
                for j, i in enumerate(missing):
                    self.rows[key_list[i]] = start + j
                    index[i] = start + j
            table = self.table
        assert table is not None
        return table[index[inverse.ravel()]]

    def _store(self, start: int, new: np.ndarray) -> None:
        """Write ``new`` at ``start`` in the table, growing it by doubling."""
        need = start + len(new)
        if self.table is None or self.table.shape[1:] != new.shape[1:]:
            self.table = np.empty((max(1024, need),) + new.shape[1:], dtype=new.dtype)
        elif need > len(self.table):
            grown = np.empty((max(need, 2 * len(self.table)),) + new.shape[1:], dtype=new.dtype)
            grown[:start] = self.table[:start]
            self.table = grown
        self.table[start:need] = new


def _is_embedding_stage(model: Model) -> bool:
    """Is ``model`` a ``MultiHashEmbed``: features, list2ragged, tables, mixer, ragged2list?"""
    names = [layer.name for layer in model.layers]
    return (
        len(names) == 5
        and names[0] == "extract_features"
        and names[1] == "list2ragged"
        and names[2].startswith("with_array(")
        and "hashembed" in names[2]
        and names[3].startswith("with_array(")
        and names[4] == "ragged2list"
    )


def embedding_stages(nlp: Language) -> list[Model]:
    """Every ``MultiHashEmbed`` stage inside the pipeline's components (each once)."""
    found = {node.id: node for node in pipeline_layers(nlp) if _is_embedding_stage(node)}
    return list(found.values())


def _cached_forward(original: Callable[..., Any], cache: EmbeddingCache) -> Callable[..., Any]:
    def forward(model: Model, docs: Any, is_train: bool) -> Any:
        if is_train:
            return original(model, docs, is_train)
        extract = model.layers[0]
        features = extract.predict(docs)
        lengths = [len(f) for f in features]
        if not features:
            return [], _no_backprop
        vectors = cache.vectors(np.concatenate(features))
        out = np.split(vectors, np.cumsum(lengths)[:-1])
        return out, _no_backprop

    forward.cache = cache  # type: ignore[attr-defined]
    forward.original = original  # type: ignore[attr-defined]
    return forward


def _no_backprop(_d: Any) -> Any:
    raise RuntimeError("polybius.fastembed replaces the embedding stage at inference only")


def _stage_compute(model: Model) -> Callable[[np.ndarray], np.ndarray]:
    tables, mixer = model.layers[2], model.layers[3]

    def compute(rows: np.ndarray) -> np.ndarray:
        return np.asarray(mixer.predict(tables.predict(rows)))

    return compute


def speed_up_embeddings(nlp: Language, max_rows: int = MAX_ROWS) -> int:
    """Give each embedding stage of ``nlp`` a table of the vectors it has computed; returns
    how many stages were changed. Does nothing when $POLYBIUS_FAST_PIPES is 0."""
    if not fast_pipes_on():
        return 0
    changed = 0
    for stage in embedding_stages(nlp):
        if _cache_of(stage) is not None:
            continue
        cache = EmbeddingCache(_stage_compute(stage), max_rows)
        stage._func = _cached_forward(stage._func, cache)
        changed += 1
    return changed


def _cache_of(stage: Model) -> EmbeddingCache | None:
    return getattr(stage._func, "cache", None)


def clear_embedding_caches(nlp: Language) -> int:
    """Empty the vector table of every sped-up embedding stage of ``nlp`` (for benchmarks
    that time a cold start); returns how many were emptied."""
    caches = [c for c in map(_cache_of, embedding_stages(nlp)) if c is not None]
    for cache in caches:
        cache.clear()
    return len(caches)
