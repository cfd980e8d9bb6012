"""The dictionary trie over raw text: case rules, barriers, blocks, the fast pre-filter."""

from __future__ import annotations

from polybius.actors import actor_spans_in_text, load_dictionary, scan_text


def _kinds(text: str) -> list[tuple[str, str, str | None]]:
    out = []
    for h in scan_text(text):
        e = h.entries[0]
        out.append((text[h.start : h.end], e.kind, e.country))
    return out


def test_country_names_adjectives_and_capitals() -> None:
    found = _kinds("Kenyan farmers crossed into Tanzania near Dodoma.")
    assert ("Kenyan", "country", "KEN") in found
    assert ("Tanzania", "country", "TZA") in found
    assert ("Dodoma", "capital", "TZA") in found


def test_us_needs_capitals_but_agent_words_do_not() -> None:
    assert _kinds("Let us go.") == []
    assert ("US", "country", "USA") in _kinds("The US said no.")
    assert ("U.S.", "country", "USA") in _kinds("The U.S. said no.")
    assert ("Troops", "agent", None) in _kinds("Troops left.")


def test_lower_case_proper_name_is_not_a_country() -> None:
    assert _kinds("They sold fine china and a roast turkey.") == []


def test_multiword_phrase_does_not_cross_punctuation() -> None:
    text = "They met in South. Korea later agreed."
    spans = [text[s:e] for s, e in actor_spans_in_text(text)]
    assert "South. Korea" not in spans
    assert "South Korea" not in spans


def test_blocked_phrases_resolve_to_nothing() -> None:
    assert actor_spans_in_text("Trade with Latin America grew.") == []


def test_prefilter_returns_offsets_of_actor_words() -> None:
    text = "Officials in Nairobi met Ugandan police."
    spans = [text[s:e] for s, e in actor_spans_in_text(text)]
    assert spans == ["Officials", "Nairobi", "Ugandan", "police"]


def test_dictionary_has_combining_forms_and_members() -> None:
    d = load_dictionary()
    assert d.combining["sino"] == "CHN"
    assert d.combining["russo"] == "RUS"
    assert set(d.orgs["QUAD"].members) == {"USA", "JPN", "AUS", "IND"}
    assert {"USA", "TUR", "DEU"} <= set(d.orgs["NATO"].members)
