"""spaCy's CNN token encoders run as a few numpy operations per layer, with the same numbers.

Why: after the embedding tables (:mod:`polybius.fastembed`), a CNN ``tok2vec`` of
``en_core_web_sm`` (the shared ``tok2vec`` and the entity recogniser's own) runs four
blocks of ``residual(expand_window >> maxout >> layernorm >> dropout)`` over every token of
a batch. Each block's matrix product already runs at this core's float32 speed, but what
thinc does around it costs about half as much again: ``NumpyOps.maxout`` also finds the
winning piece of each unit (needed only for training) in a loop over units, and every
step allocates fresh arrays (fresh pages) the size of the batch. On 600 news articles
these steps were about a tenth of polybius's coding CPU.

:func:`speed_up_cnn` gives each such stage (the chain of residual blocks, or the single
``maxout >> layernorm >> dropout`` that mixes the embedding tables) a forward pass that, at
inference only:

* builds the window of each token (``seq2col``) in a buffer reused by every block, and
  multiplies into another;
* makes thinc's own matrix product (the same call on the same arrays, so the same BLAS
  kernel and the same numbers on any CPU), then adds the bias in place;
* takes the maxout as an elementwise ``numpy.maximum`` of the pieces (strided views: no
  winner index is computed);
* normalises in place with exactly thinc's operations (``mean``, ``var``, the same power).

The results are bit for bit thinc's for inputs without NaN; where a NaN reaches a maxout
(thinc's maxout and ``numpy.maximum`` treat NaN differently), that block's maxout is
recomputed with thinc's, so they are then too. ``tests/test_fastcnn.py`` compares random
stages of many shapes, the real model's stages and the whole pipeline, also under another
OpenBLAS kernel; ``benchmarks/fastcnn_check.py`` compares tags, parses, entities and
tensors on real news.

It applies only where the layers are thinc's own (``expand_window``, ``maxout``,
``layernorm``, ``dropout``, ``residual``, ``chain``, by their forward functions) and the
maxouts multiply with numpy's BLAS (:class:`polybius.blas.OneThreadNumpyOps`):
``POLYBIUS_SPACY_BLAS=blis`` keeps thinc's forward, and ``POLYBIUS_FAST_PIPES=0`` leaves the
pipeline alone. Training calls (``is_train``), inputs that are not non-empty 2-D float32
numpy arrays, and float parameters other than float32 run the original forward pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.language import Language
from thinc.api import Model
from thinc.layers.chain import forward as _chain_forward
from thinc.layers.dropout import forward as _dropout_forward
from thinc.layers.expand_window import forward as _window_forward
from thinc.layers.layernorm import forward as _layernorm_forward
from thinc.layers.maxout import forward as _maxout_forward
from thinc.layers.residual import forward as _residual_forward
from thinc.layers.with_array import forward as _with_array_forward

from polybius.blas import OneThreadNumpyOps, one_blas_thread
from polybius.fastpipes import fast_pipes_on, pipeline_layers

__all__ = ["CnnBlock", "cnn_blocks", "cnn_stages", "cnn_forward", "speed_up_cnn"]


@dataclass(frozen=True)
class CnnBlock:
    """One block of a stage: an optional window, a maxout, an optional layer norm, and
    whether the block's input is added to its output (``residual``)."""

    window: int
    maxout: Model
    norm: Model | None
    residual: bool


def _leaves(model: Model) -> list[Model]:
    """The layers of ``model`` in the order a chain runs them (nested chains flattened)."""
    if model._func is _chain_forward:
        return [leaf for layer in model.layers for leaf in _leaves(layer)]
    return [model]


