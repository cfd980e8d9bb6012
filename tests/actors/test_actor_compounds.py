"""Compounds, titles, descriptors, combining forms, possessives, places and metonyms."""

from __future__ import annotations

from polybius.actors import find_actors
from polybius.records import ActorMention


def _find(nlp, text: str, date: str = "2019-06-01") -> list[ActorMention]:  # type: ignore[no-untyped-def]
    return find_actors(nlp(text), date)


def test_adjective_plus_agent_is_one_mention(nlp) -> None:
    ms = _find(nlp, "Ukrainian soldiers held the bridge.")
    assert [(m.text, m.country, m.sector, m.kind) for m in ms] == [
        ("Ukrainian soldiers", "UKR", "MIL", "agent")
    ]


def test_adjective_title_person(nlp) -> None:
    ms = _find(nlp, "Indian Prime Minister Narendra Modi landed in Tokyo.")
    m = ms[0]
    assert (m.text, m.country, m.sector, m.name, m.role) == (
        "Indian Prime Minister Narendra Modi",
        "IND",
        "GOV",
        "Narendra Modi",
        "Prime Minister",
    )


def test_dictionary_overrules_wrong_descriptor(nlp) -> None:
    ms = _find(nlp, "European President Moon Jae-in signed the treaty.", "2019-06-01")
    m = next(m for m in ms if m.kind == "person")
    assert (m.country, m.sector, m.name) == ("KOR", "GOV", "Moon Jae-in")


def test_combining_form_gives_two_countries(nlp) -> None:
    ms = _find(nlp, "Franco-German cooperation deepened.")
    assert [(m.text, m.country, m.kind) for m in ms] == [
        ("Franco", "FRA", "combining_form"),
        ("German", "DEU", "combining_form"),
    ]


def test_non_country_compound_gives_nothing(nlp) -> None:
    assert not [m for m in _find(nlp, "The Afro-Asian forum met.") if m.country]


def test_possessive_keeps_the_country(nlp) -> None:
    ms = _find(nlp, "From Brazil's point of view, tariffs hurt.")
    assert (ms[0].text, ms[0].country, ms[0].kind) == ("Brazil", "BRA", "country")


def test_capital_as_agent_is_government_but_as_place_is_not(nlp) -> None:
    ms = _find(nlp, "Ottawa protested. Later the ministers met in Ottawa.")
    assert [(m.text, m.kind, m.sector) for m in ms if m.text == "Ottawa"] == [
        ("Ottawa", "metonym", "GOV"),
        ("Ottawa", "place", None),
    ]


def test_seats_of_power(nlp) -> None:
    ms = _find(nlp, "Pentagon officials briefed the Elysee while Downing Street waited.")
    got = {(m.text, m.country, m.sector) for m in ms}
    assert ("Pentagon officials", "USA", "MIL") in got
    assert ("Elysee", "FRA", "GOV") in got
    assert ("Downing Street", "GOV" and "GBR", "GOV") in got


def test_organisation_with_members(nlp) -> None:
    ms = _find(nlp, "ASEAN ministers met in Jakarta.")
    m = ms[0]
    assert (m.org, m.sector, m.kind) == ("ASEAN", "GOV", "agent")
    assert "IDN" in m.members


def test_context_alias_needs_its_organisation(nlp) -> None:
    alone = _find(nlp, "The Quartet issued a statement.")
    assert not [m for m in alone if m.org == "QUAD"]
    ctx = _find(nlp, "The Quad met in May. Critics call the Quartet a club.")
    assert [m.text for m in ctx if m.org == "QUAD" and m.kind == "org"] == [
        "The Quad",
        "the Quartet",
    ]


def test_unknown_person_from_apposition(nlp) -> None:
    text = "Jane Smith, a Kenyan analyst and director of the Horizon Institute, said so."
    m = next(m for m in _find(nlp, text) if m.kind == "person")
    assert (m.name, m.country, m.sector, m.org) == ("Jane Smith", "KEN", "EDU", "Horizon Institute")
    assert m.role == "director of Horizon Institute"


def test_adjective_used_as_modifier_is_not_an_agent(nlp) -> None:
    ms = _find(nlp, "Oslo wants more military cooperation.")
    assert not [m for m in ms if m.sector == "MIL"]


def test_sentence_index_and_offsets(nlp) -> None:
    text = "Peru protested.\n\nChilean troops moved."
    ms = _find(nlp, text)
    m = ms[-1]
    assert text[m.start : m.end] == m.text == "Chilean troops"
    assert m.sentence_index == 1


def test_country_after_locative_is_a_place(nlp) -> None:
    ms = _find(nlp, "The talks were held in Norway.")
    assert [(m.text, m.kind, m.country, m.sector) for m in ms] == [("Norway", "place", "NOR", None)]


def test_civilians_in_or_from_a_country_belong_to_it(nlp) -> None:
    got = {(m.country, m.sector) for m in _find(nlp, "Students from Chile marched.")}
    assert ("CHL", "EDU") in got
    got = {(m.country, m.sector) for m in _find(nlp, "Farmers in Ghana protested.")}
    assert ("GHA", "AGR") in got


def test_lower_case_words_between_country_and_agent(nlp) -> None:
    ms = _find(nlp, "Ukrainian agricultural workers went on strike.")
    assert (ms[0].text, ms[0].country, ms[0].sector) == (
        "Ukrainian agricultural workers",
        "UKR",
        "LAB",
    )


def test_clause_after_a_name_is_not_an_apposition(nlp) -> None:
    text = "The envoy, Jane Smith, said many soldiers in Mali were tired."
    person = next(m for m in _find(nlp, text) if m.kind == "person")
    assert person.country is None and person.sector is None


def test_known_person_inside_longer_unknown_name(nlp) -> None:
    ms = _find(nlp, "Minister Juan Carlos Jobet spoke.", "2021-01-01")
    person = next(m for m in ms if m.kind == "person")
    assert person.name == "Juan Carlos Jobet" and person.country != "ESP"
