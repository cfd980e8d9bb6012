"""A name the entity recogniser calls a place somewhere in an article is never an actor."""

from __future__ import annotations

from polybius.actors import find_actors


def _doc_with_ents(nlp, text: str, ents: list[tuple[str, str, int]]):
    """Parse ``text``, then set the entities by hand (word, label, occurrence) so the test
    does not depend on what the small model happens to label."""
    doc = nlp(text)
    spans = []
    for word, label, nth in ents:
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        span = doc.char_span(start, start + len(word), label=label)
        assert span is not None, word
        spans.append(span)
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc


def test_org_reading_of_a_place_name_is_dropped(nlp) -> None:
    text = (
        "Freedonian artillery pounded Upper Marsh overnight. "
        "Sylvania denounced the shelling of Marsh on Tuesday."
    )
    doc = _doc_with_ents(nlp, text, [("Upper Marsh", "LOC", 0), ("Marsh", "ORG", 1)])
    mentions = find_actors(doc, None)
    assert not any(m.org == "Marsh" or m.text == "Marsh" for m in mentions)


def test_org_without_a_place_reading_stays(nlp) -> None:
    text = "Marsh Holdings signed a deal with Sylvania on Tuesday."
    doc = _doc_with_ents(nlp, text, [("Marsh Holdings", "ORG", 0)])
    mentions = find_actors(doc, None)
    assert any(m.text == "Marsh Holdings" for m in mentions)
