#!/usr/bin/env python
"""Where polybius's CPU time goes, stage by stage, on real news (one process, warm).

    .venv/bin/python benchmarks/stage_costs.py [--articles 200] [--runs 3]

Texts: the throughput benchmark's corpus (../shared/data/corpus, Guardian and
IndiaPoliceEvents, interleaved). Each stage is timed on its own over all articles, in this
order, with ``time.process_time`` (median of ``--runs``):

* tokenise: ``nlp.make_doc``;
* pre-filter decision: ``prefilter.sentence_keeps`` on the tokenised Docs;
* pre-filtered parse: ``pipeline.parse_for_coding`` (tokenise, decide, parse the kept
  sentences, assemble), of which the parse alone is this minus the two rows above;
* actors: ``find_actors`` on the parsed Docs;
* events, rule typing: ``extract_events(..., typing="rules")``;
* events, default typing: the same with the shipped default; the difference is the typing
  model's own cost.

Then every component of the pipeline over every sentence (the baseline's work, with
polybius's speed-ups), each timed alone on the output of the one before. Prints figures,
asserts nothing; exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _cpu(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median CPU seconds of ``fn`` over ``runs`` calls, and its last result."""
    times, out = [], None
    for _ in range(runs):
        t0 = time.process_time()
        out = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)

    import throughput  # the corpus reader (exits cleanly when absent)

    from polybius.actors import find_actors
    from polybius.events import extract_events
    from polybius.nlp import load_nlp
    from polybius.pipeline import code_text, parse_for_coding
    from polybius.prefilter import sentence_keeps

    arts = throughput.load_corpus()[: args.articles]
    texts = [a.full_text for a in arts]
    nlp = load_nlp()
    code_text(throughput.WARM_UP_TEXT, date="2019-03-05")  # loads models and tables
    n = args.runs
    rows: list[tuple[str, float]] = []
    sec, tok = _cpu(lambda: [nlp.make_doc(t) for t in texts], n)
    rows.append(("tokenise", sec))
    sec, _ = _cpu(lambda: [sentence_keeps(d, t) for d, t in zip(tok, texts, strict=True)], n)
    rows.append(("pre-filter decision", sec))
    sec, docs = _cpu(lambda: list(parse_for_coding(texts, nlp)), n)
    rows.append(("parse of the kept sentences (+ assembly)", sec - rows[0][1] - rows[1][1]))
    pairs = list(zip(docs, arts, strict=True))
    sec, actors = _cpu(lambda: [find_actors(d, a.date) for d, a in pairs], n)
    rows.append(("actors and co-reference", sec))
    jobs = list(zip(docs, actors, arts, strict=True))
    rules, _ = _cpu(lambda: [extract_events(d, m, a, typing="rules") for d, m, a in jobs], n)
    rows.append(("events with rule typing", rules))
    default, _ = _cpu(lambda: [extract_events(d, m, a) for d, m, a in jobs], n)
    rows.append(("the typing model (default typing minus rules)", default - rules))
    total = sum(s for _, s in rows)
    print(f"{len(arts)} articles, one process, CPU s (median of {n}); total {total:.2f}")
    for name, s in rows:
        print(f"  {name:46s} {s:7.2f} {100 * s / total:5.1f}%")

    per: dict[str, list[float]] = {name: [] for name in nlp.pipe_names}
    for _ in range(n):
        docs0 = [nlp.make_doc(t) for t in texts]
        for name, proc in nlp.pipeline:
            run = getattr(proc, "pipe", None)
            t0 = time.process_time()
            docs0 = list(run(docs0)) if run else [proc(d) for d in docs0]
            per[name].append(time.process_time() - t0)
    comp = [(name, statistics.median(v)) for name, v in per.items()]
    total = sum(s for _, s in comp)
    print(f"\nour nlp over every sentence, per component (CPU s, median of {n}): {total:.2f}")
    for name, s in comp:
        print(f"  {name:46s} {s:7.2f} {100 * s / total:5.1f}%")


if __name__ == "__main__":
    main()
