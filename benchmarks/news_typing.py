#!/usr/bin/env python
"""Event-typing accuracy on real news: the typing candidates of corpus articles, labelled blind.

    .venv/bin/python benchmarks/news_typing.py [--gold benchmarks/data/news_typing_silver.jsonl]
        [--model PATH ...] [--json]

Why: PLV's held-out split has been read too often to choose between typers
(docs/accuracy.md), and PLV's pairs are curated sentences, not the candidates polybius
meets in whole articles. This set is the other check: 360 typing candidates drawn at random
(seed 20261129) from what polybius's coder sends to the typer in the throughput corpus's
articles 600-999 (``../shared/data/corpus``, outside the benchmark's first 200 and the
distillation check's 1,000-1,505), each labelled with a PLOVER type or NONE by two
annotators working blind (no model output seen), disagreements settled by a third
(benchmarks/data/NEWS_TYPING.md says who and how, and the agreement).

The gold file holds no news text: each item is (doc_id, article_id, SHA-1 of the sentence,
source and target character offsets, label). This script re-codes those articles, finds each
item among the candidates again, and scores every typer on the same candidates:

* ``rules``: the pattern coder's type;
* ``model`` / ``hybrid`` for the shipped encoder (the default is its hybrid), for the linear
  model, and for any ``--model`` file; with ``--override X``, also each hybrid in which the
  model needs probability X to overrule a pattern (the default needs 0.5);
* accuracy over items labelled with a type (16 PLOVER types; also with CONCEDE and RETREAT
  merged, as PLV scores them), macro-F1, quad-class accuracy, each with a 95% bootstrap
  interval, and how many items labelled NONE each typer leaves untyped.

A typer "types" a candidate with its decision, else the pattern's type; a candidate neither
types is NONE (the coder makes no event of it). Prints figures, asserts nothing; exits
cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from polybius.events.model.dataset import candidate_key, coded_candidates, labelled_key

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from gold_files import GoldError, read_rows  # noqa: E402  (a sibling module)

GOLD = ROOT / "data" / "news_typing_silver.jsonl"
#: The shipped default typing, which every other typer is compared with item by item.
DEFAULT = "encoder hybrid"
NONE = "NONE"


def read_gold(path: Path) -> list[dict]:
    """Gold items; ValueError naming the file and line for a malformed one."""
    from polybius.ontology import PLOVER_TYPES

    labels = set(PLOVER_TYPES) | {NONE}

    def parse(row: dict) -> None:
        row["key"] = labelled_key(row["article_id"], row)
        if row.get("label") not in labels:
            raise GoldError(f"label {row.get('label')!r} is not a PLOVER type or NONE")

    return read_rows(path, parse)


def find_candidates(gold: list[dict], articles: list) -> dict[tuple, object]:
    """The coder's typing candidates of the gold items' articles, by item key."""
    wanted = {g["article_id"] for g in gold}
    arts = [a for a in articles if a.article_id in wanted]
    per = coded_candidates([a.full_text for a in arts], [a.date for a in arts])
    return {
        candidate_key(art.article_id, c): c
        for art, cands in zip(arts, per, strict=True)
        for c in cands
    }


def typed(cands: list, decisions: list) -> list[str]:
    """Each candidate's type: the decision's, else the pattern's, else NONE."""
    return [d.event_type or c.rule_type or NONE for c, d in zip(cands, decisions, strict=True)]


def predictions(
    cands: list, models: dict[str, object], overrides: Sequence[float] = ()
) -> dict[str, list[str]]:
    """Types per typer: rules, then model and hybrid for each model, and for each of
    ``overrides`` the hybrid whose model needs that much confidence to overrule a pattern
    (``model_override`` = ``model_flip``)."""
    from typing_cv import model_decisions

    from polybius.events import learned
    from polybius.events.decide import rule_decisions

    rules = rule_decisions(cands)
    out = {"rules": typed(cands, rules)}
    for name, model in models.items():
        mdec = model_decisions(cands, model)
        out[f"{name} model"] = typed(cands, mdec)
        out[f"{name} hybrid"] = typed(cands, learned.combine(cands, rules, mdec))
        for x in overrides:
            kw = {"model_override": x, "model_flip": x}
            out[f"{name} hybrid@{x:g}"] = typed(cands, learned.combine(cands, rules, mdec, **kw))
    return out


def _yield(label: str) -> str:
    return "YIELD" if label in {"CONCEDE", "RETREAT"} else label


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Accuracy (16 types and with YIELD merged), macro-F1 and quad accuracy on typed items."""
    from polybius.evaluate.metrics import macro_f1, per_class_scores
    from polybius.ontology import quad_class

    n = len(gold)
    labels = sorted(set(gold))
    return {
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / n,
        "accuracy_yield": sum(_yield(g) == _yield(p) for g, p in zip(gold, pred, strict=True)) / n,
        "macro_f1": macro_f1(per_class_scores(gold, pred, labels)),
        "quad_accuracy": sum(
            p != NONE and quad_class(g) == quad_class(p) for g, p in zip(gold, pred, strict=True)
        )
        / n,
    }


def bootstrap(
    gold: list[str], pred: list[str], reps: int = 1000, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of :func:`scores` over resampled items."""
    rng = random.Random(seed)
    draws: dict[str, list[float]] = {}
    idx = range(len(gold))
    for _ in range(reps):
        pick = [rng.choice(idx) for _ in idx]
        for k, v in scores([gold[i] for i in pick], [pred[i] for i in pick]).items():
            draws.setdefault(k, []).append(v)
    return {
        k: (sorted(v)[int(0.025 * reps)], sorted(v)[int(0.975 * reps) - 1])
        for k, v in draws.items()
    }


