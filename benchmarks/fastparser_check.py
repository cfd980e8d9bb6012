#!/usr/bin/env python
"""Same parses, less CPU: the sentence-batched parser (polybius.fastparser) vs spaCy's parser.

    .venv/bin/python benchmarks/fastparser_check.py [--articles 600] [--runs 3]

Cuts real news (the throughput benchmark's corpus: ../shared/data/corpus, Guardian and
IndiaPoliceEvents, interleaved) into the runs of sentences polybius parses, with their
sentence starts fixed (``polybius.prefilter``, the pre-filter on), runs the pipeline up to
the parser on them once, then runs on copies of those Docs, alternating, spaCy's own
``parser`` component and the same component adopted by
:class:`polybius.fastparser.FastDependencyParser` (both with numpy's BLAS held to one
thread, as polybius runs them; batches of 128 runs, as the pre-filter sends them). Prints
the tokens whose HEAD, DEP or sentence start differ, and the CPU seconds of the component
alone for each (median of ``--runs``) with their ratio. Prints figures, asserts nothing;
exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

COLS = ("HEAD", "DEP", "SENT_START")


def main(argv: list[str] | None = None) -> None:
    from doc_diff import attribute_diffs, check_args, cpu_line, diff_line

    args = check_args(__doc__, argv)

    import throughput  # the corpus reader (exits cleanly when absent)

    from polybius.blas import one_blas_thread
    from polybius.fastparser import FastDependencyParser
    from polybius.nlp import load_nlp
    from polybius.prefilter import PIECE_BATCH, parse_inputs

    texts = [a.full_text for a in throughput.load_corpus()[: args.articles]]
    nlp = load_nlp()
    fast = nlp.get_pipe("parser")
    if not isinstance(fast, FastDependencyParser):
        sys.exit("the loaded pipeline has no FastDependencyParser (POLYBIUS_FAST_PIPES=0?)")
    components = {"spaCy parser": fast.original, "polybius fastparser": fast}
    before = nlp.pipe_names[: nlp.pipe_names.index("parser")]
    skip = [n for n in nlp.pipe_names if n not in before or n == "polybius_paragraphs"]
    times: dict[str, list[float]] = {k: [] for k in components}
    out: dict[str, list] = {}
    with one_blas_thread():
        pieces = [p for t in texts for p in parse_inputs(t, nlp)]
        docs = list(nlp.pipe(pieces, batch_size=PIECE_BATCH, disable=skip))
        print(f"{len(texts)} articles, {len(docs)} runs, {sum(map(len, docs)):,} tokens")
        for _ in range(args.runs):
            for name, comp in components.items():
                copies = [d.copy() for d in docs]
                t0 = time.process_time()
                out[name] = list(comp.pipe(copies, batch_size=PIECE_BATCH))
                times[name].append(time.process_time() - t0)
    a_name, b_name = components
    n_tok, diffs = attribute_diffs(out[a_name], out[b_name], COLS)
    print(f"tokens: {n_tok:,}; that differ: {diff_line(diffs)}")
    print(cpu_line(times, a_name, b_name, "the parser alone"))


if __name__ == "__main__":
    main()