def _block(layers: list[Model], residual: bool) -> CnnBlock | None:
    """Read ``[expand_window] maxout [layernorm] [dropout]`` (thinc's own layers, told by
    their forward functions, not their names), or None for anything else."""
    kinds = [layer._func for layer in layers]
    window = 0
    if kinds and kinds[0] is _window_forward:
        window = int(layers[0].attrs["window_size"])
        layers, kinds = layers[1:], kinds[1:]
    if kinds and kinds[-1] is _dropout_forward:
        layers, kinds = layers[:-1], kinds[:-1]
    if kinds == [_maxout_forward]:
        return CnnBlock(window, layers[0], None, residual)
    if kinds == [_maxout_forward, _layernorm_forward]:
        return CnnBlock(window, layers[0], layers[1], residual)
    return None


def cnn_blocks(stage: Model) -> list[CnnBlock] | None:
    """The blocks of a stage (a chain of ``residual(expand_window >> maxout >> layernorm
    >> dropout)``, or one ``maxout >> layernorm >> dropout``), or None when ``stage`` is not
    built only of those (a stage already sped up gives the blocks it runs)."""
    fused = _fast_of(stage)
    if fused is not None:
        return fused
    parts = [stage] if stage._func is _residual_forward else _leaves(stage)
    if all(part._func is _residual_forward for part in parts):
        blocks = [_block(_leaves(part.layers[0]), residual=True) for part in parts]
    else:
        blocks = [_block(parts, residual=False)]
    if not blocks or any(b is None for b in blocks):
        return None
    return [b for b in blocks if b is not None]


def cnn_stages(nlp: Language) -> list[Model]:
    """Every stage of ``nlp``'s components that :func:`cnn_blocks` reads: the layer inside
    each ``with_array`` that is built only of such blocks (each once). In a CNN tok2vec:
    its residual encoder and its embedding mixer."""
    found: dict[int, Model] = {}
    for node in pipeline_layers(nlp):
        if node._func is _with_array_forward and node.layers:
            inner = node.layers[0]
            if cnn_blocks(inner) is not None:
                found[inner.id] = inner
    return list(found.values())


def _window(x: np.ndarray, nw: int, out: np.ndarray) -> np.ndarray:
    """thinc's ``seq2col(x, nw)`` into ``out``: each row followed by its neighbours' rows,
    ``[x[i - nw], ..., x[i], ..., x[i + nw]]``, zeros past either end."""
    m, d = x.shape
    for j in range(-nw, nw + 1):
        cols = slice((j + nw) * d, (j + nw + 1) * d)
        if j < 0:
            out[: min(-j, m), cols] = 0.0
            out[-j:, cols] = x[: max(m + j, 0)]
        elif j > 0:
            out[max(m - j, 0) :, cols] = 0.0
            out[: max(m - j, 0), cols] = x[j:]
        else:
            out[:, cols] = x
    return out


def _maxout(block: CnnBlock, y: np.ndarray) -> np.ndarray:
    """The maxout of ``y`` (rows of ``nO * nP`` pieces, thinc's layout: piece ``p`` of unit
    ``o`` in column ``o * nP + p``): the largest piece of each unit, as a new array."""
    n_out, n_pieces = block.maxout.get_dim("nO"), block.maxout.get_dim("nP")
    pieces = y.reshape(len(y), n_out, n_pieces)
    if n_pieces == 1:
        return pieces[:, :, 0].copy()
    best = np.maximum(pieces[:, :, 0], pieces[:, :, 1])
    for p in range(2, n_pieces):
        np.maximum(best, pieces[:, :, p], out=best)
    return best


def _thinc_maxout(block: CnnBlock, y: np.ndarray) -> np.ndarray:
    """thinc's own maxout of ``y``: where a piece is NaN it may keep another piece, while
    ``numpy.maximum`` keeps the NaN."""
    n_out, n_pieces = block.maxout.get_dim("nO"), block.maxout.get_dim("nP")
    pieces: Any = y.reshape(len(y), n_out, n_pieces)
    best, _which = block.maxout.ops.maxout(pieces)
    return np.asarray(best)


