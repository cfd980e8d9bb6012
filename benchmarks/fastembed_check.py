#!/usr/bin/env python
"""Same parses, less CPU: remembered word input vectors (polybius.fastembed) vs recomputed.

    .venv/bin/python benchmarks/fastembed_check.py [--articles 600] [--runs 3]

Loads ``en_core_web_sm`` twice with polybius's other spaCy speed-ups (fastpipes, fastner,
numpy BLAS), adds :func:`polybius.fastembed.speed_up_embeddings` to the second, and parses
the same real news with each (the throughput benchmark's corpus: ../shared/data/corpus,
Guardian and IndiaPoliceEvents, interleaved), alternating the two, BLAS held to one thread.
The second pipeline's tables are emptied before each of its runs, so its time is that of a
process that starts cold (the throughput benchmark's case); a last run with the tables kept
shows a worker's steady state. Prints the tokens whose TAG, POS, MORPH, LEMMA, DEP, HEAD,
ENT_IOB or ENT_TYPE differ, and the CPU seconds of ``nlp.pipe`` for each (median of
``--runs``) with their ratio. Prints figures, asserts nothing; exits cleanly when the corpus
is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> None:
    from doc_diff import check_args, compare_pipelines

    args = check_args(__doc__, argv)

    import spacy
    import throughput  # the corpus reader (exits cleanly when absent)

    from polybius.blas import one_blas_thread
    from polybius.fastembed import clear_embedding_caches, speed_up_embeddings
    from polybius.nlp import DEFAULT_MODEL, speed_up_spacy

    texts = [a.full_text for a in throughput.load_corpus()[: args.articles]]
    pipes = {"recomputed": spacy.load(DEFAULT_MODEL), "remembered": spacy.load(DEFAULT_MODEL)}
    for nlp in pipes.values():
        speed_up_spacy(nlp, embeddings=False)
    stages = speed_up_embeddings(pipes["remembered"])
    print(f"{len(texts)} articles (model {DEFAULT_MODEL}); {stages} embedding stages sped up")
    with one_blas_thread():
        what = "the whole pipeline (tables emptied before each run)"
        compare_pipelines(pipes, texts, args.runs, what, before_run=clear_embedding_caches)
        t0 = time.process_time()
        list(pipes["remembered"].pipe(texts, batch_size=64))
        warm = time.process_time() - t0
    print(f"CPU s of the whole pipeline, remembered, tables kept from the runs before: {warm:.3f}")


if __name__ == "__main__":
    main()
