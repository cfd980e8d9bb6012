"""A name the entity recogniser calls a place somewhere in an article is never an actor."""

from __future__ import annotations

from polybius.actors import find_actors
from polybius.places import find_place


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


def test_a_known_place_read_as_a_person_after_a_word_of_position_is_no_actor(nlp) -> None:
    # the recogniser reads "Douma" as a person both times; "in Douma" and the gazetteer
    # say it is a place, so neither occurrence is an actor
    text = "Rebels shelled houses in Douma on Monday. Douma was quiet by Tuesday."
    doc = _doc_with_ents(nlp, text, [("Douma", "PERSON", 0), ("Douma", "PERSON", 1)])
    assert not any(m.text == "Douma" for m in find_actors(doc, None))


def test_a_person_whose_name_is_also_a_town_stays_a_person(nlp) -> None:
    # "Anna" is also a town in the gazetteer; "a tribute to Anna" says nothing of a place
    assert find_place("Anna") is not None
    text = "Sylvania paid a tribute to Anna on Monday. Anna thanked Sylvania."
    doc = _doc_with_ents(nlp, text, [("Anna", "PERSON", 0), ("Anna", "PERSON", 1)])
    assert any(m.text == "Anna" for m in find_actors(doc, None))


def test_an_unknown_name_after_a_word_of_position_stays(nlp) -> None:
    # only the gazetteer's places lose their person reading
    text = "Rebels shelled houses in Zorblat on Monday. Zorblat was quiet by Tuesday."
    doc = _doc_with_ents(nlp, text, [("Zorblat", "PERSON", 0), ("Zorblat", "PERSON", 1)])
    assert any(m.text == "Zorblat" for m in find_actors(doc, None))
