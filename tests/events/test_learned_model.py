"""The learned typing model: training on invented data, storage, the shipped model, combine()."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from polybius.events import learned
from polybius.events.candidates import Candidate, TypeDecision
from polybius.events.model.features import candidate_features, stem, tokenize
from polybius.events.model.linear import LinearTyper, ModelFileError, vectorize
from polybius.events.model.plvdata import candidate_from_marked
from polybius.events.model.static_vectors import WordVectors, dense_features
from polybius.events.model.training import fit_typer, main_label, with_rule_dropout
from polybius.ontology import PLOVER_TYPES

MODELS = Path(learned.__file__).resolve().parents[1] / "data" / "models"

# Invented training sentences: three clear types plus CONCEDE/RETREAT for the YIELD split.
_TOY = [
    ("<s>Freedonia</s> bombed <t>Sylvania</t> overnight.", "ASSAULT"),
    ("<s>Rebels</s> shelled <t>the capital</t> again.", "ASSAULT"),
    ("<s>The army</s> attacked <t>border posts</t>.", "ASSAULT"),
    ("<s>Ruritania</s> condemned <t>Borduria</t> for the raid.", "ACCUSE"),
    ("<s>The minister</s> criticised <t>the council</t> sharply.", "ACCUSE"),
    ("<s>Activists</s> accused <t>the police</t> of abuse.", "ACCUSE"),
    ("<s>Freedonia</s> met <t>Sylvania</t> in Geneva for talks.", "CONSULT"),
    ("<s>The envoy</s> held talks with <t>rebel leaders</t>.", "CONSULT"),
    ("<s>The president</s> visited <t>Ruritania</t> on Monday.", "CONSULT"),
    ("<s>The junta</s> released <t>prisoners</t> from the camp.", "RETREAT"),
    ("<s>The troops</s> withdrew from <t>the valley</t>.", "RETREAT"),
    ("<s>The government</s> eased restrictions on <t>traders</t>.", "CONCEDE"),
    ("<s>The mayor</s> promised to lift the curfew for <t>residents</t>.", "CONCEDE"),
]


def _toy() -> tuple[list[Candidate], list[str]]:
    cands = [candidate_from_marked(m) for m, _ in _TOY]
    return cands * 3, [lab for _, lab in _TOY] * 3


def test_candidate_from_marked_keeps_spans() -> None:
    c = candidate_from_marked("<s>Freedonia</s> bombed <t>the Sylvanian port</t>.")
    assert c.sentence == "Freedonia bombed the Sylvanian port."
    assert c.sentence[slice(*c.source)] == "Freedonia"
    assert c.target is not None and c.sentence[slice(*c.target)] == "the Sylvanian port"
    assert c.marked() == "<s>Freedonia</s> bombed <t>the Sylvanian port</t>."


def test_candidate_without_source_gets_empty_span() -> None:
    c = candidate_from_marked("Two newspapers near <t>the palace</t> were closed.")
    assert c.source == (0, 0)
    with pytest.raises(ValueError, match="no <s>"):
        candidate_from_marked("no marks at all")


def test_features_see_the_predicate_between_actors() -> None:
    c = candidate_from_marked("<s>Freedonia</s> did not condemn <t>Sylvania</t>.")
    feats = set(candidate_features(c))
    assert "m:condemn" in feats
    assert "neg:between" in feats
    assert "2:SRC_did" in feats
    assert stem("condemned") == stem("condemns") == "condemn"
    assert tokenize("didn't") == ["did", "n't"]


def test_tiny_training_run_learns_invented_data(tmp_path: Path) -> None:
    cands, labels = _toy()
    model = fit_typer(cands, labels, C=10.0)
    assert set(model.classes) == {"ASSAULT", "ACCUSE", "CONSULT", "YIELD"}
    assert model.yield_coef is not None  # CONCEDE vs RETREAT head trained
    probs, p_retreat = model.scores(cands[: len(_TOY)])
    pred = [model.classes[k] for k in probs.argmax(axis=1)]
    assert pred == [main_label(lab) for _, lab in _TOY]
    assert p_retreat is not None and p_retreat[9] > 0.5 > p_retreat[11]
    # Round trip through the .npz file gives the same probabilities.
    path = tmp_path / "toy.npz"
    model.save(path)
    again = LinearTyper.load(path)
    probs2, _ = again.scores(cands[: len(_TOY)])
    assert np.allclose(probs, probs2, atol=2e-3)
    new = candidate_from_marked("<s>Sylvania</s> shelled <t>the port</t> at dawn.")
    p_new, _ = again.scores([new])
    assert again.classes[int(p_new.argmax())] == "ASSAULT"


def test_dense_word_vectors_train_and_load(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    pieces = ["[PAD]", "bomb", "##ed", "shell", "met", "talk", "##s", "release", "##d"]
    vec_path = tmp_path / "vecs.npz"
    np.savez(
        vec_path,
        vectors=rng.normal(size=(len(pieces), 8)).astype(np.float16),
        vocab=np.array(pieces),
    )
    wv = WordVectors.load(vec_path)
    assert wv.pieces("bombed") == [1, 2]
    assert wv.pieces("xyz") == []
    cands, labels = _toy()
    assert dense_features(cands[:2], wv).shape == (2, 4 * 8)
    model = fit_typer(cands, labels, vectors=wv, dense_scale=0.5)
    assert model.dense_coef is not None and model.dense_coef.shape == (4, 32)
    model.save(tmp_path / "m.npz", vectors_file="vecs.npz")
    again = LinearTyper.load(tmp_path / "m.npz")
    assert again.vectors is not None
    p1, _ = model.scores(cands[:5])
    p2, _ = again.scores(cands[:5])
    assert np.allclose(p1, p2, atol=2e-3)


def test_rule_features_can_be_left_out_or_hidden(tmp_path: Path) -> None:
    from dataclasses import replace

    c = replace(
        candidate_from_marked("<s>Freedonia</s> shelled <t>Sylvania</t>."),
        rule_type="ASSAULT",
        rule_cameo="195",
    )
    assert {"rule:ASSAULT", "rcam:195"} <= set(candidate_features(c))
    assert not any(f.startswith(("rule:", "rcam:")) for f in candidate_features(c, False))
    # Dropout: every row twice, the rule-free copy carrying the hidden share of the weight.
    x, ys, w, d = with_rule_dropout(
        vectorize([c]),
        vectorize([c], rule_features=False),
        ["ASSAULT"],
        np.array([2.0]),
        None,
        0.25,
    )
    assert x.shape[0] == 2 and ys == ["ASSAULT"] * 2 and d is None
    assert np.allclose(w, [1.5, 0.5])
    assert x[0].nnz == x[1].nnz + 2
    # A model trained without rule features predicts without them, also after loading.
    cands, labels = _toy()
    cands = [replace(k, rule_type="ACCUSE") for k in cands]  # a misleading rule everywhere
    model = fit_typer(cands, labels, C=10.0, rule_features=False)
    model.save(tmp_path / "plain.npz")
    again = LinearTyper.load(tmp_path / "plain.npz")
    assert again.meta["rule_features"] is False
    p1, _ = again.scores(cands[:4])
    p2, _ = again.scores([replace(k, rule_type=None) for k in cands[:4]])
    assert np.allclose(p1, p2, atol=1e-6)
    assert [again.classes[k] for k in p1.argmax(axis=1)] == [
        "ASSAULT",
        "ASSAULT",
        "ASSAULT",
        "ACCUSE",
    ]


def test_bad_model_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="broken.npz"):
        LinearTyper.load(bad)


def test_unavailable_model_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(learned.MODEL_ENV, str(tmp_path / "missing.npz"))
    assert learned.available() is False
    with pytest.raises(ModelFileError, match="missing.npz"):
        learned.load_model()


def _rule(etype: str | None, conf: float) -> TypeDecision:
    return TypeDecision(etype, conf, "190" if etype else None, "rules")


def _model_decision(etype: str, conf: float) -> TypeDecision:
    scores = dict.fromkeys(PLOVER_TYPES, (1.0 - conf) / 15)
    scores[etype] = conf
    return TypeDecision(etype, conf, None, "model", scores)


def test_combine_honours_a_confident_rule() -> None:
    cands = [candidate_from_marked("<s>A</s> hit <t>B</t>.")] * 4
    rules = [
        _rule("ASSAULT", 0.95),
        _rule("ASSAULT", 0.95),
        _rule(None, 0.0),
        _rule("ASSAULT", 0.4),
    ]
    models = [
        _model_decision("ACCUSE", 0.6),
        _model_decision("ACCUSE", 0.97),
        _model_decision("ACCUSE", 0.6),
        _model_decision("ACCUSE", 0.6),
    ]
    out = learned.combine(cands, rules, models, rule_trust=0.85, model_override=0.9)
    assert [d.event_type for d in out] == ["ASSAULT", "ACCUSE", "ACCUSE", "ACCUSE"]
    assert [d.decided_by for d in out] == [
        "hybrid:rule",
        "hybrid:model-override",
        "hybrid:model",
        "hybrid:model",
    ]
    agree = learned.combine(cands[:1], [_rule("CONCEDE", 0.9)], [_model_decision("RETREAT", 0.7)])
    assert agree[0].decided_by == "hybrid:agree" and agree[0].event_type == "RETREAT"
    # The shipped thresholds (even odds, fixed): any rule stands against a model that is
    # less than 50% sure of another type, and yields to one that is at least 50% sure.
    weak = learned.combine(
        cands[:3],
        [_rule("ASSAULT", 0.7), _rule("ASSAULT", 0.7), _rule("ASSAULT", 0.3)],
        [
            _model_decision("ACCUSE", 0.2),
            _model_decision("ACCUSE", 0.6),
            _model_decision("ACCUSE", 0.45),
        ],
    )
    assert [d.event_type for d in weak] == ["ASSAULT", "ACCUSE", "ASSAULT"]
    # The same holds when the model would turn a cooperative rule into conflict.
    flip = learned.combine(
        cands[:2],
        [_rule("SUPPORT", 0.75)] * 2,
        [_model_decision("ACCUSE", 0.4), _model_decision("ACCUSE", 0.6)],
    )
    assert [d.event_type for d in flip] == ["SUPPORT", "ACCUSE"]
    assert [d.decided_by for d in flip] == ["hybrid:rule", "hybrid:model-override"]
    with pytest.raises(ValueError):
        learned.combine(cands, rules[:1], models)


# --- the shipped model -------------------------------------------------------------------

_shipped = pytest.mark.skipif(
    not (MODELS / "event_typing.npz").is_file(), reason="no trained model shipped yet"
)


@_shipped
def test_shipped_model_is_small() -> None:
    total = sum(p.stat().st_size for p in MODELS.iterdir() if p.is_file())
    assert total < 50 * 1024 * 1024
    assert (MODELS / "SOURCES.md").is_file()


@_shipped
def test_shipped_model_types_invented_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(learned.MODEL_ENV, "linear")  # the encoder has its own test file
    assert learned.available()
    cands = [
        candidate_from_marked("<s>Freedonian jets</s> bombed <t>rebel positions</t> overnight."),
        candidate_from_marked(
            "<s>The Ruritanian foreign minister</s> met <t>his Sylvanian "
            "counterpart</t> for talks in Vienna."
        ),
        candidate_from_marked("<s>Borduria</s> expelled the ambassador of <t>Syldavia</t>."),
        candidate_from_marked("<s>Borduria</s> sent food aid to <t>Syldavia</t>."),
        candidate_from_marked(
            "<s>The Syldavian president</s> accused <t>Borduria</t> of lying about the spill."
        ),
    ]
    out = learned.predict(cands)
    assert [d.event_type for d in out] == ["ASSAULT", "CONSULT", "SANCTION", "AID", "ACCUSE"]
    for d in out:
        assert d.decided_by == "model"
        assert set(d.scores) == set(PLOVER_TYPES)
        assert abs(sum(d.scores.values()) - 1.0) < 0.01
        assert 0.0 < d.confidence <= 1.0
        assert d.scores[d.event_type] == max(d.scores.values()) or d.event_type in (
            "CONCEDE",
            "RETREAT",
        )
    assert learned.predict([]) == []


def test_yield_probability_is_split_between_concede_and_retreat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cands, labels = _toy()
    model = fit_typer(cands, labels, C=10.0)
    path = tmp_path / "toy.npz"
    model.save(path)
    monkeypatch.setenv(learned.MODEL_ENV, str(path))
    freed = candidate_from_marked("<s>The junta</s> released <t>prisoners</t> from the camp.")
    (d,) = learned.predict([freed])
    assert d.event_type == "RETREAT" and d.decided_by == "model"
    assert d.scores["RETREAT"] > d.scores["CONCEDE"] > 0.0
    assert abs(sum(d.scores.values()) - 1.0) < 0.01


def test_features_cope_with_missing_target_and_empty_source() -> None:
    lone = Candidate(sentence="Freedonia mobilised its reserves.", source=(0, 9), target=None)
    implicit = candidate_from_marked("Shots were fired at <t>the embassy</t> on Monday.")
    for c in (lone, implicit):
        feats = candidate_features(c)
        assert "bias" in feats and len(feats) > 5
    assert "ord:s" in candidate_features(lone)
    assert "tw:embassy" in candidate_features(implicit)


def test_combine_keeps_a_pattern_when_the_model_echoes_another_trigger() -> None:
    text = "In talks with Sylvania, Freedonia praised the ties and pledged aid to Sylvania."
    talks = Candidate(sentence=text, source=(24, 33), target=(14, 22), trigger=(3, 8))
    praise = Candidate(sentence=text, source=(24, 33), target=(14, 22), trigger=(34, 41))
    rules = [_rule("CONSULT", 0.7), _rule("SUPPORT", 0.75)]
    # The model, reading the whole sentence, says SUPPORT for both triggers.
    models = [_model_decision("SUPPORT", 0.6), _model_decision("SUPPORT", 0.8)]
    out = learned.combine([talks, praise], rules, models)
    assert [d.event_type for d in out] == ["CONSULT", "SUPPORT"]
    assert [d.decided_by for d in out] == ["hybrid:rule-echo", "hybrid:agree"]
    # The same candidates in different sentences: no echo, the model overrules as usual.
    alone = learned.combine([talks], rules[:1], models[:1])
    assert alone[0].event_type == "SUPPORT" and alone[0].decided_by == "hybrid:model-override"


def test_a_none_class_is_not_a_type_but_its_probability_is_kept():
    """A model trained with a NONE class (train_event_encoder.py --none-class) types with
    PLOVER types only, as if the candidate were an event (probabilities divided by
    1 - P(NONE)), and hands P(NONE) on for the non-event filter."""

    class NoneModel:
        classes = [*PLOVER_TYPES, "NONE"]

    probs = np.zeros(len(NoneModel.classes))
    probs[NoneModel.classes.index("NONE")] = 0.6
    probs[NoneModel.classes.index("ACCUSE")] = 0.3
    probs[NoneModel.classes.index("REJECT")] = 0.1
    cand = Candidate("Aland blamed Borduria.", (0, 5), (13, 21))
    d = learned._decision(NoneModel(), probs, None, cand)  # type: ignore[arg-type]
    assert d.event_type == "ACCUSE"
    assert d.confidence == pytest.approx(0.75)
    assert d.scores["ACCUSE"] == pytest.approx(0.75) and d.scores["REJECT"] == pytest.approx(0.25)
    assert "NONE" not in d.scores
    assert d.p_none == pytest.approx(0.6)
    # the hybrid keeps it, whoever decides the type
    rule = _rule("REJECT", 0.7)
    (h,) = learned.combine([cand], [rule], [d])
    assert h.event_type == "ACCUSE" and h.p_none == pytest.approx(0.6)
    (h,) = learned.combine([cand], [rule], [replace(d, confidence=0.4)])
    assert h.decided_by == "hybrid:rule" and h.p_none == pytest.approx(0.6)


def test_a_model_without_none_class_gives_no_p_none():
    class PloverModel:
        classes = list(PLOVER_TYPES)

    probs = np.full(len(PLOVER_TYPES), 1.0 / len(PLOVER_TYPES))
    cand = Candidate("Aland blamed Borduria.", (0, 5), (13, 21))
    d = learned._decision(PloverModel(), probs, None, cand)  # type: ignore[arg-type]
    assert d.p_none is None
