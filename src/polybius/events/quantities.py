"""Quantities stated for an event: "about ten thousand troops" -> Quantity(10000, "troops").

A small number parser (digits with separators, number words, "1.5 million", "dozens of") is
enough for the counts news reports give; it avoids a dependency. A quantity is approximate
when hedged ("about", "some", "nearly", "more than", "up to") or given as "thousands of".
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from polybius.nlp import doc_text
from polybius.records import Quantity

__all__ = ["parse_number", "quantity_for", "quantity_in"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "dozen": 12,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "millions": 2_000_000}
_HEDGES = {
    "about", "around", "approximately", "roughly", "some", "nearly", "almost", "over",
    "more", "up", "least", "estimated", "than", "circa", "~", "several", "under",
}  # fmt: skip


def parse_number(text: str) -> float | None:
    """Parse '10,000', 'ten thousand', '1.5 million', 'two dozen'; None when not a number."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    total = 0.0
    current = 0.0
    seen = False
    for w in words:
        w = w.strip(",")
        num = w.replace(",", "")
        if re.fullmatch(r"\d+(\.\d+)?", num):
            current += float(num)
            seen = True
        elif w in _UNITS:
            current += _UNITS[w] if w != "dozen" else 0
            if w == "dozen":
                current = (current or 1) * 12
            seen = True
        elif w in _SCALES:
            current = (current or 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


#: Counted nouns that name the participants themselves, not a quantity of the event.
_NOT_UNITS = {
    "country",
    "countries",
    "nation",
    "nations",
    "state",
    "states",
    "member",
    "members",
    "side",
    "sides",
    "party",
    "parties",
}  # noqa: E501


def _text_through(first: Token, last: Token) -> str:
    """The document text from ``first`` through ``last``. A span's text when ``first`` comes
    first: ``Doc.text`` joins every token of the document on each call, far too slow here."""
    if first.i <= last.i:
        return first.doc[first.i : last.i + 1].text
    return doc_text(first.doc)[first.idx : last.idx + len(last.text)]


def quantity_for(noun: Token) -> Quantity | None:
    """The number modifying ``noun`` ("about ten thousand troops", "thousands of soldiers")."""
    if noun.lower_ in _NOT_UNITS:
        return None
    nums = [c for c in noun.children if c.dep_ == "nummod"]
    if nums:
        num = nums[0]
        parts = sorted(
            [t for t in num.subtree if t.like_num or t.lower_ in _UNITS or t.lower_ in _SCALES],
            key=lambda t: t.i,
        )  # noqa: E501
        if not parts:
            return None
        text = noun.doc[parts[0].i : parts[-1].i + 1].text
        value = parse_number(text)
        if value is None:
            return None
        hedged = any(t.lower_ in _HEDGES for t in num.subtree if t not in parts)
        first = min(num.subtree, key=lambda t: t.idx)
        return Quantity(
            value=value,
            unit=noun.lower_,
            text=_text_through(first, noun),
            approximate=hedged,
        )  # noqa: E501
    # "thousands of troops": the noun is the pobj of "of" under a vague number
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in _VAGUE:
        vague = noun.head.head
        return Quantity(
            value=float(_VAGUE[vague.lower_]),
            unit=noun.lower_,
            text=_text_through(vague, noun),
            approximate=True,
        )  # noqa: E501
    return None


def quantity_in(tokens: list[Token]) -> Quantity | None:
    """The first quantity among argument nouns (sources first, then objects)."""
    for tok in tokens:
        q = quantity_for(tok)
        if q is not None:
            return q
    return None
