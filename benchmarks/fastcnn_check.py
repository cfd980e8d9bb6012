#!/usr/bin/env python
"""Same tensors and parses, less CPU: spaCy's CNN tok2vec layers fused in numpy
(polybius.fastcnn) vs thinc's own layers.

    .venv/bin/python benchmarks/fastcnn_check.py [--articles 600] [--runs 3]

Loads ``en_core_web_sm`` twice with polybius's other spaCy speed-ups (fastpipes, fastner,
fastparser, numpy BLAS, remembered embeddings), the second also with
:func:`polybius.fastcnn.speed_up_cnn`, and parses the same real news with each (the
throughput benchmark's corpus: ../shared/data/corpus, Guardian and IndiaPoliceEvents,
interleaved), alternating the two, BLAS held to one thread. Prints the tokens whose TAG,
POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB or ENT_TYPE differ, the documents whose tok2vec
tensor is not bit for bit the same, and the CPU seconds of ``nlp.pipe`` for each (median of
``--runs``) with their ratio. Prints figures, asserts nothing; exits cleanly when the
corpus is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> None:
    from doc_diff import check_args, compare_pipelines

    args = check_args(__doc__, argv)

    import numpy as np
    import spacy
    import throughput  # the corpus reader (exits cleanly when absent)

    from polybius.blas import one_blas_thread
    from polybius.fastcnn import speed_up_cnn
    from polybius.nlp import DEFAULT_MODEL, speed_up_spacy

    texts = [a.full_text for a in throughput.load_corpus()[: args.articles]]
    pipes = {"thinc layers": spacy.load(DEFAULT_MODEL), "fused": spacy.load(DEFAULT_MODEL)}
    for nlp in pipes.values():
        speed_up_spacy(nlp, cnn=False)
    stages = speed_up_cnn(pipes["fused"])
    print(f"{len(texts)} articles (model {DEFAULT_MODEL}); {stages} CNN stages fused")
    with one_blas_thread():
        out = compare_pipelines(pipes, texts, args.runs)
    pairs = zip(*out.values(), strict=True)
    tensors = sum(not np.array_equal(a.tensor, b.tensor) for a, b in pairs)
    print(f"documents whose tok2vec tensor differs: {tensors} of {len(texts)}")


if __name__ == "__main__":
    main()
