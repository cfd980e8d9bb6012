#!/usr/bin/env python
"""Same output, less CPU: polybius.fastpipes against spaCy's attribute ruler and lemmatizer.

    .venv/bin/python benchmarks/fastpipes_check.py [--articles 600] [--runs 3]

Parses real news (the throughput benchmark's corpus: ../shared/data/corpus, Guardian and
IndiaPoliceEvents, interleaved) up to the lemmatizer's input once, then runs spaCy's
``attribute_ruler`` + ``lemmatizer`` and polybius's array-based pair on copies of the same
Docs. Prints the number of tokens whose TAG, POS, MORPH, LEMMA or DEP differ (should be 0),
and the CPU seconds of each pair (median of ``--runs``, every run with empty caches) with
their ratio. Prints figures,
asserts nothing; exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

COLS = ("TAG", "POS", "MORPH", "LEMMA", "DEP")


def main(argv: list[str] | None = None) -> None:
    from doc_diff import attribute_diffs, check_args, cpu_line, diff_line

    args = check_args(__doc__, argv)

    import spacy
    import throughput  # the corpus reader (exits cleanly when absent)
    from spacy.tokens import DocBin

    from polybius.fastpipes import FastAttributeRuler, FastRuleLemmatizer
    from polybius.nlp import DEFAULT_MODEL

    articles = throughput.load_corpus()[: args.articles]
    nlp = spacy.load(DEFAULT_MODEL)
    ruler, lemm = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    fast_ruler = FastAttributeRuler().adopt(ruler)
    fast_lemm = FastRuleLemmatizer().adopt(lemm)
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        parsed = list(nlp.pipe((a.full_text for a in articles), batch_size=64))
    blob = DocBin(docs=parsed).to_bytes()
    n_tok = sum(len(d) for d in parsed)
    print(f"{len(articles)} articles, {n_tok:,} tokens (model {DEFAULT_MODEL})")

    def fresh() -> list:
        return list(DocBin().from_bytes(blob).get_docs(nlp.vocab))

    def run(pair: tuple) -> tuple[float, list]:
        # Every run starts cold: spaCy's lemma cache (shared by both) and polybius's caches.
        lemm.cache.clear()
        fast_ruler.adopt(ruler)
        fast_lemm.adopt(lemm)
        docs = fresh()
        t0 = time.process_time()
        for comp in pair:
            docs = [comp(d) for d in docs]
        return time.process_time() - t0, docs

    times: dict[str, list[float]] = {"spaCy": [], "polybius": []}
    out: dict[str, list] = {}
    for _ in range(args.runs):
        for name, pair in (("spaCy", (ruler, lemm)), ("polybius", (fast_ruler, fast_lemm))):
            sec, docs = run(pair)
            times[name].append(sec)
            out[name] = docs
    _n, diffs = attribute_diffs(out["spaCy"], out["polybius"], COLS)
    print(f"tokens that differ: {diff_line(diffs)}")
    print(cpu_line(times, "spaCy", "polybius", "attribute_ruler + lemmatizer"))


if __name__ == "__main__":
    main()
