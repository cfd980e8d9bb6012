"""spaCy's entity recogniser with its greedy decoding batched over documents in numpy (same output).

Why: in ``en_core_web_sm`` the entity recogniser is the most expensive component, and most of
its time is not in its neural network but in the transition loop that turns the network's
scores into entities (measured: 1.7 of 2.7 CPU seconds on 100 news articles). That loop runs
one state at a time in compiled code, and spaCy 3.8's state accessors take a lock on every
call. The entity model is small and regular, so the loop vectorises well:

* the recogniser reads three tokens per state (the next word, the first word of the open
  entity, the word before the next one; ``StateC.set_context_tokens`` with three features)
  and takes exactly one action per word (B, I, L, U or O of a label; BILUO);
* no entity runs across a sentence start, so each sentence starts in the same state and
  decodes on its own: at step ``t`` every sentence of a batch looks at its word ``t``, and
  one step of all sentences is a few array operations: sum the three precomputed feature
  vectors, add the bias, maxout, one matrix product to the action scores, mask the actions
  that are not valid in each state, take the best. (Decoding documents instead takes as
  many steps as the longest document of a batch: in coding 200 news articles the
  recogniser cost 1.56 CPU s that way, 1.41 by sentences.)

The network (``tok2vec`` and the precomputed first layer) runs exactly as in spaCy; only the
decoding is ours. The validity rules are spaCy's ``BiluoPushDown`` rules for a document
without preset entities: no entity starts on whitespace or runs across a sentence start,
``I``/``L`` continue the open entity's label, a document's last word cannot be ``B`` or ``I``.
A batch that has preset entities (``doc.ents`` already set) goes to spaCy's own component,
which knows the extra rules for them. Ties between scores go to the first action, as in
spaCy. Scores come from numpy's matrix product instead of BLIS's, so in theory a near-tie
could be broken differently; ``benchmarks/fastner_check.py`` compares every token's entity
tags with spaCy's on real news, and tests/test_fastner.py on sentences of our own.

:func:`speed_up_ner` swaps the component into a loaded pipeline when it is a greedy
transition-based recogniser of this shape (otherwise it leaves the pipeline alone);
``POLYBIUS_FAST_PIPES=0`` turns it off, together with :mod:`polybius.fastpipes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

import numpy as np
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from thinc.api import NumpyOps

from polybius.blas import one_blas_thread
from polybius.fastpipes import swap_components

__all__ = ["FastEntityRecognizer", "UnsupportedRecognizer", "decode_entities", "speed_up_ner"]

# action kinds, in BILUO order; NEVER: an action that is never valid without preset entities
_B, _I, _L, _U, _O, _NEVER = range(6)


class UnsupportedRecognizer(ValueError):
    """The component is not a greedy three-feature BILUO recogniser this module reproduces."""


class _Actions:
    """The recogniser's actions as arrays: kind (B/I/L/U/O/never) and label number per class,
    and additive score masks (0 or -inf) for open and closed states."""

    def __init__(self, ner: EntityRecognizer) -> None:
        moves: Any = ner.moves
        n = int(moves.n_moves)
        kind = np.full(n, _NEVER, dtype=np.int64)
        label = np.zeros(n, dtype=np.int64)
        numbers: dict[str, int] = {}
        for i in range(n):
            name = str(moves.get_class_name(i))
            if name == "O":
                kind[i] = _O
            elif "-" in name:
                move, lab = name.split("-", 1)
                if move in ("B", "I", "L", "U") and lab:
                    kind[i] = "BILU".index(move)
                    label[i] = numbers.setdefault(lab, len(numbers) + 1)
            elif name not in ("M", ""):
                raise UnsupportedRecognizer(f"unknown action {name!r}")
        self.kind = kind
        self.label = label
        self.names = ["", *numbers]  # label number -> entity label
        is_b, is_i, is_l = kind == _B, kind == _I, kind == _L
        is_u, is_o = kind == _U, kind == _O
        # a closed state, by word category (last word, next word opens a sentence, space)
        closed = np.zeros((8, n), dtype=bool)
        for cat in range(8):
            last, nxt, space = bool(cat & 4), bool(cat & 2), bool(cat & 1)
            closed[cat] = (
                (is_b & (not last) & (not nxt) & (not space)) | (is_u & (not space)) | is_o
            )
        # an open state, by open label and whether the entity may go on past this word
        opened = np.zeros((len(self.names), 2, n), dtype=bool)
        for lab_no in range(1, len(self.names)):
            same = label == lab_no
            opened[lab_no, 0] = same & is_l
            opened[lab_no, 1] = same & (is_l | is_i)
        self.closed_mask = np.where(closed, 0.0, -np.inf).astype(np.float32)
        self.open_mask = np.where(opened, 0.0, -np.inf).astype(np.float32)


def _check(ner: EntityRecognizer) -> None:
    """Raise UnsupportedRecognizer unless ``ner`` has the shape this module decodes."""
    if not isinstance(ner, EntityRecognizer):
        raise UnsupportedRecognizer(f"{type(ner).__name__} is not an EntityRecognizer")
    if not isinstance(ner.model.ops, NumpyOps):
        raise UnsupportedRecognizer("not on the CPU (numpy) backend")
    if ner.cfg.get("beam_width", 1) != 1:
        raise UnsupportedRecognizer("beam search")
    layers = ner.model.layers
    if len(layers) != 3 or not ner.model.attrs.get("has_upper", False):
        raise UnsupportedRecognizer("no output layer")
    lower, upper = layers[1], layers[2]
    if lower.get_dim("nF") != 3 or upper.get_dim("nO") != int(cast(Any, ner.moves).n_moves):
        raise UnsupportedRecognizer("not three features per state")
    if ner.model.attrs.get("unseen_classes"):
        raise UnsupportedRecognizer("unseen classes")


def decode_entities(
    ner: EntityRecognizer, docs: Sequence[Doc], actions: _Actions | None = None
) -> list[list[tuple[int, int, str]]]:
    """The entities ``ner`` finds in each of ``docs`` (which must have no preset entities), as
    (start token, end token, label), decoded greedily for all their sentences at once."""
    actions = actions or _Actions(ner)
    lens = np.array([len(d) for d in docs], dtype=np.int64)
    out: list[list[tuple[int, int, str]]] = [[] for _ in docs]
    total = int(lens.sum())
    if total == 0:
        return out
    tok2vec, lower, upper = ner.model.layers
    cached = lower.predict(tok2vec.predict(list(docs)))  # (words + 1, 3, hidden, pieces)
    bias = lower.get_param("b").reshape(-1)  # (hidden * pieces), as the rows below
    weights_t = np.ascontiguousarray(upper.get_param("W").T)
    out_bias = upper.get_param("b")
    n_pieces = cached.shape[3]
    # row 3 * (word + 1) + feature of this table is that word's vector for the feature;
    # word -1 (row 0 of each feature) is the padding
    rows = cached.reshape(-1, cached.shape[2] * n_pieces)

    offsets = np.zeros(len(docs), dtype=np.int64)
    offsets[1:] = np.cumsum(lens)[:-1]
    flags = np.concatenate([d.to_array([SENT_START, IS_SPACE]) for d in docs if len(d)])
    last = np.zeros(total, dtype=bool)
    last[(offsets + lens - 1)[lens > 0]] = True
    nxt = np.zeros(total, dtype=bool)
    nxt[:-1] = flags[1:, 0] == 1
    nxt &= ~last
    category = last * 4 + nxt * 2 + (flags[:, 1] != 0)
    may_go_on = (~last & ~nxt).astype(np.int64)

    # No entity runs across a sentence start, so every sentence starts in the closed state
    # and decodes on its own: the loop runs over sentences (as many steps as the longest
    # sentence) instead of documents (as many as the longest document).
    seg_start = sentence_starts_of(offsets, lens, flags[:, 0] == 1)
    seg_len = np.diff(np.append(seg_start, total))
    order = np.argsort(-seg_len, kind="stable")  # longest first: the live ones are a prefix
    lens_s, offs_s = seg_len[order], seg_start[order]
    n_seg = len(seg_start)
    is_open = np.zeros(n_seg, dtype=bool)
    start = np.zeros(n_seg, dtype=np.int64)
    open_label = np.zeros(n_seg, dtype=np.int64)
    taken = np.zeros(total, dtype=np.int64)  # the action taken at each word
    kind, label = actions.kind, actions.label
    live = n_seg
    for t in range(int(lens_s[0])):
        while live and lens_s[live - 1] <= t:
            live -= 1
        g = offs_s[:live] + t
        op = is_open[:live]
        hidden = rows[3 * (g + 1)] + rows[np.where(op, 3 * (start[:live] + 1) + 1, 1)]
        hidden += rows[np.where(op, 3 * g + 2, 2)]
        hidden += bias
        pieces = hidden.reshape(live, -1, n_pieces)
        best = pieces[..., 0]
        for p in range(1, n_pieces):
            best = np.maximum(best, pieces[..., p])
        scores = best @ weights_t
        scores += out_bias
        scores += np.where(
            op[:, None],
            actions.open_mask[open_label[:live], may_go_on[g]],
            actions.closed_mask[category[g]],
        )
        guess = scores.argmax(axis=1)
        taken[g] = guess
        gk = kind[guess]
        begins = gk == _B
        start[:live] = np.where(begins, g, start[:live])
        open_label[:live] = np.where(begins, label[guess], open_label[:live])
        is_open[:live] = (op & (gk != _L)) | begins
    names = actions.names
    kinds, labs = kind[taken], label[taken]
    for j in range(len(docs)):
        a = int(offsets[j])
        row_kinds = kinds[a : a + lens[j]]
        row_labs = labs[a : a + lens[j]]
        ents = [(int(i), int(i) + 1, names[row_labs[i]]) for i in np.flatnonzero(row_kinds == _U)]
        begins_at = np.flatnonzero(row_kinds == _B)
        ends_at = np.flatnonzero(row_kinds == _L)
        ents += [
            (int(b), int(e) + 1, names[row_labs[b]])
            for b, e in zip(begins_at, ends_at, strict=True)
        ]
        ents.sort()
        out[j] = ents
    return out


def sentence_starts_of(offsets: np.ndarray, lens: np.ndarray, marked: np.ndarray) -> np.ndarray:
    """Indices, in the words of documents laid end to end (``offsets``, ``lens``), of the
    first word of every sentence: each non-empty document's first word and every word
    ``marked`` as a sentence start. (Shared with :mod:`polybius.fastparser`.)"""
    first = marked.copy()
    first[offsets[lens > 0]] = True
    return np.flatnonzero(first)


class FastEntityRecognizer:
    """A pipeline component that runs an adopted spaCy ``EntityRecognizer``'s network and
    decodes its entities with :func:`decode_entities`; spaCy's component handles batches with
    preset entities."""

    def __init__(self, name: str = "ner") -> None:
        self.name = name
        self.original: EntityRecognizer | None = None
        self._actions: _Actions | None = None

    def adopt(self, ner: EntityRecognizer) -> FastEntityRecognizer:
        """Take over ``ner`` (raises UnsupportedRecognizer for a shape not reproduced)."""
        _check(ner)
        self._actions = _Actions(ner)
        self.original = ner
        return self

    @property
    def model(self) -> Any:
        """The adopted component's thinc model (so :func:`polybius.blas.use_numpy_blas`
        reaches its layers)."""
        return cast(EntityRecognizer, self.original).model

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(cast(EntityRecognizer, self.original).labels)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """Like spaCy's: batches of ``batch_size``, each parsed in length-sorted sub-batches."""
        ner = cast(EntityRecognizer, self.original)
        for batch in minibatch(stream, size=batch_size):
            docs = list(batch)
            if any(d.has_annotation("ENT_IOB") for d in docs):
                yield from ner.pipe(docs, batch_size=batch_size)
                continue
            by_length = sorted(docs, key=len)
            # the decoding loop's small matrix products: one BLAS thread (a second one
            # mostly waits; polybius runs one process per core)
            with one_blas_thread():
                for sub in minibatch(by_length, size=max(batch_size // 4, 2)):
                    sub_docs = list(sub)
                    for doc, ents in zip(
                        sub_docs, decode_entities(ner, sub_docs, self._actions), strict=True
                    ):
                        _set_entities(doc, ents)
            yield from docs


def _set_entities(doc: Doc, ents: list[tuple[int, int, str]]) -> None:
    """Set the entities as spaCy's recogniser does: the spans, every other word O."""
    if not len(doc):
        return
    doc.set_ents([Span(doc, s, e, label=lab) for s, e, lab in ents], default="outside")


@Language.factory("polybius_fast_ner")
def _make_fast_ner(nlp: Language, name: str) -> FastEntityRecognizer:
    return FastEntityRecognizer(name)


def speed_up_ner(nlp: Language) -> list[str]:
    """Swap each greedy BILUO entity recogniser of ``nlp`` for a :class:`FastEntityRecognizer`;
    returns the names swapped. Does nothing when $POLYBIUS_FAST_PIPES is 0."""
    return swap_components(
        nlp, EntityRecognizer, _check, "polybius_fast_ner", UnsupportedRecognizer
    )
