"""Query functions on events built by hand: exact counts, filters, validation."""

from __future__ import annotations

import pytest
from store_helpers import store_events

from polybius.store.queries import (
    count_events,
    get_article,
    get_event,
    list_actors,
    list_articles,
    query_events,
    summary,
)
from polybius.store.validate import QueryError

SPECS = [
    ("2022-01-05", [("CONSULT", "USA", "IRQ"), ("AID", "USA", "IRQ")]),
    ("2022-01-20", [("THREATEN", "IRQ", "USA")]),
    ("2022-02-03", [("ASSAULT", "RUS", "FRA"), ("CONSULT", "FRA", "NATO")]),
    ("2022-03-10", [("AID", "NATO", "FRA")]),
]


@pytest.fixture
def store(mem_store):
    store_events(mem_store.con, SPECS)
    return mem_store


def test_counts_and_filters(store):
    assert count_events(store) == 6
    assert count_events(store, actor="usa") == 3
    assert count_events(store, source="USA") == 2
    assert count_events(store, target="USA") == 1
    assert count_events(store, actor="NATO") == 2
    assert count_events(store, actor="IGO") == 2  # matches the org's country field
    assert count_events(store, event_type="consult") == 2
    assert count_events(store, quad=4) == 1
    assert count_events(store, quad="2") == 2
    assert count_events(store, since="2022-01-20", until="2022-02-03") == 3
    assert count_events(store, modality="asserted") == 6
    assert count_events(store, modality="future") == 0
    assert count_events(store, source="USA", event_type="AID", until="2022-01-05") == 1


def test_query_events_order_limit_and_round_trip(store):
    events = query_events(store, limit=3)
    assert [e.date for e in events] == ["2022-01-05", "2022-01-05", "2022-01-20"]
    newest = query_events(store, order="-date", limit=1)[0]
    assert (newest.event_type, newest.sources[0].org) == ("AID", "NATO")
    assert len(query_events(store, limit=10, offset=4)) == 2
    again = get_event(store, newest.event_id)
    assert again == newest
    assert get_event(store, "nope") is None


def test_articles_actors_and_summary(store):
    arts = list_articles(store)
    assert len(arts) == 4 and arts[0]["date"] == "2022-01-05"
    assert len(list_articles(store, since="2022-02-01")) == 2
    one = get_article(store, arts[0]["article_id"])
    assert one["events"] == 2 and one["duplicate_of"] is None and one["duplicates"] == []
    actors = {a["code"]: a for a in list_actors(store)}
    assert actors["USA"] == {
        "code": "USA",
        "kind": "country",
        "events": 3,
        "as_source": 2,
        "as_target": 1,
    }
    assert actors["NATO"]["kind"] == "org"
    s = summary(store)
    assert (s["articles"], s["events"], s["mentions"], s["errors"]) == (4, 6, 6, 0)
    assert (s["first_date"], s["last_date"]) == ("2022-01-05", "2022-03-10")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"quad": 5}, "quad"),
        ({"quad": "x"}, "quad"),
        ({"event_type": "HUG"}, "not a PLOVER event type"),
        ({"modality": "maybe"}, "modality"),
        ({"since": "2022-02-30"}, "since"),
        ({"since": "2022-03-01", "until": "2022-01-01"}, "after"),
        ({"actor": "  "}, "empty"),
        ({"limit": -1}, "limit"),
        ({"order": "random"}, "order"),
        ({"place": "Syria"}, "alpha-3"),
        ({"place": "S1R"}, "alpha-3"),
    ],
)
def test_bad_inputs_are_named(store, kwargs, message):
    with pytest.raises(QueryError, match=message):
        query_events(store, **kwargs)


def test_user_values_are_parameters_not_sql(store):
    assert count_events(store, actor="USA' OR '1'='1") == 0
    assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 6


def test_events_where_they_happened(mem_store):
    import dataclasses

    from store_helpers import article, event

    from polybius.events.location import place_fields
    from polybius.store.writer import transaction, write_article

    a1, a2, a3 = (article(i, f"2022-04-0{i}") for i in (1, 2, 3))
    in_mosul = dataclasses.replace(event(a1, "ASSAULT", "USA", "IRQ"), **place_fields("Mosul"))
    in_syria = dataclasses.replace(event(a2, "ASSAULT", "RUS", "USA"), **place_fields("SYR"))
    nowhere = event(a3, "CONSULT", "IRQ", "USA")
    with transaction(mem_store.con):
        for art, ev in ((a1, in_mosul), (a2, in_syria), (a3, nowhere)):
            write_article(mem_store.con, art, [ev])
    assert count_events(mem_store, place="irq") == 1  # whoever the actors are
    assert [e.event_id for e in query_events(mem_store, place="SYR")] == [in_syria.event_id]
    assert count_events(mem_store, actor="IRQ") == 2 and count_events(mem_store, place="FRA") == 0