def cnn_forward(blocks: list[CnnBlock], x: np.ndarray) -> np.ndarray:
    """The stage's output for a 2-D float32 input ``x`` (rows are tokens, as thinc's
    ``with_array`` passes them): bit for bit the original layers' inference output (with
    numpy's BLAS and float32 parameters). ``x`` is not written into. The products run on
    one BLAS thread, as :class:`polybius.blas.OneThreadNumpyOps` runs thinc's: how a
    product is split between threads can change its last bits on some CPUs' kernels."""
    with one_blas_thread():
        return _forward(blocks, x)


def _forward(blocks: list[CnnBlock], x: np.ndarray) -> np.ndarray:
    m = x.shape[0]
    buffers: dict[tuple[str, int], np.ndarray] = {}

    def buffer(name: str, width: int) -> np.ndarray:
        if (name, width) not in buffers:
            buffers[name, width] = np.empty((m, width), dtype=np.float32)
        return buffers[name, width]

    for block in blocks:
        mx = block.maxout
        inp = x
        if block.window:
            inp = _window(x, block.window, buffer("window", x.shape[1] * (2 * block.window + 1)))
        n_units = mx.get_dim("nO") * mx.get_dim("nP")
        # thinc's Maxout: gemm(X, W, trans2=True), then += b (OneThreadNumpyOps: matmul)
        w = np.asarray(mx.get_param("W")).reshape(n_units, mx.get_dim("nI"))
        y = np.matmul(inp, w.T, out=buffer("pieces", n_units))
        y += np.asarray(mx.get_param("b")).reshape(n_units)
        best = _maxout(block, y)
        if block.norm is not None:
            # thinc's LayerNorm: (X - mu) * var ** -0.5, then * G + b (the same operations)
            mu = best.mean(axis=1, keepdims=True)
            if np.isnan(mu).any():
                best = _thinc_maxout(block, y)
                mu = best.mean(axis=1, keepdims=True)
            var = best.var(axis=1, keepdims=True) + 1e-08
            best -= mu
            best *= var ** (-1.0 / 2.0)
            best *= block.norm.get_param("G")
            best += block.norm.get_param("b")
        elif np.isnan(best).any():
            best = _thinc_maxout(block, y)
        if not block.residual:
            x = best
        elif block is blocks[0]:
            x = x + best  # never write into the caller's array
        else:
            x += best
    return x


def _params_float32(blocks: list[CnnBlock]) -> bool:
    layers = [b.maxout for b in blocks] + [b.norm for b in blocks if b.norm is not None]
    return all(
        layer.get_param(name).dtype == np.float32 for layer in layers for name in layer.param_names
    )


def _fast_forward(original: Callable[..., Any], blocks: list[CnnBlock]) -> Callable[..., Any]:
    def forward(model: Model, x: Any, is_train: bool) -> Any:
        if (
            is_train
            or not isinstance(x, np.ndarray)
            or x.ndim != 2
            or x.dtype != np.float32
            or len(x) == 0
            or not all(isinstance(b.maxout.ops, OneThreadNumpyOps) for b in blocks)
            or not _params_float32(blocks)
        ):
            return original(model, x, is_train)
        return cnn_forward(blocks, x), _no_backprop

    forward.original = original  # type: ignore[attr-defined]
    forward.blocks = blocks  # type: ignore[attr-defined]
    return forward


def _fast_of(stage: Model) -> list[CnnBlock] | None:
    return getattr(stage._func, "blocks", None)


def _no_backprop(_d: Any) -> Any:
    raise RuntimeError("polybius.fastcnn replaces the CNN encoder at inference only")


def speed_up_cnn(nlp: Language) -> int:
    """Give each CNN stage of ``nlp`` the fused forward pass; returns how many stages were
    changed. Does nothing when $POLYBIUS_FAST_PIPES is 0."""
    if not fast_pipes_on():
        return 0
    changed = 0
    for stage in cnn_stages(nlp):  # each has blocks (cnn_stages keeps only those)
        blocks = cnn_blocks(stage)
        if blocks is None or _fast_of(stage) is not None:
            continue
        stage._func = _fast_forward(stage._func, blocks)
        changed += 1
    return changed
