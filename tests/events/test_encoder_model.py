"""The fine-tuned encoder typer: tokenisation, marking, numpy forward, file format, shipped model.

(That the numpy forward matches the JAX training forward is checked by
scripts/train_event_encoder.py at training time, so JAX is not needed here.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from polybius.events import learned
from polybius.events.candidates import Candidate
from polybius.events.model.encoder import (
    SLOTS,
    EncoderFileError,
    EncoderTyper,
    WordPiece,
    basic_tokens,
    encode_candidate,
)
from polybius.events.model.linear import ModelFileError
from polybius.events.model.plvdata import add_triggers, candidate_from_marked
from polybius.ontology import PLOVER_TYPES, quad_class

MODELS = Path(learned.__file__).resolve().parents[1] / "data" / "models"
ENCODER = MODELS / learned.ENCODER_FILE

_VOCAB = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "@",
    "#",
    "^",
    ".",
    ",",
    "'",
    "s",
    "the",
    "army",
    "shell",
    "##ed",
    "villages",
    "in",
    "free",
    "##don",
    "##ia",
    "cafe",
]


def _wp() -> WordPiece:
    return WordPiece({p: i for i, p in enumerate(_VOCAB)})


def test_basic_tokens_lowercase_strip_accents_and_split_punctuation() -> None:
    assert basic_tokens("Café, the ARMY's\tshelled!") == [
        "cafe",
        ",",
        "the",
        "army",
        "'",
        "s",
        "shelled",
        "!",
    ]
    assert basic_tokens("") == []


def test_wordpiece_greedy_longest_match_and_unknown_words() -> None:
    wp = _wp()
    ids = wp.ids("Freedonia shelled villages")
    assert [_VOCAB[i] for i in ids] == ["free", "##don", "##ia", "shell", "##ed", "villages"]
    assert [_VOCAB[i] for i in wp.ids("zzz the")] == ["[UNK]", "the"]


def test_encode_marks_source_target_and_trigger() -> None:
    text = "Freedonia shelled the villages."
    cand = Candidate(sentence=text, source=(0, 9), target=(18, 30), trigger=(10, 17))
    ids, slots = encode_candidate(cand, _wp())
    pieces = [_VOCAB[i] for i in ids]
    assert pieces == [
        "[CLS]", "@", "free", "##don", "##ia", "@", "^", "shell", "##ed", "^",
        "#", "the", "villages", "#", ".", "[SEP]",
    ]  # fmt: skip
    assert len(slots) == len(SLOTS)
    assert [pieces[s] for s in slots] == ["[CLS]", "@", "#", "^"]
    # No target, empty source: those slots read [CLS].
    lone = Candidate(sentence=text, source=(0, 0), target=None, trigger=(10, 17))
    _ids, lone_slots = encode_candidate(lone, _wp())
    assert lone_slots[0] == lone_slots[1] == lone_slots[2] == 0 and lone_slots[3] > 0


def test_long_inputs_are_windowed_around_the_marks() -> None:
    pad = "the villages " * 80
    text = pad + "Freedonia shelled villages " + pad
    a = len(pad)
    cand = Candidate(sentence=text, source=(a, a + 9), target=(a + 18, a + 26))
    ids, slots = encode_candidate(cand, _wp(), max_len=32)
    assert len(ids) == 32 and _VOCAB[ids[0]] == "[CLS]" and _VOCAB[ids[-1]] == "[SEP]"
    assert _VOCAB[ids[slots[1]]] == "@" and _VOCAB[ids[slots[2]]] == "#"


def _tiny(seed: int = 0) -> EncoderTyper:
    rng = np.random.default_rng(seed)
    dim, heads, ff, n_cls = 24, 12, 32, len(PLOVER_TYPES)

    def r(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.2).astype(np.float32)

    p = {
        "emb": r(len(_VOCAB), dim),
        "pos": r(128, dim),
        "type": r(1, dim),
        "emb_ln_w": np.ones(dim, np.float32),
        "emb_ln_b": np.zeros(dim, np.float32),
        "L0.qkv_w": r(dim, 3 * dim),
        "L0.qkv_b": r(3 * dim),
        "L0.o_w": r(dim, dim),
        "L0.o_b": r(dim),
        "L0.ln1_w": np.ones(dim, np.float32),
        "L0.ln1_b": np.zeros(dim, np.float32),
        "L0.ff1_w": r(dim, ff),
        "L0.ff1_b": r(ff),
        "L0.ff2_w": r(ff, dim),
        "L0.ff2_b": r(dim),
        "L0.ln2_w": np.ones(dim, np.float32),
        "L0.ln2_b": np.zeros(dim, np.float32),
        "head_w": r(dim * len(SLOTS), n_cls),
        "head_b": r(n_cls),
    }
    meta = {"n_layers": 1, "n_heads": heads, "max_len": 64}
    return EncoderTyper(params=p, vocab=list(_VOCAB), classes=list(PLOVER_TYPES), meta=meta)


def _cands() -> list[Candidate]:
    return [
        candidate_from_marked("<s>Freedonia</s> shelled <t>villages</t>."),
        candidate_from_marked(
            "<s>The army</s> shelled <t>the villages in Freedonia</t>, the army."
        ),
        Candidate(sentence="Freedonia shelled.", source=(0, 9), target=None),
    ]


def test_padding_does_not_change_a_candidates_scores() -> None:
    model = _tiny()
    cands = _cands()
    together, _ = model.scores(cands)
    alone = np.vstack([model.scores([c])[0] for c in cands])
    assert together.shape == (3, len(PLOVER_TYPES))
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(together.sum(axis=1), 1.0, atol=1e-5)
    assert model.scores([])[0].shape == (0, len(PLOVER_TYPES))


def test_file_round_trip_and_bad_files(tmp_path: Path) -> None:
    model = _tiny()
    path = tmp_path / "enc.npz"
    model.save(path)
    back = EncoderTyper.load(path)
    assert back.classes == model.classes and back.n_layers == 1
    a, _ = model.scores(_cands())
    b, _ = back.scores(_cands())
    np.testing.assert_allclose(a, b, atol=0.02)  # float16 / int8 storage
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(EncoderFileError, match="broken.npz"):
        EncoderTyper.load(bad)
    assert issubclass(EncoderFileError, ModelFileError)


def test_model_env_selects_an_encoder_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "enc.npz"
    _tiny().save(path)
    monkeypatch.setenv(learned.MODEL_ENV, str(path))
    assert isinstance(learned.load_model(), EncoderTyper)
    (d,) = learned.predict(_cands()[:1])
    assert d.decided_by == "model" and d.event_type in PLOVER_TYPES
    assert 0.0 <= d.confidence <= 1.0
    assert abs(sum(d.scores.values()) - 1.0) < 0.01


# --- the shipped encoder ----------------------------------------------------------------

_shipped = pytest.mark.skipif(not ENCODER.is_file(), reason="no encoder shipped")


@_shipped
def test_shipped_typing_models_fit_the_size_bound() -> None:
    typing_files = [MODELS / learned.ENCODER_FILE, MODELS / learned.LINEAR_FILE]
    typing_files += [MODELS / "wordpiece_vectors.npz"]
    total = sum(p.stat().st_size for p in typing_files if p.is_file())
    assert total < 50 * 1024 * 1024
    assert "event_encoder.npz" in (MODELS / "SOURCES.md").read_text(encoding="utf-8")


@_shipped
def test_shipped_encoder_is_the_default_and_types_invented_sentences(
    monkeypatch: pytest.MonkeyPatch, nlp
) -> None:
    monkeypatch.delenv(learned.MODEL_ENV, raising=False)
    model = learned.load_model()
    assert isinstance(model, EncoderTyper)
    cands = [
        candidate_from_marked("<s>Freedonia's army</s> shelled villages in <t>Sylvania</t>."),
        candidate_from_marked(
            "<s>The Ruritanian foreign minister</s> held talks with <t>his Sylvanian "
            "counterpart</t> in Vienna on Tuesday."
        ),
        candidate_from_marked(
            "<s>The Syldavian president</s> accused <t>Borduria</t> of lying about the spill."
        ),
        candidate_from_marked("<s>Borduria</s> sent food and medicine to <t>Syldavia</t>."),
        candidate_from_marked(
            "<s>Thousands of Freedonian workers</s> marched against <t>the government</t>."
        ),
    ]
    # The coder marks the verb that links the pair (as training and `eval plv` do).
    cands = add_triggers(cands, nlp)
    assert all(c.trigger is not None for c in cands)
    out = learned.predict(cands)
    types = [d.event_type for d in out]
    assert types[0] in ("ASSAULT", "COERCE") and quad_class(types[0]) == 4
    assert types[1] == "CONSULT"
    assert types[2] == "ACCUSE"
    assert types[3] in ("AID", "SUPPORT") and quad_class(types[3]) <= 2
    assert types[4] in ("PROTEST", "ACCUSE", "REJECT") and quad_class(types[4]) >= 3
    for d in out:
        assert d.decided_by == "model"
        assert 0.0 <= d.confidence <= 1.0
        assert set(d.scores) == set(PLOVER_TYPES)
    # Deterministic: the same input gives the same answer, alone or in a batch.
    again = learned.predict(cands[::-1])[::-1]
    for a, b in zip(again, out, strict=True):
        assert a.event_type == b.event_type
        assert all(abs(a.scores[k] - b.scores[k]) < 1e-3 for k in PLOVER_TYPES)
    # The linear model stays selectable.
    monkeypatch.setenv(learned.MODEL_ENV, "linear")
    assert not isinstance(learned.load_model(), EncoderTyper)


def test_erf32_matches_erf_to_float32_precision() -> None:
    import math

    from polybius.events.model.encoder import erf32

    u = np.linspace(-7.0, 7.0, 20_001).astype(np.float32)
    exact = np.array([math.erf(float(v)) for v in u])
    assert np.abs(erf32(u) - exact).max() < 1e-6
    assert erf32(np.array([0.0], np.float32))[0] == 0.0
    np.testing.assert_array_equal(erf32(-u), -erf32(u))


def _reference_forward(p: dict, ids: np.ndarray, mask: np.ndarray, slots: np.ndarray, n_layers: int,
                       heads: int) -> np.ndarray:  # fmt: skip
    """Every layer over every position, GELU with math.erf: what the shortcuts must equal."""
    import math

    def ln(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(((x - mu) ** 2).mean(-1, keepdims=True) + 1e-12) * w + b

    erf = np.vectorize(math.erf)
    x = ln(
        p["emb"][ids] + p["pos"][: ids.shape[1]][None] + p["type"][0], p["emb_ln_w"], p["emb_ln_b"]
    )
    bsz, seq, dim = x.shape
    hd = dim // heads
    for i in range(n_layers):
        g = f"L{i}."
        q, k, v = np.split(x @ p[g + "qkv_w"] + p[g + "qkv_b"], 3, axis=-1)
        split = lambda t: t.reshape(bsz, seq, heads, hd).transpose(0, 2, 1, 3)  # noqa: E731
        att = split(q) @ split(k).transpose(0, 1, 3, 2) / math.sqrt(hd)
        att = att + (1.0 - mask)[:, None, None, :] * -1e9
        att = np.exp(att - att.max(-1, keepdims=True))
        att = att / att.sum(-1, keepdims=True)
        ctx = (att @ split(v)).transpose(0, 2, 1, 3).reshape(bsz, seq, dim)
        x = ln(x + ctx @ p[g + "o_w"] + p[g + "o_b"], p[g + "ln1_w"], p[g + "ln1_b"])
        h = x @ p[g + "ff1_w"] + p[g + "ff1_b"]
        h = 0.5 * h * (1.0 + erf(h / math.sqrt(2.0)))
        x = ln(x + h @ p[g + "ff2_w"] + p[g + "ff2_b"], p[g + "ln2_w"], p[g + "ln2_b"])
    feats = x[np.arange(bsz)[:, None], slots].reshape(bsz, -1)
    return feats @ p["head_w"] + p["head_b"]


def _with_second_layer(model: EncoderTyper, seed: int) -> dict[str, np.ndarray]:
    """The tiny model's weights with a second layer: the first, slightly perturbed."""
    rng = np.random.default_rng(seed)
    p = dict(model.params)
    for name in [k for k in p if k.startswith("L0.")]:
        p["L1." + name[3:]] = (p[name] + rng.standard_normal(p[name].shape) * 0.1).astype(
            np.float32
        )
    return p


