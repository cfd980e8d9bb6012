"""A fast text-level check for possible event triggers, without parsing.

The pipeline can skip sentences in which no pattern word occurs. Surface forms come from the
pattern lemmas (regular inflections: -s, -es, -ed, -d, -ing, y -> ies/ied, e-drop, doubled
final consonant) plus the irregular forms listed in the CAMEO dictionary and the event nouns
with their plurals. A word is a candidate trigger when its lower-cased form is in that set.
"""

from __future__ import annotations

import re
from functools import cache

from polybius.events.patterns import lexicon

__all__ = ["has_trigger", "trigger_spans", "trigger_forms"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_VOWELS = set("aeiou")
#: Auxiliary forms never trigger an event on their own.
_AUXILIARIES = frozenset(
    "be is are was were been being am has have had having do does did will would shall should "
    "can could may might must".split()
)


def _inflect(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if (
        len(lemma) >= 3
        and lemma[-1] not in _VOWELS | {"w", "x", "y"}
        and lemma[-2] in _VOWELS
        and lemma[-3] not in _VOWELS
    ):  # noqa: E501
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


@cache
def trigger_forms() -> frozenset[str]:
    """All lower-cased word forms that may trigger an event."""
    lex = lexicon()
    forms: set[str] = set()
    for lemma in set(lex.verb_blocks) | set(lex.curated_verbs):
        forms |= _inflect(lemma)
    forms |= set(lex.irregular)
    for noun in lex.nouns:
        forms |= {noun, noun + "s", noun + "es"}
    return frozenset(forms - _AUXILIARIES)


def trigger_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of words in ``text`` that may trigger an event."""
    forms = trigger_forms()
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if m.group(0).lower() in forms]


def has_trigger(text: str) -> bool:
    """Whether any word of ``text`` may trigger an event (no parsing)."""
    forms = trigger_forms()
    return any(m.group(0).lower() in forms for m in _WORD.finditer(text))
