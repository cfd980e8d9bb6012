"""Scoring helpers shared by the evaluations: per-class precision/recall/F1 and macro F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

__all__ = ["per_class_scores", "macro_f1", "prf"]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def per_class_scores(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]
) -> dict[str, dict[str, float]]:
    """precision/recall/f1/support per label (labels = the gold label set)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, guess in zip(gold, pred, strict=True):
        if g == guess:
            tp[g] += 1
        else:
            fn[g] += 1
            fp[guess] += 1
    out: dict[str, dict[str, float]] = {}
    for lab in labels:
        p, r, f = prf(tp[lab], fp[lab], fn[lab])
        out[lab] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "support": tp[lab] + fn[lab],
        }
    return out


def macro_f1(scores: dict[str, dict[str, float]]) -> float:
    """Unweighted mean F1 over the labels in ``scores``."""
    if not scores:
        return 0.0
    return sum(s["f1"] for s in scores.values()) / len(scores)
