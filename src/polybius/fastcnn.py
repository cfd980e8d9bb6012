"""spaCy's CNN token encoders run as a few numpy operations per layer, with the same numbers.

Why: after the embedding tables (:mod:`polybius.fastembed`), a CNN ``tok2vec`` of
``en_core_web_sm`` (the shared ``tok2vec`` and the entity recogniser's own) runs four
blocks of ``residual(expand_window >> maxout >> layernorm >> dropout)`` over every token of
a batch. Each block's matrix product already runs at this core's float32 speed, but what
thinc does around it costs about half as much again: ``NumpyOps.maxout`` also finds the
winning piece of each unit (needed only for training), the maxout's pieces are interleaved
in memory, and every step allocates fresh arrays (fresh pages) the size of the batch.
On 600 news articles these steps were about a tenth of polybius's coding CPU.

:func:`speed_up_cnn` gives each such stage (the chain of residual blocks, or the single
``maxout >> layernorm >> dropout`` that mixes the embedding tables) a forward pass that, at
inference only:

* builds the window of each token (``seq2col``) in one buffer that every block reuses;
* multiplies by the maxout weights with their rows reordered so that each piece's outputs
  are one contiguous block of columns: every output is the same dot product as before (the
  same BLAS call on the same layout), and the maxout is then an elementwise
  ``numpy.maximum`` of the blocks;
* normalises in place with exactly thinc's operations (``mean``, ``var``, the same power).

The results are bit for bit thinc's (``tests/test_fastcnn.py`` compares them on random
and real inputs; ``benchmarks/fastcnn_check.py`` compares tags, parses and entities on real
news). It applies only where the maxout layers multiply with numpy's BLAS
(:class:`polybius.blas.OneThreadNumpyOps`), so ``POLYBIUS_SPACY_BLAS=blis`` keeps thinc's
forward, and ``POLYBIUS_FAST_PIPES=0`` leaves the pipeline alone. Training calls
(``is_train``), inputs that are not 2-D and empty batches run the original forward pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.language import Language
from thinc.api import Model
from thinc.layers.chain import forward as _chain_forward
from thinc.layers.residual import forward as _residual_forward

from polybius.blas import OneThreadNumpyOps, one_blas_thread
from polybius.fastpipes import FAST_PIPES_ENV, pipeline_layers

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
    """Read ``[expand_window] maxout [layernorm] [dropout]``, or None for anything else."""
    names = [layer.name for layer in layers]
    window = 0
    if names and names[0] == "expand_window":
        window = int(layers[0].attrs.get("window_size", 1))
        layers, names = layers[1:], names[1:]
    if names and names[-1] == "dropout":
        layers, names = layers[:-1], names[:-1]
    if names == ["maxout"]:
        return CnnBlock(window, layers[0], None, residual)
    if names == ["maxout", "layernorm"]:
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
    each ``with_array`` of a CNN tok2vec (each once)."""
    found: dict[int, Model] = {}
    for node in pipeline_layers(nlp):
        if node.name.startswith("with_array(") and node.layers:
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


def _weights(block: CnnBlock) -> tuple[np.ndarray, np.ndarray, int, int]:
    """(W, b) of the block's maxout with each piece's outputs in one block of rows: row
    ``p * nO + o`` of W is row ``o * nP + p`` of thinc's weights, so every output is the
    same dot product. W stays row-major and is used transposed, as thinc uses it, so BLAS
    takes the same path (its small-matrix kernels differ between layouts)."""
    mx = block.maxout
    n_out, n_pieces, n_in = mx.get_dim("nO"), mx.get_dim("nP"), mx.get_dim("nI")
    w = np.asarray(mx.get_param("W")).reshape(n_out, n_pieces, n_in).transpose(1, 0, 2)
    b = np.asarray(mx.get_param("b")).reshape(n_out, n_pieces).T
    return np.ascontiguousarray(w).reshape(n_pieces * n_out, n_in), b.reshape(-1), n_out, n_pieces


def cnn_forward(blocks: list[CnnBlock], x: np.ndarray) -> np.ndarray:
    """The stage's output for a 2-D float32 input ``x`` (rows are tokens, as thinc's
    ``with_array`` passes them): bit for bit the original layers' inference output."""
    m = x.shape[0]
    buffers: dict[tuple[int, ...], np.ndarray] = {}

    def buffer(shape: tuple[int, ...]) -> np.ndarray:
        if shape not in buffers:
            buffers[shape] = np.empty(shape, dtype=np.float32)
        return buffers[shape]

    for block in blocks:
        inp = x
        if block.window:
            inp = _window(x, block.window, buffer((m, x.shape[1] * (2 * block.window + 1))))
        w, b, n_out, n_pieces = _weights(block)
        y = np.matmul(inp, w.T, out=buffer((m, w.shape[0])))
        y += b
        best = np.maximum(y[:, :n_out], y[:, n_out : 2 * n_out]) if n_pieces > 1 else y.copy()
        for p in range(2, n_pieces):
            np.maximum(best, y[:, p * n_out : (p + 1) * n_out], out=best)
        if block.norm is not None:
            # thinc's LayerNorm: (X - mu) * var ** -0.5, then * G + b (the same operations)
            mu = best.mean(axis=1, keepdims=True)
            var = best.var(axis=1, keepdims=True) + 1e-08
            best -= mu
            best *= var ** (-1.0 / 2.0)
            best *= block.norm.get_param("G")
            best += block.norm.get_param("b")
        if not block.residual:
            x = best
        elif block is blocks[0]:
            x = x + best  # never write into the caller's array
        else:
            x += best
    return x


def _fast_forward(original: Callable[..., Any], blocks: list[CnnBlock]) -> Callable[..., Any]:
    def forward(model: Model, x: Any, is_train: bool) -> Any:
        if (
            is_train
            or not isinstance(x, np.ndarray)
            or x.ndim != 2
            or x.dtype != np.float32
            or len(x) == 0
            or not all(isinstance(b.maxout.ops, OneThreadNumpyOps) for b in blocks)
        ):
            return original(model, x, is_train)
        with one_blas_thread():
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
    if os.environ.get(FAST_PIPES_ENV, "1") == "0":
        return 0
    changed = 0
    for stage in cnn_stages(nlp):
        if _fast_of(stage) is not None:
            continue
        blocks = cnn_blocks(stage)
        if blocks is None:
            continue
        stage._func = _fast_forward(stage._func, blocks)
        changed += 1
    return changed
