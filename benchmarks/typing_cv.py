#!/usr/bin/env python
"""Accuracy of event typing on PLV: rules, model and hybrid, by CV and on the held-out 30%.

1. 5-fold cross-validation grouped by sentence_id on the 70% dev part of PLV_train.tsv: the
   model is retrained on four folds (plus the extra sources, with the training script's
   settings) and scored on the fifth; mean and standard deviation over folds of accuracy,
   macro-F1 (15 gold roots; CONCEDE or RETREAT count as YIELD) and quad-class accuracy
   (against gold_penta).
2. With ``--heldout``: the shipped model (or $POLYBIUS_TYPING_MODEL), trained on the dev part
   only, scored once on the 30% held out by sentence_id.

    .venv/bin/python benchmarks/typing_cv.py                # CV only
    .venv/bin/python benchmarks/typing_cv.py --heldout      # CV, then the held-out figures
    .venv/bin/python benchmarks/typing_cv.py --no-cv --heldout --json

Options of scripts/train_event_model.py (--C, --w-cameo, ...) set the CV model's training.
Prints figures; asserts nothing. Exits with a message when ../shared/data is absent.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from train_event_model import build_parser, weights_of  # noqa: E402

METHODS = ("rules", "model", "hybrid")
#: Hybrid policies compared in CV (rule_trust, model_override, model_flip of learned.combine).
POLICIES = {
    "flip-guard (0/0/0.5)": {"rule_trust": 0.0, "model_override": 0.0, "model_flip": 0.5},
    "even-odds (0/0.5/0.5)": {"rule_trust": 0.0, "model_override": 0.5, "model_flip": 0.5},
    "previous (0.65/0.5/0.75)": {"rule_trust": 0.65, "model_override": 0.5, "model_flip": 0.75},
}


def _root(label: str | None) -> str:
    return "YIELD" if label in ("CONCEDE", "RETREAT", "YIELD") else (label or "")


def score(gold: list[str], quads: list[int | None], pred: list[str]) -> dict[str, float]:
    """Accuracy, macro-F1 over the gold labels present, quad-class accuracy."""
    from polybius.evaluate.metrics import macro_f1, per_class_scores
    from polybius.ontology import quad_class

    pr = [_root(p) for p in pred]
    labels = sorted(set(gold))
    acc = float(np.mean([g == p for g, p in zip(gold, pr, strict=True)]))
    qa = [q == quad_class(p) for q, p in zip(quads, pred, strict=True) if q]
    return {
        "accuracy": acc,
        "macro_f1": macro_f1(per_class_scores(gold, pr, labels)),
        "quad_accuracy": float(np.mean(qa)) if qa else 0.0,
        "n": len(gold),
    }


def model_decisions(cands: list, model) -> list:  # noqa: ANN001
    """The model's decisions (model=None: the shipped model, through learned.predict)."""
    from polybius.events import learned

    if model is None:
        return learned.predict(cands)
    probs, p_retreat = model.scores(cands)
    return [
        learned._decision(model, probs[i], None if p_retreat is None else p_retreat[i], c)
        for i, c in enumerate(cands)
    ]


def decide(cands: list, rule_types: list[str], mdec: list, **hybrid: float) -> dict[str, list[str]]:  # noqa: ANN001, E501
    """Predicted types per method, from the rules' types and the model's decisions."""
    from polybius.events import learned
    from polybius.events.decide import rule_decisions

    hdec = learned.combine(cands, rule_decisions(cands), mdec, **hybrid)
    return {
        "rules": rule_types,
        "model": [d.event_type or "" for d in mdec],
        "hybrid": [d.event_type or r for d, r in zip(hdec, rule_types, strict=True)],
    }


def score_fold(dev, te, model, per_fold: dict, oof: list) -> list:  # noqa: ANN001
    """Type the held-out rows ``te`` of one fold with rules, model and hybrid; add each
    method's scores to ``per_fold`` and the out-of-fold decisions to ``oof``; return the
    model's decisions."""
    cands = [dev.candidates[i] for i in te]
    mdec = model_decisions(cands, model)
    rtypes = [dev.rule_types[i] for i in te]
    preds = decide(cands, rtypes, mdec)
    gold = [dev.gold[i] for i in te]
    quads = [dev.quads[i] for i in te]
    oof.append((cands, rtypes, gold, quads, mdec))
    for m in METHODS:
        per_fold[m].append(score(gold, quads, preds[m]))
    return mdec


def summarise(per_fold: dict, oof: list) -> dict[str, object]:
    """Mean ± sd over folds per method, and the fixed hybrid policies on the same
    out-of-fold decisions (the rules' dev accuracy is inflated, so no threshold is fitted)."""
    out: dict[str, object] = {}
    for m in METHODS:
        out[m] = {
            metric: f"{np.mean([f[metric] for f in per_fold[m]]):.4f} ± "
            f"{np.std([f[metric] for f in per_fold[m]]):.4f}"
            for metric in ("accuracy", "macro_f1", "quad_accuracy")
        }
    grid = {}
    for name, pol in POLICIES.items():
        accs = [score(g, q, decide(c, r, md, **pol)["hybrid"]) for c, r, g, q, md in oof]
        grid[name] = " / ".join(
            f"{np.mean([a[k] for a in accs]):.4f}"
            for k in ("accuracy", "macro_f1", "quad_accuracy")
        )
    out["hybrid_thresholds"] = grid
    return out


