"""Decide event types for candidates: patterns ("rules"), the learned model, or both.

``decide_types(candidates, typing)`` is the one dispatch point. "rules" uses what the patterns
proposed on each Candidate. "model" and "hybrid" call ``polybius.events.learned`` when it is
installed and ``learned.available()`` says its model can be loaded; otherwise they fall back to
the rules and say so in ``decided_by`` ("rules (model unavailable)").
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

from polybius.events.candidates import TYPING_MODES, Candidate, TypeDecision

__all__ = ["decide_types", "rule_decisions", "learned_module"]


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
    if typing not in TYPING_MODES:
        raise ValueError(f"unknown typing {typing!r}; choose one of {', '.join(TYPING_MODES)}")
    if not candidates:
        return []
    rules = rule_decisions(candidates)
    if typing == "rules":
        return rules
    learned = learned_module()
    if learned is None:
        return rule_decisions(candidates, "rules (model unavailable)")
    model = list(learned.predict(candidates))
    if typing == "model":
        return model
    return list(learned.combine(candidates, rules, model))
