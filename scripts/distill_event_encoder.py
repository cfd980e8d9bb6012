#!/usr/bin/env python
"""Distil the shipped typing encoder into a smaller one and measure how often the two agree.

    .venv/bin/python scripts/distill_event_encoder.py [--layers 3] [--epochs 3] \\
        [--stories 4500] [--out /tmp/event_encoder_student.npz]

Why: the 6-layer encoder is a third of polybius's coding time (docs/performance.md), and a
smaller encoder trained on the gold rows alone lost accuracy on held-out PLV
(docs/accuracy.md). A student that learns the teacher's decisions on many more candidates may
keep them. Held-out PLV has been read too often to choose between typers, so this script
measures agreement, which needs no gold label:

* training rows: the PLV dev part (gold types; the held-out 30% is never trained on) and the
  typing candidates of the synthetic NGEC stories (``gold/ngec_synthetic_stories.csv``,
  machine-written, used only as text), each with the teacher's probabilities as its target;
* the student is MiniLM's first ``--layers`` layers, fine-tuned like the teacher
  (``train_event_encoder.py``) on those targets;
* agreement of the hybrid typing's decisions (the default's), student vs teacher, on
  the typing candidates of real news (corpus articles from ``--news-from``, outside the
  throughput benchmark's first 200) and on the held-out PLV pairs (their text and spans
  only: their gold labels are loaded with them but never used), and the pairs per
  CPU-second of each.

The student is written to ``--out`` (not shipped). Exits cleanly when ../shared/data is
absent. Needs the ``train`` extra and the MiniLM weights (see train_event_encoder.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from train_event_encoder import (  # noqa: E402
    DEFAULT_SHARED,
    DEFAULTS,
    N_HEADS,
    _vocab,
    base_params,
    check_numpy_matches_jax,
    load_data,
    train,
)

from polybius.events.model.dataset import story_texts  # noqa: E402


def article_candidates(texts: list[str], dates: list[str | None]) -> list:  # noqa: ANN001
    """The typing candidates polybius's coder would type in these texts, in order."""
    from polybius.events.model.dataset import coded_candidates

    return [c for cands in coded_candidates(texts, dates) for c in cands]


def hybrid_types(cands: list, model) -> tuple[list[str | None], float]:  # noqa: ANN001
    """The hybrid typing's type per candidate with ``model``, and its CPU seconds."""
    from typing_cv import model_decisions

    from polybius.events import learned
    from polybius.events.decide import rule_decisions

    t0 = time.process_time()
    mdec = model_decisions(cands, model)
    seconds = time.process_time() - t0
    combined = learned.combine(cands, rule_decisions(cands), mdec)
    return [d.event_type for d in combined], seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--stories", type=int, default=4500, help="synthetic stories to code")
    ap.add_argument("--news-from", type=int, default=1000, help="first corpus article")
    ap.add_argument("--news", type=int, default=506, help="corpus articles to compare on")
    ap.add_argument("--out", type=Path, default=Path("/tmp/event_encoder_student.npz"))
    ap.add_argument("--model-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    if not (args.shared / "gold" / "PLV_train.tsv").is_file():
        print(f"skipped: {args.shared}/gold is absent (needs ../shared/data)", file=sys.stderr)
        return 0
    # the teacher's training settings, with no weighted extras (the stories come in as text)
    train_args = argparse.Namespace(**DEFAULTS)
    train_args.layers, train_args.epochs = args.layers, args.epochs
    train_args.shared, train_args.model_dir = args.shared, args.model_dir
    for name in ("cameo", "headlines", "stories", "story_cands"):
        setattr(train_args, f"w_{name}", 0.0)

    from polybius.events import learned
    from polybius.events.model.encoder import MAX_LEN, EncoderTyper, WordPiece, encode_candidate
    from polybius.ontology import PLOVER_TYPES

    teacher = learned._load(learned._shipped(learned.ENCODER_FILE))
    classes = list(PLOVER_TYPES)
    if list(teacher.classes) != classes:
        raise SystemExit(f"teacher classes {teacher.classes} are not {classes}")
    t0 = time.time()
    dev, _ = load_data(train_args)
    stories = article_candidates(story_texts(args.shared, args.stories), [None] * args.stories)
    print(
        f"{len(dev.gold)} PLV dev rows, {len(stories)} story candidates ({time.time() - t0:.0f}s)"
    )
    soft_dev = np.eye(len(classes), dtype=np.float32)[[classes.index(y) for y in dev.labels]]
    soft_stories = teacher.scores(stories)[0].astype(np.float32)
    print(f"teacher targets ({time.time() - t0:.0f}s)")

    vocab = _vocab(train_args)
    wp = WordPiece({p: i for i, p in enumerate(vocab)})
    cands = list(dev.candidates) + stories
    encoded = [encode_candidate(c, wp, MAX_LEN) for c in cands]
    targets = np.vstack([soft_dev, soft_stories])
    params = base_params(args.model_dir, args.layers, len(classes), train_args.seed)
    trained = train(params, encoded, targets, np.ones(len(cands), np.float32), train_args)
    meta = {
        "n_layers": args.layers,
        "n_heads": N_HEADS,
        "max_len": MAX_LEN,
        "source": "distilled from the shipped event_encoder.npz (scripts/distill_event_encoder.py)",
        "training": {"layers": args.layers, "epochs": args.epochs, "stories": args.stories},
        "n_train": len(cands),
    }
    student = EncoderTyper(params=trained, vocab=vocab, classes=classes, meta=meta)
    diff = check_numpy_matches_jax(student, dev.candidates[:16])
    student.save(args.out)
    print(f"wrote {args.out} ({time.time() - t0:.0f}s; numpy vs JAX {diff:.1e})")
    student = EncoderTyper.load(args.out)  # as it would be shipped (float16 weights)

    import throughput  # the corpus reader (exits cleanly when absent)

    news = throughput.load_corpus()[args.news_from : args.news_from + args.news]
    sets = {
        f"news candidates (corpus articles {args.news_from}-{args.news_from + len(news) - 1})": (
            article_candidates([a.full_text for a in news], [a.date for a in news])
        ),
        "held-out PLV pairs (labels unused)": load_data(train_args, "heldout")[0].candidates,
    }
    for name, cs in sets.items():
        t_types, t_sec = hybrid_types(cs, teacher)
        s_types, s_sec = hybrid_types(cs, student)
        same = sum(a == b for a, b in zip(t_types, s_types, strict=True))
        print(
            f"{name}: {len(cs)}; hybrid decisions the same: {same} ({same / len(cs):.1%}); "
            f"pairs per CPU-second: teacher {len(cs) / t_sec:.0f}, student {len(cs) / s_sec:.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
