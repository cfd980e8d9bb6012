#!/usr/bin/env python
"""How well an encoder's NONE class tells the coder's non-events apart, on labelled news.

    .venv/bin/python scripts/train_event_encoder.py --none-class --out /tmp/enc_none.npz
    .venv/bin/python benchmarks/none_filter.py --model /tmp/enc_none.npz \\
        [--gold benchmarks/data/news_typing_silver.jsonl ...]

Why: the annotators of the news typing sets (benchmarks/data/NEWS_TYPING.md) label about one
candidate in six NONE: the sentence reports no event between that source and target. Typing
only types, so each of them becomes an event. An encoder trained with a 17th class NONE
(``--none-class``: the story candidates labelled NONE are kept) gives each candidate a
probability of being none; dropping the candidates above a threshold would raise the
precision of the coded events at some cost in recall.

For the gold items (default: news sets 1–3, which are development data), the script finds
each candidate again, and prints the ranking quality of P(NONE) (ROC AUC), and for a few
thresholds how many NONE items and how many typed items would be dropped, and the share of
the remaining candidates that are events (the coder's event precision before typing). It
also prints the model's typing accuracy on the typed items with the NONE class left out
(the runtime ignores a NONE class: ``learned._decision`` reads only PLOVER types). Prints
figures, asserts nothing; exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

DEV_SETS = [ROOT / "data" / f"news_typing_silver{s}.jsonl" for s in ("", "_2", "_3")]
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def roc_auc(positive: np.ndarray, score: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half;
    scikit-learn's ``roc_auc_score``), NaN when one of the two groups is empty."""
    from sklearn.metrics import roc_auc_score

    if positive.all() or not positive.any():
        return float("nan")
    return float(roc_auc_score(positive, score))


def drop_table(is_none: np.ndarray, p_none: np.ndarray, thresholds=THRESHOLDS) -> list[dict]:
    """Per threshold: NONE items dropped, typed items dropped, event share before and after."""
    rows = []
    for t in thresholds:
        drop = p_none >= t
        kept = ~drop
        rows.append(
            {
                "threshold": t,
                "none_dropped": int((drop & is_none).sum()),
                "typed_dropped": int((drop & ~is_none).sum()),
                "events_before": float((~is_none).mean()),
                "events_after": float((~is_none[kept]).mean()) if kept.any() else float("nan"),
            }
        )
    return rows


def share_rise(
    is_none: np.ndarray, p_none: np.ndarray, threshold: float, reps: int = 1000, seed: int = 0
) -> tuple[float, float, float]:
    """Rise in the share of events among the candidates kept at ``threshold``, with a 95%
    percentile interval from resampling the items (1,000 resamples)."""

    def rise(idx: np.ndarray) -> float:
        none, kept = is_none[idx], p_none[idx] < threshold
        after = (~none[kept]).mean() if kept.any() else float("nan")
        return float(after - (~none).mean())

    n = len(is_none)
    rng = np.random.default_rng(seed)
    draws = np.sort([rise(rng.integers(0, n, n)) for _ in range(reps)])
    return rise(np.arange(n)), float(draws[int(0.025 * reps)]), float(draws[int(0.975 * reps) - 1])


def plv_dropped(model, split: str, threshold: float) -> tuple[int, int]:  # noqa: ANN001
    """(pairs dropped at ``threshold``, pairs) on a PLV split: every PLV pair is an event."""
    from polybius.events.model.dataset import plv_examples

    plv = ROOT.parents[1] / "shared" / "data" / "gold" / "PLV_train.tsv"
    cands = plv_examples(plv, split).candidates
    k = model.classes.index("NONE")
    p_none = model.scores(cands)[0][:, k]
    return int((p_none >= threshold).sum()), len(cands)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, required=True, help="encoder file with a NONE class")
    ap.add_argument("--gold", type=Path, nargs="+", default=DEV_SETS)
    ap.add_argument(
        "--threshold", type=float, default=None, help="also: the event-share rise's interval"
    )
    ap.add_argument(
        "--plv",
        choices=("dev", "heldout"),
        default=None,
        help="also: PLV pairs of this split dropped at --threshold",
    )
    args = ap.parse_args(argv)

    import news_typing
    import throughput  # the corpus reader (exits cleanly when absent)

    from polybius.events.model.encoder import EncoderTyper

    model = EncoderTyper.load(args.model)
    if "NONE" not in model.classes:
        sys.exit(f"{args.model} has no NONE class (train it with --none-class)")
    gold = [row for path in args.gold for row in news_typing.read_gold(path)]
    found = news_typing.find_candidates(gold, throughput.load_corpus())
    items = [(g, found[g["key"]]) for g in gold if g["key"] in found]
    probs, _ = model.scores([c for _, c in items])
    k = model.classes.index("NONE")
    p_none = probs[:, k]
    is_none = np.array([g["label"] == "NONE" for g, _ in items])
    n_none, n_typed = int(is_none.sum()), int((~is_none).sum())
    print(f"{len(items)} of {len(gold)} items found; {n_none} NONE, {n_typed} typed")
    print(f"ROC AUC of P(NONE): {roc_auc(is_none, p_none):.3f}")
    for r in drop_table(is_none, p_none):
        print(
            f"P(NONE) >= {r['threshold']}: drops {r['none_dropped']}/{n_none} NONE items "
            f"({r['none_dropped'] / max(n_none, 1):.2f}) and {r['typed_dropped']}/{n_typed} "
            f"typed ({r['typed_dropped'] / max(n_typed, 1):.3f}); events among candidates "
            f"{r['events_before']:.3f} -> {r['events_after']:.3f}"
        )
    typed_probs = probs.copy()
    typed_probs[:, k] = -1.0
    pred = [model.classes[i] for i in typed_probs.argmax(1)]
    right = [p == g["label"] for (g, _), p, n in zip(items, pred, is_none, strict=True) if not n]
    print(f"model typing accuracy on the typed items, NONE left out: {np.mean(right):.3f}")
    if args.threshold is not None:
        rise, lo, hi = share_rise(is_none, p_none, args.threshold)
        print(
            f"P(NONE) >= {args.threshold}: events among candidates rise by {rise:+.3f} "
            f"[{lo:+.3f}, {hi:+.3f}] (95%, 1,000 resamples)"
        )
        if args.plv:
            dropped, n = plv_dropped(model, args.plv, args.threshold)
            print(f"PLV {args.plv}: {dropped} of {n} pairs dropped ({dropped / n:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
