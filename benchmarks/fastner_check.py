#!/usr/bin/env python
"""Same entities, less CPU: the batched entity decoder (polybius.fastner) vs spaCy's recogniser.

    .venv/bin/python benchmarks/fastner_check.py [--articles 600] [--runs 3]

Parses real news (the throughput benchmark's corpus: ../shared/data/corpus, Guardian and
IndiaPoliceEvents, interleaved) once with ``en_core_web_sm`` up to the entity recogniser,
then runs on copies of those Docs, alternating, spaCy's own ``ner`` component and the same
component adopted by :class:`polybius.fastner.FastEntityRecognizer` (both with numpy's BLAS
held to one thread, as polybius runs them). Prints the tokens whose ENT_IOB, ENT_TYPE or
ENT_KB_ID differ, the entities found, and the CPU seconds of the component alone for each
(median of ``--runs``) with their ratio, and what that makes of the whole pipeline (the
other components as polybius loads them, timed without the recogniser, plus each one).
Prints figures, asserts nothing; exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

COLS = ("ENT_IOB", "ENT_TYPE", "ENT_KB_ID")


def main(argv: list[str] | None = None) -> None:
    from doc_diff import attribute_diffs, check_args, cpu_line, diff_line

    args = check_args(__doc__, argv)

    import throughput  # the corpus reader (exits cleanly when absent)

    from polybius.blas import one_blas_thread
    from polybius.fastner import FastEntityRecognizer
    from polybius.nlp import load_nlp

    texts = [a.full_text for a in throughput.load_corpus()[: args.articles]]
    nlp = load_nlp()
    fast = nlp.get_pipe("ner")
    if not isinstance(fast, FastEntityRecognizer):
        sys.exit("the loaded pipeline has no FastEntityRecognizer (POLYBIUS_FAST_PIPES=0?)")
    spacy_ner = fast.original
    components = {"spaCy ner": spacy_ner, "polybius fastner": fast}
    times: dict[str, list[float]] = {k: [] for k in components}
    out: dict[str, list] = {}
    with one_blas_thread():
        docs = list(nlp.pipe(texts, batch_size=64, disable=["ner"]))
        print(f"{len(docs)} articles, {sum(map(len, docs)):,} tokens")
        for _ in range(args.runs):
            for name, comp in components.items():
                copies = [d.copy() for d in docs]
                t0 = time.process_time()
                out[name] = list(comp.pipe(copies, batch_size=64))
                times[name].append(time.process_time() - t0)
        rest: list[float] = []
        for _ in range(args.runs):
            t0 = time.process_time()
            list(nlp.pipe(texts, batch_size=64, disable=["ner"]))
            rest.append(time.process_time() - t0)
    a_name, b_name = components
    n_tok, diffs = attribute_diffs(out[a_name], out[b_name], COLS)
    n_ents = [sum(len(d.ents) for d in out[k]) for k in components]
    print(
        f"tokens: {n_tok:,}; that differ: {diff_line(diffs)}; "
        f"entities {n_ents[0]:,} / {n_ents[1]:,}"
    )
    print(cpu_line(times, a_name, b_name, "the entity recogniser alone"))
    base = statistics.median(rest)
    whole = {k: [r + t for r, t in zip(rest, v, strict=True)] for k, v in times.items()}
    print(f"CPU s of the pipeline without the recogniser, median of {len(rest)}: {base:.3f}")
    print(cpu_line(whole, a_name, b_name, "the whole pipeline (that + the recogniser)"))


if __name__ == "__main__":
    main()
