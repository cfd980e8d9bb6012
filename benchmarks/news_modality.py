#!/usr/bin/env python
"""Modality accuracy on real news: coded events, labelled blind (benchmarks/data/NEWS_MODALITY.md).

    .venv/bin/python benchmarks/news_modality.py [--half dev|test|both] [--json]

Why: "whether it happened, is intended, is hypothetical or is denied" is half of what an event
record says, and no gold set in ../shared/data carries it. This set is a stratified sample of
the events polybius codes from the throughput corpus, each labelled with the modality of the
act its trigger names by two annotators working blind, disagreements settled by a third.

The gold file holds no news text: each item is (article id, trigger span, source and target
codes, stratum, label). This script re-codes the items' articles with the code as it is now,
finds each event again and compares its ``trigger_modality`` (``--explain``) with the label:

* per half (``dev`` may be read to find errors; ``test`` is read once, by the rule in
  NEWS_MODALITY.md): accuracy, and each modality's precision and recall, weighted back to
  the corpus by stratum (each sampled event stands for ``stratum_size / drawn`` events), with
  95% intervals from a bootstrap that resamples each stratum on its own;
* the typing model's modality hint: on every event it fires on, the accuracy of the cues'
  modality and of the hint's ``intended``, and the paired interval of the difference;
* the counts: items not found again (the coder changed), items labelled ``x`` (no act of
  the source: left out of every figure).

Prints figures, asserts nothing; exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from polybius.records import MODALITIES

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent / "scripts"))

from gold_files import GoldError, event_key, read_rows  # noqa: E402  (a sibling module)

GOLD = ROOT / "data" / "news_modality_silver.jsonl"
HINT = "hint"


def read_gold(path: Path) -> list[dict]:
    """Gold items, each with its ``key``; ValueError naming the file and line for a bad one."""

    def parse(row: dict) -> None:
        row["key"] = event_key(row)
        int(row["stratum_size"])
        if row.get("label") not in (*MODALITIES, "x"):
            raise GoldError(f"label {row.get('label')!r} is not a modality or x")

    return read_rows(path, parse)


def predict(gold: list[dict], articles: list) -> dict[tuple, dict]:
    """The coder's events of the gold items' articles, by key (``news_modality_sample``)."""
    from news_modality_sample import coded_events, event_key

    wanted = {g["article_id"] for g in gold}
    events = coded_events([a for a in articles if a.article_id in wanted])
    return {event_key(e["article_id"], e): e for e in events}


def weighted(items: Sequence[dict], score: Callable[[dict], tuple[float, float]]) -> float:
    """Sum of weight × numerator over sum of weight × denominator; ``score`` gives an item's
    (numerator, denominator)."""
    num = den = 0.0
    for it in items:
        a, b = score(it)
        num += it["weight"] * a
        den += it["weight"] * b
    return num / den if den else float("nan")


def _accuracy(it: dict) -> tuple[float, float]:
    return float(it["pred"] == it["label"]), 1.0


def _precision(c: str) -> Callable[[dict], tuple[float, float]]:
    return lambda it: (float(it["pred"] == c == it["label"]), float(it["pred"] == c))


def _recall(c: str) -> Callable[[dict], tuple[float, float]]:
    return lambda it: (float(it["pred"] == c == it["label"]), float(it["label"] == c))


def bootstrap(
    items: Sequence[dict], stat: Callable[[Sequence[dict]], float], reps: int = 2000, seed: int = 7
) -> tuple[float, float]:
    """95% interval of ``stat``, resampling items within each stratum."""
    by: dict[str, list[dict]] = defaultdict(list)
    for it in items:
        by[it["stratum"]].append(it)
    rng = random.Random(seed)
    vals = []
    for _ in range(reps):
        sample = [rng.choice(group) for group in by.values() for _ in group]
        v = stat(sample)
        if v == v:  # not NaN
            vals.append(v)
    if not vals:
        return float("nan"), float("nan")
    vals.sort()
    return vals[int(0.025 * len(vals))], vals[min(len(vals) - 1, int(0.975 * len(vals)))]


def half_report(items: list[dict]) -> dict:
    """Weighted accuracy, precision and recall per modality, and the confusion counts."""
    acc = weighted(items, _accuracy)
    out: dict = {
        "n": len(items),
        "accuracy": round(acc, 3),
        "accuracy_ci": [round(x, 3) for x in bootstrap(items, lambda s: weighted(s, _accuracy))],
        "per_class": {},
        "confusion": {
            f"{g}->{p}": n for (g, p), n in Counter((i["label"], i["pred"]) for i in items).items()
        },
    }
    for c in MODALITIES:
        out["per_class"][c] = {
            "gold": sum(i["label"] == c for i in items),
            "predicted": sum(i["pred"] == c for i in items),
            "precision": round(weighted(items, _precision(c)), 3),
            "recall": round(weighted(items, _recall(c)), 3),
        }
    return out


def hint_report(items: list[dict]) -> dict:
    """Cues against the hint on the events the hint fires on (paired)."""
    if not items:
        return {"n": 0}
    cues = [float(i["pred"] == i["label"]) for i in items]
    hint = [float(i["label"] == "intended") for i in items]
    n = len(items)
    rng = random.Random(11)
    diffs = []
    for _ in range(2000):
        idx = [rng.randrange(n) for _ in range(n)]
        diffs.append(sum(hint[k] - cues[k] for k in idx) / n)
    diffs.sort()
    return {
        "n": n,
        "labels": dict(Counter(i["label"] for i in items)),
        "cues_accuracy": round(sum(cues) / n, 3),
        "hint_accuracy": round(sum(hint) / n, 3),
        "difference_ci": [round(diffs[50], 3), round(diffs[1949], 3)],
    }


def join(
    gold: list[dict], found: dict[tuple, dict], is_x: Callable[[dict], bool]
) -> tuple[list[dict], int, int]:
    """Gold items found again, with the coder's event (``ev``) and the weight of their
    stratum, leaving out those ``is_x`` (no act of the source); (items, not found, x)."""
    drawn = Counter(g["stratum"] for g in gold)
    items, missing, not_acts = [], 0, 0
    for g in gold:
        ev = found.get(g["key"])
        if ev is None:
            missing += 1
        elif is_x(g):
            not_acts += 1
        else:
            items.append({**g, "ev": ev, "weight": g["stratum_size"] / drawn[g["stratum"]]})
    return items, missing, not_acts


def score(gold: list[dict], found: dict[tuple, dict], halves: Sequence[str]) -> dict:
    """Join gold and predictions; the figures of each half and of the hint."""
    items, missing, not_acts = join(gold, found, lambda g: g["label"] == "x")
    joined = [{**i, "pred": i["ev"]["modality"], "hint_now": i["ev"]["hint"]} for i in items]
    report: dict = {"items": len(gold), "not_found": missing, "labelled_x": not_acts}
    for half in halves:
        items = [i for i in joined if i["stratum"].startswith(f"{half}:")]
        report[half] = half_report(items)
    report[HINT] = hint_report([i for i in joined if i["hint"]])
    report["hint_fires_now"] = sum(i["hint_now"] for i in joined)
    return report


def paired(gold: list[dict], found: dict[tuple, dict], other: dict[str, str], half: str) -> dict:
    """This run against another (``--save``d) on the items of ``half`` found in both:
    weighted accuracy of each and of the difference, with a stratified bootstrap interval."""
    drawn = Counter(g["stratum"] for g in gold)
    items = []
    for g in gold:
        ev = found.get(g["key"])
        if not g["stratum"].startswith(f"{half}:") or g["label"] == "x":
            continue
        if ev is None or g["item"] not in other:
            continue
        w = g["stratum_size"] / drawn[g["stratum"]]
        items.append({**g, "now": ev["modality"], "then": other[g["item"]], "weight": w})

    def acc(key: str) -> Callable[[Sequence[dict]], float]:
        return lambda s: weighted(s, lambda it: (float(it[key] == it["label"]), 1.0))

    def diff(s: Sequence[dict]) -> float:
        return acc("now")(s) - acc("then")(s)

    return {
        "n": len(items),
        "changed": sum(i["now"] != i["then"] for i in items),
        "now": round(acc("now")(items), 3),
        "then": round(acc("then")(items), 3),
        "difference": round(diff(items), 3),
        "difference_ci": [round(x, 3) for x in bootstrap(items, diff)],
    }


def run(
    args: argparse.Namespace,
    read: Callable[[Path], list[dict]],
    score_fn: Callable[[list[dict], dict[tuple, dict], Sequence[str]], dict],
    snapshot: Callable[[dict], object],
    pair: Callable[[list[dict], dict[tuple, dict], dict, str], dict],
) -> tuple[tuple[str, ...], dict | None]:
    """What the news benchmarks share: read ``args.gold``, re-code its articles, score the
    halves asked for, write each item's ``snapshot`` (``--save``), pair with a saved run
    (``--against``), and print the report as JSON (``--json``; then the report returned is
    None) or its first line. Returns the halves and the report."""
    import throughput  # the corpus reader (exits cleanly when absent)

    gold = read(args.gold)
    found = predict(gold, throughput.load_corpus())
    halves = ("dev", "test") if args.half == "both" else (args.half,)
    report = score_fn(gold, found, halves)
    if args.save:
        runs = {g["item"]: snapshot(found[g["key"]]) for g in gold if g["key"] in found}
        args.save.write_text(json.dumps(runs, indent=0), "utf-8")
    if args.against:
        other = json.loads(args.against.read_text("utf-8"))
        report["against"] = {h: pair(gold, found, other, h) for h in halves}
    if args.json:
        print(json.dumps(report, indent=1))
        return halves, None
    print(
        f"{report['items']} items; {report['not_found']} not found again; "
        f"{report['labelled_x']} labelled x (no act of the source), left out"
    )
    return halves, report


def parser(doc: str, gold: Path, rules: str, saved: str) -> argparse.ArgumentParser:
    """The options the news benchmarks share: ``--gold``, ``--half``, ``--json``, ``--save``
    (each item's ``saved``) and ``--against``; ``rules`` names the file with the test rule."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=gold)
    ap.add_argument(
        "--half",
        choices=("dev", "test", "both"),
        default="dev",
        help=f"which half to score (test: read once, by the rule in {rules})",
    )
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--save", type=Path, help=f"write each item's {saved} (JSON)")
    ap.add_argument(
        "--against",
        type=Path,
        help="a --save'd run of other code: print the paired difference on each half",
    )
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__, GOLD, "NEWS_MODALITY.md", "predicted modality")
    args = ap.parse_args(argv)
    halves, report = run(args, read_gold, score, lambda ev: ev["modality"], paired)
    if report is None:  # printed as JSON
        return 0
    for half in halves:
        r = report[half]
        lo, hi = r["accuracy_ci"]
        print(f"\n{half}: {r['n']} events, weighted accuracy {r['accuracy']:.3f} [{lo}, {hi}]")
        print(f"  {'modality':<13}{'gold':>5}{'pred':>6}{'precision':>11}{'recall':>8}")
        for c, m in r["per_class"].items():
            print(
                f"  {c:<13}{m['gold']:>5}{m['predicted']:>6}{m['precision']:>11.3f}"
                f"{m['recall']:>8.3f}"
            )
        wrong = {k: v for k, v in r["confusion"].items() if k.split("->")[0] != k.split("->")[1]}
        print("  errors (gold->predicted):", dict(sorted(wrong.items(), key=lambda kv: -kv[1])))
    for half, p in report.get("against", {}).items():
        print(
            f"\n{half}, against {args.against.name} ({p['n']} items in both, {p['changed']} "
            f"changed): {p['then']:.3f} -> {p['now']:.3f}, difference {p['difference']:+.3f} "
            f"{p['difference_ci']}"
        )
    h = report[HINT]
    if not h["n"]:
        return 0
    print(
        f"\nmodality hint ({h['n']} events it fired on when sampled; labels {h['labels']}): "
        f"cues {h['cues_accuracy']}, hint {h['hint_accuracy']}, "
        f"hint - cues {h['difference_ci']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
