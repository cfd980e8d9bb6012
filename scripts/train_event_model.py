#!/usr/bin/env python
"""Train the learned event-typing model shipped as polybius/data/models/event_typing.npz.

Data (from ../shared/data, read only here): the 70% "dev" part of PLV_train.tsv (the 30%
held out by sentence_id is never read), CAMEO verb-pattern templates, and optionally the
synthetic headline templates and story leads (machine-written: used for wording only).
PLV rows are turned into Candidates by the coder itself (``type_pairs(typing="rules")``),
so the model learns from exactly what extraction gives it at run time.

    .venv/bin/python scripts/train_event_model.py                 # the shipped configuration
    .venv/bin/python scripts/train_event_model.py --out /tmp/m.npz --w-cameo 0.3

The defaults are the configuration chosen by 5-fold grouped cross-validation on the dev part
(benchmarks/typing_cv.py). Word vectors (``wordpiece_vectors.npz``, from
scripts/distill_word_vectors.py) are used when present unless ``--no-vectors``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "src" / "polybius" / "data" / "models"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"

#: The configuration chosen by cross-validation (see docs/accuracy-model.md).
DEFAULTS = {
    "C": 30.0,
    "w_cameo": 0.05,
    "w_headlines": 0.0,
    "w_stories": 0.0,
    "dense_scale": 0.3,
    "max_iter": 300,
    "rule_dropout": 0.0,
    "rule_features": False,
}


def build_parser() -> argparse.ArgumentParser:
    """Command-line options (shared with benchmarks/typing_cv.py)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="the shared data directory (default ../shared/data)",
    )
    ap.add_argument("--out", type=Path, default=MODELS / "event_typing.npz")
    ap.add_argument(
        "--vectors",
        type=Path,
        default=MODELS / "wordpiece_vectors.npz",
        help="word-piece vector table; must sit beside --out to be shipped",
    )
    ap.add_argument("--no-vectors", action="store_true", help="sparse features only")
    ap.add_argument("--C", type=float, default=DEFAULTS["C"], help="inverse regularisation")
    ap.add_argument(
        "--w-cameo",
        type=float,
        default=DEFAULTS["w_cameo"],
        help="sample weight of CAMEO template examples (0 = unused)",
    )
    ap.add_argument("--w-headlines", type=float, default=DEFAULTS["w_headlines"])
    ap.add_argument("--w-stories", type=float, default=DEFAULTS["w_stories"])
    ap.add_argument("--dense-scale", type=float, default=DEFAULTS["dense_scale"])
    ap.add_argument("--max-iter", type=int, default=int(DEFAULTS["max_iter"]))
    ap.add_argument(
        "--rule-features",
        action=argparse.BooleanOptionalAction,
        default=bool(DEFAULTS["rule_features"]),
        help="give the model the patterns' proposal (rule type, CAMEO root)",
    )
    ap.add_argument(
        "--rule-dropout",
        type=float,
        default=float(DEFAULTS["rule_dropout"]),
        help="share of training weight with the rule features hidden",
    )
    return ap


def weights_of(args: argparse.Namespace) -> dict[str, float]:
    """Extra source name -> sample weight, for those in use."""
    w = {"cameo": args.w_cameo, "headlines": args.w_headlines, "stories": args.w_stories}
    return {k: v for k, v in w.items() if v > 0}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    plv_path = args.shared / "gold" / "PLV_train.tsv"
    if not plv_path.is_file():
        print(f"no training data: {plv_path} is absent (needs ../shared/data)", file=sys.stderr)
        return 2
    from polybius.events.model.dataset import extra_examples, plv_examples
    from polybius.events.model.static_vectors import WordVectors
    from polybius.events.model.training import fit_typer
    from polybius.nlp import load_nlp

    t0 = time.time()
    nlp = load_nlp()
    dev = plv_examples(plv_path, "dev", nlp)
    cands, labels = list(dev.candidates), list(dev.labels)
    weights = [1.0] * len(cands)
    used = {"plv_dev": len(cands)}
    for name, rows in extra_examples(args.shared, list(weights_of(args)), nlp).items():
        cands += [r.candidate for r in rows]
        labels += [r.label for r in rows]
        weights += [weights_of(args)[name]] * len(rows)
        used[name] = len(rows)
    vectors = None
    if not args.no_vectors and args.vectors.is_file():
        vectors = WordVectors.load(args.vectors)
    print(f"training on {used} ({time.time() - t0:.0f}s to build)", file=sys.stderr)
    meta = {
        "trained_on": used,
        "weights": weights_of(args),
        "C": args.C,
        "dense_scale": args.dense_scale if vectors else None,
        "built": time.strftime("%Y-%m-%d"),
    }
    model = fit_typer(
        cands,
        labels,
        weights,
        C=args.C,
        max_iter=args.max_iter,
        meta=meta,
        vectors=vectors,
        dense_scale=args.dense_scale,
        rule_features=args.rule_features,
        rule_dropout=args.rule_dropout,
    )
    vec_name = None
    if vectors is not None:
        if args.vectors.resolve().parent != args.out.resolve().parent:
            print(f"note: {args.vectors.name} must be copied beside {args.out}", file=sys.stderr)
        vec_name = args.vectors.name
    model.save(args.out, vectors_file=vec_name)
    nz = int(np.count_nonzero(model.coef))
    print(
        f"wrote {args.out}: {args.out.stat().st_size / 1e6:.2f} MB, classes "
        f"{', '.join(model.classes)}, {len(model.cols)} columns ({nz} weights), "
        f"{time.time() - t0:.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
