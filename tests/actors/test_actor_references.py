"""Pronouns, definite descriptions and surnames resolved within an article."""

from __future__ import annotations

from polybius.actors import find_actors


def _refs(nlp, text: str, date: str = "2019-06-01"):  # type: ignore[no-untyped-def]
    return [m for m in find_actors(nlp(text), date) if m.refers_to is not None]


def test_he_refers_to_last_person(nlp) -> None:
    text = "Vladimir Putin met the envoy. He rejected the plan."
    (he,) = _refs(nlp, text)
    assert (he.text, he.kind, he.name, he.country, he.sector) == (
        "He",
        "pronoun",
        "Vladimir Putin",
        "RUS",
        "GOV",
    )
    assert he.refers_to == 0


def test_alliance_and_it_refer_to_organisation(nlp) -> None:
    text = "NATO met in Brussels. The alliance said it would expand."
    refs = _refs(nlp, text)
    assert [(m.text, m.kind, m.org) for m in refs] == [
        ("The alliance", "description", "NATO"),
        ("it", "pronoun", "NATO"),
    ]


def test_expletive_it_is_not_an_actor(nlp) -> None:
    text = "Canada joined the talks. It is unclear whether the deal will hold."
    assert _refs(nlp, text) == []


def test_n_countries_uses_group_with_that_many_members(nlp) -> None:
    text = "AUKUS was announced in Canberra. The three countries will share submarines."
    refs = _refs(nlp, text)
    m = next(m for m in refs if m.kind == "description")
    assert m.org == "AUKUS" and set(m.members) == {"AUS", "GBR", "USA"}


def test_n_countries_falls_back_to_listed_countries(nlp) -> None:
    text = "Chile and Peru signed a pact. The two countries celebrated."
    m = next(m for m in _refs(nlp, text) if m.kind == "description")
    assert m.members == ("CHL", "PER") and m.country is None


def test_two_leaders_and_her_country(nlp) -> None:
    text = (
        "Angela Merkel met Emmanuel Macron. The two leaders agreed. She said her country would pay."
    )
    refs = _refs(nlp, text)
    leaders = next(m for m in refs if m.text == "The two leaders")
    assert set(leaders.members) == {"DEU", "FRA"}
    her = next(m for m in refs if m.text == "her country")
    assert (her.country, her.kind, her.name) == ("DEU", "description", None)


def test_surname_refers_to_earlier_full_name(nlp) -> None:
    text = "Jane Smith, a Kenyan analyst, spoke first. Later Smith wrote a report."
    refs = _refs(nlp, text)
    smith = next(m for m in refs if m.text == "Smith")
    assert (smith.kind, smith.name, smith.country) == ("person", "Jane Smith", "KEN")


def test_they_about_events_is_not_an_actor(nlp) -> None:
    text = "Greek sailors joined two drills. They will take place in May."
    assert [m for m in _refs(nlp, text) if m.text == "They"] == []


def test_two_countries_counts_people_in_office(nlp) -> None:
    # the two most recent countries are those of the two leaders, not the earlier list
    text = (
        "Australia pledged money to Fiji and Tonga. "
        "The Australian prime minister Anthony Albanese met the Fijian prime minister "
        "Sitiveni Rabuka and praised the ties between the two countries."
    )
    (two,) = [m for m in _refs(nlp, text, "2025-06-17") if "two countries" in m.text]
    assert set(two.members) == {"AUS", "FJI"}
