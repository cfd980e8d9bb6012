"""Where an event happened (polybius.events.location), on invented sentences."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "trigger", "place"),
    [
        # a relative clause of place: the act happens where the clause hangs from
        ("Finnish troops crossed into Daraa, where Ana Ruiz met Lars Berg.", "met", "Daraa"),
        # a purpose happens where the act it is the purpose of happens
        ("Ana Ruiz travelled to Nairobi to meet Lars Berg.", "meet", "Nairobi"),
        ("Ana Ruiz was in Geneva to discuss trade with Chile.", "discuss", "Geneva"),
        # "only to" tells what followed, not a purpose
        ("Chile went to Geneva only to accuse Peru of spying.", "accuse", None),
        # a place word with a place as its possessor, and a campaign named after its place
        ("Chile struck Peru's Pisco airbase.", "struck", "Peru's Pisco airbase"),
        ("Chile launched the Mosul offensive against Peru.", "launched", "Mosul"),
        # a blockade happens where it strikes
        ("Chile blockaded Peru.", "blockaded", "Peru"),
        # a movement's destination comes before where it came from, target or not
        ("Finnish troops travelled to Peru from Chile.", "travelled", "Peru"),
        # "of" + a place names a place only after a noun of place
        ("Chile pushed Peru towards the embrace of Kenya.", "pushed", None),
        # a place in apposition to the place word
        ("Chile drove Finnish troops out of their last stronghold, Arica.", "drove", "Arica"),
        # the gazetteer finds places the recogniser misses or mislabels
        ("Finnish troops attacked Chile near Douma.", "attacked", "Douma"),
    ],
)
def test_place_of_an_act(code, text: str, trigger: str, place: str | None) -> None:
    events = [e.event for e in code(text) if e.event.trigger == trigger]
    assert events, f"no event on {trigger!r}"
    assert events[0].location == place


@pytest.mark.parametrize(("name", "place"), [("Douma", "Douma"), ("Zorblat", None)])
def test_a_name_labelled_a_person_is_a_place_only_if_the_gazetteer_knows_it(
    nlp, name: str, place: str | None
) -> None:
    from polybius.events import code_events
    from polybius.records import Article

    from .conftest import mentions_for

    text = f"Finnish troops attacked Chile near {name}."
    art = Article.create(text, doc_id="test", date="2023-04-20")
    doc = nlp(art.full_text)
    start = art.full_text.index(name)
    doc.ents = [doc.char_span(start, start + len(name), label="PERSON")]  # the slip, fixed
    events = code_events(doc, mentions_for(art.full_text), art, typing="rules")
    assert events and events[0].event.location == place


def test_the_place_is_resolved_to_a_country_and_a_point(code) -> None:
    (meet,) = [e.event for e in code("Ana Ruiz travelled to Nairobi to meet Lars Berg.")]
    assert (meet.location, meet.location_country) == ("Nairobi", "KEN")
    assert meet.location_lat == pytest.approx(-1.28, abs=0.05)
    assert meet.location_lon == pytest.approx(36.82, abs=0.05)
    as_json = meet.to_dict()
    assert as_json["location_country"] == "KEN" and "location_lat" in as_json


def test_a_country_territory_is_the_countrys_point(code) -> None:
    ev = code("Norway held talks with Chile on Chilean territory.")[0].event
    assert (ev.location, ev.location_country) == ("CHL", "CHL")
    assert ev.location_lat is not None
