#!/usr/bin/env python
"""Throughput of event typing alone (pairs per second): rules, model and hybrid, same run.

The model rows are given for each shipped model: the fine-tuned encoder (``event_encoder.npz``,
a 6-layer transformer run in numpy: slow, so timed on the first ``--encoder-limit``
candidates) and the linear model (``event_typing.npz``), chosen through
$POLYBIUS_TYPING_MODEL as a user would.

Typing starts from Candidates (extraction and parsing are not timed). The candidates are the
PLV_train.tsv marked sentences (source/target spans from the marks, no parse) when
../shared/data is there, else invented template sentences; every other one carries a rule
proposal so that hybrid typing exercises both of its branches. "rules" is
``decide_types(cands, "rules")``: reading the pattern proposal made during extraction, the
baseline cost of typing. Each figure is the median of ``--runs`` runs over all candidates,
per wall-clock second and per CPU second of this (single-threaded) process; the latter is the
fairer figure on a machine shared with other work.

    .venv/bin/python benchmarks/typing_throughput.py [--runs 5] [--batch 512]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLV = ROOT.parent / "shared" / "data" / "gold" / "PLV_train.tsv"


def _candidates(limit: int) -> tuple[list, str]:
    from polybius.events.model.plvdata import candidate_from_marked

    if PLV.is_file():
        with PLV.open(encoding="utf-8", newline="") as fh:
            marked = [r["marked_sentence"] for r in csv.DictReader(fh, delimiter="\t")]
        where = f"{PLV.name} marked sentences"
    else:
        verbs = ["bombed", "met", "criticised", "imposed sanctions on", "released", "visited"]
        marked = [
            f"<s>Freedonia {i}</s> {v} <t>Sylvania</t> near the border on day {i}."
            for i in range(200)
            for v in verbs
        ]
        where = "invented template sentences"
    cands = [candidate_from_marked(m) for m in marked][:limit]
    cands = [
        replace(c, rule_type="ASSAULT", rule_cameo="190", rule_confidence=0.9) if i % 2 else c
        for i, c in enumerate(cands)
    ]
    return cands, where


def _rate(fn, cands: list, runs: int, batch: int) -> tuple[float, float]:  # noqa: ANN001
    """(pairs per wall-clock second, pairs per CPU second of this process), medians."""
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(cands), batch):
            fn(cands[i : i + batch])
        wall.append(time.perf_counter() - t0)
        cpu.append(max(time.process_time() - c0, 1e-9))
    return len(cands) / statistics.median(wall), len(cands) / statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=512, help="candidates per typing call")
    ap.add_argument("--limit", type=int, default=5000)
    ap.add_argument("--encoder-limit", type=int, default=512, help="candidates for the encoder")
    args = ap.parse_args(argv)
    import os

    from polybius.events import learned
    from polybius.events.decide import decide_types

    if not learned.available():
        print("no trained model: run scripts/train_event_encoder.py", file=sys.stderr)
        return 2
    cands, where = _candidates(args.limit)
    print(f"{len(cands)} candidates ({where}), batch {args.batch}, median of {args.runs} runs")
    print(f"{'typing':17s} {'pairs':>6s} {'pairs/s (wall)':>16s} {'pairs/CPU-s':>14s}")
    wall, cpu = _rate(lambda b: decide_types(b, "rules"), cands, args.runs, args.batch)
    print(f"{'rules':17s} {len(cands):6d} {wall:16,.0f} {cpu:14,.0f}")
    for kind, limit in (("linear", len(cands)), ("encoder", args.encoder_limit)):
        os.environ[learned.MODEL_ENV] = kind
        if not learned.available():
            print(f"{kind}: model file absent, skipped")
            continue
        sub = cands[:limit]
        learned.predict(sub[:8])  # load the model once, outside the timing
        runs = args.runs if kind == "linear" else 1
        for mode in ("model", "hybrid"):
            wall, cpu = _rate(lambda b, m=mode: decide_types(b, m), sub, runs, args.batch)
            print(f"{mode + ' (' + kind + ')':17s} {len(sub):6d} {wall:16,.0f} {cpu:14,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
