"""Decide event types for candidates: patterns ("rules"), the learned model, or both.

``decide_types(candidates, typing)`` is the one dispatch point. "rules" uses what the patterns
proposed on each Candidate. "model" and "hybrid" call ``polybius.events.learned`` when it is
installed and ``learned.available()`` says its model can be loaded; otherwise they fall back to
the rules and say so in ``decided_by`` ("rules (model unavailable)").
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from types import ModuleType

from polybius.events.candidates import TYPING_MODES, Candidate, TypeDecision

__all__ = [
    "decide_types",
    "decide_types_grouped",
    "rule_decisions",
    "learned_module",
    "NON_EVENT_ENV",
    "NON_EVENT_THRESHOLD",
    "non_event_threshold",
    "is_non_event",
]

#: Environment variable overriding the non-event threshold: a probability, or "off".
NON_EVENT_ENV = "POLYBIUS_NON_EVENT_THRESHOLD"
#: A candidate whose typing model says "no event between this pair" with at least this
#: probability gives no event. Only a model trained with a NONE class says so
#: (``scripts/train_event_encoder.py --none-class``); for any other model nothing is dropped.
#: The value and how it was chosen: benchmarks/data/NEWS_TYPING.md ("Non-events").
NON_EVENT_THRESHOLD = 0.9


def non_event_threshold() -> float | None:
    """The threshold in force: $POLYBIUS_NON_EVENT_THRESHOLD ("off" for none), else
    :data:`NON_EVENT_THRESHOLD`. ValueError naming the variable when it is not a number in
    (0, 1] or "off"."""
    raw = os.environ.get(NON_EVENT_ENV, "").strip()
    if not raw:
        return NON_EVENT_THRESHOLD
    if raw.lower() in ("off", "none", "no"):
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0.0 < value <= 1.0:
        raise ValueError(f"{NON_EVENT_ENV}={raw!r}: expected a probability in (0, 1] or 'off'")
    return value


def is_non_event(decision: TypeDecision, threshold: float) -> bool:
    """Whether the model judged the candidate no event: ``p_none`` at least ``threshold``
    (see :func:`non_event_threshold`). False when the model gave no ``p_none``."""
    return decision.p_none is not None and decision.p_none >= threshold


def rule_decisions(candidates: Sequence[Candidate], label: str = "rules") -> list[TypeDecision]:
    """Decisions taken from the patterns recorded on each candidate."""
    return [
        TypeDecision(
            event_type=c.rule_type,
            confidence=c.rule_confidence if c.rule_type else 0.0,
            cameo=c.rule_cameo,
            decided_by=label,
        )
        for c in candidates
    ]


def learned_module() -> ModuleType | None:
    """The learned typing module when it exists and its model can be loaded, else None."""
    try:
        from polybius.events import learned
    except ImportError:
        return None
    try:
        return learned if learned.available() else None
    except Exception:  # a broken model file must not stop rule-based coding
        return None


def decide_types(candidates: Sequence[Candidate], typing: str = "hybrid") -> list[TypeDecision]:
    """Type each candidate with the chosen method; one decision per candidate, same order."""
    return decide_types_grouped([candidates], typing)[0]


def decide_types_grouped(
    groups: Sequence[Sequence[Candidate]], typing: str = "hybrid"
) -> list[list[TypeDecision]]:
    """:func:`decide_types` for the candidates of several articles at once: the model reads
    them all in one call (fewer, larger matrix products), while the hybrid's echo guard
    still looks only within each group (an article)."""
    if typing not in TYPING_MODES:
        raise ValueError(f"unknown typing {typing!r}; choose one of {', '.join(TYPING_MODES)}")
    if typing == "rules" or not any(groups):
        return [rule_decisions(g) for g in groups]
    learned = learned_module()
    if learned is None:
        return [rule_decisions(g, "rules (model unavailable)") for g in groups]
    flat = [c for g in groups for c in g]
    model = list(learned.predict(flat)) if flat else []
    out: list[list[TypeDecision]] = []
    start = 0
    for g in groups:
        mine = model[start : start + len(g)]
        start += len(g)
        if typing == "model" or not g:
            out.append(mine)
        else:
            out.append(list(learned.combine(g, rule_decisions(g), mine)))
    return out