def cross_validate(args, dev, extras, vectors) -> dict[str, dict[str, str]]:  # noqa: ANN001
    """5-fold grouped CV on the dev part; mean ± std per method and metric."""
    from scipy import sparse
    from sklearn.model_selection import GroupKFold

    from polybius.events.model.linear import vectorize
    from polybius.events.model.static_vectors import dense_features
    from polybius.events.model.training import fit_matrix, with_rule_dropout

    x_dev = vectorize(dev.candidates, rule_features=args.rule_features)
    x_dev_plain = vectorize(dev.candidates, rule_features=False)
    d_dev = dense_features(dev.candidates, vectors) if vectors is not None else None
    w = weights_of(args)
    x_ex = [
        vectorize([r.candidate for r in rows], rule_features=args.rule_features)
        for rows in extras.values()
    ]
    x_ex_plain = [
        vectorize([r.candidate for r in rows], rule_features=False) for rows in extras.values()
    ]
    d_ex = [
        dense_features([r.candidate for r in rows], vectors) if vectors is not None else None
        for rows in extras.values()
    ]
    y_ex = [lab for rows in extras.values() for lab in (r.label for r in rows)]
    w_ex = np.concatenate(
        [np.full(len(rows), w[name]) for name, rows in extras.items()] or [np.zeros(0)]
    )
    per_fold: dict[str, list[dict[str, float]]] = {m: [] for m in METHODS}
    oof: list[tuple[list, list[str], list[str], list, list]] = []
    folds = GroupKFold(n_splits=5).split(np.zeros(len(dev.gold)), dev.gold, dev.groups)
    for k, (tr, te) in enumerate(folds, start=1):
        t0 = time.time()
        x = sparse.vstack([x_dev[tr], *x_ex]).tocsr()
        dense = None
        if d_dev is not None:
            dense = np.vstack([d_dev[tr], *[d for d in d_ex if d is not None]])
        ys = [dev.labels[i] for i in tr] + y_ex
        ws = np.concatenate([np.ones(len(tr)), w_ex])
        if args.rule_features and args.rule_dropout > 0:
            x_plain = sparse.vstack([x_dev_plain[tr], *x_ex_plain]).tocsr()
            x, ys, ws, dense = with_rule_dropout(x, x_plain, ys, ws, dense, args.rule_dropout)
        model = fit_matrix(
            x,
            ys,
            ws,
            C=args.C,
            max_iter=args.max_iter,
            tol=1e-3,
            dense=dense,
            vectors=vectors,
            dense_scale=args.dense_scale,
            meta={"rule_features": args.rule_features},
        )
        score_fold(dev, te, model, per_fold, oof)
        print(
            f"  fold {k}: "
            + ", ".join(f"{m} {per_fold[m][-1]['accuracy']:.3f}" for m in METHODS)
            + f" ({time.time() - t0:.0f}s)",
            file=sys.stderr,
        )
    out: dict[str, dict[str, str]] = {}
    out.update(summarise(per_fold, oof))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    ap.description = "PLV typing accuracy: rules, model, hybrid (CV and held-out)."
    ap.add_argument("--heldout", action="store_true", help="also score the held-out 30%%")
    ap.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    plv_path = args.shared / "gold" / "PLV_train.tsv"
    if not plv_path.is_file():
        print(f"skipped: {plv_path} is absent (needs ../shared/data)", file=sys.stderr)
        return 0
    from polybius.events.model.dataset import extra_examples, plv_examples
    from polybius.events.model.static_vectors import WordVectors
    from polybius.nlp import load_nlp

    nlp = load_nlp()
    result: dict[str, object] = {"date": time.strftime("%Y-%m-%d"), "data": str(plv_path)}
    if not args.no_cv:
        dev = plv_examples(plv_path, "dev", nlp)
        extras = extra_examples(args.shared, list(weights_of(args)), nlp)
        vectors = None
        if not args.no_vectors and args.vectors.is_file():
            vectors = WordVectors.load(args.vectors)
        result["cv"] = {
            "n": len(dev.gold),
            "folds": 5,
            "extras": weights_of(args),
            "C": args.C,
            "vectors": vectors is not None,
            **cross_validate(args, dev, extras, vectors),
        }
    if args.heldout:
        from polybius.events import learned

        if not learned.available():
            print("no trained model: run scripts/train_event_model.py", file=sys.stderr)
            return 2
        held = plv_examples(plv_path, "heldout", nlp)
        preds = decide(held.candidates, held.rule_types, model_decisions(held.candidates, None))
        result["heldout"] = {
            m: {k: round(v, 4) for k, v in score(held.gold, held.quads, preds[m]).items()}
            for m in METHODS
        }
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for part in ("cv", "heldout"):
            if part in result:
                print(f"== {part} ==")
                for m in (*METHODS, "hybrid_thresholds"):
                    if m in result[part]:  # type: ignore[operator]
                        print(f"{m:7s} {result[part][m]}")  # type: ignore[index]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
