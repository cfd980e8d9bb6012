"""polybius.fastcnn gives bit for bit the outputs of thinc's CNN encoder layers.

The real model's stages (each tok2vec's residual CNN and its embedding mixer) are run with
their original forward pass and with the fused one: on random inputs of many lengths
(hypothesis), and through the whole pipeline on invented text (tensors, tags, parses,
entities), checking that the fused pass really ran. Stages of random shapes (widths,
pieces, windows, with and without norm or residual) are compared too, here and under
another OpenBLAS kernel, as are a NaN reaching a maxout and float64 parameters. Also: the
original runs when training, for non-2-D or empty inputs and for thinc's BLIS products,
look-alike layers are not read, and the caller's array is never written into.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, TAG
from thinc.api import Model, NumpyOps, chain, residual
from thinc.layers import Dropout, LayerNorm, Maxout, expand_window

import polybius.fastcnn as fastcnn
from polybius.blas import OneThreadNumpyOps, use_numpy_blas
from polybius.fastcnn import (
    _fast_forward,
    _window,
    cnn_blocks,
    cnn_forward,
    cnn_stages,
    speed_up_cnn,
)
from polybius.fastpipes import FAST_PIPES_ENV
from polybius.nlp import DEFAULT_MODEL

TEXTS = [
    "Envoys of Peru and Finland agreed on Tuesday to resume talks on a timber tariff.",
    "The defence ministry said no aircraft had entered the airspace over Tarnow.",
    "",
    "Yes.",
    "  \n\n  A spokeswoman said: 'We reject the ultimatum.'  ",
    "Dockworkers struck in Gdansk; riot police arrested 23 strikers near the gates.",
]


@pytest.fixture(scope="module")
def pipes():
    """Two pipelines on numpy's BLAS, the second with the fused CNN stages."""
    stock = spacy.load(DEFAULT_MODEL)
    fast = spacy.load(DEFAULT_MODEL)
    use_numpy_blas(stock)
    use_numpy_blas(fast)
    # the shared tok2vec's and the recogniser's: a residual CNN and a mixer each
    assert speed_up_cnn(fast) == 4
    assert speed_up_cnn(fast) == 0  # already done
    return stock, fast


def _original(stage: Model):
    return stage._func.original


def test_stages_are_the_cnns_and_the_mixers(pipes):
    _, fast = pipes
    kinds = sorted(
        (len(blocks), blocks[0].residual, blocks[0].window)
        for blocks in (cnn_blocks(s) for s in cnn_stages(fast))
        if blocks is not None
    )
    assert kinds == [(1, False, 0), (1, False, 0), (4, True, 1), (4, True, 1)]


@settings(max_examples=25, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 60), min_size=1, max_size=5),
    seed=st.integers(0, 2**31 - 1),
    scale=st.sampled_from([0.01, 1.0, 30.0]),
)
def test_fused_equals_thinc_on_random_inputs(pipes, lengths, seed, scale):
    _, fast = pipes
    rng = np.random.default_rng(seed)
    for stage in cnn_stages(fast):
        width = stage.layers[0].get_dim("nI") if stage.name.startswith("maxout") else 96
        x = (rng.standard_normal((sum(lengths), width)) * scale).astype(np.float32)
        before = x.copy()
        want, _ = _original(stage)(stage, x, False)
        got = stage.predict(x)
        assert got.dtype == np.float32 and got.shape == want.shape
        assert np.array_equal(got, want), stage.name
        assert np.array_equal(x, before)  # the input is left as it was


def test_pipeline_output_is_unchanged(pipes, monkeypatch):
    stock, fast = pipes
    calls: list[int] = []

    def counted(blocks, x):
        calls.append(len(x))
        return cnn_forward(blocks, x)

    monkeypatch.setattr(fastcnn, "cnn_forward", counted)
    cols = [TAG, DEP, HEAD, LEMMA, ENT_IOB, ENT_TYPE]
    for a, b in zip(stock.pipe(TEXTS), fast.pipe(TEXTS), strict=True):
        assert np.array_equal(a.tensor, b.tensor)
        assert np.array_equal(a.to_array(cols), b.to_array(cols))
    # the fused pass ran: both encoders (and both mixers, as nothing is cached here)
    assert len(calls) >= 4 and sum(calls) > 0
    # and the parse really ran: the sentence with two countries has its entities
    doc = fast(TEXTS[0])
    assert {e.text for e in doc.ents} >= {"Peru", "Finland"}


