"""Locating an event's trigger and actors inside its sentence (polybius.web.evidence)."""

from __future__ import annotations

from polybius.records import Actor, Event
from polybius.web.evidence import article_full_text, event_to_dict, locate_highlights


def _event(sentence: str, span: tuple[int, int], trigger: str, src: str, tgt: str) -> Event:
    return Event(
        event_id="e1",
        article_id="a1",
        doc_id="d1",
        event_type="THREATEN",
        sources=(Actor(text=src, country="AAA"),),
        targets=(Actor(text=tgt, org="BBB"),),
        sentence=sentence,
        sentence_index=2,
        span=span,
        rule="test",
        confidence=0.5,
        trigger=trigger,
    )


def _marks(hl: list[dict]) -> dict[str, str]:
    return {h["role"]: h["text"] for h in hl}


def test_trigger_from_span_when_the_article_text_is_known() -> None:
    title = "Harbour row"
    body = "Calm returned. Lydia warned the Guild twice. Lydia warned the Guild again."
    full = article_full_text({"title": title, "text": body})
    second = "Lydia warned the Guild again."
    start = full.index(second) + len("Lydia ")
    ev = _event(second, (start, start + len("warned")), "warned", "Lydia", "the Guild")
    hl = locate_highlights(ev, full)
    assert _marks(hl) == {"source": "Lydia", "trigger": "warned", "target": "the Guild"}
    assert [h["start"] for h in hl] == sorted(h["start"] for h in hl)
    for h in hl:
        assert second[h["start"] : h["end"]] == h["text"]


def test_trigger_found_by_its_words_without_the_article() -> None:
    sentence = "Officials said Lydia would block the Guild's ships."
    ev = _event(sentence, (0, 0), "would block", "Lydia", "the Guild")
    assert _marks(locate_highlights(ev, None)) == {
        "source": "Lydia",
        "trigger": "would block",
        "target": "the Guild",
    }


def test_case_insensitive_fallback_word_boundaries_and_no_overlap() -> None:
    sentence = "THE GUILD said the guildhall was closed by the Guild itself."
    ev = _event(sentence, (0, 0), "closed", "the guild", "The Guild")
    hl = locate_highlights(ev, None)
    marks = _marks(hl)
    assert marks["trigger"] == "closed"
    # the source takes the first match, the target the next one that does not overlap it,
    # and "guildhall" never matches "guild"
    assert marks["source"] == "THE GUILD"
    assert marks["target"] == "the Guild"
    spans = sorted((h["start"], h["end"]) for h in hl)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_missing_pieces_are_left_out() -> None:
    ev = _event("Nothing here matches.", (5, 9), "", "Lydia", "the Guild")
    assert locate_highlights(ev, "Other text entirely.") == []


def test_event_dict_carries_actor_codes() -> None:
    ev = _event("Lydia warned the Guild.", (6, 12), "warned", "Lydia", "the Guild")
    d = event_to_dict(ev)
    assert d["sources"][0]["code"] == "AAA"
    assert d["targets"][0]["code"] == "BBB"
    assert d["span"] == [6, 12]
