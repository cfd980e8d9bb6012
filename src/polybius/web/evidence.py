"""Turn events into API dicts and locate their evidence inside the sentence.

An event's ``span`` points into its article's full text; the dashboard shows only the
sentence, so the trigger is mapped into sentence offsets, and the source and target actors
are found in the sentence by their text. The result is a list of non-overlapping highlights
(trigger first, then sources, then targets) that the front end renders as marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from polybius.records import Actor, Event

__all__ = ["article_full_text", "event_to_dict", "locate_highlights"]


def _actor_dict(actor: Actor) -> dict[str, Any]:
    d = actor.to_dict()
    d["code"] = actor.code
    return d


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event JSON contract with each actor's compact ``code`` added."""
    d = event.to_dict()
    d["sources"] = [_actor_dict(a) for a in event.sources]
    d["targets"] = [_actor_dict(a) for a in event.targets]
    return d


def article_full_text(article: dict[str, Any]) -> str:
    """Headline and body as ``Article.full_text`` builds them (offsets refer to this)."""
    title = article.get("title") or ""
    text = article.get("text") or ""
    return f"{title}\n\n{text}" if title else text


def _sentence_start(sentence: str, full_text: str, span: tuple[int, int]) -> int | None:
    """Offset of the occurrence of ``sentence`` in ``full_text`` that contains ``span``."""
    if not sentence:
        return None
    start = full_text.find(sentence)
    while start != -1:
        if start <= span[0] and span[1] <= start + len(sentence):
            return start
        start = full_text.find(sentence, start + 1)
    return None


def _find_all(needle: str, hay: str) -> Iterable[tuple[int, int]]:
    """Occurrences of ``needle`` in ``hay`` on word boundaries: exact case first, then any."""
    if not needle.strip():
        return []
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
    exact = [(m.start(), m.end()) for m in re.finditer(pattern, hay)]
    if exact:
        return exact
    return [(m.start(), m.end()) for m in re.finditer(pattern, hay, flags=re.IGNORECASE)]


def _overlaps(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < b[1] and b[0] < a[1] for b in taken)


def locate_highlights(event: Event, full_text: str | None = None) -> list[dict[str, Any]]:
    """Highlights of trigger, sources and targets as offsets into ``event.sentence``.

    The trigger comes from ``span`` when the article's full text is known and contains the
    sentence around it; otherwise from the ``trigger`` words found in the sentence. Actors
    are found by their text. Overlaps are dropped (earlier roles win); the list is sorted.
    """
    sentence = event.sentence
    out: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []

    def add(role: str, rng: tuple[int, int]) -> None:
        taken.append(rng)
        out.append(
            {"role": role, "start": rng[0], "end": rng[1], "text": sentence[rng[0] : rng[1]]}
        )

    trigger: tuple[int, int] | None = None
    if full_text is not None and event.span[1] > event.span[0]:
        s = _sentence_start(sentence, full_text, event.span)
        if s is not None:
            trigger = (event.span[0] - s, event.span[1] - s)
    if trigger is None and event.trigger:
        found = list(_find_all(event.trigger, sentence))
        if found:
            trigger = found[0]
    if trigger is not None:
        add("trigger", trigger)

    for role, actors in (("source", event.sources), ("target", event.targets)):
        for actor in actors:
            for rng in _find_all(actor.text, sentence):
                if not _overlaps(rng, taken):
                    add(role, rng)
                    break
    out.sort(key=lambda h: (h["start"], h["end"]))
    return out
