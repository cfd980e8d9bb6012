#!/usr/bin/env python
"""Same parses, less CPU: spaCy's matrix products on numpy's BLAS (polybius.blas) vs BLIS.

    .venv/bin/python benchmarks/blas_check.py [--articles 600] [--runs 3]

Loads ``en_core_web_sm`` twice with every component, stock (thinc's ``NumpyOps``, BLIS) and
with :func:`polybius.blas.use_numpy_blas`, and parses the same real news with each (the
throughput benchmark's corpus: ../shared/data/corpus, Guardian and IndiaPoliceEvents,
interleaved), alternating the two, BLAS held to one thread for both. Prints the tokens whose
TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB or ENT_TYPE differ (the two sum in another
order, so a near tie could flip), and the CPU seconds of ``nlp.pipe`` for each (median of
``--runs``) with their ratio. Prints figures, asserts nothing; exits cleanly when the corpus
is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> None:
    from doc_diff import check_args, compare_pipelines

    args = check_args(__doc__, argv)

    import spacy
    import throughput  # the corpus reader (exits cleanly when absent)
    from threadpoolctl import threadpool_limits

    from polybius.blas import use_numpy_blas
    from polybius.nlp import DEFAULT_MODEL

    texts = [a.full_text for a in throughput.load_corpus()[: args.articles]]
    pipes = {
        "BLIS (thinc default)": spacy.load(DEFAULT_MODEL),
        "numpy BLAS": spacy.load(DEFAULT_MODEL),
    }
    layers = use_numpy_blas(pipes["numpy BLAS"])
    print(f"{len(texts)} articles (model {DEFAULT_MODEL}); {layers} layers moved to numpy BLAS")
    with threadpool_limits(limits=1, user_api="blas"):
        compare_pipelines(pipes, texts, args.runs)


if __name__ == "__main__":
    main()
