#!/usr/bin/env python
"""How much parsing a sentence pre-filter could save on real news, at best.

    .venv/bin/python benchmarks/filter_headroom.py [--articles 200]

Codes the first ``--articles`` articles of the throughput corpus (Guardian and
IndiaPoliceEvents, interleaved as in benchmarks/throughput.py) with every sentence parsed,
then prints, as shares of all tokens:

* the tokens the shipped pre-filter (``polybius.prefilter``) sends to the parser;
* the tokens of sentences that actually yield an event (the floor of any lossless filter);
* for a stricter rule, a dictionary-coded actor cue (a country, capital, organisation or
  known person: ``scan_text`` hits of a coded kind, or a country compound) in the sentence
  itself, or anywhere earlier in the article: the tokens it keeps and the event sentences
  it would lose (the entity recogniser's people count as actors, so many events have none);
* for a learned filter on raw text (logistic regression over word uni- and bigrams, two-fold
  cross-validation by article, trained only on the filter's kept sentences), the tokens it
  must keep to recall 90%, 95% and 98% of the event sentences.

The last figure says whether a cheap text classifier could close the gap between the first
two: it cannot when event sentences do not differ from other news sentences in their words,
only in their syntax. Prints figures; asserts nothing; exits cleanly without the corpus.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    args = ap.parse_args()

    import numpy as np
    from rich.progress import track
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression
    from throughput import load_corpus

    from polybius.nlp import load_nlp
    from polybius.pipeline import code_doc, parse_for_coding
    from polybius.prefilter import sentence_keeps

    articles = load_corpus()[: args.articles]
    nlp = load_nlp()
    texts, has_event, n_tokens, kept, group = [], [], [], [], []
    coded_here, coded_before = [], []
    for i, art in enumerate(track(articles, description="coding (no filter)")):
        doc = next(parse_for_coding([art.full_text], nlp, prefilter=False))
        coded = code_doc(doc, art, typing="rules")
        event_sentences = {ev.sentence_index for ev in coded.events}
        tok = nlp.make_doc(art.full_text)
        starts, keeps = sentence_keeps(tok, art.full_text)
        coded = _coded_sentences(art.full_text, [tok[k].idx for k in starts])
        for k, first in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(tok)
            coded_here.append(k in coded)
            coded_before.append(any(j <= k for j in coded))
            texts.append(tok[first:end].text)
            has_event.append(k in event_sentences)
            n_tokens.append(end - first)
            kept.append(keeps[k])
            group.append(i % 2)
    y = np.array(has_event)
    nt = np.array(n_tokens)
    kp = np.array(kept)
    grp = np.array(group)
    total = nt.sum()
    print(f"{len(articles)} articles, {len(texts):,} sentences, {total:,} tokens")
    print(f"tokens kept by the pre-filter:            {nt[kp].sum() / total:.3f}")
    print(f"tokens in sentences that yield an event:  {nt[y].sum() / total:.3f}")
    print(f"event sentences the pre-filter keeps:     {int((y & kp).sum())} of {int(y.sum())}")
    for name, flags in (("in the sentence", coded_here), ("up to the sentence", coded_before)):
        rule = kp & np.array(flags)
        print(
            f"kept and a coded cue {name}: {nt[rule].sum() / total:.3f} of the tokens, "
            f"{int((y & ~rule).sum())} of {int(y.sum())} event sentences lost"
        )

    vec = HashingVectorizer(n_features=2**18, ngram_range=(1, 2), alternate_sign=False, norm="l2")
    x = vec.transform(texts)
    for recall in (0.90, 0.95, 0.98):
        shares = []
        for train, test in ((0, 1), (1, 0)):
            tr = (grp == train) & kp
            te = (grp == test) & kp
            clf = LogisticRegression(C=3.0, max_iter=2000, class_weight="balanced")
            clf.fit(x[tr], y[tr])
            p = clf.predict_proba(x[te])[:, 1]
            order = np.argsort(-p)
            need = int(np.ceil(recall * y[grp == test].sum()))
            hits = np.cumsum(y[te][order])
            cut = int(np.searchsorted(hits, need))
            if cut >= len(order):
                shares.append(float("nan"))
                continue
            shares.append(nt[te][order[: cut + 1]].sum() / nt[grp == test].sum())
        print(
            f"learned text filter, recall {recall:.2f}: keeps "
            f"{np.nanmean(shares):.3f} of the tokens (folds {shares[0]:.3f}, {shares[1]:.3f})"
        )


def _coded_sentences(text: str, starts: list[int]) -> set[int]:
    """Indices of the sentences (character ``starts``) holding a dictionary-coded actor cue,
    as the pre-filter counts them (``polybius.prefilter.keep_flags``)."""
    import bisect

    from polybius.actors import scan_text
    from polybius.prefilter import _COMPOUND, _UNCODED_KINDS

    spans = [
        h.start
        for h in scan_text(text)
        if (kinds := {e.kind for e in h.entries}) - _UNCODED_KINDS and "block" not in kinds
    ]
    spans += [m.start() for m in _COMPOUND.finditer(text)]
    return {bisect.bisect_right(starts, s) - 1 for s in spans}


if __name__ == "__main__":
    main()
