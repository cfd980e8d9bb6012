"""Dates resolved against the publication date; quantities; places."""

from __future__ import annotations

import datetime as dt

import pytest

from polybius.events.dates import resolve_date
from polybius.events.quantities import parse_number

BASE = dt.date(2023, 4, 20)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday", ("2023-04-19", "day")),
        ("last week", ("2023-04-13", "day")),
        ("on Tuesday", ("2023-04-18", "day")),
        ("on Thursday", ("2023-04-20", "day")),  # the story's own weekday: that day
        ("Thursday", ("2023-04-20", "day")),
        ("last Thursday", ("2023-04-13", "day")),
        ("in May", ("2022-05", "month")),
        ("in March", ("2023-03", "month")),
        ("March 2021", ("2021-03", "month")),
        ("in 2019", ("2019", "year")),
        ("May 5, 2021", ("2021-05-05", "day")),
        ("5 May 2021", ("2021-05-05", "day")),
        ("last month", ("2023-03", "month")),
        ("next year", ("2024", "year")),
    ],
)
def test_resolve_date_past(text, expected):
    assert resolve_date(text, BASE) == expected


def test_resolve_date_future_prefers_next():
    assert resolve_date("on Tuesday", BASE, future=True) == ("2023-04-25", "day")
    assert resolve_date("in May", BASE, future=True) == ("2023-05", "month")


def test_not_a_date():
    assert resolve_date("the", BASE) is None


@pytest.mark.parametrize("text", ["six months later", "two days earlier", "a week afterwards"])
def test_story_relative_dates_are_not_resolved(text):
    # counted from a time in the story, not from the article date
    assert resolve_date(text, BASE) is None


def test_story_relative_date_does_not_make_a_future(code):
    ev = next(e.event for e in code("Norway attacked Finland two days later."))
    assert ev.modality == "asserted" and ev.date == "2023-04-20"


def test_event_date_from_the_clause(code):
    ev = code("Oslo hosted talks with Lima in March 2021.")[0].event
    assert (ev.date, ev.date_precision) == ("2021-03", "month")


def test_event_date_defaults_to_article_date(code):
    ev = code("Chile attacked Peru.", date="2023-04-20")[0].event
    assert (ev.date, ev.date_precision) == ("2023-04-20", "day")


def test_event_date_relative_weekday(code):
    ev = code("Chile attacked Peru on Tuesday.", date="2023-04-20")[0].event
    assert ev.date == "2023-04-18"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10,000", 10000),
        ("ten thousand", 10000),
        ("1.5 million", 1_500_000),
        ("two dozen", 24),
        ("three hundred and twenty", 320),
        ("forty-two", 42),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_parse_number_rejects_words():
    assert parse_number("several") is None


def test_quantity_and_place(code):
    ev = code("About five thousand Finnish troops joined a joint exercise with Norway in Geneva.")[
        0
    ].event  # noqa: E501
    assert ev.quantity is not None
    assert ev.quantity.value == 5000 and ev.quantity.unit == "troops" and ev.quantity.approximate
    assert ev.location == "Geneva"


def test_place_on_national_territory(code):
    ev = code("Finnish troops held a joint drill with Norway on Chilean territory.")[0].event
    assert ev.location == "CHL"


@pytest.mark.parametrize(
    "text",
    [
        "since 2014",
        "for five years",
        "five year",
        "two decades",
        "the last five years",
        "until May",
    ],
)
def test_durations_are_not_dates(text):
    # how long something lasted, not when the act happened
    assert resolve_date(text, BASE) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("five years ago", ("2018", "year")),
        ("a year ago", ("2022", "year")),
        ("two months ago", ("2023-02", "month")),
        ("three weeks ago", ("2023-03-30", "day")),
    ],
)
def test_ago_keeps_the_precision_it_states(text, expected):
    assert resolve_date(text, BASE) == expected


def test_future_weekday_of_the_story_is_that_day():
    # "will meet on Thursday" in a Thursday story: later that day; "next Thursday": a week on
    assert resolve_date("on Thursday", BASE, future=True) == ("2023-04-20", "day")
    assert resolve_date("next Thursday", BASE, future=True) == ("2023-04-27", "day")


@pytest.mark.parametrize(
    "text",
    [
        "Chile has attacked Peru since 2019.",
        "Chile fought Peru for five years.",
        "Norway condemned the 2019 attack on Peru.",  # the year dates the attack, not the words
        "Norway held talks with Chile, reviving last week's dispute with Peru.",
    ],
)
def test_a_date_of_something_else_is_not_the_events(code, text):
    for ex in code(text):
        assert (ex.event.date, ex.event.date_precision) == ("2023-04-20", "day"), ex.event
        assert ex.explanation["date_cue"] == "article date"


