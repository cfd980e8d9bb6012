"""Fitting the linear typing model with scikit-learn (used by the training script and tests).

Labels are PLOVER types; CONCEDE and RETREAT are merged into the legacy YIELD class for the
main head (PLV gold only says YIELD), and a binary head learns CONCEDE vs RETREAT from the
examples that say which (CAMEO patterns, synthetic data).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from polybius.events.candidates import Candidate
from polybius.events.model.features import N_BITS
from polybius.events.model.linear import LinearTyper, vectorize
from polybius.events.model.static_vectors import WordVectors, dense_features

__all__ = ["fit_typer", "fit_matrix", "main_label", "with_rule_dropout"]


def main_label(label: str) -> str:
    """The main head's class for a gold label: CONCEDE and RETREAT become YIELD."""
    label = label.strip().upper()
    return "YIELD" if label in ("CONCEDE", "RETREAT") else label


def with_rule_dropout(
    x_rule: sparse.csr_matrix,
    x_plain: sparse.csr_matrix,
    labels: Sequence[str],
    weights: np.ndarray,
    dense: np.ndarray | None,
    dropout: float,
) -> tuple[sparse.csr_matrix, list[str], np.ndarray, np.ndarray | None]:
    """Training rows with the pattern proposal hidden on a share ``dropout`` of the weight.

    Each row appears twice: with rule features (weight ``1 - dropout``) and without them
    (weight ``dropout``), the expected value of hiding the rule on that share of rows at
    random, without the noise. The model then learns to type from the text alone too, and
    leans less on the rules, whose accuracy on the training data is inflated (they were
    tuned by reading it).
    """
    if dropout <= 0:
        return x_rule, list(labels), weights, dense
    if dropout >= 1:
        return x_plain, list(labels), weights, dense
    x = sparse.vstack([x_rule, x_plain]).tocsr()
    w = np.concatenate([weights * (1.0 - dropout), weights * dropout])
    d = None if dense is None else np.vstack([dense, dense])
    return x, list(labels) * 2, w, d


def fit_typer(
    cands: Sequence[Candidate],
    labels: Sequence[str],
    weights: Sequence[float] | None = None,
    *,
    C: float = 10.0,
    yield_C: float = 1.0,
    max_iter: int = 3000,
    meta: dict[str, Any] | None = None,
    vectors: WordVectors | None = None,
    dense_scale: float = 1.0,
    rule_features: bool = True,
    rule_dropout: float = 0.0,
) -> LinearTyper:
    """Fit the main (multinomial) and YIELD-split (binary) heads; return a compact model.

    With ``vectors``, word-vector blocks (:func:`dense_features`) are fitted too.
    ``rule_features=False`` trains (and makes the model predict) without the pattern
    proposal; ``rule_dropout`` hides it on that share of training weight
    (:func:`with_rule_dropout`).
    """
    if len(cands) != len(labels):
        raise ValueError(f"{len(cands)} candidates but {len(labels)} labels")
    dense = dense_features(cands, vectors) if vectors is not None else None
    w = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=np.float64)
    x = vectorize(cands, N_BITS, rule_features)
    ys = list(labels)
    if rule_features and rule_dropout > 0:
        x, ys, w, dense = with_rule_dropout(
            x, vectorize(cands, N_BITS, False), ys, w, dense, rule_dropout
        )
    info = dict(meta or {}, rule_features=rule_features, rule_dropout=rule_dropout)
    return fit_matrix(
        x,
        ys,
        w,
        C=C,
        yield_C=yield_C,
        max_iter=max_iter,
        meta=info,
        dense=dense,
        vectors=vectors,
        dense_scale=dense_scale,
    )


def fit_matrix(
    x_full: sparse.csr_matrix,
    labels: Sequence[str],
    weights: Sequence[float] | np.ndarray | None = None,
    *,
    C: float = 10.0,
    yield_C: float = 1.0,
    max_iter: int = 3000,
    tol: float = 1e-4,
    meta: dict[str, Any] | None = None,
    dense: np.ndarray | None = None,
    vectors: WordVectors | None = None,
    dense_scale: float = 1.0,
) -> LinearTyper:
    """:func:`fit_typer` on an already vectorised hash-space matrix (one row per label).

    ``dense`` holds unscaled word-vector features (:func:`dense_features` with ``vectors``);
    they are multiplied by ``dense_scale`` and fitted alongside the sparse columns.
    """
    w = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=np.float64)
    used = np.unique(x_full.indices)
    x = x_full[:, used]
    n_sparse = x.shape[1]
    if dense is not None:
        x = sparse.hstack([x, sparse.csr_matrix(dense * dense_scale)]).tocsr()
    y = np.array([main_label(lab) for lab in labels])
    classes = sorted(set(y))
    if len(classes) < 2:
        raise ValueError(f"need at least two classes to train, got {classes}")
    clf = LogisticRegression(C=C, max_iter=max_iter, tol=tol)
    clf.fit(x, y, sample_weight=w)
    coef = np.zeros((len(clf.classes_), 1 << N_BITS), dtype=np.float32)
    coef[:, used] = clf.coef_[:, :n_sparse]
    extra: dict[str, Any] = {}
    if dense is not None:
        extra = {
            "dense_coef": clf.coef_[:, n_sparse:].astype(np.float32),
            "dense_scale": dense_scale,
            "vectors": vectors,
        }
    # YIELD split head: CONCEDE (0) vs RETREAT (1), from rows that say which.
    raw = np.array([lab.strip().upper() for lab in labels])
    split_rows = np.flatnonzero((raw == "CONCEDE") | (raw == "RETREAT"))
    yield_coef = None
    yield_intercept = 0.0
    if len(set(raw[split_rows])) == 2:
        head = LogisticRegression(C=yield_C, max_iter=max_iter, tol=tol)
        head.fit(
            x[split_rows], (raw[split_rows] == "RETREAT").astype(int), sample_weight=w[split_rows]
        )
        yield_coef = np.zeros(1 << N_BITS, dtype=np.float32)
        yield_coef[used] = head.coef_[0][:n_sparse]
        if dense is not None:
            extra["yield_dense"] = head.coef_[0][n_sparse:].astype(np.float32)
        yield_intercept = float(head.intercept_[0])
    info = dict(meta or {}, n_bits=N_BITS, n_train=len(labels), C=C)
    return LinearTyper.from_full(
        [str(c) for c in clf.classes_],
        coef,
        clf.intercept_,
        yield_coef,
        yield_intercept,
        info,
        **extra,
    )
