"""The learned event-typing model: predict PLOVER types for candidates, and combine with rules.

Two models can be shipped in ``polybius/data/models`` (see SOURCES.md there):

- ``event_encoder.npz``: all-MiniLM-L6-v2 fine-tuned on PLV to read the sentence with the
  source, target and trigger marked (:mod:`polybius.events.model.encoder`; numpy inference,
  trained by ``scripts/train_event_encoder.py``). Used when present: it is the more accurate.
- ``event_typing.npz``: a linear classifier over hashed text features and static word-piece
  vectors (:mod:`polybius.events.model.linear`, ``scripts/train_event_model.py``). Much faster;
  the fallback when the encoder file is absent.

``$POLYBIUS_TYPING_MODEL`` picks one: ``encoder``, ``linear``, or the path of a model file
(either kind; the file says which it is). The model is loaded lazily, once per process.

PLV-style gold data only says YIELD for CONCEDE and RETREAT; the linear model predicts YIELD
with a second head splitting it, the encoder predicts CONCEDE and RETREAT (trained on the
split by gold quad class). Either way ``scores`` holds all 16 PLOVER types and the confidence
of a CONCEDE or RETREAT decision is that of YIELD as a whole.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from polybius.events.candidates import Candidate, TypeDecision
from polybius.events.model.encoder import EncoderTyper
from polybius.events.model.linear import LinearTyper, ModelFileError
from polybius.ontology import PLOVER_TYPES, plover_to_cameo, quad_class

__all__ = [
    "MODEL_ENV",
    "RULE_TRUST",
    "MODEL_OVERRIDE",
    "MODEL_FLIP",
    "NONE_CLASS",
    "ENCODER_FILE",
    "LINEAR_FILE",
    "model_path",
    "load_model",
    "available",
    "predict",
    "combine",
]

#: Environment variable choosing the model: "encoder", "linear" or a model file's path.
MODEL_ENV = "POLYBIUS_TYPING_MODEL"
#: The shipped fine-tuned encoder and linear model, under polybius/data/models.
ENCODER_FILE = "event_encoder.npz"
LINEAR_FILE = "event_typing.npz"
#: Hybrid typing: a rule proposal with at least this confidence (any: 0) is kept ...
RULE_TRUST = 0.0
#: ... unless the model gives its own, different type at least this probability. Even odds,
#: fixed by design and not fitted: the rules were tuned by reading the PLV dev part, so their
#: accuracy there is inflated and no threshold is fitted to it (docs/accuracy.md) ...
MODEL_OVERRIDE = 0.5
#: ... and at least this much when that would turn cooperation into conflict or back.
MODEL_FLIP = 0.5
#: The class of a model trained with ``--none-class``: the pair is no event.
NONE_CLASS = "NONE"


def _shipped(name: str) -> Path:
    return Path(str(resources.files("polybius") / "data" / "models" / name))


def model_path() -> Path:
    """Where the model is read from: $POLYBIUS_TYPING_MODEL, else the encoder if shipped,
    else the linear model."""
    choice = os.environ.get(MODEL_ENV, "").strip()
    if choice in ("encoder", "linear"):
        return _shipped(ENCODER_FILE if choice == "encoder" else LINEAR_FILE)
    if choice:
        return Path(choice)
    encoder = _shipped(ENCODER_FILE)
    return encoder if encoder.is_file() else _shipped(LINEAR_FILE)


Typer = LinearTyper | EncoderTyper


@cache
def _load(path: Path) -> Typer:
    try:
        with np.load(path, allow_pickle=False) as z:
            is_encoder = "emb_q" in z.files
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"cannot read typing model {path}: {exc}") from exc
    return EncoderTyper.load(path) if is_encoder else LinearTyper.load(path)


def load_model() -> Typer:
    """The model (loaded once per process and path); ModelFileError when it cannot be read."""
    path = model_path()
    if not path.is_file():
        raise ModelFileError(
            f"no typing model at {path}; train one with scripts/train_event_encoder.py "
            "or scripts/train_event_model.py"
        )
    return _load(path)


def available() -> bool:
    """Whether the model file is present and loadable."""
    try:
        load_model()
    except ModelFileError:
        return False
    return True


_YIELD = ("CONCEDE", "RETREAT")


def _decision(
    model: Typer, probs: Sequence[float], p_retreat: float | None, cand: Candidate
) -> TypeDecision:
    """One decision from class probabilities (and, for a YIELD class, its split).

    The root with the highest probability wins (CONCEDE and RETREAT together as YIELD);
    YIELD then becomes whichever of the two is likelier. A model with a NONE class ("this
    pair is no event") types the candidate as if it were one: the PLOVER probabilities are
    divided by 1 - P(NONE), and P(NONE) goes to ``p_none`` for the non-event filter.
    """
    scores = dict.fromkeys(PLOVER_TYPES, 0.0)
    q = 0.5 if p_retreat is None else float(p_retreat)
    p_none: float | None = None
    for name, p in zip(model.classes, probs, strict=True):
        if name == "YIELD":
            scores["CONCEDE"] += float(p) * (1.0 - q)
            scores["RETREAT"] += float(p) * q
        elif name in scores:
            scores[name] += float(p)
        elif name == NONE_CLASS:
            p_none = float(p)
    if p_none is not None:
        rest = max(1.0 - p_none, 1e-9)
        scores = {k: v / rest for k, v in scores.items()}
    roots = {k: v for k, v in scores.items() if k not in _YIELD}
    roots["YIELD"] = scores["CONCEDE"] + scores["RETREAT"]
    label = max(roots, key=lambda k: roots[k])
    confidence = roots[label]
    if label == "YIELD":
        label = "RETREAT" if scores["RETREAT"] > scores["CONCEDE"] else "CONCEDE"
    cameo = cand.rule_cameo if cand.rule_type == label and cand.rule_cameo else None
    return TypeDecision(
        event_type=label,
        confidence=round(min(1.0, max(0.0, confidence)), 4),
        cameo=cameo or plover_to_cameo(label),
        decided_by="model",
        scores={k: round(v, 4) for k, v in scores.items()},
        p_none=None if p_none is None else round(p_none, 4),
    )


def predict(candidates: Sequence[Candidate]) -> list[TypeDecision]:
    """The model's type for each candidate; ``scores`` are probabilities over PLOVER types.

    ``confidence`` is the probability of the chosen root class (for CONCEDE and RETREAT, of
    YIELD as a whole, since the gold data rarely tells the two apart).
    """
    if not candidates:
        return []
    model = load_model()
    probs, p_retreat = model.scores(candidates)
    return [
        _decision(model, probs[i], None if p_retreat is None else p_retreat[i], c)
        for i, c in enumerate(candidates)
    ]


def _same_root(a: str | None, b: str | None) -> bool:
    yield_ = {"CONCEDE", "RETREAT"}
    return a == b or (a in yield_ and b in yield_)


def combine(
    candidates: Sequence[Candidate],
    rule_decisions: Sequence[TypeDecision],
    model_decisions: Sequence[TypeDecision],
    *,
    rule_trust: float = RULE_TRUST,
    model_override: float = MODEL_OVERRIDE,
    model_flip: float = MODEL_FLIP,
) -> list[TypeDecision]:
    """Hybrid typing: keep the rule's type unless the model finds another more likely than not.

    Where the two agree, or no rule fired, the model's decision stands ("hybrid:model" /
    "hybrid:agree"). (The shipped model is trained without the rule's proposal as a feature,
    see ``rule_features`` in its metadata, so it is a second opinion independent of the rule.)
    A rule with confidence >= ``rule_trust`` wins ("hybrid:rule") unless the model puts at
    least ``model_override`` on a different type of the same side (cooperation or conflict),
    or at least ``model_flip`` on one of the other side ("hybrid:model-override").

    Echo guard ("hybrid:rule-echo"): the model reads the whole sentence, so where a sentence
    holds several events its answer for one trigger can be the type of another. When the
    model's type for a candidate is the type a pattern proposed at a *different* trigger of
    the same sentence (and not at this one), the candidate's own pattern type is kept.
    """
    if not (len(candidates) == len(rule_decisions) == len(model_decisions)):
        raise ValueError("combine() needs one rule and one model decision per candidate")
    echoes = _echoes(candidates, rule_decisions)
    out: list[TypeDecision] = []
    for rule, model, echo in zip(rule_decisions, model_decisions, echoes, strict=True):
        if not rule.event_type:
            out.append(_relabel(model, "hybrid:model"))
        elif not _same_root(rule.event_type, model.event_type) and any(
            _same_root(model.event_type, e) for e in echo
        ):
            out.append(
                TypeDecision(
                    rule.event_type,
                    round(rule.confidence, 4),
                    rule.cameo,
                    "hybrid:rule-echo",
                    model.scores,
                    model.p_none,
                )
            )
        elif _same_root(rule.event_type, model.event_type):
            # Same root: the model's type (its CONCEDE/RETREAT split is the trained one).
            conf = max(model.confidence, rule.confidence)
            cameo = rule.cameo if rule.event_type == model.event_type else model.cameo
            out.append(
                TypeDecision(
                    model.event_type,
                    round(conf, 4),
                    cameo or model.cameo,
                    "hybrid:agree",
                    model.scores,
                    model.p_none,
                )
            )
        elif rule.confidence >= rule_trust and model.confidence < _needed(
            rule.event_type, model.event_type, model_override, model_flip
        ):
            out.append(
                TypeDecision(
                    rule.event_type,
                    round(rule.confidence, 4),
                    rule.cameo,
                    "hybrid:rule",
                    model.scores,
                    model.p_none,
                )
            )
        else:
            how = "hybrid:model-override" if rule.confidence >= rule_trust else "hybrid:model"
            out.append(_relabel(model, how))
    return out


def _echoes(
    candidates: Sequence[Candidate], rule_decisions: Sequence[TypeDecision]
) -> list[set[str]]:
    """Per candidate: the rule types proposed at other triggers of the same sentence."""
    by_sentence: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        by_sentence.setdefault(c.sentence, []).append(i)
    out: list[set[str]] = [set() for _ in candidates]
    for idx in by_sentence.values():
        if len(idx) < 2:
            continue
        for i in idx:
            here = candidates[i].trigger
            out[i] = {
                t
                for j in idx
                if (t := rule_decisions[j].event_type)
                and candidates[j].trigger != here
                and candidates[j].trigger is not None
                and not _same_root(t, rule_decisions[i].event_type)
            }
    return out


def _needed(rule_type: str, model_type: str | None, override: float, flip: float) -> float:
    """Model confidence needed to overrule a trusted rule (more to cross coop/conflict)."""
    try:
        same_side = (quad_class(rule_type) <= 2) == (quad_class(model_type or "") <= 2)
    except KeyError:
        return override
    return override if same_side else max(override, flip)


def _relabel(d: TypeDecision, how: str) -> TypeDecision:
    return TypeDecision(d.event_type, d.confidence, d.cameo, how, d.scores, d.p_none)
