"""A multinomial linear typing model stored as a plain ``.npz`` file (numpy only, no pickle).

Only the hashed feature columns that carry weight are stored, so the file holds numbers, not
text. Scoring a batch is one sparse matrix product and a softmax. A second, binary head splits
the legacy YIELD class into CONCEDE and RETREAT when the main head was trained with YIELD.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from polybius.events.candidates import Candidate
from polybius.events.model.features import (
    FEATURE_VERSION,
    N_BITS,
    candidate_features,
    hash_features,
)
from polybius.events.model.static_vectors import WordVectors, dense_features

__all__ = ["LinearTyper", "vectorize", "ModelFileError", "softmax"]

_CHUNK = 256


class ModelFileError(RuntimeError):
    """A model file is missing, corrupt, or was built for other features."""


def vectorize(
    cands: Sequence[Candidate], n_bits: int = N_BITS, rule_features: bool = True
) -> sparse.csr_matrix:
    """Rows of hashed features, log-scaled counts, each row L2-normalised.

    ``rule_features=False`` drops the pattern-proposal features (see candidate_features).
    """
    indptr = [0]
    indices: list[int] = []
    counts: list[float] = []
    for c in cands:
        row = hash_features(candidate_features(c, rule_features), n_bits)
        indices.extend(row.keys())
        counts.extend(row.values())
        indptr.append(len(indices))
    vals = np.log1p(np.asarray(counts, dtype=np.float64))
    ptr = np.asarray(indptr)
    lengths = np.diff(ptr)
    sq = np.add.reduceat(vals**2, ptr[:-1]) if len(vals) else np.zeros(len(cands))
    norms = np.sqrt(np.where(lengths > 0, sq, 1.0))
    norms[norms == 0] = 1.0
    vals = vals / np.repeat(norms, lengths)
    return sparse.csr_matrix(
        (vals.astype(np.float32), np.asarray(indices, dtype=np.int64), ptr),
        shape=(len(cands), 1 << n_bits),
    )


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of (n, classes) scores (shared by the linear and encoder typers)."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class LinearTyper:
    """Weights over hashed feature columns; ``classes`` are PLOVER types (maybe with YIELD)."""

    classes: tuple[str, ...]
    cols: np.ndarray  # sorted int64 column ids in the 2**n_bits hash space
    coef: np.ndarray  # (n_classes, n_cols) float32
    intercept: np.ndarray  # (n_classes,)
    yield_coef: np.ndarray | None = None  # (n_cols,) log-odds of RETREAT vs CONCEDE
    yield_intercept: float = 0.0
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)
    dense_coef: np.ndarray | None = None  # (n_classes, n_dense) weights of word-vector blocks
    yield_dense: np.ndarray | None = None  # (n_dense,)
    dense_scale: float = 1.0
    vectors: WordVectors | None = None

    @classmethod
    def from_full(
        cls,
        classes: Sequence[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        yield_coef: np.ndarray | None = None,
        yield_intercept: float = 0.0,
        meta: dict[str, Any] | None = None,
        tol: float = 1e-6,
        **dense: Any,
    ) -> LinearTyper:
        """Keep only the columns with any weight above ``tol`` (from full hash-space weights).

        ``dense`` passes ``dense_coef``, ``yield_dense``, ``dense_scale`` and ``vectors``.
        """
        used = np.abs(coef).max(axis=0) > tol
        if yield_coef is not None:
            used |= np.abs(yield_coef) > tol
        cols = np.flatnonzero(used).astype(np.int64)
        return cls(
            classes=tuple(classes),
            cols=cols,
            coef=coef[:, cols].astype(np.float32),
            intercept=np.asarray(intercept, dtype=np.float32),
            yield_coef=None if yield_coef is None else yield_coef[cols].astype(np.float32),
            yield_intercept=float(yield_intercept),
            meta=dict(meta or {}),
            **dense,
        )

    def _compact(self, x: sparse.csr_matrix) -> sparse.csr_matrix:
        """Map hash-space columns onto stored columns, dropping the unknown ones."""
        x = x.tocoo()
        pos = np.searchsorted(self.cols, x.col)
        pos = np.minimum(pos, len(self.cols) - 1)
        keep = self.cols[pos] == x.col
        return sparse.csr_matrix(
            (x.data[keep], (x.row[keep], pos[keep])), shape=(x.shape[0], len(self.cols))
        )

    def scores(self, cands: Sequence[Candidate]) -> tuple[np.ndarray, np.ndarray | None]:
        """(class probabilities (n, n_classes), P(RETREAT | YIELD) per row or None)."""
        if not cands:
            return np.zeros((0, len(self.classes))), None
        if len(cands) > _CHUNK:  # chunks keep each sentence's tokens in the small cache
            parts = [self.scores(cands[i : i + _CHUNK]) for i in range(0, len(cands), _CHUNK)]
            probs_all = np.vstack([p for p, _ in parts])
            if parts[0][1] is None:
                return probs_all, None
            return probs_all, np.concatenate([q for _, q in parts if q is not None])
        x = self._compact(
            vectorize(
                cands,
                int(self.meta.get("n_bits", N_BITS)),
                bool(self.meta.get("rule_features", True)),
            )
        )
        logits = np.asarray(x @ self.coef.T) + self.intercept
        dense = None
        if self.vectors is not None and self.dense_coef is not None:
            dense = dense_features(cands, self.vectors) * self.dense_scale
            logits = logits + dense @ self.dense_coef.T
        probs = softmax(logits / self.temperature)
        p_retreat = None
        if self.yield_coef is not None:
            z = np.asarray(x @ self.yield_coef).ravel() + self.yield_intercept
            if dense is not None and self.yield_dense is not None:
                z = z + dense @ self.yield_dense
            p_retreat = 1.0 / (1.0 + np.exp(-z))
        return probs, p_retreat

    def save(self, path: Path, vectors_file: str | None = None) -> None:
        """Write the model as a compressed ``.npz`` (float16 weights, JSON metadata).

        ``vectors_file`` names the word-vector table (beside the model) the dense weights need.
        """
        meta = dict(
            self.meta,
            classes=list(self.classes),
            temperature=self.temperature,
            yield_intercept=self.yield_intercept,
            feature_version=FEATURE_VERSION,
            dense_scale=self.dense_scale,
        )
        if self.dense_coef is not None:
            if not vectors_file:
                raise ValueError("a model with dense weights needs vectors_file")
            meta["vectors_file"] = vectors_file
        arrays: dict[str, np.ndarray] = {
            "cols": self.cols.astype(np.int32),
            "coef": self.coef.astype(np.float16),
            "intercept": self.intercept.astype(np.float32),
            "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        }
        if self.yield_coef is not None:
            arrays["yield_coef"] = self.yield_coef.astype(np.float16)
        if self.dense_coef is not None:
            arrays["dense_coef"] = self.dense_coef.astype(np.float32)
        if self.yield_dense is not None:
            arrays["yield_dense"] = self.yield_dense.astype(np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> LinearTyper:
        """Read a model written by :meth:`save`; ModelFileError names the file and the reason."""
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(bytes(z["meta"]).decode("utf-8"))
                yc = z["yield_coef"].astype(np.float32) if "yield_coef" in z.files else None
                dc = z["dense_coef"].astype(np.float32) if "dense_coef" in z.files else None
                yd = z["yield_dense"].astype(np.float32) if "yield_dense" in z.files else None
                vectors = None
                if dc is not None:
                    vectors = WordVectors.load(path.parent / meta["vectors_file"])
                model = cls(
                    classes=tuple(meta["classes"]),
                    cols=z["cols"].astype(np.int64),
                    coef=z["coef"].astype(np.float32),
                    intercept=z["intercept"].astype(np.float32),
                    yield_coef=yc,
                    yield_intercept=float(meta.get("yield_intercept", 0.0)),
                    temperature=float(meta.get("temperature", 1.0)),
                    meta=meta,
                    dense_coef=dc,
                    yield_dense=yd,
                    dense_scale=float(meta.get("dense_scale", 1.0)),
                    vectors=vectors,
                )
        except (OSError, KeyError, ValueError) as exc:
            raise ModelFileError(f"cannot read typing model {path}: {exc}") from exc
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ModelFileError(
                f"typing model {path} was built for feature version "
                f"{meta.get('feature_version')}, this code computes version {FEATURE_VERSION}; "
                "retrain it with scripts/train_event_model.py"
            )
        return model
