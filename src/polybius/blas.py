"""Run a spaCy pipeline's matrix products on numpy's BLAS, one thread per process.

Why: thinc's ``NumpyOps`` multiplies matrices with BLIS (``cython-blis``) by default. On
this project's machines (AVX-512 x86) numpy's OpenBLAS is about twice as fast for the
shapes of ``en_core_web_sm``'s tok2vec layers (n x 288 by 288 x 288, n x 384 by 384 x 288),
and the whole pipeline needs about a quarter less CPU time, with the same tags, parses and
entities on every token of 600 news articles (``benchmarks/blas_check.py``;
docs/performance.md). thinc supports this itself: ``NumpyOps(use_blis=False)`` hands
``gemm`` to numpy. :func:`use_numpy_blas` gives every layer of a loaded pipeline such an
``Ops`` object, whose ``gemm`` also holds BLAS to one thread: polybius runs one process per
core (``--jobs``), and a second BLAS thread per process would only compete with them.

The per-step layers of the parser and the entity recogniser still call BLIS through thinc's
C interface, which this cannot reach. ``POLYBIUS_SPACY_BLAS=blis`` keeps thinc's default
(for a machine where BLIS is the faster of the two). The results are the same up to float
rounding (sums in another order), which in the measurements above never changed a decision.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy
from spacy.language import Language
from thinc.api import NumpyOps, Ops

from polybius.fastpipes import pipeline_layers

__all__ = ["BLAS_ENV", "OneThreadNumpyOps", "one_blas_thread", "use_numpy_blas"]

#: ``blis`` keeps thinc's BLIS matrix products; anything else (default) uses numpy's BLAS.
BLAS_ENV = "POLYBIUS_SPACY_BLAS"


_ctl: Any = None
_ctl_modules = -1


def _controller() -> Any:
    """threadpoolctl's view of the loaded BLAS libraries. Building it costs about 3 ms, so
    it is kept, and built again only when modules were imported since (an import can load
    another BLAS: scipy brings its own OpenBLAS, which a view built before would miss)."""
    global _ctl, _ctl_modules
    if _ctl is None or len(sys.modules) != _ctl_modules:
        from threadpoolctl import ThreadpoolController

        _ctl = ThreadpoolController()
        _ctl_modules = len(sys.modules)
    return _ctl


_lock = threading.Lock()
_depth = 0
_limiter: Any = None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Hold BLAS to one thread while inside (nested and concurrent uses are counted).

    BLAS's thread count is one setting for the whole process, and changing it while another
    thread multiplies matrices is unsafe in some BLAS builds. So the limit is set when the
    first user enters and restored when the last one leaves, under a lock; threads that
    enter in between (the web server codes requests in threads) change nothing.
    """
    global _depth, _limiter
    with _lock:
        if _depth == 0:
            _limiter = _controller().limit(limits=1, user_api="blas")
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _limiter.restore_original_limits()
                _limiter = None


class OneThreadNumpyOps(NumpyOps):
    """``NumpyOps`` whose ``gemm`` is numpy's (``use_blis=False``), run on one BLAS thread.

    Every other operation is ``NumpyOps``'s own.
    """

    name = "numpy"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(use_blis=False, **kwargs)

    def gemm(
        self, x: Any, y: Any, *, out: Any = None, trans1: bool = False, trans2: bool = False
    ) -> Any:
        """``Ops.gemm`` with ``numpy.matmul`` for 2-D arrays: the same BLAS call, so the
        same numbers, but ``numpy.dot`` first fills its output with zeros (measured with
        py-spy: 2% of the CPU time of coding news articles)."""
        with one_blas_thread():
            if getattr(x, "ndim", 0) != 2 or getattr(y, "ndim", 0) != 2:
                return Ops.gemm(self, x, y, out=out, trans1=trans1, trans2=trans2)
            a = x.T if trans1 else x
            b = y.T if trans2 else y
            if out is None:
                return numpy.matmul(a, b)
            numpy.matmul(a, b, out=out)
            return out


def use_numpy_blas(nlp: Language) -> int:
    """Give every thinc layer of ``nlp``'s components a :class:`OneThreadNumpyOps`.

    Returns the number of layers changed (0 when $POLYBIUS_SPACY_BLAS is ``blis`` or no
    layer runs on ``NumpyOps``). Layers on another backend (a GPU's ``CupyOps``) are left
    alone.
    """
    if os.environ.get(BLAS_ENV, "").strip().lower() == "blis":
        return 0
    ops = OneThreadNumpyOps()
    changed = 0
    for node in pipeline_layers(nlp):
        if type(node.ops) is NumpyOps:
            node.ops = ops
            changed += 1
    return changed