def test_an_intention_looks_forward_for_its_date(code):
    ev = code("Chile hopes to meet Peru in May.")[0].event
    assert ev.modality == "intended" and (ev.date, ev.date_precision) == ("2023-05", "month")


def test_ago_in_a_clause(code):
    ev = code("Chile attacked Peru five years ago.")[0].event
    assert (ev.date, ev.date_precision) == ("2018", "year")


@pytest.mark.parametrize(
    "text", ["Norway exchanged views with Chile on Peru.", "Norway increased pressure on Chile."]
)
def test_on_a_country_is_a_topic_or_target_not_a_place(code, text):
    assert all(ex.event.location is None for ex in code(text))


def test_speaking_on_a_day_dates_the_clause(code):
    ev = code("Speaking on Tuesday, Lars Berg accused Chile of espionage.")[0].event
    assert ev.date == "2023-04-18"


def test_a_date_after_another_noun_is_that_nouns(code):
    ev = code("Chile remains determined to attack Peru despite its decision last week to stop.")[0]
    assert ev.event.date == "2023-04-20" and ev.explanation["date_cue"] == "article date"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Norway held talks with Chile in the resort of Sochi.", "Sochi"),
        ("Oslo invited Ana Ruiz to Geneva.", "Geneva"),  # where an act of movement goes
        ("Oslo sent aid to Chile through Bolivia.", "Bolivia"),
        ("Finnish troops travelled to Peru in May.", "Peru"),  # a target, and where they went
        ("Norway held talks with Chile in the region.", None),  # names no place
        ("Ana Ruiz visited Oslo.", "Oslo"),  # a movement's object is where it happens
        ("Chilean troops seized Lima.", "Lima"),  # and a physical act's
        ("Chile launched an attack on Lima.", "Lima"),
        ("Norway criticised Peru.", None),  # an act that does not happen on Peru's ground
        ("Chile staged a protest against Peru outside the embassy in Lima.", "Lima"),
        ("Norway attended a commemoration with Chile at the memorial in Geneva.", "Geneva"),
    ],
)
def test_places_of_an_act(code, text, place):
    assert code(text)[0].event.location == place


def test_a_verb_tagged_as_a_month_is_no_date(nlp):
    # the tagger sometimes takes the verb "march" for the month; a date is never a verb
    from spacy.tokens import Doc

    from polybius.events.dates import date_for

    words = ["They", "watched", "troops", "march", "away", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        pos=["PRON", "VERB", "NOUN", "VERB", "ADV", "PUNCT"],
        heads=[1, 1, 3, 1, 3, 1],
        deps=["nsubj", "ROOT", "nsubj", "ccomp", "advmod", "punct"],
        ents=["O", "O", "O", "B-DATE", "O", "O"],
    )
    trigger = doc[1]
    assert date_for(trigger, trigger, doc[:], BASE, future=False) is None
    # the same tree with a noun there is a month
    doc2 = Doc(
        nlp.vocab,
        words=["They", "watched", "troops", "in", "March", "."],
        pos=["PRON", "VERB", "NOUN", "ADP", "PROPN", "PUNCT"],
        heads=[1, 1, 1, 1, 3, 1],
        deps=["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        ents=["O", "O", "O", "O", "B-DATE", "O"],
    )
    assert date_for(doc2[1], doc2[1], doc2[:], BASE, future=False) == ("2023-03", "month", "March")


def test_a_day_without_a_year_within_the_next_month_is_coming():
    # "the meeting on 5 May" in a 20 April story: this May, not a year back
    assert resolve_date("on 5 May", BASE) == ("2023-05-05", "day")
    assert resolve_date("on 5 June", BASE) == ("2022-06-05", "day")  # over a month ahead
    assert resolve_date("on 2 April", BASE) == ("2023-04-02", "day")  # already past
    assert resolve_date("5 January", dt.date(2022, 12, 20)) == ("2023-01-05", "day")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in the past year", None),  # the last twelve months, not a calendar year
        ("this past week", ("2023-04-17", "day")),  # the middle of the seven days
        ("August last year", ("2022-08", "month")),
        ("in March this year", ("2023-03", "month")),
    ],
)
def test_spans_and_months_of_a_named_year(text, expected):
    assert resolve_date(text, BASE) == expected


def test_a_month_name_after_with_is_a_person(code):
    extra = {"May": {"country": "GBR", "name": "Theresa May", "kind": "person"}}
    ev = code("Chile held talks with May in Geneva.", extra=extra)
    assert ev and all(ex.explanation["date_cue"] == "article date" for ex in ev)


def test_for_a_day_is_a_time_fixed_ahead(code):
    # "for Monday" names when the act is set to happen; "for five years" is a span (above)
    ev = code("Chile and Peru scheduled talks for Monday.")[0].event
    assert ev.date == "2023-04-24"
