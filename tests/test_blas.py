"""polybius.blas: spaCy's matrix products on numpy's BLAS give the same analyses."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, POS, TAG
from thinc.api import NumpyOps
from threadpoolctl import threadpool_info

from polybius.blas import BLAS_ENV, OneThreadNumpyOps, one_blas_thread, use_numpy_blas
from polybius.nlp import DEFAULT_MODEL

SENTENCES = [
    "Freedonia's defence minister flew to Sylvania on Monday to sign an arms agreement.",
    "Police in the northern province arrested 14 people after protesters blocked a highway.",
    "The two governments said they would hold joint naval drills near the disputed islands.",
    "Ambassador Mira Tolvanen, a former trade negotiator, rejected the accusation outright.",
]


def _ops_kinds(nlp) -> set[type]:
    kinds: set[type] = set()
    for _name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None and hasattr(model, "walk"):
            kinds |= {type(node.ops) for node in model.walk()}
    return kinds


def test_every_layer_moves_and_analyses_stay_the_same(monkeypatch) -> None:
    monkeypatch.delenv(BLAS_ENV, raising=False)
    stock = spacy.load(DEFAULT_MODEL)
    moved = spacy.load(DEFAULT_MODEL)
    assert _ops_kinds(stock) == {NumpyOps}
    assert use_numpy_blas(moved) > 50
    assert _ops_kinds(moved) == {OneThreadNumpyOps}
    attrs = [TAG, POS, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
    for a, b in zip(stock.pipe(SENTENCES), moved.pipe(SENTENCES), strict=True):
        assert (a.to_array(attrs) == b.to_array(attrs)).all()
        assert [(e.text, e.label_) for e in a.ents] == [(e.text, e.label_) for e in b.ents]


def test_blis_setting_keeps_thinc_default(monkeypatch) -> None:
    monkeypatch.setenv(BLAS_ENV, "BLIS")
    nlp = spacy.load(DEFAULT_MODEL)
    assert use_numpy_blas(nlp) == 0
    assert _ops_kinds(nlp) == {NumpyOps}


@pytest.mark.parametrize(("trans1", "trans2"), [(False, False), (True, False), (False, True)])
def test_gemm_is_the_matrix_product(trans1: bool, trans2: bool) -> None:
    rng = np.random.default_rng(7)
    x = rng.standard_normal((5, 3) if trans1 else (3, 5), dtype=np.float32)
    y = rng.standard_normal((4, 5) if trans2 else (5, 4), dtype=np.float32)
    want = (x.T if trans1 else x) @ (y.T if trans2 else y)
    ops = OneThreadNumpyOps()
    got = ops.gemm(x, y, trans1=trans1, trans2=trans2)
    np.testing.assert_allclose(got, want, rtol=1e-5)
    out = np.zeros((3, 4), dtype=np.float32)
    assert ops.gemm(x, y, out=out, trans1=trans1, trans2=trans2) is out
    np.testing.assert_allclose(out, want, rtol=1e-5)


def test_gemm_leaves_the_thread_setting_as_it_was() -> None:
    before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    x = np.ones((64, 64), dtype=np.float32)
    OneThreadNumpyOps().gemm(x, x)
    after = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert before == after


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_one_thread_inside_nested_and_concurrent_uses() -> None:
    before = _blas_threads()
    with one_blas_thread():
        assert set(_blas_threads()) == {1}
        with one_blas_thread():
            assert set(_blas_threads()) == {1}
        assert set(_blas_threads()) == {1}  # the outer use still holds the limit
    assert _blas_threads() == before

    ops = OneThreadNumpyOps()
    x = np.random.default_rng(3).standard_normal((200, 200), dtype=np.float32)
    want = x @ x

    def work(_: int) -> float:
        return float(np.abs(ops.gemm(x, x) - want).max())

    with ThreadPoolExecutor(max_workers=4) as pool:
        errors = list(pool.map(work, range(64)))
    assert max(errors) < 1e-3
    assert _blas_threads() == before


def test_load_nlp_runs_spacy_on_numpy_blas(nlp) -> None:
    """The pipeline polybius codes with (``load_nlp``) has had the swap applied, unless the
    environment asked for BLIS."""
    kept = os.environ.get(BLAS_ENV, "").strip().lower() == "blis"
    assert _ops_kinds(nlp) == ({NumpyOps} if kept else {OneThreadNumpyOps})


def test_the_blas_view_is_rebuilt_after_an_import(monkeypatch) -> None:
    """A view of the BLAS libraries built before an import that loads another one (scipy
    has its own OpenBLAS) would leave that one at its default thread count."""
    import sys
    import types

    from polybius import blas

    first = blas._controller()
    assert blas._controller() is first  # kept while nothing new is imported
    monkeypatch.setitem(sys.modules, "polybius_test_new_module", types.ModuleType("x"))
    second = blas._controller()
    assert second is not first
    assert blas._controller() is second
