"""The learned event-typing model: predict PLOVER types for candidates, and combine with rules.

The model is a linear classifier over hashed text features of each
:class:`~polybius.events.candidates.Candidate` (the words between source and target, the
trigger and the words after it, n-grams around the actors, the pattern proposal). It is
trained by ``scripts/train_event_model.py`` and shipped as
``polybius/data/models/event_typing.npz`` (weights only; see SOURCES.md there). It is loaded
lazily, once per process. ``$POLYBIUS_TYPING_MODEL`` points to another model file.

PLV-style gold data only says YIELD for CONCEDE and RETREAT, so the main head predicts YIELD
and a second head splits it into CONCEDE and RETREAT; ``scores`` holds all 16 PLOVER types.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from polybius.events.candidates import Candidate, TypeDecision
from polybius.events.model.linear import LinearTyper, ModelFileError
from polybius.ontology import PLOVER_TYPES, plover_to_cameo, quad_class

__all__ = [
    "MODEL_ENV",
    "RULE_TRUST",
    "MODEL_OVERRIDE",
    "MODEL_FLIP",
    "COOPERATIVE",
    "model_path",
    "load_model",
    "available",
    "predict",
    "combine",
    "modality_hint",
]

#: Environment variable naming another model file (``.npz`` written by the training script).
MODEL_ENV = "POLYBIUS_TYPING_MODEL"
#: Hybrid typing: a rule proposal with at least this confidence (any: 0) is kept ...
RULE_TRUST = 0.0
#: ... unless the model gives its own, different type at least this probability. Even odds,
#: fixed by design and not fitted: the rules were tuned by reading the PLV dev part, so their
#: accuracy there is inflated and no threshold is fitted to it (docs/accuracy.md) ...
MODEL_OVERRIDE = 0.5
#: ... and at least this much when that would turn cooperation into conflict or back.
MODEL_FLIP = 0.5
#: Cooperative types that PLOVER codes as AGREE when only intended or announced.
COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})


def model_path() -> Path:
    """Where the model is read from: $POLYBIUS_TYPING_MODEL, else the shipped file."""
    override = os.environ.get(MODEL_ENV)
    if override:
        return Path(override)
    return Path(str(resources.files("polybius") / "data" / "models" / "event_typing.npz"))


@cache
def _load(path: Path) -> LinearTyper:
    return LinearTyper.load(path)


def load_model() -> LinearTyper:
    """The model (loaded once per process and path); ModelFileError when it cannot be read."""
    path = model_path()
    if not path.is_file():
        raise ModelFileError(
            f"no typing model at {path}; train one with scripts/train_event_model.py"
        )
    return _load(path)


def available() -> bool:
    """Whether the model file is present and loadable."""
    try:
        load_model()
    except ModelFileError:
        return False
    return True


def _decision(
    model: LinearTyper, probs: Sequence[float], p_retreat: float | None, cand: Candidate
) -> TypeDecision:
    """One decision from the main head's probabilities and the YIELD split."""
    scores = dict.fromkeys(PLOVER_TYPES, 0.0)
    q = 0.5 if p_retreat is None else float(p_retreat)
    for name, p in zip(model.classes, probs, strict=True):
        if name == "YIELD":
            scores["CONCEDE"] += float(p) * (1.0 - q)
            scores["RETREAT"] += float(p) * q
        elif name in scores:
            scores[name] += float(p)
    best = max(range(len(model.classes)), key=lambda k: probs[k])
    label = model.classes[best]
    if label == "YIELD":
        label = "RETREAT" if q > 0.5 else "CONCEDE"
    cameo = cand.rule_cameo if cand.rule_type == label and cand.rule_cameo else None
    return TypeDecision(
        event_type=label,
        confidence=round(float(probs[best]), 4),
        cameo=cameo or plover_to_cameo(label),
        decided_by="model",
        scores={k: round(v, 4) for k, v in scores.items()},
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
    """
    if not (len(candidates) == len(rule_decisions) == len(model_decisions)):
        raise ValueError("combine() needs one rule and one model decision per candidate")
    out: list[TypeDecision] = []
    for rule, model in zip(rule_decisions, model_decisions, strict=True):
        if not rule.event_type:
            out.append(_relabel(model, "hybrid:model"))
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
                )
            )
        else:
            how = "hybrid:model-override" if rule.confidence >= rule_trust else "hybrid:model"
            out.append(_relabel(model, how))
    return out


def _needed(rule_type: str, model_type: str | None, override: float, flip: float) -> float:
    """Model confidence needed to overrule a trusted rule (more to cross coop/conflict)."""
    try:
        same_side = (quad_class(rule_type) <= 2) == (quad_class(model_type or "") <= 2)
    except KeyError:
        return override
    return override if same_side else max(override, flip)


def _relabel(d: TypeDecision, how: str) -> TypeDecision:
    return TypeDecision(d.event_type, d.confidence, d.cameo, how, d.scores)


def modality_hint(candidate: Candidate) -> dict[str, float] | None:
    """What the model suggests about modality, or None when it has nothing to add.

    PLOVER codes cooperative actions that are only intended or announced as AGREE, and the
    model learned that coding from the gold data. When the patterns proposed a cooperative
    type (CONSULT, SUPPORT, COOPERATE, AID) but the model prefers AGREE, the event is likely
    future or intended: the hint is ``{"intended": p}`` with the model's AGREE probability.
    """
    if candidate.rule_type not in COOPERATIVE or not available():
        return None
    decision = predict([candidate])[0]
    p_agree = decision.scores.get("AGREE", 0.0)
    if decision.event_type == "AGREE" and p_agree > decision.scores.get(candidate.rule_type, 0.0):
        return {"intended": round(p_agree, 4)}
    return None
