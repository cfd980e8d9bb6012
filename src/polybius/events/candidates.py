"""The contract between event extraction and event typing.

Extraction finds, per clause, a source actor, an optional target actor and the words that may
express an event between them; it packs them as a ``Candidate``. Typing (rules, the learned
model, or both) turns each candidate into a ``TypeDecision``. Keeping this boundary plain lets
the learned model be trained and evaluated on exactly what the extractor produces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Candidate", "TypeDecision", "TYPING_MODES"]

#: How event types are decided: dictionary patterns only, the learned model only, or both.
TYPING_MODES: tuple[str, ...] = ("rules", "model", "hybrid")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible event between a source and a target in one sentence.

    Offsets are character offsets into ``sentence``. ``rule_*`` hold what the CAMEO/PLOVER
    patterns proposed (None when no pattern matched). ``features`` carries extra parse facts
    (verb lemma, dependency path, negation words, ...) as plain strings for the model.
    """

    sentence: str
    source: tuple[int, int]
    target: tuple[int, int] | None
    trigger: tuple[int, int] | None = None
    trigger_lemma: str | None = None
    rule_type: str | None = None
    rule_cameo: str | None = None
    rule_name: str | None = None
    rule_confidence: float = 0.0
    features: tuple[str, ...] = field(default_factory=tuple)

    def marked(self) -> str:
        """The sentence with <s>..</s> around the source and <t>..</t> around the target."""
        marks: list[tuple[int, str]] = [(self.source[0], "<s>"), (self.source[1], "</s>")]
        if self.target is not None:
            marks += [(self.target[0], "<t>"), (self.target[1], "</t>")]
        text = self.sentence
        for pos, tag in sorted(marks, key=lambda m: (m[0], m[1].startswith("</")), reverse=True):
            text = text[:pos] + tag + text[pos:]
        return text


@dataclass(frozen=True, slots=True)
class TypeDecision:
    """The event type chosen for a candidate, with confidence and who decided.

    ``scores`` maps PLOVER types to probabilities when a model was involved (for a model
    with a NONE class, probabilities given that the candidate is an event).
    ``decided_by`` is "rules", "model" or "hybrid:<how>", shown by ``--explain``.
    ``p_none`` is that model's probability that the sentence reports no event between the
    pair at all (None when the model has no NONE class, or no model was asked).
    """

    event_type: str | None
    confidence: float
    cameo: str | None = None
    decided_by: str = "rules"
    scores: dict[str, float] = field(default_factory=dict)
    p_none: float | None = None