def _stage(
    width: int,
    pieces: int,
    window: int,
    norm: bool,
    residual_: bool,
    depth: int,
    n_in: int,
    seed: int,
) -> tuple[Model, int]:
    """A thinc stage of random weights, built as spaCy builds its CNN, on numpy's BLAS, and
    the width of its input."""
    rng = np.random.default_rng(seed)
    blocks = []
    for _ in range(depth if residual_ else 1):
        layers = [expand_window(window)] if window else []
        n_x = width if residual_ else n_in
        layers.append(Maxout(width, n_x * (2 * window + 1), pieces))
        if norm:
            layers.append(LayerNorm(width))
        layers.append(Dropout(0.1))
        inner = chain(*layers) if len(layers) > 1 else layers[0]
        blocks.append(residual(inner) if residual_ else inner)
    stage = chain(*blocks) if len(blocks) > 1 else blocks[0]
    stage.initialize(X=np.zeros((3, width if residual_ else n_in), dtype=np.float32))
    for node in stage.walk():
        node.ops = OneThreadNumpyOps()
        for name in node.param_names:
            shape = node.get_param(name).shape
            node.set_param(name, rng.standard_normal(shape).astype(np.float32))
    return stage, width if residual_ else n_in


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(1, 40),
    pieces=st.integers(1, 4),
    window=st.integers(0, 2),
    norm=st.booleans(),
    residual_=st.booleans(),
    depth=st.integers(1, 3),
    n_in=st.integers(1, 50),
    rows=st.integers(1, 90),
    seed=st.integers(0, 2**31 - 1),
)
def test_stages_of_any_shape_equal_thinc(
    width, pieces, window, norm, residual_, depth, n_in, rows, seed
):
    stage, n_x = _stage(width, pieces, window, norm, residual_, depth, n_in, seed)
    blocks = cnn_blocks(stage)
    assert blocks is not None and len(blocks) == (depth if residual_ else 1)
    x = np.random.default_rng(seed + 1).standard_normal((rows, n_x)).astype(np.float32)
    want = stage.predict(x)
    assert np.array_equal(cnn_forward(blocks, x), want)


