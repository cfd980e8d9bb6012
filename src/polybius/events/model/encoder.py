"""A fine-tuned small transformer (MiniLM) event typer, run in plain numpy.

The model reads the candidate's sentence with the source, target and trigger marked by
punctuation the encoder already knows (``@ source @``, ``# target #``, ``^ trigger ^``; the
"typed entity marker (punct)" recipe of Zhou & Chen, 2021), encodes it with the BERT layers of
all-MiniLM-L6-v2 fine-tuned on PLV (``scripts/train_event_encoder.py``, JAX on CPU), and puts a
softmax over PLOVER types on the concatenated vectors of [CLS] and the three opening markers.

Shipped as ``polybius/data/models/event_encoder.npz``: float16 layer weights, the word-piece
embedding matrix as int8 with one scale per row, the word-piece vocabulary, and JSON metadata.
No pickle, no torch, no model hub: tokenisation is BERT's uncased basic tokenizer plus greedy
longest-match word pieces, written here. At run time the candidates' word pieces are stacked
without padding (:func:`packed_forward`); training and its checks use padded batches
(:func:`numpy_forward`).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from polybius.blas import one_blas_thread
from polybius.events.candidates import Candidate
from polybius.events.model.linear import ModelFileError, softmax
from polybius.events.model.static_vectors import greedy_pieces

__all__ = [
    "EncoderTyper",
    "EncoderFileError",
    "WordPiece",
    "encode_candidate",
    "MARKERS",
    "SLOTS",
    "MAX_LEN",
    "PACK_PIECES",
    "numpy_forward",
    "packed_forward",
]

#: Marker word pieces: opening and closing mark of each span.
MARKERS: dict[str, str] = {"source": "@", "target": "#", "trigger": "^"}
#: The vectors the classifier reads, in order ("cls" and the opening marker of each span;
#: a span that is absent reads the [CLS] vector instead).
SLOTS: tuple[str, ...] = ("cls", "source", "target", "trigger")
#: Longest input in word pieces, [CLS] and [SEP] included; longer inputs are windowed.
MAX_LEN = 96
#: Word pieces stacked into one forward pass (:meth:`EncoderTyper.logits`).
PACK_PIECES = 512


class EncoderFileError(ModelFileError):
    """The encoder file is missing, corrupt or of another format."""


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B81F
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def basic_tokens(text: str) -> list[str]:
    """BERT's uncased basic tokenisation: clean, lower-case, strip accents, split punctuation."""
    chars: list[str] = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD:
            continue
        cat = unicodedata.category(ch)
        if ch in "\t\n\r" or cat == "Zs":
            chars.append(" ")
        elif cat.startswith("C"):
            continue
        elif _is_cjk(cp):
            chars.append(f" {ch} ")
        else:
            chars.append(ch)
    out: list[str] = []
    for word in "".join(chars).split():
        word = unicodedata.normalize("NFD", word.lower())
        word = "".join(c for c in word if unicodedata.category(c) != "Mn")
        cur = ""
        for c in word:
            if _is_punct(c):
                if cur:
                    out.append(cur)
                    cur = ""
                out.append(c)
            else:
                cur += c
        if cur:
            out.append(cur)
    return out


@dataclass
class WordPiece:
    """Greedy longest-match word-piece tokenizer over a BERT vocabulary."""

    vocab: dict[str, int]
    unk: int = field(init=False)

    def __post_init__(self) -> None:
        self.unk = self.vocab["[UNK]"]
        self._word = lru_cache(maxsize=100_000)(self._word_ids)

    def _word_ids(self, word: str) -> tuple[int, ...]:
        if len(word) > 100:
            return (self.unk,)
        ids = greedy_pieces(word, self.vocab)
        return (self.unk,) if ids is None else tuple(ids)

    def ids(self, text: str) -> list[int]:
        """Word-piece ids of a text (no [CLS]/[SEP])."""
        out: list[int] = []
        for w in basic_tokens(text):
            out.extend(self._word(w))
        return out


