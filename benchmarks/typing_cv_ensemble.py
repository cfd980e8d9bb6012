#!/usr/bin/env python
"""Cross-validated accuracy of an encoder + linear probability ensemble on PLV.

Reads the encoder's out-of-fold scores written by ``benchmarks/typing_cv_encoder.py --oof``
(5 folds grouped by sentence_id on the 70% dev part of PLV_train.tsv), refits the linear
model (scripts/train_event_model.py's shipped DEFAULTS, through ``fit_typer``) on the same
folds, and scores p = (1 - w) * p_encoder + w * p_linear over the 16 PLOVER types, alone
("model") and inside the hybrid (``learned.combine`` with the shipped thresholds), for each
weight w. Prints mean ± standard deviation over folds of accuracy, macro-F1 and quad-class
accuracy. The 30% held out is never read.

    .venv/bin/python benchmarks/typing_cv_ensemble.py --oof /tmp/enc/oof2.json [--json]

Exits with a message when ../shared/data or the out-of-fold file is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from train_event_model import DEFAULT_SHARED, DEFAULTS, MODELS  # noqa: E402
from typing_cv import METHODS, decide, score  # noqa: E402

#: The weights compared (1.0: the linear model alone, for reference only).
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 1.0)
METRICS = ("accuracy", "macro_f1", "quad_accuracy")


class _Mixed:
    """Stands in for a model whose classes are the 16 PLOVER types (for learned._decision)."""

    def __init__(self) -> None:
        from polybius.ontology import PLOVER_TYPES

        self.classes = tuple(PLOVER_TYPES)


def linear_type_probs(model, cands: list) -> np.ndarray:  # noqa: ANN001
    """(n, 16) probabilities over PLOVER_TYPES from the linear model (YIELD split by its head)."""
    from polybius.ontology import PLOVER_TYPES

    probs, p_retreat = model.scores(cands)
    out = np.zeros((len(cands), len(PLOVER_TYPES)))
    col = {t: i for i, t in enumerate(PLOVER_TYPES)}
    q = np.full(len(cands), 0.5) if p_retreat is None else np.asarray(p_retreat, dtype=float)
    for j, name in enumerate(model.classes):
        if name == "YIELD":
            out[:, col["CONCEDE"]] += probs[:, j] * (1.0 - q)
            out[:, col["RETREAT"]] += probs[:, j] * q
        elif name in col:
            out[:, col[name]] += probs[:, j]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--oof", type=Path, required=True, help="encoder out-of-fold scores (.json)")
    ap.add_argument("--vectors", type=Path, default=MODELS / "wordpiece_vectors.npz")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    plv_path = args.shared / "gold" / "PLV_train.tsv"
    if not plv_path.is_file() or not args.oof.is_file():
        print(f"skipped: {plv_path} or {args.oof} is absent", file=sys.stderr)
        return 0
    from sklearn.model_selection import GroupKFold

    from polybius.events import learned
    from polybius.events.model.dataset import extra_examples, plv_examples
    from polybius.events.model.static_vectors import WordVectors
    from polybius.events.model.training import fit_typer
    from polybius.nlp import load_nlp
    from polybius.ontology import PLOVER_TYPES

    nlp = load_nlp()
    dev = plv_examples(plv_path, "dev", nlp)
    w_extra = {"cameo": DEFAULTS["w_cameo"], "headlines": DEFAULTS["w_headlines"]}
    w_extra = {k: v for k, v in w_extra.items() if v > 0}
    extras = extra_examples(args.shared, list(w_extra), nlp)
    vectors = WordVectors.load(args.vectors) if args.vectors.is_file() else None

    rows = json.loads(args.oof.read_text())
    enc = np.zeros((len(dev.gold), len(PLOVER_TYPES)))
    enc_fold = np.zeros(len(dev.gold), dtype=int)
    for r in rows:
        enc[r["row"]] = [r["scores"][t] for t in PLOVER_TYPES]
        enc_fold[r["row"]] = r["fold"]
    if len(rows) != len(dev.gold) or not enc_fold.all():
        print(f"{args.oof}: {len(rows)} rows for {len(dev.gold)} dev examples", file=sys.stderr)
        return 2
    enc /= enc.sum(axis=1, keepdims=True)  # undo the 4-decimal rounding of the file

    lin = np.zeros_like(enc)
    folds = list(GroupKFold(n_splits=5).split(np.zeros(len(dev.gold)), dev.gold, dev.groups))
    for k, (tr, te) in enumerate(folds, start=1):
        if not (enc_fold[te] == k).all():
            print(f"fold {k} differs from the encoder's folds", file=sys.stderr)
            return 2
        cands = [dev.candidates[i] for i in tr]
        labels = [dev.labels[i] for i in tr]
        weights = [1.0] * len(cands)
        for name, ex in extras.items():
            cands += [e.candidate for e in ex]
            labels += [e.label for e in ex]
            weights += [w_extra[name]] * len(ex)
        model = fit_typer(
            cands,
            labels,
            weights,
            C=DEFAULTS["C"],
            max_iter=int(DEFAULTS["max_iter"]),
            vectors=vectors,
            dense_scale=DEFAULTS["dense_scale"],
            rule_features=bool(DEFAULTS["rule_features"]),
            rule_dropout=DEFAULTS["rule_dropout"],
        )
        lin[te] = linear_type_probs(model, [dev.candidates[i] for i in te])
        print(f"  linear fold {k} fitted", file=sys.stderr)

    mixed_model = _Mixed()
    table: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for w in WEIGHTS:
        p = (1.0 - w) * enc + w * lin
        per_fold: dict[str, list[dict[str, float]]] = {m: [] for m in METHODS}
        for _, te in folds:
            cands = [dev.candidates[i] for i in te]
            mdec = [
                learned._decision(mixed_model, p[i], None, dev.candidates[i])  # type: ignore[arg-type]
                for i in te
            ]
            preds = decide(cands, [dev.rule_types[i] for i in te], mdec)
            gold = [dev.gold[i] for i in te]
            quads = [dev.quads[i] for i in te]
            for m in METHODS:
                per_fold[m].append(score(gold, quads, preds[m]))
        table[f"{w:.1f}"] = {
            m: {
                k: {
                    "mean": round(float(np.mean([f[k] for f in per_fold[m]])), 4),
                    "sd": round(float(np.std([f[k] for f in per_fold[m]])), 4),
                }
                for k in METRICS
            }
            for m in METHODS
        }
    if args.json:
        print(json.dumps({"n": len(dev.gold), "weights": table}, indent=2))
    else:
        print(f"n = {len(dev.gold)}; mean ± sd over 5 grouped folds (accuracy / macro-F1 / quad)")
        for label, res in table.items():
            for m in ("model", "hybrid") if label != "0.0" else METHODS:
                cells = "  ".join(
                    f"{res[m][k]['mean']:.4f} ± {res[m][k]['sd']:.4f}" for k in METRICS
                )
                print(f"w={label} {m:7s} {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