def paired_difference(
    gold: list[str], pred: list[str], base: list[str], reps: int = 1000, seed: int = 0
) -> tuple[float, float, float]:
    """Accuracy of ``pred`` minus that of ``base`` on the same items, with a 95% interval
    from resampling the items (both typers see the same draw)."""
    hits = [(p == g) - (b == g) for g, p, b in zip(gold, pred, base, strict=True)]
    rng = random.Random(seed)
    idx = range(len(hits))
    draws = sorted(sum(hits[rng.choice(idx)] for _ in idx) / len(hits) for _ in range(reps))
    return sum(hits) / len(hits), draws[int(0.025 * reps)], draws[int(0.975 * reps) - 1]


def calibration(path: Path, plv: Path) -> tuple[int, int]:
    """(agreeing, total): how often the annotators' labels of PLV pairs (``path``: item, PLV
    uid, label) match PLV's expert labels (CONCEDE and RETREAT both count as YIELD)."""
    from polybius.evaluate.plv import read_plv

    gold = {r.uid: r.gold_root for r in read_plv(plv)}
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    same = sum(_yield(r["label"]) == _yield(gold[r["uid"]]) for r in rows)
    return same, len(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--model", type=Path, action="append", default=[], help="extra model file")
    ap.add_argument(
        "--override",
        type=float,
        action="append",
        default=[],
        help="also score each hybrid with this model_override (= model_flip)",
    )
    ap.add_argument(
        "--calibration",
        action="store_true",
        help="print how often the annotators agree with PLV's experts (plv_calibration.jsonl)",
    )
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)

    if args.calibration:
        plv = ROOT.parents[1] / "shared" / "data" / "gold" / "PLV_train.tsv"
        if not plv.is_file():
            print(f"skipped: {plv} is absent")
            return 0
        same, n = calibration(ROOT / "data" / "plv_calibration.jsonl", plv)
        print(f"annotators vs PLV experts: {same} of {n} pairs agree ({same / n:.3f})")
        return 0

    import throughput  # the corpus reader (exits cleanly when absent)

    from polybius.events import learned

    gold = read_gold(args.gold)
    found = find_candidates(gold, throughput.load_corpus())
    have = [g for g in gold if g["key"] in found]
    missing = len(gold) - len(have)
    cands = [found[g["key"]] for g in have]
    models: dict[str, object] = {
        "encoder": learned._load(learned._shipped(learned.ENCODER_FILE)),
        "linear": learned._load(learned._shipped(learned.LINEAR_FILE)),
    }
    for path in args.model:
        models[path.stem] = learned._load(path)
    preds = predictions(cands, models, args.override)
    events = [i for i, g in enumerate(have) if g["label"] != NONE]
    nones = [i for i, g in enumerate(have) if g["label"] == NONE]
    gold_ev = [have[i]["label"] for i in events]
    result: dict[str, object] = {
        "gold": str(args.gold),
        "items": len(gold),
        "found": len(have),
        "missing": missing,
        "labelled_event": len(events),
        "labelled_none": len(nones),
        "typers": {},
    }
    base = [preds[DEFAULT][i] for i in events]
    for name, pred in preds.items():
        p_ev = [pred[i] for i in events]
        s = scores(gold_ev, p_ev)
        ci = bootstrap(gold_ev, p_ev)
        diff, lo, hi = paired_difference(gold_ev, p_ev, base)
        result["typers"][name] = {  # type: ignore[index]
            **{k: round(v, 4) for k, v in s.items()},
            **{f"{k}_ci95": [round(a, 4), round(b, 4)] for k, (a, b) in ci.items()},
            "accuracy_minus_default": round(diff, 4),
            "accuracy_minus_default_ci95": [round(lo, 4), round(hi, 4)],
            "none_left_untyped": sum(pred[i] == NONE for i in nones),
        }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"{args.gold.name}: {len(gold)} items, {len(have)} found again ({missing} missing); "
        f"{len(events)} labelled with a type, {len(nones)} NONE"
    )
    head = [("accuracy", 20), ("acc. (YIELD)", 13), ("macro-F1", 9), ("quad", 20)]
    head += [("minus default [95%]", 28), ("NONE untyped", 13)]
    print(f"{'typer':22s} " + " ".join(f"{h:>{w}s}" for h, w in head))
    for name, r in result["typers"].items():  # type: ignore[union-attr]
        lo, hi = r["accuracy_ci95"]
        qlo, qhi = r["quad_accuracy_ci95"]
        dlo, dhi = r["accuracy_minus_default_ci95"]
        print(
            f"{name:22s} {r['accuracy']:.3f} [{lo:.3f}, {hi:.3f}] {r['accuracy_yield']:13.3f} "
            f"{r['macro_f1']:9.3f} {r['quad_accuracy']:.3f} [{qlo:.3f}, {qhi:.3f}] "
            f"{r['accuracy_minus_default']:+9.3f} [{dlo:+.3f}, {dhi:+.3f}] "
            f"{r['none_left_untyped']:>6d} of {len(nones)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
