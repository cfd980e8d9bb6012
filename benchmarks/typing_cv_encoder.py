#!/usr/bin/env python
"""Cross-validated accuracy of the fine-tuned encoder typer on PLV: rules, model, hybrid.

5-fold cross-validation grouped by sentence_id on the 70% dev part of PLV_train.tsv (the
30% held out is never read): the encoder is fine-tuned on four folds (plus the extra sources
at the given weights) and scored on the fifth. Prints mean ± standard deviation over folds of
accuracy, macro-F1 (15 gold roots) and quad-class accuracy, and the hybrid policies of
benchmarks/typing_cv.py on the same out-of-fold decisions. Options are those of
scripts/train_event_encoder.py (--epochs, --lr, --layers, --w-cameo, ...).

    .venv/bin/python benchmarks/typing_cv_encoder.py [--epochs 4 --lr 1e-4] [--oof FILE]

Needs the ``train`` extra (JAX). Exits with a message when ../shared/data is absent.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from train_event_encoder import build_parser, fit, load_data  # noqa: E402
from typing_cv import METHODS, score_fold, summarise  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    ap.add_argument("--oof", type=Path, default=None, help="write out-of-fold scores (.json)")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    if not (args.shared / "gold" / "PLV_train.tsv").is_file():
        print("skipped: PLV_train.tsv is absent (needs ../shared/data)", file=sys.stderr)
        return 0
    from sklearn.model_selection import GroupKFold

    dev, extras = load_data(args)
    per_fold: dict[str, list[dict[str, float]]] = {m: [] for m in METHODS}
    oof = []
    oof_rows: list[dict] = []
    folds = GroupKFold(n_splits=args.folds).split(np.zeros(len(dev.gold)), dev.gold, dev.groups)
    t_all = time.time()
    for k, (tr, te) in enumerate(folds, start=1):
        t0 = time.time()
        model = fit(args, dev, extras, list(tr), log=f"fold {k} ")
        mdec = score_fold(dev, te, model, per_fold, oof)
        for i, d in zip(te, mdec, strict=True):
            oof_rows.append({"row": int(i), "fold": k, "scores": d.scores, "type": d.event_type})
        print(
            f"  fold {k}: "
            + ", ".join(f"{m} {per_fold[m][-1]['accuracy']:.3f}" for m in METHODS)
            + f" ({time.time() - t0:.0f}s)",
            file=sys.stderr,
        )
    out: dict[str, object] = {"config": {k: str(v) for k, v in vars(args).items()}}
    out.update(summarise(per_fold, oof))
    out["seconds"] = round(time.time() - t_all)
    print(json.dumps(out, indent=2, ensure_ascii=False))
    if args.oof:
        args.oof.write_text(json.dumps(oof_rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