def test_another_blas_kernel_gives_the_same_numbers():
    """OpenBLAS picks its kernels by CPU; forcing the AVX2 ("Haswell") one, a fused stage
    of odd widths must still equal thinc's (it did not when the weights were reordered)."""
    script = textwrap.dedent(
        """
        import numpy as np, sys
        sys.path.insert(0, {tests!r})
        from test_fastcnn import _stage
        from polybius.fastcnn import cnn_blocks, cnn_forward
        bad = 0
        for k, (width, pieces, window) in enumerate([(5, 2, 1), (7, 3, 1), (33, 3, 0),
                                                     (96, 3, 1), (97, 3, 0), (12, 4, 2)]):
            for rows in (1, 7, 50, 333):
                stage, n_x = _stage(width, pieces, window, True, window > 0, 2, 384, k)
                x = np.random.default_rng(rows).standard_normal((rows, n_x)).astype("f")
                bad += not np.array_equal(cnn_forward(cnn_blocks(stage), x), stage.predict(x))
        print("bad", bad)
        """
    ).format(tests=os.path.dirname(__file__))
    env = {**os.environ, "OPENBLAS_CORETYPE": "Haswell"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["bad", "0"]


def test_nan_in_a_maxout_gives_thincs_answer():
    """thinc's maxout keeps a piece that beats the first; ``numpy.maximum`` would keep a NaN
    (here inf - inf in one piece), so such a block is recomputed with thinc's."""
    stage, _ = _stage(1, 3, 0, False, False, 1, 2, 0)
    stage.layers[0].set_param("W", np.array([[[1, -1], [2, -2], [1, -1]]], dtype="f"))
    stage.layers[0].set_param("b", np.zeros((1, 3), dtype="f"))
    blocks = cnn_blocks(stage)
    assert blocks is not None
    x = np.array([[3e38, 3e38]], dtype=np.float32)
    with np.errstate(invalid="ignore", over="ignore"):
        want = stage.predict(x)
        got = cnn_forward(blocks, x)
    assert np.array_equal(got, want, equal_nan=True)
    assert not np.isnan(want).all()  # the case is one where the two maxouts differ


def test_float64_parameters_take_the_original_path():
    stage, _ = _stage(6, 3, 1, True, True, 1, 6, 4)
    for node in stage.walk():
        for name in node.param_names:
            node.set_param(name, node.get_param(name).astype(np.float64))
    original = stage._func
    stage._func = _fast_forward(original, cnn_blocks(stage))
    x = np.ones((4, 6), dtype=np.float32)
    got = stage.predict(x)
    assert got.dtype == np.float64
    assert np.array_equal(got, original(stage, x, False)[0])


def test_training_and_unusual_inputs_take_the_original_path(pipes):
    _, fast = pipes
    stage = cnn_stages(fast)[0]
    x = np.ones((3, 96), dtype=np.float32)
    _y, backprop = stage(x, is_train=True)
    assert backprop(np.zeros_like(_y)).shape == x.shape  # thinc's backprop, not ours
    _y, backprop = stage(x, is_train=False)
    with pytest.raises(RuntimeError, match="inference only"):
        backprop(_y)
    empty = np.zeros((0, 96), dtype=np.float32)
    assert stage.predict(empty).shape[0] == 0
    x64 = x.astype(np.float64)
    assert np.array_equal(stage.predict(x64), _original(stage)(stage, x64, False)[0])


def test_blis_ops_keep_thincs_forward():
    """A stage whose maxouts multiply with BLIS (POLYBIUS_SPACY_BLAS=blis) is not fused: the
    result stays thinc's own, which differs from numpy's BLAS in the last bits."""
    layer = residual(chain(expand_window(1), Maxout(8, 24, 3), LayerNorm(8), Dropout(0.1)))
    layer.initialize(X=np.zeros((4, 8), dtype=np.float32))
    blocks = cnn_blocks(layer)
    assert blocks is not None and len(blocks) == 1
    rng = np.random.default_rng(3)
    for node in layer.walk():
        if node.name == "maxout":
            node.set_param("W", rng.standard_normal(node.get_param("W").shape).astype("f"))
    x = rng.standard_normal((7, 8)).astype(np.float32)
    original = layer._func
    from polybius.fastcnn import _fast_forward

    layer._func = _fast_forward(original, blocks)
    for node in layer.walk():
        node.ops = NumpyOps(use_blis=True)
    assert np.array_equal(layer.predict(x), original(layer, x, False)[0])
    for node in layer.walk():
        node.ops = OneThreadNumpyOps()
    assert np.array_equal(layer.predict(x), cnn_forward(blocks, x))
    assert np.array_equal(layer.predict(x), original(layer, x, False)[0])


def test_unknown_layers_are_not_read():
    assert cnn_blocks(chain(Maxout(4, 4, 2), Maxout(4, 4, 2))) is None
    assert cnn_blocks(residual(chain(expand_window(1), LayerNorm(4)))) is None
    assert cnn_blocks(chain(LayerNorm(4), Maxout(4, 4, 2))) is None
    # a layer is known by what it does, not by its name
    doubling = Model("dropout", lambda model, x, is_train: (x * 2, lambda d: d * 2))
    assert cnn_blocks(chain(Maxout(4, 4, 2), doubling)) is None
    assert cnn_blocks(chain(Maxout(4, 4, 2), Dropout(0.2))) is not None


def test_window_matches_thincs_seq2col():
    ops = NumpyOps()
    rng = np.random.default_rng(0)
    for m in (1, 2, 3, 9):
        for nw in (1, 2, 3):
            x = rng.standard_normal((m, 5)).astype(np.float32)
            out = np.full((m, 5 * (2 * nw + 1)), np.nan, dtype=np.float32)
            assert np.array_equal(_window(x, nw, out), ops.seq2col(x, nw))


def test_switch_off(monkeypatch):
    monkeypatch.setenv(FAST_PIPES_ENV, "0")
    nlp = spacy.load(DEFAULT_MODEL)
    use_numpy_blas(nlp)
    assert speed_up_cnn(nlp) == 0