def test_numpy_forward_equals_the_plain_computation_over_two_layers() -> None:
    """The last layer computed at the slots only, and the fast erf, change no logit."""
    from polybius.events.model.encoder import numpy_forward, pad_batch

    model = _tiny(seed=3)
    p = _with_second_layer(model, seed=5)
    ids, mask, slots = pad_batch(model.encode(_cands()))
    got = numpy_forward(p, ids, mask, slots, 2, model.meta["n_heads"])
    want = _reference_forward(p, ids, mask.astype(np.float64), slots, 2, model.meta["n_heads"])
    assert got.shape == (3, len(PLOVER_TYPES))
    np.testing.assert_allclose(got, want, atol=1e-4)


def test_packed_forward_equals_the_padded_one_over_two_layers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stacking the inputs' word pieces without padding gives the padded batch's logits,
    for inputs of different lengths, alone or together, and in runs cut anywhere."""
    from polybius.events.model import encoder
    from polybius.events.model.encoder import numpy_forward, packed_forward, pad_batch

    model = _tiny(seed=4)
    p = _with_second_layer(model, seed=6)
    encoded = model.encode(_cands())
    assert len({len(ids) for ids, _ in encoded}) > 1  # padding is really needed
    ids, mask, slots = pad_batch(encoded)
    want = numpy_forward(p, ids, mask, slots, 2, model.meta["n_heads"])
    got = packed_forward(p, encoded, 2, model.meta["n_heads"])
    np.testing.assert_allclose(got, want, atol=1e-5)
    alone = np.concatenate([packed_forward(p, [e], 2, model.meta["n_heads"]) for e in encoded])
    np.testing.assert_allclose(alone, want, atol=1e-5)
    # EncoderTyper.logits cuts runs at PACK_PIECES word pieces: one piece per run here
    two = EncoderTyper(params=p, vocab=model.vocab, classes=model.classes, meta=model.meta)
    two.meta = {**model.meta, "n_layers": 2}
    np.testing.assert_allclose(two.logits(_cands()), want, atol=1e-5)
    monkeypatch.setattr(encoder, "PACK_PIECES", 1)
    np.testing.assert_allclose(two.logits(_cands()), want, atol=1e-5)
