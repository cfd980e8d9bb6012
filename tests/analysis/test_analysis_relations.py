"""Dyads, graph, blocs and trends on events built by hand, with exact expected figures."""

from __future__ import annotations

import networkx as nx
import pytest
from store_helpers import store_events

from polybius.analysis import (
    dyad_series,
    find_blocs,
    graph_to_dict,
    relations_graph,
    trend_windows,
    trends,
)
from polybius.store.validate import QueryError

# Goldstein by type: CONSULT 1, AID 7, COOPERATE 6, THREATEN -6, ACCUSE -2, ASSAULT -10
SPECS = [
    ("2022-01-05", [("CONSULT", "USA", "IRQ"), ("AID", "USA", "IRQ")]),
    ("2022-01-20", [("THREATEN", "IRQ", "USA")]),
    ("2022-02-03", [("ASSAULT", "USA", "IRQ")]),
    ("2022-03-01", [("CONSULT", "FRA", "JPN"), ("COOPERATE", "JPN", "FRA")]),
    ("2022-03-02", [("AID", "RUS", "CHN"), ("CONSULT", "CHN", "RUS")]),
    ("2022-03-03", [("ACCUSE", "FRA", "RUS")]),
    ("2022-03-04", [("CONSULT", "FRA", "CHN")]),
]


@pytest.fixture
def store(mem_store):
    store_events(mem_store.con, SPECS)
    return mem_store


def test_dyad_series_by_month(store):
    rows = dyad_series(store, "USA", "irq", by="month")
    keyed = {(r["period"], r["direction"]): r for r in rows}
    assert sorted(keyed) == [("2022-01", "A->B"), ("2022-01", "B->A"), ("2022-02", "A->B")]
    jan = keyed[("2022-01", "A->B")]
    assert (jan["events"], jan["q1"], jan["q2"], jan["q3"], jan["q4"]) == (2, 1, 1, 0, 0)
    assert (jan["goldstein_sum"], jan["goldstein_mean"], jan["net_cooperation"]) == (8.0, 4.0, 2)
    assert (jan["source"], jan["target"]) == ("USA", "IRQ")
    back = keyed[("2022-01", "B->A")]
    assert (back["q3"], back["goldstein_sum"], back["net_cooperation"]) == (1, -6.0, -1)
    assert keyed[("2022-02", "A->B")]["q4"] == 1


def test_dyad_series_other_buckets_and_range(store):
    assert [r["period"] for r in dyad_series(store, "USA", "IRQ", by="year")] == ["2022", "2022"]
    weeks = dyad_series(store, "USA", "IRQ", by="week")
    assert weeks[0]["period"] == "2022-01-03"  # the Monday of 2022-01-05
    days = dyad_series(store, "USA", "IRQ", by="day", since="2022-01-10")
    assert [(r["period"], r["direction"]) for r in days] == [
        ("2022-01-20", "B->A"),
        ("2022-02-03", "A->B"),
    ]


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (("USA", "USA"), {}, "two different"),
        (("USA", "IRQ"), {"by": "decade"}, "by"),
        (("USA", "IRQ"), {"since": "yesterday"}, "since"),
    ],
)
def test_dyad_validation(store, args, kwargs, message):
    with pytest.raises(QueryError, match=message):
        dyad_series(store, *args, **kwargs)


def test_relations_graph_edges_and_nodes(store):
    g = relations_graph(store)
    assert isinstance(g, nx.Graph)
    assert g.number_of_edges() == 5
    usa_irq = g.edges["USA", "IRQ"]
    assert (usa_irq["events"], usa_irq["cooperation"], usa_irq["conflict"]) == (4, 2, 2)
    assert usa_irq["goldstein_sum"] == -8.0 and usa_irq["sign"] == -1
    assert (usa_irq["a_to_b"], usa_irq["b_to_a"]) == (1, 3)  # IRQ->USA once, USA->IRQ thrice
    assert g.edges["FRA", "JPN"]["sign"] == 1 and g.edges["FRA", "JPN"]["goldstein_sum"] == 7.0
    assert g.nodes["USA"] == {"kind": "country", "events": 4}
    d = graph_to_dict(g)
    assert d["edges"][0]["source"] == "IRQ" and d["edges"][0]["events"] == 4
    assert {n["id"] for n in d["nodes"]} == {"USA", "IRQ", "FRA", "JPN", "RUS", "CHN"}
    assert relations_graph(store, min_events=2).number_of_edges() == 3
    assert relations_graph(store, since="2022-03-01").number_of_edges() == 4


def test_blocs_split_the_cooperating_groups(store):
    blocs = find_blocs(store)
    members = sorted(tuple(b["members"]) for b in blocs)
    # USA-IRQ is conflictual (no cooperation edge); FRA-RUS negative; FRA-CHN links the rest
    assert ("USA", "IRQ") not in members and ("IRQ", "USA") not in members
    flat = {m for b in blocs for m in b["members"]}
    assert flat == {"FRA", "JPN", "RUS", "CHN"}
    for b in blocs:
        assert 0.0 < b["cohesion"] <= 1.0
    assert [b["bloc"] for b in blocs] == list(range(1, len(blocs) + 1))


def test_bloc_cohesion_figures():
    from polybius.store import Store

    with Store.open(":memory:") as s:
        store_events(
            s.con,
            [
                (
                    "2022-01-01",
                    [
                        ("AID", "FRA", "JPN"),
                        ("AID", "JPN", "FRA"),
                        ("AID", "RUS", "CHN"),
                        ("AID", "CHN", "RUS"),
                    ],
                )
            ],
        )
        blocs = find_blocs(s)
    assert sorted(b["members"] for b in blocs) == [["CHN", "RUS"], ["FRA", "JPN"]]
    for b in blocs:
        assert (b["cohesion"], b["internal_events"], b["mean_goldstein"]) == (1.0, 2, 7.0)


def test_trends_against_previous_period(store):
    (p0, p1), (c0, c1) = trend_windows(__import__("datetime").date(2022, 3, 4), "month")
    assert (p0.isoformat(), p1.isoformat(), c0.isoformat(), c1.isoformat()) == (
        "2022-01-05",
        "2022-02-04",
        "2022-02-05",
        "2022-03-04",
    )
    rows = trends(store, period="month", until="2022-03-04")
    by_pair = {(r["a"], r["b"]): r for r in rows}
    usa = by_pair[("IRQ", "USA")]  # previous: +8 -6 -10 = -8; current: none
    assert (usa["previous"], usa["current"], usa["change"]) == (-8.0, 0.0, 8.0)
    assert usa["kind"] == "toward cooperation"
    assert by_pair[("FRA", "JPN")]["change"] == 7.0
    assert rows[0]["a"] in {"CHN", "IRQ"}  # |8| is the largest change
    assert len(trends(store, period=30, top=2)) == 2


def test_trends_validation(store):
    with pytest.raises(QueryError, match="period"):
        trends(store, period="fortnight")
    with pytest.raises(QueryError, match="period"):
        trends(store, period=0)