def _spans(c: Candidate) -> dict[str, tuple[int, int]]:
    """The candidate's non-empty, non-overlapping spans to mark, by slot name."""
    spans: dict[str, tuple[int, int]] = {}
    if c.source[1] > c.source[0]:
        spans["source"] = c.source
    if c.target is not None and c.target[1] > c.target[0]:
        if not _overlaps(c.target, spans.values()):
            spans["target"] = c.target
    if c.trigger is not None and c.trigger[1] > c.trigger[0]:
        if not _overlaps(c.trigger, spans.values()):
            spans["trigger"] = c.trigger
    return spans


def _overlaps(span: tuple[int, int], others: Any) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)


def encode_candidate(
    c: Candidate, wp: WordPiece, max_len: int = MAX_LEN
) -> tuple[list[int], list[int]]:
    """(word-piece ids with [CLS]/[SEP], position of each SLOTS vector) for one candidate.

    The sentence is cut at the span boundaries, each piece tokenised, and the marker pieces
    put around the spans. Inputs longer than ``max_len`` keep a window around the markers.
    """
    spans = _spans(c)
    cuts: list[tuple[int, int, str]] = []  # (offset, 0 close / 1 open, slot)
    for name, (a, b) in spans.items():
        cuts += [(a, 1, name), (b, 0, name)]
    cuts.sort()
    body: list[int] = []
    where: dict[str, int] = {}
    pos = 0
    for off, opening, name in cuts:
        body.extend(wp.ids(c.sentence[pos:off]))
        pos = off
        if opening:
            where[name] = len(body)
        body.append(wp.vocab[MARKERS[name]])
    body.extend(wp.ids(c.sentence[pos:]))
    room = max_len - 2
    start = 0
    if len(body) > room:
        marks = sorted(where.values()) or [0]
        centre = (marks[0] + marks[-1]) // 2
        if marks[-1] - marks[0] < room - 8:
            start = max(0, min(marks[0] - 4, centre - room // 2))
            start = max(start, marks[-1] + 4 - room)
        else:
            start = centre - room // 2
        start = max(0, min(start, len(body) - room))
        body = body[start : start + room]
    ids = [wp.vocab["[CLS]"], *body, wp.vocab["[SEP]"]]
    slots = []
    for name in SLOTS:
        p = where.get(name)
        slots.append(p - start + 1 if p is not None and 0 <= p - start < room else 0)
    return ids, slots


def pad_batch(encoded: Sequence[tuple[list[int], list[int]]]) -> tuple[np.ndarray, ...]:
    """(ids, mask, slots) arrays for a batch, padded to its longest input."""
    length = max(len(ids) for ids, _ in encoded)
    ids_a = np.zeros((len(encoded), length), dtype=np.int32)
    mask = np.zeros((len(encoded), length), dtype=np.float32)
    slots = np.zeros((len(encoded), len(SLOTS)), dtype=np.int32)
    for i, (ids, sl) in enumerate(encoded):
        ids_a[i, : len(ids)] = ids
        mask[i, : len(ids)] = 1.0
        slots[i] = sl
    return ids_a, mask, slots


def _ln(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(-1, keepdims=True)
    return xc / np.sqrt(var + 1e-12) * w + b


#: Coefficients of the float32 rational approximation of erf on [-4, 4] used by Eigen
#: (``generic_fast_erf_float``, Eigen 3.3/3.4, MPL-2.0): erf(u) = u·P(u²)/Q(u²).
_ERF_P = np.array(
    [-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
     -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
     -1.60960333262415e-02],
    dtype=np.float32,
)  # fmt: skip
_ERF_Q = np.array(
    [-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
     -7.37332916720468e-03, -1.42647390514189e-02],
    dtype=np.float32,
)  # fmt: skip


def erf32(u: np.ndarray) -> np.ndarray:
    """erf of a float32 array: max absolute error 4.5e-7 against float64 erf, about 5x
    faster than ``scipy.special.erf`` (which is exact to 3e-8 but not vectorised), and
    GELU is a quarter of the encoder's time."""
    u = np.clip(u, -4.0, 4.0)
    u2 = u * u
    p = np.full_like(u2, _ERF_P[0])
    for c in _ERF_P[1:]:
        p *= u2
        p += c
    q = np.full_like(u2, _ERF_Q[0])
    for c in _ERF_Q[1:]:
        q *= u2
        q += c
    p *= u
    p /= q
    return p


def _dense(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``x @ w + b`` for x of shape (..., in), as one 2-D matrix product: numpy multiplies a
    3-D array by a matrix one 2-D slice at a time, which for a padded batch of 32 costs
    about 15% more than one product over all rows (the same numbers)."""
    out = x.reshape(-1, x.shape[-1]) @ w
    out += b
    return out.reshape(*x.shape[:-1], w.shape[1])


def _gelu(x: np.ndarray) -> np.ndarray:
    e = erf32(x * np.float32(1.0 / np.sqrt(2.0)))
    e += 1.0
    e *= x
    e *= 0.5
    return e


def numpy_forward(
    p: dict[str, np.ndarray],
    ids: np.ndarray,
    mask: np.ndarray,
    slots: np.ndarray,
    n_layers: int,
    n_heads: int,
) -> np.ndarray:
    """Class logits (batch, classes) of the fine-tuned encoder, float32 numpy.

    ``p`` holds the weights under the training script's names (``emb``, ``pos``, ``type``,
    ``emb_ln_w``/``_b``, ``L{i}.qkv_w``/``qkv_b``/``o_w``/``o_b``/``ln1_w``/``ln1_b``/
    ``ff1_w``/``ff1_b``/``ff2_w``/``ff2_b``/``ln2_w``/``ln2_b``, ``head_w``/``head_b``);
    matrices are (in, out).
    """
    bsz, seq = ids.shape
    x = p["emb"][ids] + p["pos"][:seq][None] + p["type"][0][None, None]
    x = _ln(x, p["emb_ln_w"], p["emb_ln_b"])
    dim = x.shape[-1]
    hd = dim // n_heads
    neg = ((1.0 - mask) * -1e9).astype(np.float32)[:, None, None, :]
    scale = np.float32(1.0 / np.sqrt(hd))
    rows = np.arange(bsz)[:, None]
    for i in range(n_layers):
        g = f"L{i}."
        if i == n_layers - 1:
            # Only the slot positions are read by the head: the last layer runs its
            # queries, feed-forward and norms on those alone (the same numbers, 1/6 less work).
            return (
                _last_layer(p, g, x, x[rows, slots], neg, n_heads, scale) @ p["head_w"]
                + p["head_b"]
            )
        qkv = _dense(x, p[g + "qkv_w"], p[g + "qkv_b"])
        qkv = qkv.reshape(bsz, seq, 3, n_heads, hd).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = (q @ k.transpose(0, 1, 3, 2)) * scale + neg
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(bsz, seq, dim)
        x = _ln(x + _dense(ctx, p[g + "o_w"], p[g + "o_b"]), p[g + "ln1_w"], p[g + "ln1_b"])
        h = _gelu(_dense(x, p[g + "ff1_w"], p[g + "ff1_b"]))
        x = _ln(x + _dense(h, p[g + "ff2_w"], p[g + "ff2_b"]), p[g + "ln2_w"], p[g + "ln2_b"])
    feats = x[rows, slots].reshape(bsz, -1)
    return feats @ p["head_w"] + p["head_b"]


def _last_layer(
    p: dict[str, np.ndarray],
    g: str,
    x: np.ndarray,
    xs: np.ndarray,
    neg: np.ndarray,
    n_heads: int,
    scale: np.float32,
) -> np.ndarray:
    """The final layer's output at the slot positions ``xs`` (batch, slots, dim), flattened.

    Keys and values come from every position ``x``; queries, the output projection, the
    feed-forward block and both norms only from the slots."""
    bsz, seq, dim = x.shape
    n_slots = xs.shape[1]
    hd = dim // n_heads
    w, b = p[g + "qkv_w"], p[g + "qkv_b"]
    q = _dense(xs, w[:, :dim], b[:dim]).reshape(bsz, n_slots, n_heads, hd).transpose(0, 2, 1, 3)
    kv = _dense(x, w[:, dim:], b[dim:]).reshape(bsz, seq, 2, n_heads, hd).transpose(2, 0, 3, 1, 4)
    att = (q @ kv[0].transpose(0, 1, 3, 2)) * scale + neg
    att = np.exp(att - att.max(-1, keepdims=True))
    att /= att.sum(-1, keepdims=True)
    ctx = (att @ kv[1]).transpose(0, 2, 1, 3).reshape(bsz, n_slots, dim)
    h = _ln(xs + _dense(ctx, p[g + "o_w"], p[g + "o_b"]), p[g + "ln1_w"], p[g + "ln1_b"])
    f = _gelu(_dense(h, p[g + "ff1_w"], p[g + "ff1_b"]))
    out = _ln(h + _dense(f, p[g + "ff2_w"], p[g + "ff2_b"]), p[g + "ln2_w"], p[g + "ln2_b"])
    return out.reshape(bsz, -1)


def packed_forward(
    p: dict[str, np.ndarray],
    encoded: Sequence[tuple[list[int], list[int]]],
    n_layers: int,
    n_heads: int,
) -> np.ndarray:
    """Class logits (n, classes) of several inputs at once, without padding: the same
    numbers as :func:`numpy_forward` (up to float rounding).

    The inputs' word pieces are stacked into one (total pieces, width) matrix, so every
    per-piece step (embeddings, projections, feed-forward, norms) is one large matrix
    product over all inputs; only attention runs input by input. A padded batch spends its
    products on padding and, for the one or two candidates of an article, on small
    matrices, which run at 85% of the speed of large ones here."""
    lens = [len(ids) for ids, _ in encoded]
    offs = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    ids = np.concatenate([np.asarray(i, dtype=np.int64) for i, _ in encoded])
    pos = np.concatenate([np.arange(n) for n in lens])
    x = _ln(p["emb"][ids] + p["pos"][pos] + p["type"][0], p["emb_ln_w"], p["emb_ln_b"])
    dim = x.shape[1]
    hd = dim // n_heads
    scale = np.float32(1.0 / np.sqrt(hd))
    n_slots = len(SLOTS)
    slot_rows = np.concatenate([offs[k] + np.asarray(sl) for k, (_, sl) in enumerate(encoded)])
    for i in range(n_layers):
        g = f"L{i}."
        last = i == n_layers - 1
        w, b = p[g + "qkv_w"], p[g + "qkv_b"]
        kv = x @ w[:, dim:]
        kv += b[dim:]
        # the head reads only the slot positions: the last layer's queries, feed-forward
        # and norms run there alone
        base = x[slot_rows] if last else x
        q = base @ w[:, :dim]
        q += b[:dim]
        ctx = np.empty_like(q)
        for k in range(len(encoded)):
            a, e = offs[k], offs[k + 1]
            rows = slice(n_slots * k, n_slots * (k + 1)) if last else slice(a, e)
            qk = q[rows].reshape(-1, n_heads, hd).transpose(1, 0, 2)
            keys = kv[a:e, :dim].reshape(-1, n_heads, hd).transpose(1, 2, 0)
            vals = kv[a:e, dim:].reshape(-1, n_heads, hd).transpose(1, 0, 2)
            att = (qk @ keys) * scale
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx[rows] = (att @ vals).transpose(1, 0, 2).reshape(-1, dim)
        h = ctx @ p[g + "o_w"]
        h += p[g + "o_b"]
        h += base
        h = _ln(h, p[g + "ln1_w"], p[g + "ln1_b"])
        f = _gelu(_dense(h, p[g + "ff1_w"], p[g + "ff1_b"]))
        out = f @ p[g + "ff2_w"]
        out += p[g + "ff2_b"]
        out += h
        x = _ln(out, p[g + "ln2_w"], p[g + "ln2_b"])
    return x.reshape(len(encoded), -1) @ p["head_w"] + p["head_b"]


@dataclass
class EncoderTyper:
    """The fine-tuned encoder: ``scores(cands)`` gives class probabilities, numpy only."""

    params: dict[str, np.ndarray]
    vocab: list[str]
    classes: list[str]
    meta: dict[str, Any]
    _wp: WordPiece | None = field(default=None, repr=False)

    @property
    def wordpiece(self) -> WordPiece:
        """The tokenizer over this model's vocabulary."""
        if self._wp is None:
            self._wp = WordPiece({p: i for i, p in enumerate(self.vocab)})
        return self._wp

    @property
    def n_layers(self) -> int:
        """Transformer layers kept."""
        return int(self.meta["n_layers"])

    def encode(self, cands: Sequence[Candidate]) -> list[tuple[list[int], list[int]]]:
        """Word-piece ids and slot positions of each candidate."""
        max_len = int(self.meta.get("max_len", MAX_LEN))
        return [encode_candidate(c, self.wordpiece, max_len) for c in cands]

    def logits(self, cands: Sequence[Candidate]) -> np.ndarray:
        """(n, classes) logits, :func:`packed_forward` over runs of candidates of at most
        ``PACK_PIECES`` word pieces (measured on 225 news candidates: runs of 512 pieces
        cost 1.4x less CPU than padded batches of one article's candidates; runs of 4,096
        lose a tenth of that to cache misses).

        The matrix products run on one BLAS thread: they are small enough that a second
        thread mostly spins, and coding already runs one process per core (measured with
        padded batches: CPU time of typing 1.8x lower than with one thread per core)."""
        enc = self.encode(cands)
        out = np.zeros((len(cands), len(self.classes)), dtype=np.float32)
        n_heads = int(self.meta["n_heads"])
        with one_blas_thread():
            start = 0
            while start < len(enc):
                end, pieces = start, 0
                while end < len(enc) and (end == start or pieces + len(enc[end][0]) <= PACK_PIECES):
                    pieces += len(enc[end][0])
                    end += 1
                out[start:end] = packed_forward(self.params, enc[start:end], self.n_layers, n_heads)
                start = end
        return out

    def scores(self, cands: Sequence[Candidate]) -> tuple[np.ndarray, None]:
        """(probabilities (n, classes), None): the same shape of answer as LinearTyper."""
        if not cands:
            return np.zeros((0, len(self.classes)), dtype=np.float32), None
        return softmax(self.logits(cands)), None

    def save(self, path: Path) -> None:
        """Write the ``.npz``: float16 weights, int8 embedding rows with scales, vocab, meta."""
        arrays: dict[str, np.ndarray] = {}
        for k, v in self.params.items():
            if k == "emb":
                scale = np.maximum(np.abs(v).max(axis=1), 1e-8) / 127.0
                arrays["emb_q"] = np.round(v / scale[:, None]).astype(np.int8)
                arrays["emb_scale"] = scale.astype(np.float32)
            else:
                arrays["w_" + k] = v.astype(np.float16)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {**self.meta, "classes": self.classes, "kind": "encoder"}
        arrays["vocab"] = np.array(self.vocab, dtype=np.str_)
        arrays["meta"] = np.array(json.dumps(meta))
        with path.open("wb") as fh:
            np.savez_compressed(fh, allow_pickle=False, **arrays)

    @classmethod
    def load(cls, path: Path) -> EncoderTyper:
        """Read a file written by :meth:`save`; EncoderFileError when it is not one."""
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                if meta.get("kind") != "encoder":
                    raise EncoderFileError(f"{path} is not an event encoder file")
                params = {k[2:]: z[k].astype(np.float32) for k in z.files if k.startswith("w_")}
                params["emb"] = z["emb_q"].astype(np.float32) * z["emb_scale"][:, None]
                vocab = z["vocab"].tolist()
        except (OSError, KeyError, ValueError) as exc:
            raise EncoderFileError(f"cannot read event encoder {path}: {exc}") from exc
        return cls(params=params, vocab=vocab, classes=list(meta["classes"]), meta=meta)
