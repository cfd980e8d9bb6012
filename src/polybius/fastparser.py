"""spaCy's dependency parser with its greedy transition loop batched over sentences in numpy
(same parses).

Why: after polybius's other speed-ups, the parser's transition loop was the largest single
cost left in parsing (about 13% of coding an article). spaCy runs it in compiled code, one
state at a time, with generic (not vectorised) BLIS kernels on this CPU and a lock taken by
every state accessor. polybius fixes every sentence start before parsing (every word is
marked as starting a sentence or as unable to), and that makes the sentences independent:

* a word that starts a sentence can enter the stack only by SHIFT, which then needs an
  empty stack, and no arc may join it to the words before it; so when the parser reaches a
  sentence start, everything before it is finished, and the state is the initial one;
* so every sentence of a batch is parsed at once, one step of all of them being a few array
  operations: read the eight feature words of each state (``StateC.set_context_tokens``
  with eight features: the first two buffer words, the top three stack words, the last
  left child of the first buffer word and the last left and right child of the top stack
  word), sum their precomputed vectors in spaCy's order, add the bias, maxout, one matrix
  product to the action scores, mask the actions that are not valid (spaCy's ``ArcEager``
  rules), take the best, and apply it.

The feature words, the buffer length and the validity rules are those of the whole
document, so a sentence's last steps see the next sentence's first words exactly as spaCy's
do. The network (``tok2vec`` listener and the precomputed first layer) is spaCy's own;
heads and labels are written with ``Doc.from_array`` (which sets children, edges and
sentence starts as the parser's ``set_annotations`` does) and spaCy's own post-processing
(``deprojectivize``) runs after. Scores come from numpy's matrix product instead of BLIS's,
so in theory a near-tie could be broken differently; ``benchmarks/fastparser_check.py``
compares every token's head and label with spaCy's on real news, and
tests/test_fastparser.py on sentences of our own.

Documents with a sentence start left open (a word that may or may not start one), an
existing parse, or a parser of another shape go to spaCy's own component.
:func:`speed_up_parser` swaps the component into a loaded pipeline;
``POLYBIUS_FAST_PIPES=0`` turns it off, together with :mod:`polybius.fastpipes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

import numpy as np
from spacy.attrs import DEP, HEAD, SENT_START
from spacy.language import Language
from spacy.pipeline import DependencyParser
from spacy.tokens import Doc
from spacy.util import minibatch
from thinc.api import NumpyOps

from polybius.blas import one_blas_thread
from polybius.fastner import sentence_starts_of
from polybius.fastpipes import swap_components

__all__ = ["FastDependencyParser", "UnsupportedParser", "parse_arcs", "speed_up_parser"]

#: Documents whose sentences one pass of the transition loop parses together (in
#: coding, a batch holds up to 128 runs of sentences: all of them).
GROUP = 128
# spaCy's ArcEager move numbers
_SHIFT, _REDUCE, _LEFT, _RIGHT, _BREAK = range(5)


class UnsupportedParser(ValueError):
    """The component is not a greedy eight-feature arc-eager parser this module reproduces,
    or a batch needs a case it does not (spaCy's component then parses it)."""


class _Moves:
    """The parser's actions as arrays: move kind and label per class."""

    def __init__(self, parser: DependencyParser) -> None:
        moves: Any = parser.moves
        n = int(moves.n_moves)
        kinds = {"S": _SHIFT, "D": _REDUCE, "L": _LEFT, "R": _RIGHT, "B": _BREAK}
        self.kind = np.zeros(n, dtype=np.int64)
        self.label: list[str] = []
        for i in range(n):
            name = str(moves.get_class_name(i))
            move, _, label = name.partition("-")
            if move not in kinds:
                raise UnsupportedParser(f"unknown action {name!r}")
            if label == "subtok":
                raise UnsupportedParser("the parser learns tokens (subtok)")
            self.kind[i] = kinds[move]
            self.label.append(label)
        self.root = "ROOT"
        # additive score masks by validity code (1: SHIFT valid, 2: REDUCE, 4: LEFT and
        # RIGHT); BREAK is never valid when every sentence start is fixed
        ok = np.zeros((8, n), dtype=bool)
        for code in range(8):
            ok[code] = (
                ((code & 1) > 0) & (self.kind == _SHIFT)
                | ((code & 2) > 0) & (self.kind == _REDUCE)
                | ((code & 4) > 0) & ((self.kind == _LEFT) | (self.kind == _RIGHT))
            )
        self.penalty = np.where(ok, 0.0, -np.inf).astype(np.float32)


def _check(parser: DependencyParser) -> None:
    """Raise UnsupportedParser unless ``parser`` has the shape this module decodes."""
    if type(parser) is not DependencyParser:
        raise UnsupportedParser(f"{type(parser).__name__} is not a DependencyParser")
    if type(parser.moves).__name__ != "ArcEager":
        raise UnsupportedParser("not the arc-eager transition system")
    if not isinstance(parser.model.ops, NumpyOps):
        raise UnsupportedParser("not on the CPU (numpy) backend")
    if parser.cfg.get("beam_width", 1) != 1:
        raise UnsupportedParser("beam search")
    layers = parser.model.layers
    if len(layers) != 3 or not parser.model.attrs.get("has_upper", False):
        raise UnsupportedParser("no output layer")
    lower, upper = layers[1], layers[2]
    if lower.get_dim("nF") != 8 or upper.get_dim("nO") != int(cast(Any, parser.moves).n_moves):
        raise UnsupportedParser("not eight features per state")
    if lower.get_dim("nP") < 2:
        raise UnsupportedParser("no maxout")
    if parser.model.attrs.get("unseen_classes"):
        raise UnsupportedParser("unseen classes")
    _Moves(parser)


def _preset(docs: Sequence[Doc]) -> bool:
    """Whether every word of ``docs`` is fixed as starting a sentence or not, and no doc is
    parsed already: the case :func:`parse_arcs` handles."""
    for d in docs:
        if not len(d):
            continue
        if d.has_annotation("DEP"):
            return False
        flags = d.to_array([SENT_START]).astype(np.int64)
        if not np.all((flags == 1) | (flags == -1)):
            return False
    return True


def parse_arcs(
    parser: DependencyParser,
    docs: Sequence[Doc],
    moves: _Moves | None = None,
    network_batch: int | None = None,
) -> list[tuple[np.ndarray, list[str]]]:
    """(head of each word, label of each word) for each of ``docs`` as ``parser`` parses
    them greedily; heads are token indices within the doc (a root is its own head, with
    label ROOT). Every word must be fixed as starting a sentence or not (see
    :func:`_preset`). Raises UnsupportedParser in a case it does not reproduce.

    The network runs on consecutive slices of ``network_batch`` docs (all at once when
    None), as spaCy's component runs it on its length-sorted sub-batches; the transition
    loop then runs over the sentences of all of them together (fewer, fuller steps)."""
    moves = moves or _Moves(parser)
    lens = np.array([len(d) for d in docs], dtype=np.int64)
    total = int(lens.sum())
    out: list[tuple[np.ndarray, list[str]]] = []
    if total == 0:
        return [(np.zeros(0, dtype=np.int64), []) for _ in docs]
    tok2vec, lower, upper = parser.model.layers
    step = network_batch or len(docs)
    slices = [list(docs[i : i + step]) for i in range(0, len(docs), step)]
    # each part is (words + 1, features, hidden, pieces); row 0 is the padding vector, the
    # same for every call, so the words of all parts follow one padding row
    parts = [lower.predict(tok2vec.predict(s)) for s in slices if sum(map(len, s))]
    cached = np.concatenate([parts[0], *(p[1:] for p in parts[1:])]) if len(parts) > 1 else parts[0]
    bias_flat = lower.get_param("b").reshape(-1)  # (hidden * pieces), as the rows
    weights_t = np.ascontiguousarray(upper.get_param("W").T)
    out_bias = upper.get_param("b")
    n_feats, n_pieces = cached.shape[1], cached.shape[3]
    penalty = moves.penalty

    offsets = np.zeros(len(docs), dtype=np.int64)
    offsets[1:] = np.cumsum(lens)[:-1]
    flags = np.concatenate([d.to_array([SENT_START]).astype(np.int64) for d in docs if len(d)])
    is_start = np.append(flags == 1, False)  # index -1 (no word) reads False
    cannot = np.append(flags == -1, False)
    doc_end_of = np.repeat(offsets + lens, lens)

    seg_start = sentence_starts_of(offsets, lens, flags == 1)
    seg_end = np.append(seg_start[1:], total)
    n_seg = len(seg_start)
    width = int((seg_end - seg_start).max())
    doc_end = doc_end_of[seg_start]

    # the stack keeps three -1 columns in front (S0, S1, S2 of a shallow stack read "no
    # word"), the re-buffer two; item k of either sits after them
    stack = np.full((n_seg, width + 3), -1, dtype=np.int64)
    depth = np.zeros(n_seg, dtype=np.int64)
    rebuf = np.full((n_seg, width + 2), -1, dtype=np.int64)
    rb = np.zeros(n_seg, dtype=np.int64)
    b = seg_start.copy()
    # per word (index total: "no word", always -1 / False)
    head = np.full(total + 1, -1, dtype=np.int64)
    label = np.zeros(total + 1, dtype=np.int64)
    unshiftable = np.zeros(total + 1, dtype=bool)
    last_left = np.full(total + 1, -1, dtype=np.int64)
    last_right = np.full(total + 1, -1, dtype=np.int64)
    prev_left = np.full(total + 1, -1, dtype=np.int64)
    prev_right = np.full(total + 1, -1, dtype=np.int64)
    kind_of = moves.kind
    rows_of = cached.reshape(-1, cached.shape[2] * n_pieces)  # row 8 * (word + 1) + feature
    feature_no = np.arange(n_feats)
    stack_cols = np.array([2, 1, 0])

    live = np.arange(n_seg)
    with one_blas_thread():
        while len(live):
            d = depth[live]
            r = rb[live]
            bb = b[live]
            de = doc_end[live]
            s012 = stack[live[:, None], d[:, None] + stack_cols]
            s0 = s012[:, 0]
            b_here = np.where(bb < de, bb, -1)
            b0 = np.where(r >= 1, rebuf[live, r + 1], b_here)
            b_next = np.where(bb + 1 < de, bb + 1, -1)
            b1 = np.where(r >= 2, rebuf[live, r], np.where(r == 1, b_here, b_next))
            ids = np.stack(
                [b0, b1, s0, s012[:, 1], s012[:, 2], last_left[b0], last_left[s0], last_right[s0]],
                axis=1,
            )
            # each state's feature rows (row 0 of each feature: padding), summed in spaCy's
            # order, plus the bias, then maxout
            hidden = _sum_rows(rows_of[(ids + 1) * n_feats + feature_no])
            hidden += bias_flat
            pieces = hidden.reshape(len(live), -1, n_pieces)
            best = pieces[..., 0]
            for p in range(1, n_pieces):
                best = np.maximum(best, pieces[..., p])
            scores = best @ weights_t
            scores += out_bias

            has_s0 = d >= 1
            buf_len = (de - bb) + r
            b0_start = is_start[b0]
            shift_ok = ~has_s0 | ((buf_len >= 2) & ~b0_start & ~unshiftable[b0])
            reduce_ok = has_s0 & ((buf_len == 0) | ~((d == 1) & cannot[b0]))
            arc_ok = has_s0 & (buf_len > 0) & ~b0_start
            code = shift_ok + 2 * reduce_ok + 4 * arc_ok.astype(np.int64)
            if not code.all():
                raise UnsupportedParser("a state with no valid action")
            scores += penalty[code]
            guess = scores.argmax(axis=1)
            kind = kind_of[guess]

            # arcs first (they read S0 and B0 before the stack moves)
            is_left, is_right = kind == _LEFT, kind == _RIGHT
            arc = is_left | is_right
            if arc.any():
                h = np.where(is_left, b0, s0)[arc]
                c = np.where(is_left, s0, b0)[arc]
                _add_arcs(
                    h, c, guess[arc], head, label, last_left, last_right, prev_left, prev_right
                )
                unshiftable[b0[is_left]] = False  # LEFT: set_reshiftable(B0)
            # REDUCE: pop, or put a headless S0 back on the buffer
            is_reduce = kind == _REDUCE
            unshift = is_reduce & (head[s0] < 0) & (d > 1)
            if unshift.any():
                rows, items = live[unshift], s0[unshift]
                unshiftable[items] = True
                rebuf[rows, rb[rows] + 2] = items
                rb[rows] += 1
            depth[live[is_reduce | is_left]] -= 1
            # SHIFT and RIGHT push B0 (from the re-buffer first)
            push = (kind == _SHIFT) | is_right
            if push.any():
                rows, items = live[push], b0[push]
                from_rebuf = rb[rows] > 0
                rb[rows[from_rebuf]] -= 1
                b[rows[~from_rebuf]] += 1
                stack[rows, depth[rows] + 3] = items
                depth[rows] += 1
            done = (depth[live] == 0) & (rb[live] == 0) & (b[live] == seg_end[live])
            live = live[~done]

    names = moves.label
    for j in range(len(docs)):
        a, n = int(offsets[j]), int(lens[j])
        heads = head[a : a + n]
        own = heads < 0
        rel = np.where(own, np.arange(a, a + n), heads) - a
        labs = [moves.root if own[i] else names[label[a + i]] for i in range(n)]
        out.append((rel, labs))
    return out


def _sum_rows(g: np.ndarray) -> np.ndarray:
    """``g[:, 0] + g[:, 1] + ...`` added in that order, as spaCy's ``sum_state_features``
    does (numpy reduces over a non-innermost axis one slice after another, so this is the
    same float sum, bit for bit: tests/test_fastparser.py checks it)."""
    return np.add.reduce(g, axis=1)


def _add_arcs(
    h: np.ndarray,
    c: np.ndarray,
    classes: np.ndarray,
    head: np.ndarray,
    label: np.ndarray,
    last_left: np.ndarray,
    last_right: np.ndarray,
    prev_left: np.ndarray,
    prev_right: np.ndarray,
) -> None:
    """``StateC.add_arc`` for arcs h -> c (one per sentence): a child's earlier arc is
    deleted first. spaCy keeps each head's arcs in a list and reads the last one as its
    last left or right child; deleting the last arc pops it, which this tracks with a link
    to the arc before. (Deleting an earlier one does not happen in arc-eager parsing; if it
    did, UnsupportedParser.)"""
    old = head[c]
    had = old >= 0
    if had.any():
        oh, oc = old[had], c[had]
        left_old = oh > oc
        last = np.where(left_old, last_left[oh], last_right[oh])
        if not np.all(last == oc):
            raise UnsupportedParser("an arc deleted from the middle of its head's list")
        lo, ro = left_old, ~left_old
        last_left[oh[lo]] = prev_left[oc[lo]]
        last_right[oh[ro]] = prev_right[oc[ro]]
    left = h > c
    hl, cl = h[left], c[left]
    prev_left[cl] = last_left[hl]
    last_left[hl] = cl
    hr, cr = h[~left], c[~left]
    prev_right[cr] = last_right[hr]
    last_right[hr] = cr
    head[c] = h
    label[c] = classes


class FastDependencyParser:
    """A pipeline component that runs an adopted spaCy ``DependencyParser``'s network and
    decodes its parses with :func:`parse_arcs`; spaCy's component handles the batches this
    module does not."""

    def __init__(self, name: str = "parser") -> None:
        self.name = name
        self.original: DependencyParser | None = None
        self._moves: _Moves | None = None

    def adopt(self, parser: DependencyParser) -> FastDependencyParser:
        """Take over ``parser`` (raises UnsupportedParser for a shape not reproduced)."""
        _check(parser)
        self._moves = _Moves(parser)
        self.original = parser
        return self

    @property
    def model(self) -> Any:
        """The adopted component's thinc model (so :func:`polybius.blas.use_numpy_blas`
        reaches its layers, and the shared tok2vec finds its listener)."""
        return cast(DependencyParser, self.original).model

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(cast(DependencyParser, self.original).labels)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """Like spaCy's: batches of ``batch_size``, each parsed in length-sorted sub-batches."""
        parser = cast(DependencyParser, self.original)
        for batch in minibatch(stream, size=batch_size):
            docs = list(batch)
            if not _preset(docs):
                yield from parser.pipe(docs, batch_size=batch_size)
                continue
            by_length = sorted(docs, key=len)
            # the network runs on spaCy's sub-batches; the loop on groups of them, of about
            # GROUP documents (a bound on the precomputed features held at once)
            sub = max(batch_size // 4, 2)
            group = sub * max(1, GROUP // sub)
            try:
                parses = [
                    p
                    for i in range(0, len(by_length), group)
                    for p in parse_arcs(parser, by_length[i : i + group], self._moves, sub)
                ]
            except UnsupportedParser:
                yield from parser.pipe(docs, batch_size=batch_size)
                continue
            for doc, (heads, labs) in zip(by_length, parses, strict=True):
                _set_parse(parser, doc, heads, labs)
            yield from docs


def _set_parse(parser: DependencyParser, doc: Doc, heads: np.ndarray, labels: list[str]) -> None:
    """Write heads and labels as the parser's ``set_annotations`` does, then its
    post-processing (``deprojectivize``)."""
    if not len(doc):
        return
    strings = doc.vocab.strings
    arr = np.zeros((len(doc), 2), dtype=np.uint64)
    arr[:, 0] = (heads - np.arange(len(doc))).astype(np.int64).view(np.uint64)
    arr[:, 1] = [strings.add(x) for x in labels]
    doc.from_array([HEAD, DEP], arr)  # type: ignore[arg-type]
    for hook in parser.postprocesses:
        hook(doc)


@Language.factory("polybius_fast_parser")
def _make_fast_parser(nlp: Language, name: str) -> FastDependencyParser:
    return FastDependencyParser(name)


def speed_up_parser(nlp: Language) -> list[str]:
    """Swap each greedy arc-eager parser of ``nlp`` for a :class:`FastDependencyParser`;
    returns the names swapped. Does nothing when $POLYBIUS_FAST_PIPES is 0."""
    return swap_components(nlp, DependencyParser, _check, "polybius_fast_parser", UnsupportedParser)
