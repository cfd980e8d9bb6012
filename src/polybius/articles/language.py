"""Language detection with py3langid, careful with short texts.

Only texts with at least ``MIN_LETTERS`` letters are judged: a short headline says too little
to tell English from its neighbours. A text is rejected only when the detector names another
language with probability at least ``MIN_CONFIDENCE``; anything less confident passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["LanguageGuess", "MIN_CONFIDENCE", "MIN_LETTERS", "detect_language", "foreign_reason"]

#: Fewer letters than this and the text is not judged.
MIN_LETTERS = 120
#: The probability another language must reach before a text is rejected.
MIN_CONFIDENCE = 0.90
#: How much of a long text the detector reads (the start says enough, and faster).
_SAMPLE_CHARS = 1000
_NOT_LETTER = re.compile(r"[\W\d_]+")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The detector's answer: an ISO 639-1 code and its probability."""

    language: str
    confidence: float


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # py3langid 0.4 loads with from_model_file; 0.3 with from_pickled.
    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled
    return load(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> LanguageGuess | None:
    """The language of ``text``, or None when it is too short to judge."""
    sample = text[:_SAMPLE_CHARS]
    if len(_NOT_LETTER.sub("", sample)) < MIN_LETTERS:
        return None
    code, prob = _identifier().classify(sample)
    return LanguageGuess(language=str(code), confidence=float(prob))


def foreign_reason(text: str, expected: str = "en") -> tuple[str | None, LanguageGuess | None]:
    """``(reason, guess)``: a reason to skip ``text`` when it is surely not ``expected``."""
    guess = detect_language(text)
    if guess and guess.language != expected and guess.confidence >= MIN_CONFIDENCE:
        reason = (
            f"not English (detected '{guess.language}', confidence {guess.confidence:.2f})"
            if expected == "en"
            else f"not '{expected}' (detected '{guess.language}', "
            f"confidence {guess.confidence:.2f})"
        )
        return reason, guess
    return None, guess
