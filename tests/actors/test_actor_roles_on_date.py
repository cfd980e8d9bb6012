"""A person's role depends on the article's date."""

from __future__ import annotations

import pytest

from polybius.actors import find_actors, load_dictionary, role_on_date


def _person(name: str):  # type: ignore[no-untyped-def]
    d = load_dictionary()
    return next(p for p in d.persons if p.name == name)


def test_role_changes_with_date() -> None:
    hu = _person("Hu Jintao")
    assert role_on_date(hu, "2006-05-01").sector == "GOV"
    later = role_on_date(hu, "2021-05-01")
    assert (later.country, later.sector) == ("CHN", "ELI")
    assert later.role and later.role.startswith("former")


@pytest.mark.parametrize(("date", "sector"), [("2010-03-01", "GOV"), ("2023-03-01", "ELI")])
def test_same_sentence_codes_differently_by_date(nlp, date: str, sector: str) -> None:
    doc = nlp("Angela Merkel spoke to reporters on Tuesday.")
    person = next(m for m in find_actors(doc, date) if m.kind == "person")
    assert (person.name, person.country, person.sector) == ("Angela Merkel", "DEU", sector)


def test_former_title_makes_elite(nlp) -> None:
    doc = nlp("Former President Barack Obama praised the deal.")
    m = next(m for m in find_actors(doc, "2014-01-01") if m.kind == "person")
    assert (m.country, m.sector, m.name) == ("USA", "ELI", "Barack Obama")
